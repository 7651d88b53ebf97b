"""RSS 2.0 for a news index (Django's syndication framework)."""

from django.http import HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed


def news_feed(request, index) -> HttpResponse:
    feed = Rss201rev2Feed(
        title=index.title,
        link=request.build_absolute_uri(index.url),
        description=index.intro or index.title,
        language="en-gb",
    )
    for item in index.items()[:30]:
        feed.add_item(
            title=item.title,
            link=request.build_absolute_uri(item.url),
            description=item.intro,
            pubdate=None,
            unique_id=request.build_absolute_uri(item.url),
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
