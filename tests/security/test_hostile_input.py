"""Over 500 hostile payloads (XSS, HTML, SQL, Unicode; tests/data/payloads.txt) through
every text field residents, organisers and councillors can write, then every page that
shows them is checked for anything that could run script. Property-based tests do the
same for arbitrary text. Nothing crashes, nothing is stored half-way, nothing runs."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.tally import pabulib
from civic.models import User
from forums.models import Comment, Idea
from forums.sanitise import clean_html

from .htmlcheck import unsafe_html

DATA = Path(__file__).resolve().parents[1] / "data" / "payloads.txt"


def load_payloads() -> list[str]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        out.append(line.replace("\\n", "\n").replace("\\\\", "\\"))
    return out


PAYLOADS = load_payloads()


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 500


@pytest.fixture
def writers(world):
    """Who writes (each role's user), the forum and the published proposal."""
    return {**world["users"], "forum": world["forum"], "proposal": world["proposal"]}


def assert_safe(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    problems = unsafe_html(response.content.decode())
    assert not problems, (url, problems[:5])


def test_payloads_through_every_text_field_never_run(writers, client):
    forum, proposal = writers["forum"], writers["proposal"]
    slug = forum.slug
    category = proposal.category
    client.force_login(writers["resident"])
    for i, payload in enumerate(PAYLOADS):
        cache.clear()  # rate limits are tested elsewhere
        client.post(
            reverse("forums:comment", args=[slug, "proposal", proposal.pk]),
            {"body": payload},
        )
        fields = {
            "title": f"Idea {i}",
            "summary": "s",
            "description": "d",
            "location_text": "",
            "category": category.pk,
        }
        fields[["title", "summary", "description", "location_text"][i % 4]] = payload[
            :140
        ]
        client.post(reverse("forums:idea_new", args=[slug]), fields)
        if i % 10 == 0:
            client.post(
                reverse("civic:profile"),
                {
                    "display_name": payload[:80],
                    "postcode": "NB1 2AB",
                    "year_of_birth": "1984",
                },
            )
            client.post(
                reverse("forums:topic_new", args=[slug]),
                {"title": payload[:140], "body": payload},
            )
    assert (
        Comment.objects.filter(proposal=proposal).count() > 400
    )  # stored (NUL bytes refused)
    assert Idea.objects.filter(forum=forum).count() > 400
    comment = Comment.objects.filter(proposal=proposal).last()
    client.force_login(writers["outsider"])
    for payload in PAYLOADS[:60]:
        client.post(
            reverse("forums:report", args=[slug, "comment", comment.pk]),
            {"reason": payload[:500]},
        )
    client.force_login(writers["organiser"])
    for payload, c in zip(
        PAYLOADS[:60], Comment.objects.filter(proposal=proposal)[:60], strict=False
    ):
        client.post(
            reverse("forums:moderate", args=[slug, "comment", c.pk]),
            {"action": "hide", "reason": payload[:300]},
        )
    client.post(
        reverse("forums:join", args=[slug]),
        {"method": "approval", "message": PAYLOADS[3]},
    )
    client.force_login(writers["councillor"])
    client.post(
        reverse("work:decision_new", args=[slug]),
        {
            "kind": "other",
            "title": PAYLOADS[0][:200],
            "text": PAYLOADS[5],
            "reasons": PAYLOADS[10],
            "conflicts": PAYLOADS[12],
            "decided_on": "2026-11-01",
            f"vote_{writers['councillor'].pk}": "for",
        },
    )
    # Every page that shows what was written.
    client.force_login(writers["organiser"])
    pages = [
        proposal.get_absolute_url(),
        reverse("forums:forum", args=[slug]),
        reverse("forums:ideas", args=[slug]),
        reverse("queue_report:index"),
        reverse("work:members", args=[slug]),
        reverse("accountability:decisions", args=[slug]),
        reverse("search") + "?q=script",
        "/",
    ]
    pages += [
        i.get_absolute_url()
        for i in Idea.objects.filter(forum=forum).order_by("-pk")[:40]
    ]
    pages += [t.get_absolute_url() for t in forum.topics.all()[:20]]
    for url in pages:
        assert_safe(client, url)
    client.force_login(writers["councillor"])
    assert_safe(client, reverse("civic:audit_log", args=[forum.place.slug]))
    from accountability.models import Decision

    for decision_url in [d.get_absolute_url() for d in Decision.objects.all()]:
        assert_safe(client, decision_url)
    client.force_login(writers["resident"])
    assert_safe(client, reverse("civic:profile"))
    assert User.objects.count() > 5  # the SQL payloads were only ever text


def test_payloads_in_a_pabulib_import_are_inert(writers, client, tmp_path):
    rows = "\n".join(
        f"p{i};1000;{p.replace(';', ',').replace(chr(10), ' ')[:100]}"
        for i, p in enumerate(PAYLOADS[:120])
    )
    votes = "\n".join(f"v{i};p{i % 120}" for i in range(200))
    text = f"META\nkey;value\ndescription;{PAYLOADS[0]}\nvote_type;approval\nbudget;50000\nPROJECTS\nproject_id;cost;name\n{rows}\nVOTES\nvoter_id;vote\n{votes}\n"
    path = tmp_path / "hostile.pb"
    path.write_text(text)
    call_command(
        "import_pabulib",
        str(path),
        stdout=open("/dev/null", "w"),
        stderr=open("/dev/null", "w"),
    )
    from ballots.models import Cycle

    cycle = Cycle.objects.get(archived=True)
    for url in (
        reverse("ballots:results", args=[cycle.slug]),
        reverse("ballots:cycle", args=[cycle.slug]),
        reverse("ballots:recount", args=[cycle.slug]),
    ):
        assert_safe(client, url)


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.sampled_from(PAYLOADS),
        st.lists(st.sampled_from(PAYLOADS + ["<", ">", "'", '"', "&"]), max_size=6).map(
            "".join
        ),
    )
)
def test_sanitiser_output_never_runs_script(text):
    assert not unsafe_html(clean_html(text))


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_pabulib_parser_only_ever_raises_its_own_error(text):
    try:
        pabulib.parse(text)
    except pabulib.PabulibError:
        pass
