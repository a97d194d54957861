"""RSS and Atom feeds of published articles: latest, per tag, per author."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from .models import Article, Author

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    description = settings.SITE_DESCRIPTION

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:list")

    def items(self):
        return Article.objects.published().for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_author_name(self, item):
        return item.author.name

    def item_author_link(self, item):
        return item.author.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class AtomLatestArticlesFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class TagArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def items(self, obj):
        return Article.objects.published().tagged(obj.slug).for_listing()[:FEED_LENGTH]


class AtomTagArticlesFeed(TagArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class AuthorArticlesFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return Article.objects.published().filter(author=obj).for_listing()[:FEED_LENGTH]


class AtomAuthorArticlesFeed(AuthorArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
