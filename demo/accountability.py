"""Demo data for decisions and delivery (seed_demo runs it after ballots): a published
decision on Canal Side's counted cycle, delivery milestones, who paid and who
benefits."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accountability.delivery import (
    benefit_record,
    funding_set,
    funding_suggest,
    milestone_post,
    recipient_set,
)
from accountability.models import Decision
from accountability.services import decision_publish, decision_save
from ballots.models import Cycle, Phase
from civic.models import PublicBody, User
from forums.models import Proposal, ProposalStatus


@transaction.atomic
def seed() -> None:
    """A published decision on Canal Side's counted cycle, delivery milestones, who paid
    and who benefits, so the accountability pages have something real to show."""
    past = Cycle.objects.filter(slug="canal-side-2025", phase=Phase.RESULTS).first()
    if past is None or Decision.objects.filter(cycle=past).exists():
        return
    councillor = User.objects.get(email="councillor@example.org")
    officer = User.objects.get(email="officer@example.org")
    organiser = User.objects.get(email="organiser@example.org")
    funded = list(
        Proposal.objects.filter(
            forum__place=past.place, status=ProposalStatus.FUNDED
        ).order_by("pk")
    )
    decision = decision_save(
        actor=councillor,
        place=past.place,
        data={
            "kind": "approve_funded",
            "title": "Approval of the Canal Side 2025/26 funded list",
            "text": "The projects funded by the residents' vote are approved for delivery in full.",
            "reasons": "The count followed the framework rules; the spend is within the budget and "
            "no statutory duty is affected.",
            "conflicts": "",
            "decided_on": timezone.localdate() - dt.timedelta(days=200),
            "cycle": past,
        },
        votes=[(councillor, "for", "")],
        proposals=funded,
    )
    decision_publish(actor=councillor, decision=decision)
    today = timezone.localdate()
    for i, proposal in enumerate(funded):
        funding_set(
            actor=officer, proposal=proposal, allocations=funding_suggest(proposal)
        )
        milestone_post(
            actor=organiser,
            proposal=proposal,
            data={
                "title": "Order placed",
                "planned_date": today - dt.timedelta(days=150),
                "actual_date": today - dt.timedelta(days=140),
                "percent_done": 30,
                "update": "Supplier appointed after three quotes.",
            },
        )
        milestone_post(
            actor=organiser,
            proposal=proposal,
            data={
                "title": "Installed",
                "planned_date": today - dt.timedelta(days=30 if i % 2 else -30),
                "percent_done": 100 if i % 3 == 0 else 60,
                "actual_date": today - dt.timedelta(days=20) if i % 3 == 0 else None,
            },
        )
    nhs = PublicBody.objects.get(slug="northshire-nhs-icb")
    fridge = next(
        (p for p in funded if "fridge" in p.title.lower()),
        funded[0] if funded else None,
    )
    if fridge is not None:
        benefit_record(
            actor=officer,
            proposal=fridge,
            body=nhs,
            note="Fewer diet-related GP appointments expected",
            value_pence=1500_00,
        )
        # A community group runs it with the grant (published as 360Giving data).
        recipient_set(
            actor=officer,
            proposal=fridge,
            data={
                "name": "Canal Side Community Pantry",
                "charity_number": "1190000",
                "company_number": "",
                "award_date": timezone.localdate() - dt.timedelta(days=190),
            },
        )
