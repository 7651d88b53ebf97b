"""Uploaded images: refused cheaply when they claim too many pixels, turned the way
the camera meant, and stripped of every piece of metadata."""

import io
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forums.forms import clean_image


def png_header_only(width, height) -> bytes:
    """A PNG that claims width × height pixels, with almost no pixel data behind it."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def test_too_many_pixels_is_refused_before_decoding(monkeypatch):
    decoded = []
    monkeypatch.setattr(
        Image.Image, "load", lambda self: decoded.append(self) or None, raising=True
    )
    upload = SimpleUploadedFile("huge.png", png_header_only(8000, 6000))
    with pytest.raises(forms.ValidationError) as info:
        clean_image(upload)
    assert info.value.messages == ["That image is too large in pixels."]
    assert decoded == []


def test_phone_photo_is_turned_upright_and_loses_its_exif():
    photo = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; rotate 90° clockwise
    exif[0x010F] = "PhoneMaker"  # Make
    raw = io.BytesIO()
    photo.save(raw, format="JPEG", exif=exif.tobytes())
    cleaned = clean_image(SimpleUploadedFile("photo.jpg", raw.getvalue()))
    result = Image.open(cleaned)
    assert result.size == (20, 40)
    assert dict(result.getexif()) == {}
    assert cleaned.name == "photo.jpg" and cleaned.content_type == "image/jpeg"
