"""An RSS feed of one article's approved comments. Names only: never e-mail or IP hash."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404

from articles.models import Article

from .models import Comment

FEED_LENGTH = 30


class ArticleCommentsFeed(Feed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, obj):
        return f"Comments on “{obj.title}” — {settings.SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"Approved reader comments on “{obj.title}”."

    def items(self, obj):
        latest = Comment.objects.approved().for_article(obj).order_by("-created_at", "-pk")
        return latest[:FEED_LENGTH].with_discussion_pages()

    def item_title(self, item):
        return f"{item.name} on “{item.article.title}”"

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at
