"""Counting with the frozen rules, publishing, exports and recount."""

import datetime as dt
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ballots import tallying
from ballots.models import Phase, Tally
from ballots.services import VotingError, ballot_cast, cycle_count, cycle_set_phase
from ballots.tally import pabulib
from civic.models import BoundaryGeneration, FrameworkRules
from civic.services import boundaries_in_force
from forums.models import Proposal


def publish(w):
    """Close the vote and publish the result, as the officer."""
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)


def vote_all(w, ballots):
    section = str(w["section"].pk)
    for voter, picks in zip(w["voters"], ballots, strict=False):
        ballot_cast(
            user=voter,
            cycle=w["cycle"],
            choices={section: [w["codes"][i] for i in picks]},
        )


def test_results_are_counted_stored_and_proposals_marked(vote_world, client):
    w = vote_world
    w["open"]()
    # Supports: P1 3, P2 4, P3 1, P4 2 — no ties, so there is one greedy outcome.
    vote_all(w, [[0, 1, 3], [0, 1, 3], [0, 1], [1, 2]])
    with pytest.raises(VotingError):
        cycle_count(actor=w["officer"], cycle=w["cycle"], publish=True)
    publish(w)
    tally = Tally.objects.get(published=True)
    # £60k: P2 (£20k) then P1 (£10k) leave £30k; P4 (£40k) no longer fits; P3 (£30k)
    # does. Funded P1, P2, P3; spent £60,000.
    assert tally.result["rule"] == "greedy"
    assert tally.ballots_counted == 4
    codes = w["codes"]
    assert sorted(tally.result["selected"]) == sorted([codes[0], codes[1], codes[2]])
    assert tally.result["spent"] == "6000000"
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert [statuses[int(code)] for code in codes] == [
        "funded",
        "funded",
        "funded",
        "not_funded",
    ]
    page = client.get(
        reverse("ballots:results", args=[w["cycle"].slug])
    ).content.decode()
    assert "Funded" in page and "<svg" in page and "Not funded" in page
    assert (
        "Not funded: it cost £40,000 but only £30,000 was left after “P1” was funded."
        in page
    )


def test_export_refused_while_open_and_round_trips_after(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1, 2], [2]])
    client.force_login(w["officer"])
    url = reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "pb"])
    response = client.get(url)
    assert response.status_code == 302  # refused with a message while voting is open
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    text = client.post(url).content.decode()
    parsed = pabulib.parse(text)
    assert parsed.ballots.voters == 3
    assert parsed.meta["vote_type"] == "approval" and parsed.meta["max_length"] == "3"
    assert sorted(parsed.ballots.projects_named()) == sorted(
        {w["codes"][0], w["codes"][1], w["codes"][2]}
    )
    csv_text = client.post(
        reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "csv"])
    ).content.decode()
    assert csv_text.count("\n") == 4


def test_recount_from_the_published_file_alone_reproduces_the_result(
    vote_world, client
):
    w = vote_world
    w["open"](tally_rule="equal_shares")
    vote_all(w, [[0, 1], [1, 2], [2], [3], [3, 2]])
    publish(w)
    tally = Tally.objects.get(published=True)
    text = tallying.pabulib_export(w["section"], w["cycle"].rules)
    assert tallying.sha256(text) == tally.export_sha256
    outcome, per_unit = tallying.recount_from_pabulib(
        text, tally_rule="equal_shares", ballot_method="approval"
    )
    assert per_unit == 100  # the file is in pounds
    assert sorted(outcome.selected) == sorted(tally.result["selected"])
    page = client.get(
        reverse("ballots:recount", args=[w["cycle"].slug])
    ).content.decode()
    assert "The recount matches the published result." in page


def test_recount_upload_of_a_malformed_file_is_explained(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0]])
    publish(w)
    response = client.post(
        reverse("ballots:recount", args=[w["cycle"].slug]),
        {"file": SimpleUploadedFile("x.pb", b"META\nkey;value\nbudget;abc\n")},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "the file has no PROJECTS section" in page
    # The error alone: not followed by a wrong "no published result".
    assert "There is no published result to recount yet." not in page


def test_a_tampered_file_is_named_project_by_project(vote_world, client):
    """A file whose ballots were changed recounts to another result, and the page
    says which projects differ."""
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [0], [1]])  # P1 twice, P2 once: greedy funds P1 then P2 (£30k)
    publish(w)
    text = client.get(
        reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "pb"])
    ).content.decode()
    p1, p2, p4 = w["codes"][0], w["codes"][1], w["codes"][3]
    # Every vote for P1 becomes a vote for P4 (£40k).
    tampered = text.replace(f";{p1}\n", f";{p4}\n")
    assert tampered != text
    response = client.post(
        reverse("ballots:recount", args=[w["cycle"].slug]),
        {"file": SimpleUploadedFile("x.pb", tampered.encode())},
    )
    page = response.content.decode()
    assert "The recount does NOT match the published result." in page
    assert f"Funded in this count but not in the published result: P4 ({p4})" in page
    assert f"Funded in the published result but not in this count: P1 ({p1})" in page
    assert p2  # P2 is funded by both and named by neither


def test_ring_fenced_contribution_is_honoured(vote_world):
    from civic.models import Category

    w = vote_world
    contribution = w["section"].budget.contributions.first()
    contribution.ring_fence_category = Category.objects.get(slug="youth")
    contribution.ring_fenced_pence = 10000_00
    contribution.save()
    w["open"]()
    vote_all(w, [[1], [1], [1], [0], [3]])  # P2 (green) most voted; P1 youth 10k
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    outcome = tallying.count(w["section"], w["cycle"].rules)
    assert (
        outcome.ring_fences[0]["met"] and outcome.ring_fences[0]["category"] == "youth"
    )


def _publish_district(district):
    w, cycle, own, far = district
    FrameworkRules.objects.filter(place=w["county"]).update(voting_scope="all")
    cycle = cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.VOTING)
    own_codes = sorted(own.projects.values_list("code", flat=True))
    far_code = far.projects.get().code
    for voter in w["voters"][:3]:
        ballot_cast(
            user=voter,
            cycle=cycle,
            choices={str(own.pk): own_codes[:2], str(far.pk): [far_code]},
        )
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.COUNTING)
    cycle_set_phase(actor=w["officer"], cycle=cycle, phase=Phase.RESULTS)
    return w, cycle, own, far


def test_recount_upload_in_a_cycle_with_several_budgets(district, client):
    """The uploaded file is read once and recounted for the budget it names."""
    w, cycle, own, far = _publish_district(district)
    client.force_login(w["officer"])
    text = client.get(
        reverse("ballots:export", args=[cycle.slug, far.pk, "pb"])
    ).content
    response = client.post(
        reverse("ballots:recount", args=[cycle.slug]),
        {"file": SimpleUploadedFile("zed.pb", text)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("The recount matches the published result.") == 1
    assert "Counted from your file: 1 projects funded" in page
    assert "<h2>Zed Town</h2>" in page and "<h2>Lane End</h2>" not in page


def test_recount_upload_for_another_place_is_refused_by_name(district, client):
    w, cycle, own, far = _publish_district(district)
    client.force_login(w["officer"])
    text = client.get(
        reverse("ballots:export", args=[cycle.slug, far.pk, "pb"])
    ).content.decode()
    text = text.replace("unit;Zed Town", "unit;Elsewhere")
    response = client.post(
        reverse("ballots:recount", args=[cycle.slug]),
        {"file": SimpleUploadedFile("x.pb", text.encode())},
    )
    assert response.status_code == 400
    assert (
        "The file&#x27;s META &#x27;unit&#x27; is Elsewhere, which is not one of this "
        "cycle&#x27;s budgets (Lane End, Zed Town)." in response.content.decode()
    )


def test_results_page_explains_the_rule_in_welsh(vote_world, client):
    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1]])
    publish(w)
    url = reverse("ballots:results", args=[w["cycle"].slug])
    english = client.get(url).content.decode()
    assert "Each tick counts as one vote of support." in english
    assert (
        "Ties (equal support, or an equal price per vote under equal shares) are "
        "broken by project code, compared letter by letter as text" in english
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    welsh = client.get(url).content.decode()
    assert "Mae pob tic yn cyfrif fel un bleidlais o gefnogaeth." in welsh
    assert "Cafodd prosiectau eu hariannu yn nhrefn cefnogaeth" in welsh
    assert "yn cael ei dorri yn ôl cod y prosiect" in welsh
    assert "Each tick counts as one vote of support." not in welsh


def test_an_officers_export_before_results_is_a_logged_post(vote_world, client):
    """Before results the ballot files are the officer's, downloaded by a button and
    logged; a GET writes nothing (405), nor does an unknown format (404). Once results
    are published they are public links, and nobody's download is logged."""
    from civic.models import AuditEntry

    w = vote_world
    w["open"]()
    vote_all(w, [[0]])
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.COUNTING)
    client.force_login(w["officer"])
    logged = AuditEntry.objects.filter(action="cycle.export")
    before = logged.count()
    url = reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "xml"])
    assert client.post(url).status_code == 404
    url = reverse("ballots:export", args=[w["cycle"].slug, w["section"].pk, "csv"])
    assert client.get(url).status_code == 405
    assert logged.count() == before
    assert client.post(url).status_code == 200
    assert logged.count() == before + 1
    missing = reverse("ballots:export", args=[w["cycle"].slug, 999999, "csv"])
    assert client.post(missing).status_code == 404
    cycle_set_phase(actor=w["officer"], cycle=w["cycle"], phase=Phase.RESULTS)
    client.logout()
    assert client.get(url).status_code == 200
    assert logged.count() == before + 1


def test_a_results_link_shows_a_results_card(vote_world, client):
    from tests.forums.test_sharing import meta

    w = vote_world
    w["open"]()
    vote_all(w, [[0], [1]])
    publish(w)
    w["cycle"].name = 'Spring "26" <vote>'
    w["cycle"].save(update_fields=["name"])
    page = client.get(reverse("ballots:results", args=[w["cycle"].slug])).content
    page = page.decode()
    assert meta(page, "og:title") == "Results: Spring &quot;26&quot; &lt;vote&gt;"
    assert meta(page, "og:description") == (
        "What Lane End voted to fund, what was not funded, and why."
    )


def test_the_results_map_shows_funded_and_unfunded_projects(vote_world, client):
    w = vote_world
    p1, p2, p3, _p4 = w["proposals"]
    spots = ((50.1, 0.1), (50.2, 0.2), (50.3, 0.3))
    for p, (lat, lng) in zip((p1, p2, p3), spots, strict=True):
        p.latitude, p.longitude = lat, lng
        p.save(update_fields=["latitude", "longitude"])
    w["open"]()
    # Budget £60k, greedy: P4 (£40k) then P1 (£10k); £10k is left, too little for
    # P2 (£20k) or P3 (£30k).
    vote_all(w, [[3, 0], [3, 0], [3]])
    publish(w)
    response = client.get(reverse("ballots:results", args=[w["cycle"].slug]))
    markers = response.context["map_markers"]["features"]
    assert sorted(
        (
            f["properties"]["title"],
            f["properties"]["status"],
            f["geometry"]["coordinates"],
        )
        for f in markers
    ) == [
        ("P1", "funded", [0.1, 50.1]),
        ("P2", "not_funded", [0.2, 50.2]),
        ("P3", "not_funded", [0.3, 50.3]),
    ]
    assert 'id="result-markers"' in response.content.decode()


def test_a_past_votes_map_keeps_the_boundary_it_was_run_under(vote_world, client):
    w = vote_world
    place = w["cycle"].place
    old = {"type": "Polygon", "coordinates": [[[0, 50], [1, 50], [1, 51], [0, 50]]]}
    new = {"type": "Polygon", "coordinates": [[[0, 50], [2, 50], [2, 51], [0, 50]]]}
    BoundaryGeneration.objects.create(place=place, valid_from=None, geometry=old)
    w["proposals"][0].latitude, w["proposals"][0].longitude = 50.2, 0.5
    w["proposals"][0].save(update_fields=["latitude", "longitude"])
    w["open"]()
    vote_all(w, [[0]])
    publish(w)
    # The ward boundary changes after the vote.
    changed_on = timezone.localdate() + dt.timedelta(days=1)
    BoundaryGeneration.objects.create(place=place, valid_from=changed_on, geometry=new)
    boundaries_in_force(on=changed_on)
    place.refresh_from_db()
    assert place.boundary == new
    response = client.get(reverse("ballots:results", args=[w["cycle"].slug]))
    assert response.context["boundaries"]["features"][0]["geometry"] == old


def test_publishing_recounts_in_the_background_and_the_page_reads_that(
    vote_world, client, django_capture_on_commit_callbacks
):
    w = vote_world
    w["open"](tally_rule="equal_shares")
    vote_all(w, [[0, 1], [1, 2], [2], [3], [3, 2]])
    with django_capture_on_commit_callbacks(execute=True):
        publish(w)
    tally = Tally.objects.get(published=True)
    assert tally.recount["selected"] == sorted(tally.result["selected"])
    assert tally.recount["sha_ok"] is True
    assert tally.recount["key"] == f"{tally.export_sha256}:equal_shares:approval:5"
    url = reverse("ballots:recount", args=[w["cycle"].slug])
    with patch.object(
        tallying, "recount_summary", side_effect=AssertionError("counted again")
    ):
        page = client.get(url).content.decode()
    assert "The recount matches the published result." in page


def test_a_recount_kept_under_other_rules_is_made_again(vote_world, client):
    w = vote_world
    w["open"](tally_rule="equal_shares")
    vote_all(w, [[0, 1], [1, 2], [2], [3], [3, 2]])
    publish(w)
    tally = Tally.objects.get(published=True)
    stale = {"key": "another file", "selected": ["X"], "spent": 1, "sha_ok": False}
    Tally.objects.filter(pk=tally.pk).update(recount=stale)
    page = client.get(reverse("ballots:recount", args=[w["cycle"].slug]))
    assert "The recount matches the published result." in page.content.decode()
    tally.refresh_from_db()
    assert tally.recount["selected"] == sorted(tally.result["selected"])
    assert tally.recount["key"].startswith(tally.export_sha256)
