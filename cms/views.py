"""Site search: Wagtail pages and published proposals, through Wagtail's search backend."""

import re
from pathlib import Path

from django.shortcuts import render
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from civic.access import require
from civic.charts import chart_bars
from forums.models import (
    PUBLIC_STATUSES,
    IdeaStatus,
    MembershipStatus,
    Proposal,
    ProposalStatus,
)


def search(request):
    require(request, "civic.view_place")
    query = (request.GET.get("q") or "").strip()[:200]
    pages, proposals = [], []
    if query:
        # The active language's tree only (aliases of untranslated pages included).
        pages = list(
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active())
            .specific()
            .search(query)[:20]
        )
        proposals = list(
            get_search_backend().search(
                query,
                Proposal.objects.filter(
                    status__in=PUBLIC_STATUSES, hidden=False
                ).select_related("forum"),
            )[:30]
        )
    return render(
        request,
        "cms/search.html",
        {"query": query, "pages": pages, "proposals": proposals},
    )


def patterns(request):
    """The pattern library (development only): every component in
    templates/components/ and the site's other building blocks, with sample data, for
    designers restyling the site (colours are in civic/static/civic/tokens.css)."""
    from django import forms
    from django.conf import settings
    from django.http import Http404

    if not settings.DEBUG:
        raise Http404

    class Sample(forms.Form):
        title = forms.CharField(label="Title", help_text="What residents will see.")
        cost = forms.DecimalField(label="Cost (£)")

    form = Sample({"title": "Floating reed beds", "cost": "not a number"})
    form.is_valid()
    statuses = {
        value: label
        for choices in (ProposalStatus, IdeaStatus, MembershipStatus)
        for value, label in choices.choices
    }
    tokens_css = (
        Path(settings.BASE_DIR) / "civic" / "static" / "civic" / "tokens.css"
    ).read_text()
    colours = [
        name
        for name, value in re.findall(r"(--[\w-]+):\s*([^;]+);", tokens_css)
        if value.strip().startswith("#")
    ]
    chart = chart_bars(
        [
            {"label": "Pocket park on the old coal yard", "n": 212, "funded": True},
            {"label": "Youth club evenings at the mill", "n": 168, "funded": True},
            {"label": "Bigger bins for the high street", "n": 61, "funded": False},
        ],
        "n",
        muted=lambda r: not r["funded"],
    )
    shares = [{"percent": 53.2}, {"percent": 25.5}, {"percent": 12.8}, {"percent": 8.5}]
    return render(
        request,
        "cms/patterns.html",
        {
            "statuses": sorted(statuses.items()),
            "form": form,
            "colours": colours,
            "chart": chart,
            "shares": shares,
            "errors": ["Choose at most 3 projects.", "You chose £2,000 over budget."],
        },
    )
