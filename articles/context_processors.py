from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """The publication's name and description, for every template."""
    return {"site_name": settings.SITE_NAME, "site_description": settings.SITE_DESCRIPTION}


def region_nav(request):
    """The header's top-level regions (``includes/region_nav.html``), read only when a page
    shows them, from the page cache; the article page passes its own (folded into its query)."""
    from . import place_pages

    return {"region_nav": SimpleLazyObject(place_pages.top_regions)}
