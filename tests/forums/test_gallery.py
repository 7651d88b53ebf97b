"""Pictures and documents on ideas and proposals: Wagtail images and documents, alt
text required, checked uploads, a gallery on the page and a picture on the card."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from forums.models import IdeaStatus, Picture
from forums.services import idea_review, idea_submit


def jpeg(colour="green", size=(800, 600)):
    buf = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buf, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buf.getvalue(), "image/jpeg")


def edit(client, proposal, **extra):
    data = {
        "title": proposal.title,
        "summary": proposal.summary,
        "description": proposal.description,
        "category": proposal.category_id,
        "location_text": "",
        "feasibility_note": "",
        "cost": "1000.00",
        **extra,
    }
    return client.post(
        reverse("forums:proposal_edit", args=[proposal.forum.slug, proposal.pk]), data
    )


@pytest.fixture
def proposal(make_proposal):
    return make_proposal(status="under_review")


def test_organisers_add_pictures_and_documents(client, world, proposal):
    client.force_login(world["organiser"])
    response = edit(
        client,
        proposal,
        image=jpeg(),
        image_alt="The empty corner where the benches would go",
        document=SimpleUploadedFile(
            "costing.pdf", b"%PDF-1.4\n%...\n", "application/pdf"
        ),
        document_title="Costing from the parks team",
    )
    assert response.status_code == 302
    picture = proposal.pictures.get()
    assert picture.alt_text == "The empty corner where the benches would go"
    assert picture.image.collection.name == "Ideas and proposals"
    assert (picture.image.width, picture.image.height) == (800, 600)
    assert proposal.attachments.get().document.title == "Costing from the parks team"

    page = client.get(proposal.get_absolute_url()).content.decode()
    rendition = picture.image.get_rendition("fill-960x540")
    assert (rendition.width, rendition.height) == (800, 450)
    assert (
        f'<img alt="The empty corner where the benches would go" height="450" '
        f'loading="lazy" src="{rendition.url}" width="800">'
    ) in page
    assert "Costing from the parks team</a>" in page
    assert "PDF" in page


def test_the_forum_card_shows_the_first_picture(client, world, proposal, login):
    proposal.status = "published"
    proposal.save()
    login(world["organiser"])
    edit(client, proposal, image=jpeg(size=(1280, 960)), image_alt="Benches")
    client.logout()
    page = client.get(world["forum"].get_absolute_url()).content.decode()
    rendition = proposal.pictures.get().image.get_rendition("fill-640x360")
    assert f'src="{rendition.url}"' in page
    assert 'alt="Benches" class="proposal-card-image"' in page


def test_a_picture_without_a_description_is_refused_and_nothing_is_kept(
    client, world, proposal
):
    client.force_login(world["organiser"])
    response = edit(client, proposal, image=jpeg(), title="New title")
    assert response.status_code == 400
    assert (
        "Describe the picture: the description is read aloud to people who cannot see it."
        in response.content.decode()
    )
    proposal.refresh_from_db()
    assert proposal.title == "Benches"
    assert get_image_model().objects.count() == 0
    assert Picture.objects.count() == 0


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("plan.pdf", b"MZ\x90\x00 not a pdf", "That file is not a real .pdf file."),
        (
            "plan.exe",
            b"MZ\x90\x00",
            "Upload a PDF, ODT, ODS, DOCX, XLSX, CSV or TXT file.",
        ),
        (
            "costs.csv",
            "£5,Bänke".encode("latin-1"),
            "Text and CSV files must be saved as UTF-8.",
        ),
    ],
)
def test_a_bad_document_is_refused_with_the_reason(
    client, world, proposal, name, content, message
):
    client.force_login(world["organiser"])
    response = edit(
        client,
        proposal,
        document=SimpleUploadedFile(name, content),
        document_title="Plan",
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_document_model().objects.count() == 0


def test_pictures_can_be_removed(client, world, proposal):
    client.force_login(world["organiser"])
    edit(client, proposal, image=jpeg("red"), image_alt="Red")
    edit(client, proposal, image=jpeg("blue"), image_alt="Blue")
    red = proposal.pictures.get(alt_text="Red")
    assert edit(client, proposal, remove_pictures=[red.pk]).status_code == 302
    assert list(proposal.pictures.values_list("alt_text", flat=True)) == ["Blue"]


def test_residents_cannot_add_pictures_to_a_proposal(client, world, proposal):
    client.force_login(world["member"])
    response = edit(client, proposal, image=jpeg(), image_alt="Mine")
    assert response.status_code == 403
    assert Picture.objects.count() == 0


def test_an_ideas_pictures_go_with_it_onto_the_proposal(world):
    idea = idea_submit(
        author=world["member"],
        forum=world["forum"],
        data={
            "title": "Bike racks",
            "summary": "By the shops",
            "description": "<p>Racks</p>",
            "category": world["category"],
            "media": {"picture": (jpeg(), "Railings outside the shops")},
        },
    )
    proposal = idea_review(
        actor=world["organiser"],
        idea=idea,
        action="accept",
        note="",
        proposal_data={"cost_pence": 2000_00},
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    assert [(p.alt_text, p.image_id) for p in proposal.pictures.all()] == [
        ("Railings outside the shops", idea.pictures.get().image_id)
    ]


def test_a_chosen_picture_is_kept_when_another_field_is_wrong(client, world, proposal):
    """#28, item 15: fixing the description does not mean choosing the file again."""
    client.force_login(world["organiser"])
    response = edit(client, proposal, image=jpeg(), document_title="")
    assert response.status_code == 400
    page = response.content.decode()
    assert "You chose photo.jpg: it is kept." in page
    token = re.search(r'name="image_kept" value="([\w-]+)"', page).group(1)
    assert Picture.objects.count() == 0  # nothing stored before the form is right
    response = edit(client, proposal, image_kept=token, image_alt="Benches by the pond")
    assert response.status_code == 302
    picture = proposal.pictures.get()
    assert picture.alt_text == "Benches by the pond"
    assert (picture.image.width, picture.image.height) == (800, 600)


def test_a_refused_file_is_not_kept_and_a_made_up_token_finds_nothing(
    client, world, proposal
):
    client.force_login(world["organiser"])
    bad = SimpleUploadedFile("photo.jpg", b"not an image", "image/jpeg")
    page = edit(client, proposal, image=bad, image_alt="x").content.decode()
    assert "That file is not an image we can read." in page
    assert "it is kept" not in page and 'name="image_kept"' not in page
    response = edit(client, proposal, image_kept="made-up-token", image_alt="Benches")
    assert response.status_code == 302
    assert Picture.objects.count() == 0
