"""Printable verification-code letters (reportlab): one tear-off slip per household."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _


def codes_pdf(forum, batch, codes: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Verification codes for %(f)s") % {"f": forum.name})
    width, height = A4
    per_page, slip_h = 4, (height - 20 * mm) / 4
    join_url = f"{settings.WAGTAILADMIN_BASE_URL}/forums/{forum.slug}/join/"
    for i, code in enumerate(codes):
        if i and i % per_page == 0:
            pdf.showPage()
        top = height - 10 * mm - (i % per_page) * slip_h
        pdf.setDash(3, 3)
        pdf.line(10 * mm, top - slip_h, width - 10 * mm, top - slip_h)
        pdf.setDash()
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(
            20 * mm,
            top - 15 * mm,
            _("Have your say on %(f)s's budget") % {"f": forum.name},
        )
        pdf.setFont("Helvetica", 10.5)
        lines = [
            _(
                "Public bodies have pooled money for your neighbourhood. You decide how it is spent."
            ),
            _(
                "Join the neighbourhood forum with this one-time code to suggest ideas and vote:"
            ),
        ]
        for n, line in enumerate(lines):
            pdf.drawString(20 * mm, top - (24 + 6 * n) * mm, line)
        pdf.setFont("Courier-Bold", 22)
        pdf.drawString(20 * mm, top - 47 * mm, code)
        pdf.setFont("Helvetica", 10)
        pdf.drawString(20 * mm, top - 56 * mm, _("Go to %(u)s") % {"u": join_url})
        pdf.drawString(
            20 * mm,
            top - 62 * mm,
            _("The code works once, only for this neighbourhood, until %(d)s.")
            % {"d": batch.expires_at.strftime("%d %B %Y")},
        )
    if not codes:
        pdf.drawString(
            20 * mm, height - 20 * mm, _("Every code in this batch has been used.")
        )
    pdf.save()
    return buffer.getvalue()


def codes_file(actor, batch, fmt: str) -> HttpResponse:
    """The unused codes of a batch as a CSV or printable PDF download; logged."""
    from civic.audit import audit_record

    if fmt not in ("csv", "pdf"):
        raise Http404
    forum = batch.forum
    audit_record(
        actor=actor,
        action="codes.export",
        target=batch,
        place=forum.place,
        summary=_("Verification codes downloaded as %(f)s") % {"f": fmt.upper()},
    )
    codes = list(
        batch.codes.filter(used_at__isnull=True).values_list("code", flat=True)
    )
    filename = f"codes-{forum.slug}-{batch.pk}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv")
        writer = csv.writer(response)
        writer.writerow(["code", "forum", "expires"])
        for code in codes:
            writer.writerow([code, forum.name, batch.expires_at.date().isoformat()])
    else:
        response = HttpResponse(
            codes_pdf(forum, batch, codes), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
