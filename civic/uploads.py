"""Uploads survive another field's error: a file that passed its own checks is kept
for an hour, under a random token the page carries in a hidden input, so the person
fixes the field that was wrong without choosing the file again. Sending the form again
runs every check on the kept file as on a new one; choosing another file replaces it.

Use: `class MyForm(KeepsUploads, forms.Form)`; every FileField of the form is kept,
shown by `KeptFileInput` ("You chose photo.jpg: it is kept").
"""

from __future__ import annotations

import secrets

from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

KEEP_SECONDS = 3600
KEPT_SUFFIX = "_kept"


def _key(token: str) -> str:
    return f"kept-upload:{token}"


def keep(upload) -> str:
    """Store the upload's bytes, name and type; return the token that finds them."""
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    cache.set(
        _key(token),
        (upload.name, upload.content_type, upload.read()),
        KEEP_SECONDS,
    )
    upload.seek(0)
    return token


def kept(token: str):
    """The kept file as a fresh upload, or None (unknown, expired or malformed)."""
    if not token or len(token) > 64:
        return None
    stored = cache.get(_key(token))
    if stored is None:
        return None
    name, content_type, content = stored
    return SimpleUploadedFile(name, content, content_type=content_type)


class KeptFileInput(forms.ClearableFileInput):
    """A file input that says which file is kept and carries its token."""

    template_name = "civic/widgets/kept_file.html"
    kept_token = ""
    kept_name = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            kept_token=self.kept_token,
            kept_name=self.kept_name,
            kept_input=name + KEPT_SUFFIX,
        )
        return context


class KeepsUploads:
    """Form mixin: see the module's docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        file_fields = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField)
        ]
        for name in file_fields:
            field = self.fields[name]
            if not isinstance(field.widget, KeptFileInput):
                widget = KeptFileInput(attrs=field.widget.attrs)
                widget.is_required = field.widget.is_required
                field.widget = widget
        if not self.is_bound:
            return
        files = MultiValueDict(self.files.copy())
        for name in file_fields:
            html_name = self.add_prefix(name)
            if files.get(html_name):
                continue
            restored = kept(self.data.get(html_name + KEPT_SUFFIX, ""))
            if restored is not None:
                files[html_name] = restored
        self.files = files

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            upload = self.files.get(self.add_prefix(name))
            if (
                isinstance(field, forms.FileField)
                and upload
                and name not in self._errors
                and hasattr(upload, "read")
            ):
                field.widget.kept_token = keep(upload)
                field.widget.kept_name = upload.name
