"""POST data for the article admin's forms, as the browser sends them."""


def inline_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def untouched_inlines():
    """The article form's corrections and preview links, left empty."""
    return {**inline_management("corrections", 0), **inline_management("preview_links", 0)}


def article_change_data(article, section, *, body):
    """The change form of a published ``article`` whose one ``section`` now reads ``body``."""
    return {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author": article.author.pk,
        "tags": "",
        "comments_open": "on",
        **inline_management("sections", 1, initial=1),
        **inline_management("figures", 0),
        **untouched_inlines(),
        "sections-0-id": section.pk,
        "sections-0-article": article.pk,
        "sections-0-position": str(section.position),
        "sections-0-level": str(section.level),
        "sections-0-heading": section.heading,
        "sections-0-anchor": section.anchor,
        "sections-0-body": body,
    }
