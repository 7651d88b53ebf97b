from django.conf import settings


def site(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "debug": settings.DEBUG,
        "map_tiles": settings.NB_MAP_TILES,
        "map_attribution": settings.NB_MAP_ATTRIBUTION,
    }
