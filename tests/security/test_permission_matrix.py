"""Every URL of the site, for every role, gets exactly the access the permission module
grants. The table below names, for each URL, the permission(s) its view asks for and
the object it asks about; the test computes the expected outcome from the permission
module itself (`user.has_perm`) and checks the response: allowed → served (200, or a
redirect that is not to sign-in), refused → sign-in for anonymous, 403 for everyone
else. A URL missing from the table fails the test: no view without a permission
decision."""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civic.models import User
from forums.models import Proposal
from opendata.models import Download
from opendata.tasks import refresh
from tests.admin_answers import refused_by_the_admin
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db


@dataclass
class Spec:
    kwargs: dict
    perms: list = field(default_factory=list)  # [(perm, obj)]
    method: str = "get"
    data: dict = field(default_factory=dict)
    anonymous_status: int = 302


def url_names():
    names = []

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in (
                    "civic",
                    "forums",
                    "ballots",
                    "accountability",
                    "opendata",
                    "api-v1",
                    "desk",
                ):
                    walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and p.name and ns:
                names.append(f"{ns}:{p.name}")

    walk(get_resolver().url_patterns)
    return names + ["search"]


# The open-data API and page are for everyone: each asks only what the public pages do.
API = {
    "openapi-json": {},
    "openapi-view": {},
    "api-root": {},
    "list_places": {},
    "list_bodies": {},
    "list_budgets": {},
    "list_forums": {},
    "list_proposals": {},
    "list_cycles": {},
    "list_decisions": {},
    "list_delivery": {},
}


def table(w) -> dict[str, Spec]:
    place, forum, p = w["old_mill"], w["forum"], w["proposal"]
    f = {"slug": forum.slug}
    refresh(force=True)  # the open-data downloads
    download = Download.objects.get(place="", dataset="proposals", fmt="csv")
    public = [("civic.view_place", None)]
    api = {
        **API,
        "place_detail": {"slug": place.slug},
        "proposal_detail": {"id": p.pk},
        "cycle_results": {"slug": w["counted"].slug},
    }
    return {
        **{f"api-v1:{name}": Spec(kwargs, public) for name, kwargs in api.items()},
        "opendata:index": Spec({}, public),
        "opendata:download": Spec(
            {"path": download.path.removeprefix("open-data/")}, public
        ),
        "civic:home": Spec({}, [("civic.view_place", None)]),
        "civic:find_place": Spec({}, [("civic.view_place", None)]),
        "civic:place": Spec({"slug": place.slug}, [("civic.view_place", place)]),
        "civic:audit_log": Spec({"slug": place.slug}, [("civic.view_audit", place)]),
        "civic:profile": Spec({}, [("civic.edit_profile", None)]),
        "civic:my_data": Spec({}, [("civic.edit_profile", None)]),
        "civic:delete_account": Spec({}, [("civic.edit_profile", None)]),
        "civic:mobile": Spec({}, [("civic.edit_profile", None)], "post"),
        "civic:mobile_confirm": Spec({}, [("civic.edit_profile", None)], "post"),
        "accountability:decisions": Spec(
            {"slug": place.slug}, [("civic.view_place", place)]
        ),
        "accountability:report": Spec(
            {"slug": place.slug}, [("accountability.view_report", place)]
        ),
        "accountability:decision": Spec(
            {"pk": w["published"].pk},
            [("accountability.view_decision", w["published"])],
        ),
        "accountability:decision_print": Spec(
            {"pk": w["published"].pk},
            [("accountability.view_decision", w["published"])],
        ),
        "accountability:decision_publish": Spec(
            {"pk": w["draft"].pk},
            [
                ("accountability.view_decision", w["draft"]),
                ("accountability.record_decision", w["draft"].place),
            ],
            "post",
        ),
        "forums:forum": Spec(f, [("forums.view_forum", forum)]),
        "forums:map": Spec(
            {"place": place.slug},
            [("civic.view_place", place)],
            anonymous_status=200,
        ),
        "forums:join": Spec(f, [("forums.join_forum", forum)]),
        "forums:follow": Spec(f, [("forums.follow_forum", forum)], "post"),
        "forums:ideas": Spec(f, [("forums.view_forum", forum)]),
        "forums:idea_new": Spec(f, [("forums.submit_idea", forum)]),
        "forums:idea": Spec(
            {**f, "pk": w["idea"].pk}, [("forums.view_idea", w["idea"])]
        ),
        "forums:idea_edit": Spec(
            {**f, "pk": w["idea"].pk}, [("forums.edit_idea", w["idea"])]
        ),
        "forums:idea_review": Spec(
            {**f, "pk": w["idea"].pk},
            [("forums.review_ideas", forum)],
            "post",
            {"action": "reject", "note": "n"},
        ),
        "forums:proposal_new": Spec(f, [("forums.create_proposal", forum)]),
        "forums:proposal": Spec({**f, "pk": p.pk}, [("forums.view_proposal", p)]),
        "forums:proposal_pdf": Spec(
            {**f, "pk": p.pk}, [("forums.view_proposal", p)], anonymous_status=200
        ),
        "forums:compare": Spec(f, [("forums.view_forum", forum)], anonymous_status=200),
        "forums:proposal_edit": Spec({**f, "pk": p.pk}, [("forums.edit_proposal", p)]),
        "forums:proposal_transition": Spec(
            {**f, "pk": p.pk},
            [("forums.transition_proposal", p)],
            "post",
            {"to": "shortlisted"},
        ),
        "accountability:delivery": Spec(
            {"slug": w["other_forum"].slug, "pk": w["funded"].pk},
            [("forums.view_proposal", w["funded"])],
        ),
        "forums:topic_new": Spec(f, [("forums.start_topic", forum)]),
        "forums:topic": Spec(
            {**f, "pk": w["topic"].pk}, [("forums.view_forum", forum)]
        ),
        "forums:comment": Spec(
            {**f, "kind": "proposal", "pk": p.pk},
            [("forums.view_proposal", p), ("forums.comment", p)],
            "post",
            {"body": "hi"},
        ),
        "forums:comment_edit": Spec(
            {**f, "pk": w["comment"].pk}, [("forums.edit_comment", w["comment"])]
        ),
        "forums:react": Spec(
            {**f, "pk": w["comment"].pk},
            [("forums.react", forum)],
            "post",
            {"value": "1"},
        ),
        "forums:report": Spec(
            {**f, "kind": "comment", "pk": w["comment"].pk}, [("forums.report", forum)]
        ),
        "forums:moderate": Spec(
            {**f, "kind": "comment", "pk": w["comment"].pk},
            [("forums.moderate", forum)],
            "post",
            {"action": "hide", "reason": "r"},
        ),
        "ballots:cycle": Spec(
            {"slug": w["voting"].slug}, [("ballots.view_cycle", w["voting"])]
        ),
        "ballots:phase": Spec(
            {"slug": w["voting"].slug},
            [("ballots.manage_cycle", w["voting"])],
            "post",
            {"phase": "counting", "confirm": "on"},
        ),
        "ballots:vote": Spec(
            {"slug": w["voting"].slug}, [("ballots.vote", w["voting"])]
        ),
        "ballots:cast_json": Spec(
            {"slug": w["voting"].slug},
            [("ballots.vote", w["voting"])],
            "post",
            anonymous_status=401,
        ),
        # Allowed: a redirect back with the service's message (supports are not open
        # for this vote; tests/ballots/test_supports.py holds who may support what).
        "ballots:support": Spec(
            {"slug": w["voting"].slug, "pk": p.pk},
            [("ballots.support", w["voting"])],
            "post",
            {"action": "support"},
        ),
        "ballots:can_vote": Spec(
            {"slug": w["voting"].slug}, [("ballots.view_cycle", w["voting"])]
        ),
        # A polling point's desk: its poll officers on shift (none here) and the
        # officers of its place; granting shifts: those officers alone.
        "desk:desk": Spec(
            {"pk": w["point"].pk}, [("ballots.run_polling_point", w["point"])]
        ),
        "desk:shifts": Spec(
            {"pk": w["point"].pk}, [("ballots.manage_cycle", w["point"])]
        ),
        "desk:hand_over": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug},
            [("ballots.run_polling_point", w["point"])],
            "post",
            {"voter": w["users"]["resident"].pk},
        ),
        "desk:kiosk": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug, "ticket": "not-a-ticket"},
            [("ballots.run_polling_point", w["point"])],
        ),
        "desk:give_up": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug, "ticket": "not-a-ticket"},
            [("ballots.run_polling_point", w["point"])],
            "post",
        ),
        "desk:paper": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug},
            [("ballots.run_polling_point", w["point"])],
        ),
        "desk:register": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug},
            [("ballots.run_polling_point", w["point"])],
            "post",
            {"name": "N", "email": "n@example.org"},
        ),
        "desk:spoilt": Spec(
            {"pk": w["point"].pk, "slug": w["voting"].slug},
            [("ballots.run_polling_point", w["point"])],
            "post",
            {"number": "1"},
        ),
        "ballots:receipt": Spec(
            {"slug": w["voting"].slug}, [("ballots.check_receipt", w["voting"])]
        ),
        "ballots:results": Spec(
            {"slug": w["voting"].slug}, [("ballots.view_cycle", w["voting"])]
        ),
        "ballots:statistics": Spec(
            {"slug": w["voting"].slug}, [("ballots.view_cycle", w["voting"])]
        ),
        "ballots:count": Spec(
            {"slug": w["voting"].slug}, [("ballots.manage_cycle", w["voting"])], "post"
        ),
        "ballots:reopen": Spec(
            {"slug": w["voting"].slug}, [("ballots.manage_cycle", w["voting"])], "post"
        ),
        "ballots:fence_waiver": Spec(
            {"slug": w["voting"].slug}, [("ballots.manage_cycle", w["voting"])], "post"
        ),
        "ballots:export": Spec(
            {
                "slug": w["counted"].slug,
                "section_id": w["counted"].sections.get().pk,
                "fmt": "pb",
            },
            [("ballots.export", w["counted"])],
        ),
        "ballots:recount": Spec(
            {"slug": w["counted"].slug}, [("ballots.recount", w["counted"])]
        ),
        "ballots:code": Spec(
            {"slug": w["voting"].slug},
            [("ballots.vote_with_code", w["voting"])],
            anonymous_status=200,
        ),
        "ballots:code_ballot": Spec(
            {"slug": w["voting"].slug},
            [("ballots.vote_with_code", w["voting"])],
            anonymous_status=302,
        ),
        "ballots:codes": Spec(
            {"slug": w["voting"].slug}, [("ballots.manage_codes", w["voting"])]
        ),
        "ballots:code_revoke": Spec(
            {"slug": w["voting"].slug},
            [("ballots.manage_codes", w["voting"])],
            "post",
            {"code": w["code_batch"].codes.first().plain},
        ),
        "ballots:batch_revoke": Spec(
            {"slug": w["voting"].slug, "pk": w["code_batch"].pk},
            [("ballots.manage_codes", w["voting"])],
            "post",
        ),
        "ballots:code_letters": Spec(
            {"slug": w["voting"].slug, "pk": w["code_batch"].pk},
            [("ballots.manage_codes", w["voting"])],
        ),
        "ballots:codes_download": Spec(
            {"slug": w["voting"].slug, "pk": w["code_batch"].pk, "fmt": "csv"},
            [("ballots.manage_codes", w["voting"])],
            "post",
        ),
        "search": Spec({}, [("civic.view_place", None)]),
    }


def test_every_url_has_a_permission_decision_and_every_role_gets_exactly_it(
    world, client
):
    specs = table(world)
    assert sorted(specs) == sorted(url_names()), (
        "a URL is missing from the permission table"
    )
    users = {role: world["users"].get(role) for role in ROLES}
    failures = []
    for name, spec in specs.items():
        for role in ROLES:
            user = users[role] or AnonymousUser()
            if user.is_authenticated:
                user = User.objects.get(
                    pk=user.pk
                )  # no cached role look-ups between requests
            allowed = all(user.has_perm(perm, obj) for perm, obj in spec.perms)
            sid = transaction.savepoint()
            client.logout()
            if user.is_authenticated:
                client.force_login(user)
            response = getattr(client, spec.method)(
                reverse(name, kwargs=spec.kwargs), spec.data
            )
            transaction.savepoint_rollback(sid)
            to_login = (
                response.status_code == 302
                and "/accounts/login/" in response.get("Location", "")
            )
            if allowed:
                ok = response.status_code not in (401, 403, 404, 500) and not to_login
            elif not user.is_authenticated:
                ok = (
                    to_login
                    if spec.anonymous_status == 302
                    else response.status_code == spec.anonymous_status
                )
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(
                    (
                        name,
                        role,
                        "allowed" if allowed else "refused",
                        response.status_code,
                    )
                )
    assert not failures, failures


def test_ids_from_another_place_never_reach_its_private_actions(world, client):
    """An organiser of one forum changing ids to reach another's."""
    organiser = world["users"]["organiser"]  # organiser for Lane End only
    client.force_login(organiser)
    elsewhere, own = world["other_forum"], world["forum"].slug
    refused_by_the_admin(client.get(reverse("work:members", args=[elsewhere.slug])))
    refused_by_the_admin(
        client.post(
            reverse(
                "work:codes_download", args=[elsewhere.slug, world["batch"].pk, "csv"]
            )
        )
    )
    assert (
        client.post(
            reverse("work:codes_download", args=[own, world["batch"].pk, "csv"])
        ).status_code
        == 200
    )
    other_proposal = Proposal.objects.filter(forum=elsewhere).first()
    assert (
        client.get(
            reverse("forums:proposal_edit", args=[own, other_proposal.pk])
        ).status_code
        == 404
    )
