"""Template filters for the place pages (templates/places/)."""

from django import template

register = template.Library()

META_DESCRIPTION_LENGTH = 160


@register.filter
def meta_description(text, limit=META_DESCRIPTION_LENGTH):
    """``text`` on one line, cut on a word boundary to at most ``limit`` characters.

    Search engines show about 160 characters; a longer description is cut by
    them mid-word. A cut text ends with "…".
    """
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"
