"""Pictures and documents on ideas and proposals, stored as Wagtail images and
documents (so staff find them in the Wagtail library, renditions are cached, and a
document is served with Wagtail's checks), in one collection, "Ideas and proposals".

Uploads are checked before anything is written: an image is re-encoded without
metadata (`forms.clean_image`); a document must be one of the allowed kinds, and look
like it. A bad upload is refused with the reason and nothing is stored.
"""

from __future__ import annotations

from django import forms
from django.core.files.images import ImageFile
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from .models import Attachment, Idea, Picture, Proposal

COLLECTION = "Ideas and proposals"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ZIP = b"PK\x03\x04"
DOCUMENT_KINDS = {"pdf": b"%PDF-", "odt": ZIP, "ods": ZIP, "docx": ZIP, "xlsx": ZIP}
TEXT_KINDS = ("csv", "txt")
MAX_PICTURES = 12
MAX_ATTACHMENTS = 12


def clean_document(upload):
    """A PDF, OpenDocument, Word, Excel, CSV or text file of at most 10 MB whose
    content matches its name; raises ValidationError saying what is wrong."""
    if not upload:
        return upload
    if upload.size > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(_("Documents must be 10 MB or smaller."))
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in DOCUMENT_KINDS and ext not in TEXT_KINDS:
        raise forms.ValidationError(
            _("Upload a PDF, ODT, ODS, DOCX, XLSX, CSV or TXT file.")
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if ext in DOCUMENT_KINDS and not head.startswith(DOCUMENT_KINDS[ext]):
        raise forms.ValidationError(
            _("That file is not a real .%(ext)s file.") % {"ext": ext}
        )
    if ext in TEXT_KINDS:
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("Text and CSV files must be saved as UTF-8.")
            ) from None
        finally:
            upload.seek(0)
    return upload


def _collection() -> Collection:
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    existing = root.get_children().filter(name=COLLECTION).first()
    return existing or root.add_child(name=COLLECTION)


def _owner(target: Idea | Proposal) -> dict:
    return {"idea": target} if isinstance(target, Idea) else {"proposal": target}


def attach(*, actor, target: Idea | Proposal, media: dict | None) -> None:
    """Apply a form's media changes to an idea or proposal (inside the caller's
    transaction): remove the pictures and documents ticked, add the new ones."""
    if not media:
        return
    owner = _owner(target)
    uploader = actor if getattr(actor, "pk", None) else None
    # Only this target's own: the form offers no others, and a forged id matches none.
    target.pictures.filter(
        pk__in=[p.pk for p in media.get("remove_pictures") or ()]
    ).delete()
    target.attachments.filter(
        pk__in=[a.pk for a in media.get("remove_attachments") or ()]
    ).delete()
    picture, document = media.get("picture"), media.get("document")
    collection = _collection() if picture or document else None
    if picture:
        upload, alt = picture
        image = get_image_model()(
            title=alt[:255],
            file=ImageFile(upload, name=upload.name),
            description=alt[:255],
            collection=collection,
            uploaded_by_user=uploader,
        )
        image._set_image_file_metadata()
        image.save()
        Picture.objects.create(
            image=image,
            alt_text=alt,
            position=target.pictures.count(),
            **owner,
        )
    if document:
        upload, title = document
        doc = get_document_model()(
            title=title[:255],
            file=upload,
            collection=collection,
            uploaded_by_user=uploader,
        )
        doc._set_document_file_metadata()
        doc.save()
        Attachment.objects.create(
            document=doc, position=target.attachments.count(), **owner
        )


def copy_to_proposal(idea: Idea, proposal: Proposal) -> None:
    """An accepted idea's pictures and documents go with it onto the proposal (the
    same Wagtail image and document, a new link)."""
    Picture.objects.bulk_create(
        Picture(
            proposal=proposal, image=p.image, alt_text=p.alt_text, position=p.position
        )
        for p in idea.pictures.all()
    )
    Attachment.objects.bulk_create(
        Attachment(proposal=proposal, document=a.document, position=a.position)
        for a in idea.attachments.all()
    )
