"""Verification-code letters: every line fits the slip, and a Welsh letter is Welsh,
month names included."""

import datetime as dt

from django.utils import timezone, translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from forums.printing import SLIP_MARGIN_MM, codes_pdf, slip_lines
from forums.services import residency_codes

WIDTH = A4[0] - 2 * SLIP_MARGIN_MM * mm


def test_long_text_wraps_within_the_slip(world):
    forum = world["forum"]
    forum.name = "The Upper Lane End, Brookside and Old Mill Neighbourhood Forum"
    forum.save()
    batch = residency_codes.generate(
        actor=world["organiser"], forum=forum, count=1, days_valid=30
    )
    code = batch.codes.get().plain
    lines = slip_lines(forum, batch, code, WIDTH)
    assert all(stringWidth(text, font, size) <= WIDTH for font, size, text in lines)
    heading = [text for font, _size, text in lines if font == "Helvetica-Bold"]
    assert len(heading) == 2
    assert " ".join(heading) == f"Have your say on {forum.name}'s budget"
    body = " ".join(text for font, size, text in lines if size == 10.5)
    assert body == (
        "Public bodies have pooled money for your neighbourhood. You decide how it "
        "is spent. Join the neighbourhood forum with this one-time code to suggest "
        "ideas and vote:"
    )
    assert ("Courier-Bold", 22, code) in lines
    assert codes_pdf(forum, batch, [code]).startswith(b"%PDF")


def test_welsh_letters_have_welsh_month_names(world):
    batch = residency_codes.generate(
        actor=world["organiser"], forum=world["forum"], count=1, days_valid=30
    )
    batch.expires_at = timezone.make_aware(dt.datetime(2027, 1, 15, 12, 0))
    batch.save()
    with translation.override("cy"):
        lines = slip_lines(world["forum"], batch, "CODE", WIDTH)
    text = " ".join(line for _font, _size, line in lines)
    assert "15 Ionawr 2027" in text
    assert "January" not in text
    assert text.startswith("Dweud eich dweud ar gyllideb Lane End forum")
