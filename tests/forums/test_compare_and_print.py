"""Comparing two proposals side by side, and a proposal printed as a PDF notice."""

import base64
import re
import zlib

from django.urls import reverse

from forums.models import ProposalStatus


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF's pages (its content streams, inflated)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        if stream.rstrip().endswith(b"~>"):  # ReportLab: ASCII85, then Flate
            stream = base64.a85decode(stream.rstrip()[:-2])
        try:
            stream = zlib.decompress(stream)
        except zlib.error:
            continue  # a picture
        out += [m.decode("latin-1") for m in re.findall(rb"\((.*?)\) Tj", stream)]
    return " ".join(out)


def compare(client, a, b):
    return client.get(
        reverse("forums:compare", args=["lane-end"]), {"a": a.pk, "b": b.pk}
    )


def test_two_proposals_side_by_side(client, world, make_proposal):
    benches = make_proposal(title="Benches", cost=1000_00)
    trees = make_proposal(
        title="Trees", cost=12500_00, status=ProposalStatus.SHORTLISTED
    )
    response = compare(client, benches, trees)
    assert response.status_code == 200
    assert response.context["pair"] == [benches, trees]
    page = response.content.decode()
    # The forum's budget is £50,000.
    assert "2.0% of this year's budget" in page
    assert "25.0% of this year's budget" in page
    assert "£12,500" in page


def test_a_proposal_cannot_be_compared_with_itself(client, world, make_proposal):
    benches = make_proposal()
    response = compare(client, benches, benches)
    assert response.status_code == 400
    assert "Choose two different proposals." in response.content.decode()


def test_only_public_proposals_of_the_forum_are_compared(client, world, make_proposal):
    benches = make_proposal()
    draft = make_proposal(title="Secret", status=ProposalStatus.DRAFT)
    elsewhere = make_proposal(title="Far", forum=world["other_forum"])
    for other in (draft, elsewhere):
        response = compare(client, benches, other)
        assert response.status_code == 400
        assert "Select a valid choice." in response.content.decode()
        assert "Secret" not in response.content.decode()


def test_a_proposal_prints_as_a_pdf_notice(client, world, make_proposal):
    proposal = make_proposal(title="Benches by the pond", cost=2500_00)
    proposal.feasibility_note = "Parks team agrees."
    proposal.save()
    response = client.get(
        reverse("forums:proposal_pdf", args=["lane-end", proposal.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Benches by the pond" in text
    # "(" and "£" as the PDF writes them: \( and the octal escape \243.
    assert "Cost \\(official estimate\\): \\2432,500 " in text
    assert "Parks team agrees." in text
    assert proposal.get_absolute_url() in text


def test_a_draft_is_not_printed_for_the_public(client, world, make_proposal):
    draft = make_proposal(status=ProposalStatus.DRAFT)
    response = client.get(reverse("forums:proposal_pdf", args=["lane-end", draft.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_link_from_a_proposal_chooses_the_first_and_says_nothing_is_wrong(
    client, world, make_proposal
):
    benches = make_proposal(title="Benches", status=ProposalStatus.PUBLISHED)
    response = client.get(
        reverse("forums:compare", args=["lane-end"]), {"a": benches.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" not in page
    assert f'<option value="{benches.pk}" selected>' in page
