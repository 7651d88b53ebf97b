"""The supports phase: residents build a vote's shortlist.

Where a place's framework rules use it (`supports_phase`), a cycle passes through
"Supporting proposals" between reviewing ideas and the shortlist
(ballots/lifecycle.py). While it lasts, a verified resident who could vote in a budget
supports its published proposals with one click, up to `supports_per_resident` in the
cycle, and may withdraw a support until the phase ends. The database holds one support
per resident per proposal; the limit is checked with the resident's row locked, so two
clicks at once never pass it.

As the cycle leaves the phase, `build_shortlist` decides each budget's published
proposals by the rules' `shortlist_method`: the `shortlist_size` most supported (ties
at the cut all go through), every proposal with `shortlist_threshold` supports or more,
or the organisers (the supports are advice). Feasibility still decides: only proposals
an organiser published after the feasibility and costing review can be supported or
shortlisted. Each proposal's timeline says why it went through or not.

Counts are public (and sent to the forum page live, with the live results); who
supported what is seen only by the supporter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ballots import events
from ballots.models import Cycle, Phase, Section, Support
from ballots.services.casting import (
    allowed_sections,
    eligibility_problems,
    voter_home,
)
from ballots.validation import VotingError
from civic.audit import audit_record
from civic.models import ShortlistMethod
from forums.models import Forum, Proposal, ProposalStatus, ProposalTransition
from forums.services import proposal_transition


class SupportError(VotingError):
    """A support refused, with the reason in words."""


def open_for(forum: Forum) -> Cycle | None:
    """The cycle collecting supports for this forum's proposals: one in its supports
    phase with a budget for the forum's place."""
    return (
        Cycle.objects.filter(
            phase=Phase.SUPPORTS, archived=False, sections__place=forum.place_id
        )
        .select_related("place")
        .order_by("-created_at")
        .first()
    )


def _section_of(cycle: Cycle, proposal: Proposal) -> Section | None:
    return (
        cycle.sections.filter(place=proposal.forum.place_id)
        .select_related("place")
        .first()
    )


def problems(user, cycle: Cycle, proposal: Proposal) -> list[str]:
    """Why `user` may not support `proposal` in `cycle` now (empty: they may)."""
    if cycle.phase != Phase.SUPPORTS:
        return [_("Supports for this vote are not open.")]
    if proposal.status != ProposalStatus.PUBLISHED or proposal.hidden:
        return [_("Only published proposals can be supported.")]
    section = _section_of(cycle, proposal)
    if section is None:
        return [_("This proposal is not in a budget of this vote.")]
    found = eligibility_problems(user, cycle, supporting=True)
    if found:
        return found
    allowed, _most = allowed_sections(cycle, voter_home(user, cycle))
    if section.pk not in allowed:
        return [
            _("Residents of %(p)s support its proposals; this one is for %(s)s.")
            % {"p": voter_home(user, cycle).name, "s": section.place.name}
        ]
    return []


@transaction.atomic
def support(*, user, cycle: Cycle, proposal: Proposal) -> int:
    """Record `user`'s support; returns how many supports they have left."""
    cycle = Cycle.objects.get(pk=cycle.pk)
    found = problems(user, cycle, proposal)
    if found:
        raise SupportError(" ".join(found))
    # The resident's row, locked: their next support waits for this one, so the
    # limit holds however many arrive at once.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    limit = cycle.rules["supports_per_resident"]
    used = Support.objects.filter(cycle=cycle, user=user)
    if used.filter(proposal=proposal).exists():
        raise SupportError(_("You already support this proposal."))
    if used.count() >= limit:
        raise SupportError(
            ngettext(
                "You have used your %(n)s support: withdraw it to support another "
                "proposal.",
                "You have used all %(n)s of your supports: withdraw one to support "
                "another proposal.",
                limit,
            )
            % {"n": limit}
        )
    try:
        with transaction.atomic():
            Support.objects.create(cycle=cycle, proposal=proposal, user=user)
    except IntegrityError:  # the same click twice, at once: one is kept
        raise SupportError(_("You already support this proposal.")) from None
    events.announce(events.supports_changed, cycle_id=cycle.pk)
    return limit - used.count()


@transaction.atomic
def withdraw(*, user, cycle: Cycle, proposal: Proposal) -> None:
    """Take back `user`'s support while supports are open."""
    if Cycle.objects.filter(pk=cycle.pk).values_list("phase", flat=True).get() != (
        Phase.SUPPORTS
    ):
        raise SupportError(_("Supports have closed: they can no longer be withdrawn."))
    deleted, _kinds = Support.objects.filter(
        cycle=cycle, proposal=proposal, user=user
    ).delete()
    if not deleted:
        raise SupportError(_("You do not support this proposal."))
    events.announce(events.supports_changed, cycle_id=cycle.pk)


def counts(cycle: Cycle) -> dict[int, int]:
    """Supports per proposal in `cycle` (proposals with none are left out)."""
    return dict(
        Support.objects.filter(cycle=cycle)
        .values_list("proposal")
        .annotate(n=Count("id"))
        .values_list("proposal", "n")
    )


def mine(user, cycle: Cycle) -> set[int]:
    """The proposals `user` supports in `cycle`."""
    if not user.is_authenticated:
        return set()
    return set(
        Support.objects.filter(cycle=cycle, user=user).values_list(
            "proposal", flat=True
        )
    )


@dataclass
class Placed:
    """One proposal's place in its budget's supports, and what the shortlist did."""

    proposal: Proposal
    supports: int
    rank: int
    shortlisted: bool | None  # None: left to the organisers
    reason: str


def _candidates(section: Section):
    forum = Forum.objects.filter(place=section.place_id).first()
    if forum is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(
        forum=forum, status=ProposalStatus.PUBLISHED, hidden=False
    ).select_related("forum__place")


def outcome(cycle: Cycle, section: Section) -> list[Placed]:
    """What the rules make of a budget's supports, most supported first (ties in
    the order the proposals were published): the shortlist before it is built."""
    rules = cycle.rules
    method = rules["shortlist_method"]
    tally = counts(cycle)
    ranked = sorted(
        _candidates(section),
        key=lambda p: (-tally.get(p.pk, 0), p.published_at or p.created_at, p.pk),
    )
    out = []
    cut = None
    if method == ShortlistMethod.TOP and len(ranked) > rules["shortlist_size"]:
        cut = tally.get(ranked[rules["shortlist_size"] - 1].pk, 0)  # the last one in
    for i, proposal in enumerate(ranked, start=1):
        n = tally.get(proposal.pk, 0)
        words = ngettext("%(n)s support", "%(n)s supports", n) % {"n": n}
        place = section.place.name
        if method == ShortlistMethod.TOP:
            size = rules["shortlist_size"]
            through = cut is None or n >= cut
            if through:
                reason = _(
                    "Shortlisted from supports: %(w)s, %(r)s of %(t)s in %(p)s (the "
                    "%(k)s most supported go through)."
                )
            else:
                reason = _(
                    "Not shortlisted: %(w)s, %(r)s of %(t)s in %(p)s; the %(k)s most "
                    "supported went through (the last with %(c)s)."
                )
            reason = reason % {
                "w": words,
                "r": i,
                "t": len(ranked),
                "p": place,
                "k": size,
                "c": cut,
            }
        elif method == ShortlistMethod.THRESHOLD:
            need = rules["shortlist_threshold"]
            through = n >= need
            reason = (
                _("Shortlisted from supports: %(w)s, at least the %(k)s needed.")
                if through
                else _("Not shortlisted: %(w)s, fewer than the %(k)s needed.")
            ) % {"w": words, "k": need}
        else:
            through = None
            reason = _(
                "Supports closed with %(w)s (%(r)s of %(t)s in %(p)s); the organisers "
                "draw up the shortlist."
            ) % {"w": words, "r": i, "t": len(ranked), "p": place}
        out.append(Placed(proposal, n, i, through, reason))
    return out


def build_shortlist(*, actor, cycle: Cycle) -> dict[str, int]:
    """As the cycle leaves its supports phase (inside that phase change's
    transaction): shortlist each budget's proposals by the rules, and write on every
    proposal's timeline why it went through or not. Returns the numbers shortlisted
    and not."""
    done = {"shortlisted": 0, "not_shortlisted": 0, "organisers": 0}
    for section in cycle.sections.select_related("place"):
        for placed in outcome(cycle, section):
            if placed.shortlisted:
                proposal_transition(
                    actor=None,
                    proposal=placed.proposal,
                    to=ProposalStatus.SHORTLISTED,
                    reason=placed.reason,
                )
                done["shortlisted"] += 1
                continue
            # Not through (or left to the organisers): the reason on the timeline,
            # the status unchanged.
            ProposalTransition.objects.create(
                proposal=placed.proposal,
                from_status=ProposalStatus.PUBLISHED,
                to_status=ProposalStatus.PUBLISHED,
                reason=placed.reason,
            )
            done["organisers" if placed.shortlisted is None else "not_shortlisted"] += 1
    audit_record(
        actor=actor,
        action="cycle.shortlist",
        target=cycle,
        place=cycle.place,
        summary=_("%(c)s: shortlist built from supports (%(s)s shortlisted, %(n)s not)")
        % {"c": cycle.name, "s": done["shortlisted"], "n": done["not_shortlisted"]},
        data=done,
    )
    return done
