"""The API's shapes (OpenAPI 3 components). Money is in pence, as integers; dates and
times are ISO 8601; every record has a stable id or slug."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


class Error(Schema):
    detail: str = Field(description="What is wrong, in plain English.")


class Invalid(Schema):
    detail: list[dict[str, Any]] = Field(
        description="Each parameter that is wrong: where (`loc`), and why (`msg`)."
    )


class PlaceRef(Schema):
    slug: str
    name: str


class PlaceOut(Schema):
    slug: str
    name: str
    kind: str
    gss_code: str | None = Field(
        description="The official ONS GSS code (e.g. E05012345 for a ward), if set."
    )
    parent: str | None = Field(description="The slug of the place it lies in.")
    summary: str
    url: str


class Share(Schema):
    body: str = Field(description="The public body's slug.")
    body_name: str
    amount_pence: int
    percent: float


class RingFence(Schema):
    category: str
    category_name: str
    minimum_pence: int


class CilOut(Schema):
    area: str = Field(description="The slug of the area where the development was.")
    financial_year: str
    half_year: str
    cil_received_pence: int
    neighbourhood_portion_pence: int


class ContributionOut(Schema):
    body: str
    body_name: str
    amount_pence: int
    ring_fenced_pence: int
    ring_fence_category: str | None
    note: str
    kind: str = Field(
        description="'grant' (a body's allocation) or 'cil' (the Community "
        "Infrastructure Levy's neighbourhood portion)."
    )
    cil: CilOut | None = Field(description="For 'cil': the receipt it comes from.")


class BudgetOut(Schema):
    id: int
    place: str
    name: str
    period_start: dt.date
    period_end: dt.date
    total_pence: int
    currency: str = "GBP"
    contributions: list[ContributionOut]


class RuleOut(Schema):
    name: str
    value: Any
    set_by: str | None = Field(
        description="The slug of the place that sets it; null for the platform default."
    )
    locked_by: str | None


class BoundaryGenerationOut(Schema):
    valid_from: dt.date | None = Field(
        description="The day it took effect; null: before any recorded change."
    )
    source: str


class PlaceDetail(PlaceOut):
    boundary: dict | None = Field(
        description="GeoJSON geometry (WGS 84) in force today, if set."
    )
    boundary_generations: list[BoundaryGenerationOut] = Field(
        description="Each recorded version of the boundary, oldest first."
    )
    children: list[PlaceRef]
    budget: BudgetOut | None = Field(description="The budget in force today.")
    money_in: list[Share] = Field(
        description="The budget by public body, largest first."
    )
    ring_fenced: list[RingFence]
    rules: list[RuleOut] = Field(description="The framework rules in force here.")


class BodyOut(Schema):
    slug: str
    name: str
    kind: str
    website: str
    description: str


class ForumOut(Schema):
    slug: str
    name: str
    place: str
    url: str


class Category(Schema):
    slug: str
    name: str


class Location(Schema):
    text: str
    latitude: float | None
    longitude: float | None


class ProposalOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    status_label: str
    cost_pence: int
    category: Category
    place: str
    forum: str
    location: Location
    comment_count: int
    published_at: dt.datetime | None
    url: str


class Step(Schema):
    from_status: str
    to_status: str
    reason: str
    at: dt.datetime


class ProposalDetail(ProposalOut):
    description: str = Field(description="Sanitised HTML, as on the page.")
    feasibility_note: str
    status_reason: str
    timeline: list[Step]


class PhaseOut(Schema):
    phase: str
    label: str
    starts: dt.datetime | None


class CycleOut(Schema):
    slug: str
    name: str
    place: str
    phase: str
    phase_label: str
    phases: list[PhaseOut]
    results_published: bool
    url: str


class ResultRow(Schema):
    code: str
    proposal: int | None
    title: str
    category: str
    cost_pence: int
    support: int
    funded: bool
    why: str = Field(description="Why it was funded or not, as on the results page.")


class SectionResult(Schema):
    place: str
    budget_pence: int
    spent_pence: int
    rule: str
    voters: int
    projects: list[ResultRow]


class ResultsOut(Schema):
    cycle: str
    sections: list[SectionResult]


class DecisionOut(Schema):
    reference: str
    title: str
    kind: str
    place: str
    cycle: str | None
    decided_on: dt.date
    published_at: dt.datetime
    text: str
    reasons: str
    amends: str | None
    proposals: list[int]
    url: str


class MilestoneOut(Schema):
    title: str
    planned_date: dt.date
    actual_date: dt.date | None
    percent_done: int
    update: str


class PaidBy(Schema):
    body: str
    body_name: str
    amount_pence: int


class Benefit(Schema):
    body: str
    body_name: str
    note: str
    estimated_value_pence: int | None


class Recipient(Schema):
    name: str
    charity_number: str
    company_number: str
    award_date: dt.date


class DeliveryOut(Schema):
    proposal: int
    title: str
    status: str
    place: str
    cost_pence: int
    milestones: list[MilestoneOut]
    paid_by: list[PaidBy]
    benefits: list[Benefit]
    recipient: Recipient | None
