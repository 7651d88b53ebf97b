"""Two proposals side by side, and a proposal as a printable PDF for a notice board."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from wagtail.images.models import SourceImageIOError

from civic.access import require
from civic.models import Budget
from civic.money import pounds

from .models import PUBLIC_STATUSES, Forum, Proposal


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_l("First proposal"), queryset=None)
    b = forms.ModelChoiceField(label=_l("Second proposal"), queryset=None)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = proposals
        self.fields["b"].queryset = proposals

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose two different proposals."))
        return data


def compare(request, slug):
    forum = get_object_or_404(Forum.objects.select_related("place"), slug=slug)
    require(request, "forums.view_forum", forum)
    public = (
        Proposal.objects.filter(forum=forum, hidden=False, status__in=PUBLIC_STATUSES)
        .select_related("category")
        .prefetch_related("pictures__image__renditions")
        .annotate(num_comments=Count("comments", filter=Q(comments__hidden=False)))
        .order_by("title")
    )
    # Checked once both are chosen; the link from a proposal's page chooses the first.
    chosen = request.GET if {"a", "b"} <= set(request.GET) else None
    form = CompareForm(chosen, proposals=public, initial={"a": request.GET.get("a")})
    pair = []
    if form.is_bound and form.is_valid():
        pair = [form.cleaned_data["a"], form.cleaned_data["b"]]
    budget = Budget.objects.current().filter(place=forum.place).with_totals().first()
    for proposal in pair:
        proposal.budget_share = (
            round(100 * proposal.cost_pence / budget.total_pence, 1)
            if budget and budget.total_pence
            else None
        )
    return render(
        request,
        "forums/compare.html",
        {"forum": forum, "form": form, "pair": pair, "budget": budget},
        status=400 if form.is_bound and form.errors else 200,
    )


def _paragraphs(text: str) -> list[str]:
    """Text (the sanitised HTML of a description, or a plain note) as paragraphs."""
    text = text.replace("</p>", "\n\n").replace("<br>", "\n").replace("</li>", "\n")
    return [p.strip() for p in strip_tags(text).split("\n\n") if p.strip()]


def proposal_pdf(request, slug, pk):
    """A one-page notice of the proposal: picture, cost, what and where, and a QR code
    to the page to debate and vote."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.flowables import KeepTogether

    forum = get_object_or_404(Forum.objects.select_related("place"), slug=slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related("category"), pk=pk, forum=forum
    )
    require(request, "forums.view_proposal", proposal)
    url = settings.WAGTAILADMIN_BASE_URL + proposal.get_absolute_url()
    green = HexColor("#134a32")
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15)
    small = ParagraphStyle(
        "small", parent=body, fontSize=9, leading=12, textColor=HexColor("#55645c")
    )
    title = ParagraphStyle(
        "title",
        parent=body,
        fontName="Helvetica-Bold",
        fontSize=22,
        leading=27,
        textColor=green,
        alignment=TA_LEFT,
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontName="Helvetica-Bold",
        fontSize=13,
        leading=17,
        spaceBefore=8,
        textColor=green,
    )
    big = ParagraphStyle(
        "big", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=20
    )

    story = [
        Paragraph(escape(forum.name), small),
        Paragraph(escape(proposal.title), title),
        Paragraph(escape(proposal.summary), body),
        Spacer(1, 4 * mm),
    ]
    picture = proposal.pictures.select_related("image").first()
    try:
        rendition = picture and picture.image.get_rendition("max-1200x800")
    except SourceImageIOError:  # the file is gone from storage: print without it
        rendition = None
    if rendition:
        width = 170 * mm
        height = width * rendition.height / rendition.width
        story += [
            Image(rendition.file.path, width=width, height=height),
            Spacer(1, 3 * mm),
        ]
    facts = [
        _("Cost (official estimate): %(c)s") % {"c": pounds(proposal.cost_pence)},
        _("Category: %(c)s") % {"c": proposal.category.name},
        _("Status: %(s)s") % {"s": proposal.get_status_display()},
    ]
    if proposal.location_text:
        facts.append(_("Where: %(w)s") % {"w": proposal.location_text})
    story.append(Paragraph(escape(facts[0]), big))
    story += [Paragraph(escape(line), body) for line in facts[1:]]
    story.append(Paragraph(escape(_("What it is")), heading))
    story += [Paragraph(escape(p), body) for p in _paragraphs(proposal.description)]
    if proposal.feasibility_note:
        story.append(Paragraph(escape(_("Feasibility")), heading))
        story += [
            Paragraph(escape(p), body) for p in _paragraphs(proposal.feasibility_note)
        ]
    qr = QrCodeWidget(url)
    x0, y0, x1, y1 = qr.getBounds()
    drawing = Drawing(
        32 * mm,
        32 * mm,
        transform=[32 * mm / (x1 - x0), 0, 0, 32 * mm / (y1 - y0), 0, 0],
    )
    drawing.add(qr)
    story.append(
        KeepTogether(
            [
                Paragraph(escape(_("Have your say")), heading),
                Paragraph(
                    escape(
                        _("Read the debate, comment and vote at %(u)s") % {"u": url}
                    ),
                    body,
                ),
                drawing,
                Paragraph(
                    escape(
                        _("Printed %(d)s from Neighbourhood Budgets.")
                        % {"d": date_format(timezone.localdate(), "j F Y")}
                    ),
                    small,
                ),
            ]
        )
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=proposal.title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    ).build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proposal-{proposal.pk}.pdf"'
    return response
