"""Printable verification-code letters (reportlab): one tear-off slip per household."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic import spreadsheets
from civic.audit import audit_record

SLIP_MARGIN_MM = 20


def slip_lines(forum, batch, code: str, width: float) -> list[tuple[str, float, str]]:
    """One household's slip as (font, size, line) rows, every line wrapped to fit
    `width` points, in the active language (month names included)."""
    join_url = f"{settings.WAGTAILADMIN_BASE_URL}/forums/{forum.slug}/join/"
    expires = date_format(timezone.localtime(batch.expires_at), "j F Y")
    blocks = [
        (
            "Helvetica-Bold",
            14,
            _("Have your say on %(f)s's budget") % {"f": forum.name},
        ),
        (
            "Helvetica",
            10.5,
            _(
                "Public bodies have pooled money for your neighbourhood. You decide how it is spent."
            ),
        ),
        (
            "Helvetica",
            10.5,
            _(
                "Join the neighbourhood forum with this one-time code to suggest ideas and vote:"
            ),
        ),
        ("Courier-Bold", 22, code),
        ("Helvetica", 10, _("Go to %(u)s") % {"u": join_url}),
        (
            "Helvetica",
            10,
            _("The code works once, only for this neighbourhood, until %(d)s.")
            % {"d": expires},
        ),
    ]
    return wrapped(blocks, width)


def slips_pdf(title: str, codes: list[str], lines_for) -> bytes:
    """A4 pages of four tear-off slips, one per code; `lines_for(code, width)` gives
    each slip's (font, size, line) rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    per_page, slip_h = 4, (height - 20 * mm) / 4
    text_width = width - 2 * SLIP_MARGIN_MM * mm
    for i, code in enumerate(codes):
        if i and i % per_page == 0:
            pdf.showPage()
        top = height - 10 * mm - (i % per_page) * slip_h
        pdf.setDash(3, 3)
        pdf.line(10 * mm, top - slip_h, width - 10 * mm, top - slip_h)
        pdf.setDash()
        y = top - 10 * mm
        for font, size, line in lines_for(code, text_width):
            y -= size * 1.3
            pdf.setFont(font, size)
            pdf.drawString(SLIP_MARGIN_MM * mm, y, line)
    if not codes:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(
            20 * mm, height - 20 * mm, _("Every code in this batch has been used.")
        )
    pdf.save()
    return buffer.getvalue()


def wrapped(blocks: list[tuple[str, float, str]], width: float):
    from reportlab.lib.utils import simpleSplit

    return [
        (font, size, line)
        for font, size, text in blocks
        for line in simpleSplit(text, font, size, width)
    ]


def codes_pdf(forum, batch, codes: list[str]) -> bytes:
    return slips_pdf(
        _("Verification codes for %(f)s") % {"f": forum.name},
        codes,
        lambda code, width: slip_lines(forum, batch, code, width),
    )


CODE_FORMATS = ("csv", "pdf")


def codes_response(
    fmt: str, *, filename: str, header: list, rows: list, title: str, lines_for
) -> HttpResponse:
    """Codes as a CSV file (the header, then a row per code, the code first) or as
    printable PDF letters (`slips_pdf`), downloaded as `filename`.`fmt`."""
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv")
        writer = spreadsheets.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
    else:
        response = HttpResponse(
            slips_pdf(title, [row[0] for row in rows], lines_for),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def codes_file(actor, batch, fmt: str) -> HttpResponse:
    """The unused codes of a batch as a CSV or printable PDF download; logged (the
    views ask for it by POST: a download that writes the audit log is never a GET)."""
    if fmt not in CODE_FORMATS:
        raise Http404
    forum = batch.forum
    audit_record(
        actor=actor,
        action="codes.export",
        target=batch,
        place=forum.place,
        summary=_("Verification codes downloaded as %(f)s") % {"f": fmt.upper()},
    )
    expires = batch.expires_at.date().isoformat()
    return codes_response(
        fmt,
        filename=f"codes-{forum.slug}-{batch.pk}",
        header=["code", "forum", "expires"],
        rows=[
            [row.plain, forum.name, expires]
            for row in batch.codes.filter(used_at__isnull=True)
        ],
        title=_("Verification codes for %(f)s") % {"f": forum.name},
        lines_for=lambda code, width: slip_lines(forum, batch, code, width),
    )


# GOV.UK Notify's letter format (its precompiled-letter specification, in mm from the
# page's top left): A4; content kept 15 mm from the sides and 5 mm from top and bottom;
# the address inside its window, 24.6–120 mm across and 39.5–66.3 mm down; the body
# from 95 mm down; the top left corner left clear for Notify's own mark.
ADDRESS_LEFT_MM, ADDRESS_TOP_MM, ADDRESS_BOTTOM_MM = 24.6, 39.5, 66.3
BODY_TOP_MM, SIDE_MM, FOOT_MM = 95.0, 15.0, 5.0
SENDER_LEFT_MM = 125.0


def notify_letter_pdf(
    title: str, address: list[str], sender: list[str], lines_for
) -> bytes:
    """One letter in Notify's precompiled format: the recipient's address (at most 7
    lines, the last a postcode) in the window, the sender and date on the right, the
    body below; `lines_for(width)` gives the body's (font, size, line) rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    width, height = A4
    # The address: 10 pt lines from the window's top; 7 lines fit its 26.8 mm.
    y = height - ADDRESS_TOP_MM * mm - 10
    pdf.setFont("Helvetica", 10)
    for line in address:
        pdf.drawString(ADDRESS_LEFT_MM * mm, y, line)
        y -= 10.5
    assert y + 10.5 - 2 >= height - ADDRESS_BOTTOM_MM * mm, "address below its window"
    y = height - 30 * mm
    pdf.setFont("Helvetica", 9)
    for line in [*sender, date_format(timezone.localdate(), "j F Y")]:
        pdf.drawString(SENDER_LEFT_MM * mm, y, line)
        y -= 11
    y = height - BODY_TOP_MM * mm
    for font, size, line in lines_for(width - 2 * SIDE_MM * mm):
        y -= size * 1.4
        pdf.setFont(font, size)
        pdf.drawString(SIDE_MM * mm, y, line)
    assert y > FOOT_MM * mm, "letter body longer than a page"
    pdf.save()
    return buffer.getvalue()
