"""Forms for forum pages. Money is entered in pounds, stored in pence; images are
checked (type, size) and re-encoded without metadata."""

from __future__ import annotations

import io
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.translation import gettext_lazy as _

from civic.models import VerificationMethod
from civic.money import PoundsField, pence
from civic.uploads import KeepsUploads

from .gallery import MAX_ATTACHMENTS, MAX_PICTURES, clean_document
from .models import Attachment, Idea, Picture, Proposal

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


MAX_IMAGE_PIXELS = 40_000_000


def clean_image(upload):
    """Accept JPEG, PNG or WebP up to 5 MB and 40 megapixels; return a copy turned the
    way the camera meant (EXIF orientation) with all metadata removed."""
    if not upload or not hasattr(upload, "read"):
        return upload
    if upload.size > MAX_IMAGE_BYTES:
        raise forms.ValidationError(_("Images must be 5 MB or smaller."))
    from PIL import Image, ImageOps, UnidentifiedImageError

    unreadable = forms.ValidationError(_("That file is not an image we can read."))
    try:
        upload.seek(0)
        # Opening reads the header only: the format and size are known before a single
        # pixel is decoded, so a small file claiming a huge image costs nothing.
        image = Image.open(upload)
        fmt = image.format
        if fmt not in IMAGE_FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG or WebP image."))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise forms.ValidationError(_("That image is too large in pixels."))
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None
    # Phone photos store "turn me" in EXIF; apply it, since the EXIF goes below.
    image = ImageOps.exif_transpose(image)
    # Re-encode pixels only: EXIF (location, camera), XMP and comments are dropped.
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB" if fmt == "JPEG" else "RGBA")
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    save_kwargs = {"quality": 88} if fmt == "JPEG" else {}
    clean.save(out, format=fmt, **save_kwargs)
    name = (
        (upload.name or "image").rsplit(".", 1)[0][:80]
        + "."
        + fmt.lower().replace("jpeg", "jpg")
    )
    return InMemoryUploadedFile(
        out, "image", name, IMAGE_FORMATS[fmt], out.getbuffer().nbytes, None
    )


class JoinForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How will you show you live here?"), widget=forms.RadioSelect
    )
    postcode = forms.CharField(label=_("Your postcode"), required=False, max_length=10)
    code = forms.CharField(
        label=_("Your verification code"),
        required=False,
        max_length=20,
        help_text=_("From the letter posted to your household, like ABCDE-FGHJK."),
    )
    message = forms.CharField(
        label=_("A note for the organisers (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(VerificationMethod.choices)
        self.fields["method"].choices = [(m, labels[m]) for m in methods]

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == VerificationMethod.POSTCODE and not data.get("postcode"):
            self.add_error("postcode", _("Enter your postcode."))
        if method == VerificationMethod.CODE and not data.get("code"):
            self.add_error("code", _("Enter the code from your letter."))
        return data


COORDINATES = {
    name: forms.NumberInput(
        attrs={"step": "any", "inputmode": "decimal", "class": f"map-{name}"}
    )
    for name in ("latitude", "longitude")
}


# The fields an idea and a proposal share, in the order the forms show them.
WHAT_AND_WHERE = [
    "title",
    "summary",
    "description",
    "category",
    "location_text",
    "latitude",
    "longitude",
]


class MediaFields(KeepsUploads, forms.Form):
    """Add a picture or a document, and remove earlier ones, on an idea or proposal."""

    image = forms.FileField(
        label=_("Add a picture"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
        help_text=_("JPEG, PNG or WebP, up to 5 MB. Location data is removed."),
    )
    image_alt = forms.CharField(
        label=_("Describe the picture for people who cannot see it"),
        required=False,
        max_length=250,
    )
    document = forms.FileField(
        label=_("Add a document"),
        required=False,
        help_text=_(
            "A costing, a plan or a letter of support: PDF, ODT, DOCX, XLSX or CSV, up to 10 MB."
        ),
    )
    document_title = forms.CharField(
        label=_("Title of the document"), required=False, max_length=200
    )
    remove_pictures = forms.ModelMultipleChoiceField(
        label=_("Remove pictures"),
        queryset=Picture.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove documents"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def media_init(self, instance):
        self._media_target = instance
        if instance.pk:
            self.fields["remove_pictures"].queryset = instance.pictures.all()
            self.fields["remove_attachments"].queryset = instance.attachments.all()
        if not instance.pk or not instance.pictures.exists():
            del self.fields["remove_pictures"]
        if not instance.pk or not instance.attachments.exists():
            del self.fields["remove_attachments"]

    def clean_image(self):
        return clean_image(self.cleaned_data.get("image"))

    def clean_document(self):
        return clean_document(self.cleaned_data.get("document"))

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error(
                "image_alt",
                _(
                    "Describe the picture: the description is read aloud to people who cannot see it."
                ),
            )
        if data.get("document") and not (data.get("document_title") or "").strip():
            self.add_error("document_title", _("Give the document a title."))
        target = self._media_target
        if (
            target.pk
            and data.get("image")
            and (target.pictures.count() >= MAX_PICTURES)
        ):
            self.add_error(
                "image",
                _("There can be at most %(n)s pictures: remove one first.")
                % {"n": MAX_PICTURES},
            )
        if (
            target.pk
            and data.get("document")
            and (target.attachments.count() >= MAX_ATTACHMENTS)
        ):
            self.add_error(
                "document",
                _("There can be at most %(n)s documents: remove one first.")
                % {"n": MAX_ATTACHMENTS},
            )
        return data

    def media_data(self) -> dict:
        data = self.cleaned_data
        return {
            "picture": (data["image"], data["image_alt"].strip())
            if data.get("image")
            else None,
            "document": (data["document"], data["document_title"].strip())
            if data.get("document")
            else None,
            "remove_pictures": list(data.get("remove_pictures") or ()),
            "remove_attachments": list(data.get("remove_attachments") or ()),
        }


class IdeaForm(MediaFields, forms.ModelForm):
    rough_cost = PoundsField(label=_("Rough cost, if you know it (£)"))
    field_order = [*WHAT_AND_WHERE, "rough_cost"]

    class Meta:
        model = Idea
        fields = [
            "title",
            "summary",
            "description",
            "category",
            "location_text",
            "latitude",
            "longitude",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 8}), **COORDINATES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.media_init(self.instance)
        if self.instance.pk and self.instance.rough_cost_pence is not None:
            self.initial["rough_cost"] = Decimal(self.instance.rough_cost_pence) / 100

    def to_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["media"] = self.media_data()
        data["rough_cost_pence"] = pence(self.cleaned_data.get("rough_cost"))
        return data


class ProposalForm(MediaFields, forms.ModelForm):
    cost = PoundsField(label=_("Official cost estimate (£)"), required=True)
    field_order = [*WHAT_AND_WHERE, "cost"]

    class Meta:
        model = Proposal
        fields = [
            "title",
            "summary",
            "description",
            "category",
            "location_text",
            "latitude",
            "longitude",
            "feasibility_note",
        ]
        widgets = {
            **COORDINATES,
            "description": forms.Textarea(attrs={"rows": 8}),
            "feasibility_note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.media_init(self.instance)
        if self.instance.pk:
            self.initial["cost"] = Decimal(self.instance.cost_pence) / 100

    def to_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["media"] = self.media_data()
        data["cost_pence"] = pence(self.cleaned_data["cost"])
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
