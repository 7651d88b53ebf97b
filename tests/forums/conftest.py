import pytest

from civic.models import PlaceKind, RoleKind
from forums.models import ProposalStatus
from tests.factories import (
    BudgetFactory,
    CategoryFactory,
    ContributionFactory,
    ForumFactory,
    ProposalFactory,
    UserFactory,
    grant,
    make_place,
)


@pytest.fixture
def world(db, settings):
    """Two neighbourhoods with forums; a member, an outsider, an organiser, a councillor."""
    settings.NB_DEMO_MFA_EXEMPT = True
    county = make_place("Shire", PlaceKind.COUNTY)
    ward = make_place("Brook", PlaceKind.WARD, county)
    home = make_place("Lane End", PlaceKind.NEIGHBOURHOOD, ward, postcode_areas="NB9 1")
    away = make_place(
        "Far Field", PlaceKind.NEIGHBOURHOOD, ward, postcode_areas="NB9 2"
    )
    for place in (county, ward, home, away):
        place.refresh_from_db()  # sorted siblings (node_order_by) may have moved paths
    budget = BudgetFactory(place=home)
    ContributionFactory(budget=budget, amount_pence=50000_00)
    forum = ForumFactory(place=home)
    other_forum = ForumFactory(place=away)
    category = CategoryFactory(name="Youth", slug="youth")
    users = {
        "member": UserFactory(is_demo=True),
        "outsider": UserFactory(is_demo=True),
        "organiser": UserFactory(is_demo=True),
        "councillor": UserFactory(is_demo=True),
        "unverified": UserFactory(is_demo=True, verified=False),
    }
    grant(users["member"], home, RoleKind.RESIDENT)
    grant(users["outsider"], away, RoleKind.RESIDENT)
    grant(users["organiser"], ward, RoleKind.ORGANISER)
    grant(users["councillor"], county, RoleKind.COUNCILLOR)
    return {
        "county": county,
        "home": home,
        "away": away,
        "forum": forum,
        "other_forum": other_forum,
        "category": category,
        **users,
    }


@pytest.fixture
def make_proposal(world):
    def _make(status=ProposalStatus.PUBLISHED, cost=1000_00, forum=None, **kw):
        return ProposalFactory(
            forum=forum or world["forum"],
            title=kw.pop("title", "Benches"),
            description="<p>d</p>",
            category=world["category"],
            cost_pence=cost,
            status=status,
            author=kw.pop("author", world["organiser"]),
            **kw,
        )

    return _make
