"""Site search: Wagtail pages and published proposals, through Wagtail's search backend."""

from django.shortcuts import render
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from civic.access import require
from forums.models import PUBLIC_STATUSES, Proposal


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
