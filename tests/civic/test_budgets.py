"""Budgets: totals derived from contributions, money integrity in the database."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from civic.models import Budget, PlaceKind
from civic.selectors import budget_breakdown, current_budget
from tests.factories import (
    BodyFactory,
    BudgetFactory,
    CategoryFactory,
    ContributionFactory,
    make_place,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood():
    return make_place("Lane End", PlaceKind.NEIGHBOURHOOD)


def test_total_is_the_sum_of_contributions(hood):
    budget = BudgetFactory(place=hood)
    ContributionFactory(budget=budget, amount_pence=1234_56)
    ContributionFactory(budget=budget, amount_pence=10_00)
    assert budget.total_pence == 1244_56
    assert Budget.objects.with_totals().get(pk=budget.pk).total_pence == 1244_56


def test_empty_budget_totals_zero(hood):
    budget = BudgetFactory(place=hood)
    assert Budget.objects.with_totals().get(pk=budget.pk).total_pence == 0


@pytest.mark.parametrize("amount", [0, -100])
def test_non_positive_contribution_is_refused_by_the_database(hood, amount):
    budget = BudgetFactory(place=hood)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory(budget=budget, amount_pence=amount)


def test_ring_fence_larger_than_contribution_is_refused(hood):
    budget = BudgetFactory(place=hood)
    youth = CategoryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory(
            budget=budget,
            amount_pence=100_00,
            ring_fence_category=youth,
            ring_fenced_pence=200_00,
        )


def test_ring_fence_needs_a_category(hood):
    budget = BudgetFactory(place=hood)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory(budget=budget, amount_pence=100_00, ring_fenced_pence=50_00)


def test_period_must_not_end_before_it_starts(hood):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetFactory(
            place=hood, period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 3, 1)
        )


def test_current_budget_and_breakdown_by_body(hood):
    council, nhs = BodyFactory(name="Council"), BodyFactory(name="NHS")
    old = BudgetFactory(
        place=hood, period_start=dt.date(2000, 1, 1), period_end=dt.date(2000, 12, 31)
    )
    ContributionFactory(budget=old, body=council, amount_pence=1)
    budget = BudgetFactory(place=hood)
    health = CategoryFactory(name="Health")
    ContributionFactory(budget=budget, body=council, amount_pence=3000_00)
    ContributionFactory(
        budget=budget,
        body=nhs,
        amount_pence=1000_00,
        ring_fence_category=health,
        ring_fenced_pence=500_00,
    )
    found = current_budget(hood)
    assert found.pk == budget.pk and found.total_pence == 4000_00
    shares = budget_breakdown(found)
    assert [(s.body.name, s.amount_pence, s.percent) for s in shares] == [
        ("Council", 3000_00, 75.0),
        ("NHS", 1000_00, 25.0),
    ]
    assert shares[1].ring_fenced == [(health, 500_00)]
    assert found.ring_fenced_by_category() == {health: 500_00}
