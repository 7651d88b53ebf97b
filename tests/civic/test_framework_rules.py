"""Framework rules: inheritance down the place tree, locks, and validation messages."""

import pytest
from django.core.exceptions import ValidationError

from civic.framework import DEFAULTS, resolve_rules
from civic.models import FrameworkRules, PlaceKind
from civic.services import rules_update
from tests.factories import (
    BudgetFactory,
    CategoryFactory,
    ContributionFactory,
    UserFactory,
    make_place,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    county = make_place("Shire", PlaceKind.COUNTY)
    district = make_place("Dale", PlaceKind.DISTRICT, county)
    ward = make_place("Brook", PlaceKind.WARD, district)
    hood = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, ward)
    return county, district, ward, hood


def test_defaults_apply_where_nothing_is_set(tree):
    """With no rules anywhere, every value is the platform default with no source."""
    eff = resolve_rules(tree[3])
    assert eff.as_dict() == DEFAULTS
    assert all(rv.source is None for rv in eff.values.values())


def test_nearest_ancestor_wins_and_reports_its_source(tree):
    """A value set at the county is inherited; a district value overrides it below."""
    county, district, ward, hood = tree
    FrameworkRules.objects.create(place=county, min_age=16, max_choices=5)
    FrameworkRules.objects.create(place=district, max_choices=3)
    eff = resolve_rules(hood)
    assert eff.min_age == 16 and eff["min_age"].source == county
    assert eff.max_choices == 3 and eff["max_choices"].source == district
    assert resolve_rules(county).max_choices == 5


def test_lock_stops_descendants_varying_a_rule(tree):
    """A locked field keeps the locking place's value, even if a stored child row differs."""
    county, district, ward, hood = tree
    FrameworkRules.objects.create(place=county, min_age=16, locked_fields=["min_age"])
    FrameworkRules.objects.create(place=hood, min_age=12)
    eff = resolve_rules(hood)
    assert eff.min_age == 16
    assert eff["min_age"].locked_by == county


def test_saving_over_a_lock_is_refused_with_the_holder_named(tree):
    county, district, ward, hood = tree
    officer = UserFactory()
    FrameworkRules.objects.create(place=county, min_age=16, locked_fields=["min_age"])
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=officer, place=hood, values={"min_age": 12}, locked_fields=[]
        )
    assert "locked by Shire" in str(info.value.message_dict["min_age"])
    assert not FrameworkRules.objects.filter(place=hood).exists()


def test_lock_below_a_place_does_not_bind_the_place_itself(tree):
    """A place may change a field it locked itself."""
    county = tree[0]
    officer = UserFactory()
    rules_update(
        actor=officer, place=county, values={"min_age": 16}, locked_fields=["min_age"]
    )
    rules_update(
        actor=officer, place=county, values={"min_age": 18}, locked_fields=["min_age"]
    )
    assert resolve_rules(tree[3]).min_age == 18


def test_min_cost_above_max_is_rejected(tree):
    officer = UserFactory()
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=officer,
            place=tree[1],
            values={
                "project_cost_min_pence": 5000_00,
                "project_cost_max_pence": 1000_00,
            },
            locked_fields=[],
        )
    message = " ".join(info.value.message_dict["project_cost_min_pence"])
    assert "£5,000.00" in message and "£1,000.00" in message


def test_inconsistency_created_below_by_an_edit_above_is_named(tree):
    """Raising the county minimum above a neighbourhood's own maximum fails, naming it."""
    county, district, ward, hood = tree
    officer = UserFactory()
    FrameworkRules.objects.create(place=hood, project_cost_max_pence=2000_00)
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=officer,
            place=county,
            values={"project_cost_min_pence": 3000_00},
            locked_fields=[],
        )
    assert "At Lane End" in " ".join(info.value.message_dict["project_cost_min_pence"])


def test_min_choices_above_max_is_rejected(tree):
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=UserFactory(),
            place=tree[0],
            values={"min_choices": 4, "max_choices": 2},
            locked_fields=[],
        )
    assert "min_choices" in info.value.message_dict


def test_ring_fences_above_the_budget_are_rejected(tree):
    hood = tree[3]
    youth = CategoryFactory(slug="youth", name="Youth")
    budget = BudgetFactory(place=hood)
    ContributionFactory(budget=budget, amount_pence=1000_00)
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=UserFactory(),
            place=hood,
            values={"ring_fences": {youth.slug: 2000_00}},
            locked_fields=[],
        )
    message = " ".join(info.value.message_dict["ring_fences"])
    assert "£2,000.00" in message and "£1,000.00" in message


def test_unknown_ring_fence_category_is_rejected(tree):
    with pytest.raises(ValidationError) as info:
        rules_update(
            actor=UserFactory(),
            place=tree[0],
            values={"ring_fences": {"nope": 1}},
            locked_fields=[],
        )
    assert "no category 'nope'" in " ".join(info.value.message_dict["ring_fences"])


def test_empty_verification_methods_means_inherit_but_unknown_is_rejected(tree):
    with pytest.raises(ValidationError):
        rules_update(
            actor=UserFactory(),
            place=tree[0],
            values={"verification_methods": ["telepathy"]},
            locked_fields=[],
        )


def test_rule_change_is_audited_with_before_and_after(tree):
    from civic.models import AuditEntry

    officer = UserFactory()
    rules_update(actor=officer, place=tree[0], values={"min_age": 16}, locked_fields=[])
    rules_update(actor=officer, place=tree[0], values={"min_age": 18}, locked_fields=[])
    entry = AuditEntry.objects.filter(action="rules.change").order_by("-id").first()
    assert entry.data["min_age"] == {"from": 16, "to": 18}
    assert entry.actor == officer
