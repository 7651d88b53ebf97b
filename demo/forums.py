"""Demo forums: one per neighbourhood, ~20 proposals across states and categories, ideas
and threaded debate. Idempotent."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civic.models import Category, Place, PlaceKind, User
from demo.civic import AREAS, demo_point
from demo.forums_text import DEBATE, PROPOSALS, THREADS
from forums.gallery import attach
from forums.models import (
    Comment,
    Forum,
    Idea,
    IdeaStatus,
    Proposal,
    ProposalStatus,
    ProposalTransition,
    Topic,
)
from forums.sanitise import clean_html

S = ProposalStatus


def located(slug: str, rng: random.Random) -> dict:
    """A spot inside the place, if the demo map has it."""
    if slug not in AREAS:
        return {}
    latitude, longitude = demo_point(slug, rng)
    return {"latitude": latitude, "longitude": longitude}


def illustrate(target, actor, rng: random.Random) -> None:
    """A generated picture (the category's colour, soft shapes), through the same path
    as an uploaded one: a Wagtail image in the "Ideas and proposals" collection."""
    from PIL import Image, ImageDraw, ImageFilter

    colour = target.category.colour or "#1f6b4a"
    base = tuple(int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    image = Image.new("RGB", (960, 540), base)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y, r = rng.randint(0, 960), rng.randint(0, 540), rng.randint(30, 160)
        tint = tuple(min(255, c + rng.randint(40, 110)) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tint)
    image = image.filter(ImageFilter.GaussianBlur(18))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    upload = InMemoryUploadedFile(
        out, "image", f"demo-{target.pk}.jpg", "image/jpeg", out.tell(), None
    )
    attach(
        actor=actor,
        target=target,
        media={
            "picture": (
                upload,
                f"Illustration for “{target.title}”, in the colours of "
                f"{target.category.name}",
            )
        },
    )


def debate(forum, users, now) -> None:
    """A short threaded debate on each of the forum's first public proposals."""
    for proposal in forum.proposals.filter(status__in=(S.SHORTLISTED, S.PUBLISHED))[
        1:5
    ]:
        parent = None
        for depth, (email, body) in enumerate(THREADS[:3]):
            parent = Comment.objects.create(
                forum=forum,
                proposal=proposal,
                parent=parent,
                depth=depth,
                author=users.get(email),
                body=clean_html(body),
                created_at=now - dt.timedelta(hours=30 - depth * 4),
            )
        email, body = THREADS[3]
        Comment.objects.create(
            forum=forum,
            proposal=proposal,
            author=users.get(email),
            body=clean_html(body),
            created_at=now - dt.timedelta(hours=6),
        )


@transaction.atomic
def seed() -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.org")}
    organiser = users.get("organiser@example.org")
    categories = {c.slug: c for c in Category.objects.all()}
    rng = random.Random(19)
    for place in Place.objects.filter(
        Q(kind=PlaceKind.NEIGHBOURHOOD) | Q(slug__in=list(PROPOSALS))
    ):
        forum, _ = Forum.objects.get_or_create(
            place=place,
            defaults={
                "name": f"{place.name} forum",
                "slug": place.slug,
                "intro": f"Decide together how {place.name}'s "
                f"{'neighbourhood ' if place.kind == PlaceKind.NEIGHBOURHOOD else ''}"
                "budget is spent.",
            },
        )
        if forum.proposals.exists():
            continue
        now = timezone.now()
        for i, (title, cat, pounds, status, summary) in enumerate(
            PROPOSALS.get(place.slug, [])
        ):
            author = users.get("resident@example.org") if i % 3 == 0 else organiser
            proposal = Proposal.objects.create(
                forum=forum,
                author=author,
                title=title,
                summary=summary,
                description=clean_html(
                    summary
                    + "\n\nCosted by the council's neighbourhood team, including installation and two years' maintenance."
                ),
                category=categories[cat],
                cost_pence=pounds * 100,
                feasibility_note="Checked with the relevant council service; no planning permission needed."
                if status not in (S.SUBMITTED, S.REJECTED)
                else "",
                status=status,
                location_text=place.name,
                created_at=now - dt.timedelta(days=40 - i),
                published_at=now - dt.timedelta(days=30 - i)
                if status in (S.PUBLISHED, S.SHORTLISTED)
                else None,
                status_reason="The high street bins are replaced by the council's own contract next spring."
                if status == S.REJECTED
                else "",
                **located(place.slug, rng),
            )
            if status != S.REJECTED:
                illustrate(proposal, organiser, rng)
            path = {
                S.SUBMITTED: [S.DRAFT, S.SUBMITTED],
                S.UNDER_REVIEW: [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW],
                S.PUBLISHED: [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.PUBLISHED],
                S.SHORTLISTED: [
                    S.DRAFT,
                    S.SUBMITTED,
                    S.UNDER_REVIEW,
                    S.PUBLISHED,
                    S.SHORTLISTED,
                ],
                S.REJECTED: [S.DRAFT, S.SUBMITTED, S.REJECTED],
            }[status]
            previous = ""
            for step, target in enumerate(path):
                ProposalTransition.objects.create(
                    proposal=proposal,
                    from_status=previous,
                    to_status=target,
                    actor=organiser,
                    reason=proposal.status_reason if target == S.REJECTED else "",
                    created_at=now - dt.timedelta(days=40 - i - step * 2),
                )
                previous = target
        debate(forum, users, now)
        first = forum.proposals.order_by("created_at").first()
        if first and place.slug == "old-mill":
            parent = None
            for depth, (email, body) in enumerate(DEBATE):
                parent = Comment.objects.create(
                    forum=forum,
                    proposal=first,
                    parent=parent if depth else None,
                    depth=depth,
                    author=users.get(email),
                    body=clean_html(body),
                    created_at=now - dt.timedelta(hours=48 - depth * 5),
                )
            Comment.objects.create(
                forum=forum,
                proposal=first,
                author=users.get("westmere@example.org"),
                body=clean_html("Could the crossing also have a cycle lane marked?"),
                created_at=now - dt.timedelta(hours=3),
            )
            for other in forum.proposals.filter(status=S.SHORTLISTED)[1:4]:
                Comment.objects.create(
                    forum=forum,
                    proposal=other,
                    author=users.get("neighbour@example.org"),
                    body=clean_html(
                        f"I would use this. {other.summary.split('.')[0]} is overdue."
                    ),
                )
            Topic.objects.create(
                forum=forum,
                author=users.get("resident@example.org"),
                title="What should we prioritise this year?",
                body=clean_html(
                    "We have £55,000. Safety first, or green spaces? Let's talk it through."
                ),
            )
            resident = users.get("resident@example.org")
            Idea.objects.create(
                forum=forum,
                author=resident,
                title="Planters on the bridge",
                summary="Flower planters along Mill Bridge, looked after by the residents' group.",
                description="The bridge is grey and windy. Planters would cheer it up.",
                category=categories["environment"],
                rough_cost_pence=1500_00,
            )
            Idea.objects.create(
                forum=forum,
                author=users.get("neighbour@example.org"),
                title="A second defibrillator",
                summary="Another defibrillator by the bus stop.",
                description="Duplicates the corner shop idea but at the other end of the street.",
                category=categories["health-care"],
                status=IdeaStatus.CHANGES_REQUESTED,
                review_note="Could you say where exactly? The corner shop one covers most of Mill Street.",
                reviewed_by=organiser,
            )
