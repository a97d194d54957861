"""RSS and Atom feeds of published articles: latest, per tag, per author.

A tag or author feed exists only when the tag or author is public (the same
querysets as their pages). Descriptions are HTML in both formats, so the
plain-text standfirst is escaped before it goes in: a feed reader that renders
descriptions shows what the editor typed, it never runs it. Corrections and
update notes (sanitised when saved) follow the standfirst, and the latest one
is the item's updated date.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Article, Author, public_tags

FEED_LENGTH = 20

# What XML 1.0 cannot carry: C0 controls but tab, line feed and carriage return.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """``value`` with the characters XML cannot carry made spaces (strings, and the
    strings in a list or tuple); anything else as it is."""
    if isinstance(value, str):
        return _NOT_XML.sub(" ", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class LatestArticlesFeed(Feed):
    description = settings.SITE_DESCRIPTION

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().for_feed()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        notes = list(item.corrections.all())
        if not notes:
            return escape(item.standfirst)
        return escape(item.standfirst) + render_to_string(
            "articles/feed_corrections.html", {"corrections": notes}
        )

    def item_author_name(self, item):
        return item.author.name

    def item_author_link(self, item):
        return item.author.get_absolute_url()  # made absolute in get_feed()

    def get_feed(self, obj, request):
        """The feed, its text fit for XML, each author's link made absolute.

        XML 1.0 cannot carry most control characters, and Django refuses to
        write a feed holding one: a vertical tab pasted from a word processor
        into one standfirst made every feed fail. An Atom ``<uri>`` is read
        outside the site (Django makes the item and feed links absolute, not
        this one).
        """
        feed = super().get_feed(obj, request)
        for values in (feed.feed, *feed.items):
            for name, value in values.items():
                values[name] = xml_text(value)
            if values.get("author_link"):
                values["author_link"] = request.build_absolute_uri(values["author_link"])
        return feed

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_on or item.published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all() if tag.slug]


class AtomLatestArticlesFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TagArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_tags(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def items(self, obj):
        return Article.objects.published().tagged(obj.slug).for_feed()[:FEED_LENGTH]


class AtomTagArticlesFeed(TagArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AuthorArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return Article.objects.published().filter(author=obj).for_feed()[:FEED_LENGTH]


class AtomAuthorArticlesFeed(AuthorArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
