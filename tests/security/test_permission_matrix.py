"""Every URL of the site, for every role, gets exactly the access the permission module
grants. The table below names, for each URL, the permission(s) its view asks for and
the object it asks about; the test computes the expected outcome from the permission
module itself (`user.has_perm`) and checks the response: allowed → served (200, or a
redirect that is not to sign-in), refused → sign-in for anonymous, 403 for everyone
else. A URL missing from the table fails the test: no view without a permission
decision."""

from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accountability.models import Decision
from accountability.services import decision_save
from ballots import voting_codes
from ballots.models import Cycle
from civic.models import Place, Role, User
from forums.models import Comment, Forum, Idea, Proposal, Topic
from forums.services import codes_generate, report_create

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unverified",
    "outsider",
    "resident",
    "organiser",
    "councillor",
    "officer",
]
EMAILS = {
    "outsider": "westmere@example.org",
    "resident": "resident@example.org",
    "organiser": "organiser@example.org",
    "councillor": "councillor@example.org",
    "officer": "officer@example.org",
}


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
                if p.namespace in ("civic", "forums", "ballots", "accountability"):
                    walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and p.name and ns:
                names.append(f"{ns}:{p.name}")

    walk(get_resolver().url_patterns)
    return names + ["search"]


@pytest.fixture
def world(demo_site):
    users = {role: User.objects.get(email=email) for role, email in EMAILS.items()}
    users["unverified"] = User.objects.create_user(
        email="unverified@example.org", password="x-pass-12345"
    )
    EmailAddress.objects.create(
        user=users["unverified"],
        email="unverified@example.org",
        verified=False,
        primary=True,
    )
    old_mill = Place.objects.get(slug="old-mill")
    forum = Forum.objects.get(slug="old-mill")
    proposal = (
        Proposal.objects.filter(forum=forum, status="published").order_by("pk").first()
    )
    funded = Proposal.objects.filter(
        forum__slug="canal-side", status__in=["in_delivery", "funded"]
    ).first()
    comment = Comment.objects.filter(forum=forum, author=users["resident"]).first()
    idea = Idea.objects.filter(forum=forum, author=users["resident"]).first()
    topic = Topic.objects.filter(forum=forum).first()
    batch = codes_generate(
        actor=users["organiser"], forum=forum, count=2, days_valid=10
    )
    report = report_create(user=users["outsider"], target=comment, reason="rude")
    published = Decision.objects.filter(published_at__isnull=False).first()
    draft = decision_save(
        actor=users["councillor"],
        place=Place.objects.get(slug="eastbrook"),
        data={
            "kind": "defer",
            "title": "Defer",
            "text": "t",
            "reasons": "r",
            "conflicts": "",
            "decided_on": published.decided_on,
            "cycle": None,
        },
        votes=[(users["councillor"], "for", "")],
    )
    voting, counted = (
        Cycle.objects.get(slug="old-mill-2026"),
        Cycle.objects.get(slug="canal-side-2025"),
    )
    role = Role.objects.filter(place=old_mill, kind="resident").first()
    code_batch = voting_codes.codes_generate(
        actor=users["officer"], cycle=voting, place=old_mill, count=2
    )
    return {k: v for k, v in locals().items() if k != "settings"}


def table(w) -> dict[str, Spec]:
    place, forum, p = w["old_mill"], w["forum"], w["proposal"]
    f = {"slug": forum.slug}
    return {
        "civic:home": Spec({}, [("civic.view_place", None)]),
        "civic:find_place": Spec({}, [("civic.view_place", None)]),
        "civic:place": Spec({"slug": place.slug}, [("civic.view_place", place)]),
        "civic:rules_edit": Spec({"slug": place.slug}, [("civic.change_rules", place)]),
        "civic:boundaries": Spec(
            {"slug": place.slug}, [("civic.change_boundaries", place)]
        ),
        "civic:place_roles": Spec(
            {"slug": place.slug}, [("civic.manage_roles", place)]
        ),
        "civic:role_revoke": Spec(
            {"slug": place.slug, "pk": w["role"].pk},
            [("civic.manage_roles", place)],
            "post",
        ),
        "civic:audit_log": Spec({"slug": place.slug}, [("civic.view_audit", place)]),
        "civic:profile": Spec({}, [("civic.edit_profile", None)]),
        "civic:my_data": Spec({}, [("civic.edit_profile", None)]),
        "civic:delete_account": Spec({}, [("civic.edit_profile", None)]),
        "accountability:decisions": Spec(
            {"slug": place.slug}, [("civic.view_place", place)]
        ),
        "accountability:decision_new": Spec(
            {"slug": place.slug}, [("civic.record_decision", place)]
        ),
        "accountability:decision_edit": Spec(
            {"slug": w["draft"].place.slug, "pk": w["draft"].pk},
            [("civic.record_decision", w["draft"].place)],
        ),
        "accountability:report": Spec(
            {"slug": place.slug}, [("civic.view_report", place)]
        ),
        "accountability:decision": Spec(
            {"pk": w["published"].pk}, [("civic.view_decision", w["published"])]
        ),
        "accountability:decision_print": Spec(
            {"pk": w["published"].pk}, [("civic.view_decision", w["published"])]
        ),
        "accountability:decision_publish": Spec(
            {"pk": w["draft"].pk},
            [
                ("civic.view_decision", w["draft"]),
                ("civic.record_decision", w["draft"].place),
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
        "forums:members": Spec(f, [("forums.manage_members", forum)]),
        "forums:codes": Spec(f, [("forums.manage_codes", forum)]),
        "forums:codes_download": Spec(
            {**f, "pk": w["batch"].pk, "fmt": "csv"}, [("forums.manage_codes", forum)]
        ),
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
            {"slug": "canal-side", "pk": w["funded"].pk},
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
        "forums:moderation": Spec(f, [("forums.view_moderation_queue", forum)]),
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
            {"phase": "counting"},
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
        "ballots:paper": Spec(
            {"slug": w["voting"].slug}, [("ballots.enter_paper", w["voting"])]
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
            {"code": w["code_batch"].codes.first().code},
        ),
        "ballots:batch_revoke": Spec(
            {"slug": w["voting"].slug, "pk": w["code_batch"].pk},
            [("ballots.manage_codes", w["voting"])],
            "post",
        ),
        "ballots:codes_download": Spec(
            {"slug": w["voting"].slug, "pk": w["code_batch"].pk, "fmt": "csv"},
            [("ballots.manage_codes", w["voting"])],
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


@pytest.mark.parametrize("role", ROLES)
def test_wagtail_admin_is_for_staff_roles_only(world, client, role):
    user = world["users"].get(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    staff = role in ("organiser", "councillor", "officer")
    assert (response.status_code == 200) is staff, (role, response.status_code)


def test_ids_from_another_place_never_reach_its_private_actions(world, client):
    """A Canal Side organiser (or a Millbrook one reaching for Riverside) changing ids."""
    organiser = world["users"]["organiser"]  # organiser for Millbrook Ward only
    client.force_login(organiser)
    elsewhere = Forum.objects.get(slug="riverside-north")
    assert (
        client.get(reverse("forums:members", args=[elsewhere.slug])).status_code == 403
    )
    assert (
        client.get(
            reverse(
                "forums:codes_download", args=[elsewhere.slug, world["batch"].pk, "csv"]
            )
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse(
                "forums:codes_download", args=["old-mill", world["batch"].pk, "csv"]
            )
        ).status_code
        == 200
    )
    other_proposal = Proposal.objects.filter(forum=elsewhere).first()
    assert (
        client.get(
            reverse("forums:proposal_edit", args=["old-mill", other_proposal.pk])
        ).status_code
        == 404
    )


def admin_urls():
    """Every Wagtail admin URL that takes no arguments (lists, dashboards, forms)."""
    from django.urls import get_resolver

    admin = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == "admin/"
    )
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if "<" in route or "(?P" in route or "\\" in route:
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            else:
                found.append("/" + route.replace("^", "").replace("$", ""))

    walk(admin.url_patterns, "admin/")
    return sorted(set(found))


# Open to everyone by Wagtail's design: signing in, password reset, translations, icons.
ADMIN_PUBLIC = (
    "/admin/login/",
    "/admin/password_reset/",
    "/admin/jsi18n/",
    "/admin/sprite/",
)


def test_every_wagtail_admin_url_is_closed_to_non_staff_and_never_errors(world, client):
    urls = admin_urls()
    assert len(urls) > 30
    staff = world["users"]["organiser"]
    failures = []
    for role in ("anonymous", "unverified", "resident", "outsider", "organiser"):
        user = world["users"].get(role)
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            # failwhale/ is Wagtail's deliberate error page for testing error reporting.
            if url.endswith(("logout/", "logout", "failwhale/")):
                continue
            sid = transaction.savepoint()
            response = client.get(url)
            transaction.savepoint_rollback(sid)
            if url.startswith(ADMIN_PUBLIC):
                bad = response.status_code >= 500
            elif user is staff:
                bad = response.status_code >= 500
            else:
                bad = response.status_code == 200 or response.status_code >= 500
                if response.status_code == 302:
                    bad = (
                        "/admin/login/" not in response["Location"]
                        and "/accounts/login/" not in response["Location"]
                    )
            if bad:
                failures.append((role, url, response.status_code))
    assert not failures, failures[:20]


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/"]
)
def test_public_account_and_home_pages(world, client, url):
    assert client.get(url).status_code == 200
