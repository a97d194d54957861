"""
What search engines and sharing previews read about an article: JSON-LD, Open Graph, Twitter.

Built in Python from public fields only (an author's name and profile page,
never their private details) and rendered into the page head by
``templates/articles/article_meta.html``. URLs are absolute: ``absolute`` is
a function such as ``request.build_absolute_uri``. The JSON is escaped so that
nothing in a title (``</script>``) can end the script element early.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe

LOGO = "img/logo.png"

# As django.utils.html.json_script: <, > and & never appear raw in the script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def iso(moment):
    """A moment as ISO 8601 to the second, in the site's time zone (as the Open Graph tags)."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def first_image(article):
    """The first figure in reading order (prefetched ``figures``), or None."""
    figures = list(article.figures.all())
    return figures[0] if figures else None


def news_article(article, *, absolute):
    """A schema.org ``NewsArticle`` for a published article, as a dict."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.standfirst,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.updated_on or article.published_at),
        "author": [
            {
                "@type": "Person",
                "name": article.author.name,
                "url": absolute(article.author.get_absolute_url()),
            }
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": absolute("/"),
            "logo": {"@type": "ImageObject", "url": absolute(static(LOGO))},
        },
        "keywords": [tag.name for tag in article.tags.all() if tag.slug],
    }
    data.update(places(article, absolute=absolute))
    figure = first_image(article)
    if figure is not None:
        data["image"] = [absolute(figure.image.url)]
    notes = list(article.corrections.all())
    if notes:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "name": note.get_kind_display(),
                "text": note.plain_text,
                "datePublished": iso(note.published_at),
            }
            for note in notes
        ]
    return data


# schema.org types for an actor's kind: a leader is a person, a company a
# corporation; states, alliances and groups are organisations (a state as an
# actor is its government, not its territory).
ACTOR_TYPES = {"leader": "Person", "company": "Corporation"}


def places(article, *, absolute):
    """``about`` and ``contentLocation`` from the prefetched countries, regions and actors.

    Each thing names itself and links to its page on this site; countries carry
    their ISO 3166-1 code as ``identifier``. Nothing more is claimed (no
    ``sameAs`` to sites we have not checked).
    """
    countries = [
        {
            "@type": "Country",
            "name": country.name,
            "identifier": country.code,
            "url": absolute(country.get_absolute_url()),
        }
        for country in article.countries.all()
    ]
    regions = [
        {"@type": "Place", "name": region.name, "url": absolute(region.get_absolute_url())}
        for region in article.regions.all()
    ]
    actors = [
        {
            "@type": ACTOR_TYPES.get(actor.kind, "Organization"),
            "name": actor.name,
            "url": absolute(actor.get_absolute_url()),
        }
        for actor in article.actors.all()
    ]
    data = {}
    if countries or regions or actors:
        data["about"] = [*countries, *regions, *actors]
    if countries or regions:
        data["contentLocation"] = [*countries, *regions]
    return data


def json_ld(data):
    """``data`` as the safe contents of a ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False)
    # Escaped above: no <, > or & remains for the HTML parser to act on.
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


def sharing_context(article, *, absolute):
    """Context for ``articles/article_meta.html``: canonical URL, Open Graph, Twitter, JSON-LD."""
    figure = first_image(article)
    return {
        "article": article,
        "canonical_url": absolute(article.get_absolute_url()),
        "image": figure,
        "image_url": absolute(figure.image.url) if figure else "",
        "tags": [tag for tag in article.tags.all() if tag.slug],
        "published_time": iso(article.published_at),
        "modified_time": iso(article.updated_on or article.published_at),
        "site_name": settings.SITE_NAME,
        "json_ld": json_ld(news_article(article, absolute=absolute)),
    }
