"""The public read API at /api/v1/ (django-ninja: the OpenAPI 3 schema comes from the
type hints, served at /api/v1/openapi.json with Swagger UI at /api/v1/docs, its assets
served from our own static files). Read only, anonymous, rate limited per client;
never more than the public pages show (opendata/selectors.py)."""

from typing import Annotated

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja import Path as P
from ninja import Query as Q
from ninja.errors import Throttled
from ninja.pagination import PageNumberPagination, paginate
from ninja.throttling import AnonRateThrottle

from ballots.models import Cycle
from civic.models import Place, PublicBody
from forums.models import Forum, ProposalStatus

from . import records, selectors
from .schemas import (
    BodyOut,
    BudgetOut,
    CycleOut,
    DecisionOut,
    DeliveryOut,
    Error,
    ForumOut,
    Invalid,
    PlaceDetail,
    PlaceOut,
    ProposalDetail,
    ProposalOut,
    ResultsOut,
)

api = NinjaAPI(
    title="Neighbourhood Budgets open data",
    version="1",
    description=(
        "Everything the public pages show, as JSON: places, public bodies, budgets, "
        "framework rules, forums, proposals, cycles, published results, decisions and "
        "delivery. Money is in pence. Licence: "
        + settings.NB_OPEN_DATA_LICENCE["name"]
        + "."
    ),
    urls_namespace="api-v1",
    throttle=[AnonRateThrottle(settings.NB_API_RATE)],
)


@api.exception_handler(Throttled)
def too_many(request, exc: Throttled):
    wait = max(int(exc.wait or 1), 1)
    response = api.create_response(
        request,
        {
            "detail": f"Too many requests from your address (at most "
            f"{settings.NB_API_RATE}). Try again in {wait} seconds."
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(
        request, {"detail": str(exc) or "Not found."}, status=404
    )


class Shaped:
    """A queryset the paginator slices and counts in the database; only the rows of
    the page asked for are read and shaped (by `shape`)."""

    def __init__(self, queryset, shape):
        self.queryset, self.shape = queryset, shape

    def all(self):
        return self

    def count(self):
        return self.queryset.count()

    def __getitem__(self, index):
        return [self.shape(row) for row in self.queryset[index]]


# The largest number a query or path may carry (a database's 64-bit integer), and
# what a slug may hold (anything else, a NUL byte say, is refused before the database).
BIGGEST = 2**63 - 1
SLUG = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[str, P(pattern=SLUG, max_length=100)]
PlaceSlug = Annotated[
    str | None,
    Q(None, pattern=SLUG, max_length=100, description="A place's slug."),
]


class Page(PageNumberPagination):
    """?page=N (from 1) and ?page_size= (at most 100); the answer holds `items` and
    the total `count`."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10**9)
        page_size: int | None = Field(None, ge=1, le=100)

    def __init__(self, **kwargs):
        super().__init__(page_size=50, max_page_size=100, **kwargs)


def _place(slug: str | None) -> Place | None:
    if not slug:
        return None
    return get_object_or_404(Place, slug=slug)


@api.get("/places", response={200: list[PlaceOut], 429: Error}, tags=["places"])
def list_places(request):
    """Every place, in tree order (each after the place it lies in)."""
    found = list(selectors.places())
    slug_at = {p.path: p.slug for p in found}
    step = Place.steplen
    return [records.place(p, slug_at.get(p.path[:-step])) for p in found]


@api.get(
    "/places/{slug}",
    response={200: PlaceDetail, 404: Error, 422: Invalid, 429: Error},
    tags=["places"],
)
def place_detail(request, slug: Slug):
    """A place with its boundary, current budget by body, ring-fences and rules in
    force: the figures of its page."""
    return records.place_detail(get_object_or_404(Place, slug=slug))


@api.get("/bodies", response={200: list[BodyOut], 429: Error}, tags=["money"])
def list_bodies(request):
    return list(PublicBody.objects.order_by("name", "pk"))


@api.get(
    "/budgets",
    response={200: list[BudgetOut], 404: Error, 422: Invalid, 429: Error},
    tags=["money"],
)
@paginate(Page)
def list_budgets(request, place: PlaceSlug = None):
    """Budgets with their contributions; `place` narrows to a place and those inside."""
    return Shaped(selectors.budgets(_place(place)), records.budget)


@api.get("/forums", response={200: list[ForumOut], 429: Error}, tags=["forums"])
def list_forums(request):
    return [
        {
            "slug": f.slug,
            "name": f.name,
            "place": f.place.slug,
            "url": f.get_absolute_url(),
        }
        for f in Forum.objects.select_related("place").order_by("slug")
    ]


class ProposalFilters(Schema):
    place: str | None = Field(None, pattern=SLUG, max_length=100)
    status: ProposalStatus | None = None
    category: str | None = Field(None, pattern=SLUG, max_length=100)
    cost_min: int | None = Field(None, ge=0, le=BIGGEST, description="In pence.")
    cost_max: int | None = Field(None, ge=0, le=BIGGEST, description="In pence.")
    cycle: str | None = Field(None, pattern=SLUG, max_length=100)


@api.get(
    "/proposals",
    response={200: list[ProposalOut], 404: Error, 422: Invalid, 429: Error},
    tags=["proposals"],
)
@paginate(Page)
def list_proposals(request, filters: Query[ProposalFilters]):
    """Published proposals (never drafts or hidden ones), oldest first. Filters as on
    the forum page: place (and the places inside it), status, category slug, cost
    range in pence, and the cycle whose ballot holds them."""
    found = selectors.public_proposals(_place(filters.place))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.category:
        found = found.filter(category__slug=filters.category)
    if filters.cost_min is not None:
        found = found.filter(cost_pence__gte=filters.cost_min)
    if filters.cost_max is not None:
        found = found.filter(cost_pence__lte=filters.cost_max)
    if filters.cycle:
        cycle = get_object_or_404(Cycle, slug=filters.cycle)
        found = found.filter(ballot_entries__section__cycle=cycle).distinct()
    return Shaped(found, records.proposal)


@api.get(
    "/proposals/{id}",
    response={200: ProposalDetail, 404: Error, 422: Invalid, 429: Error},
    tags=["proposals"],
)
def proposal_detail(request, id: Annotated[int, P(ge=1, le=BIGGEST)]):
    found = selectors.public_proposals().filter(pk=id).first()
    if found is None:
        raise Http404("No published proposal has this id.")
    return records.proposal(found, detail=True)


@api.get(
    "/cycles",
    response={200: list[CycleOut], 404: Error, 422: Invalid, 429: Error},
    tags=["votes"],
)
@paginate(Page)
def list_cycles(request, place: PlaceSlug = None):
    return Shaped(selectors.cycles(_place(place)), records.cycle)


@api.get(
    "/cycles/{slug}/results",
    response={200: ResultsOut, 404: Error, 422: Invalid, 429: Error},
    tags=["votes"],
)
def cycle_results(request, slug: Slug):
    """Per budget on the ballot: what was funded and why, once results are published
    (404 before)."""
    cycle = get_object_or_404(Cycle.objects.select_related("place"), slug=slug)
    found = selectors.results(cycle)
    if found is None:
        raise Http404("The results of this vote are not published yet.")
    return records.results(cycle, found)


@api.get(
    "/decisions",
    response={200: list[DecisionOut], 404: Error, 422: Invalid, 429: Error},
    tags=["decisions"],
)
@paginate(Page)
def list_decisions(request, place: PlaceSlug = None):
    """Published decision notices, latest first."""
    return Shaped(selectors.decisions(_place(place)), records.decision)


@api.get(
    "/delivery",
    response={200: list[DeliveryOut], 404: Error, 422: Invalid, 429: Error},
    tags=["decisions"],
)
@paginate(Page)
def list_delivery(request, place: PlaceSlug = None):
    """Funded projects: milestones, which body paid what, who benefits, and the
    organisation granted the money (if any)."""
    return Shaped(selectors.delivery(_place(place)), records.delivery)
