"""“Can I vote?”: from a postcode (and, for someone signed in, their account), whether
and where and from when a person can vote in a cycle, and what to do if not. Usable
before voting opens. It says nothing about whether anyone has voted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from ballots.models import BEFORE_VOTING, Cycle, Phase
from ballots.services.casting import (
    allowed_sections,
    eligibility_problems,
    voter_home,
)
from civic.models import POSTCODE_RE, Place, VerificationMethod, normalise_postcode
from civic.selectors import place_by_postcode


@dataclass
class Answer:
    postcode: str
    place: Place | None = None  # where the postcode is
    yes: bool = False
    headline: str = ""
    budgets: list[str] = field(default_factory=list)
    ways: list[str] = field(default_factory=list)  # how to vote, if yes
    next_steps: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    account: list[str] = field(default_factory=list)  # for someone signed in


def postcode_problem(postcode: str) -> str:
    """Why `postcode` cannot be looked up ('' when it can)."""
    if not postcode.strip():
        return _("Enter your postcode, for example NB1 2AB.")
    if not POSTCODE_RE.match(normalise_postcode(postcode)):
        return _(
            "“%(p)s” is not a UK postcode: enter it as on a letter, e.g. NB1 2AB."
        ) % {"p": postcode.strip()[:12]}
    return ""


def answer(cycle: Cycle, postcode: str, user) -> Answer:
    """The answer for someone living at `postcode` (a valid one: `postcode_problem`)."""
    postcode = normalise_postcode(postcode)
    out = Answer(postcode=postcode, place=place_by_postcode(postcode))
    home = out.place
    closed = cycle.phase not in (*BEFORE_VOTING, Phase.VOTING) or cycle.archived
    if home is None:
        out.headline = _(
            "We could not find %(pc)s in the areas this site covers. Check the "
            "postcode; if it is right, your area does not have a vote here."
        ) % {"pc": postcode}
    elif not home.path.startswith(cycle.place.path):
        out.headline = _("%(pc)s is in %(home)s; this vote is for %(p)s only.") % {
            "pc": postcode,
            "home": home.name,
            "p": cycle.place.name,
        }
        out.next_steps = [
            (
                _("Votes for %(home)s: %(c)s") % {"home": home.name, "c": other.name},
                other.get_absolute_url(),
            )
            for other in votes_for(home)
        ] + [
            (
                _("What is happening in %(home)s") % {"home": home.name},
                home.get_absolute_url(),
            )
        ]
    else:
        allowed, _most = allowed_sections(cycle, home)
        out.budgets = [
            s.place.name
            for s in cycle.sections.select_related("place")
            if s.pk in allowed
        ]
        if not out.budgets:
            out.headline = _(
                "%(pc)s is in %(home)s, which has no budget on this ballot."
            ) % {"pc": postcode, "home": home.name}
        elif closed:
            out.headline = _("Voting in %(c)s has closed.") % {"c": cycle.name}
            out.next_steps = [
                (_("See the results"), reverse("ballots:results", args=[cycle.slug]))
            ]
        else:
            out.yes = True
            out.headline = _("Yes: residents of %(home)s can vote in %(c)s.") % {
                "home": home.name,
                "c": cycle.name,
            }
            out.ways = ways(cycle, home)
    if user.is_authenticated and not closed:
        out.account = account(cycle, user)
    return out


def ways(cycle: Cycle, home: Place) -> list[str]:
    """How a resident of `home` can vote, by the cycle's rules."""
    rules = cycle.rules
    labels = dict(VerificationMethod.choices)
    methods = "; ".join(  # the ways to show it online (not the desk's, in person)
        str(labels[m])
        for m in rules["verification_methods"]
        if m != VerificationMethod.IN_PERSON
    )
    out = (
        [
            _(
                "Online, on this site: create an account, join your neighbourhood "
                "forum and show that you live in %(home)s (%(methods)s)."
            )
            % {"home": home.name, "methods": methods.lower()}
        ]
        if methods
        else []
    )
    if cycle.accepts_voting_codes:
        out.append(
            _(
                "With the voting code posted to your home: enter it on this vote's page "
                "(“Vote with a code from your letter”); no account needed."
            )
            if cycle.phase == Phase.VOTING
            else _(
                "With the voting code posted to your home: enter it on this vote's page "
                "(“Vote with a code from your letter”) once voting opens; no account needed."
            )
        )
    points = list(cycle.polling_points.all())
    if points:
        out.append(
            _(
                "In person, at a polling point: %(points)s (opening times on this "
                "vote's page); staff there check that you live here, and can help."
            )
            % {"points": "; ".join(f"{p.name}, {p.address}" for p in points)}
        )
    if rules["min_age"]:
        out.append(_("You must be %(n)s or over.") % {"n": rules["min_age"]})
    return out


def account(cycle: Cycle, user) -> list[str]:
    """What the signed-in person's own account needs (never whether they voted)."""
    problems = eligibility_problems(user, cycle)
    if problems:
        return problems
    home = voter_home(user, cycle)
    if cycle.phase == Phase.VOTING:
        return [
            _(
                "Your account is eligible to vote in this cycle, as a resident of %(home)s."
            )
            % {"home": home.name}
        ]
    return [
        _("Your account will be eligible when voting opens, as a resident of %(home)s.")
        % {"home": home.name}
    ]


def votes_for(place: Place):
    """The votes not yet over whose ballot holds `place` or a place above it."""
    return (
        Cycle.objects.filter(
            archived=False,
            phase__in=[*BEFORE_VOTING, Phase.VOTING],
            sections__place__path__in=place.ancestor_paths(),
        )
        .distinct()
        .order_by("-created_at")
    )
