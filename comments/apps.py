from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from articles import discussion, page_cache

        from . import client
        from .article_page import ArticlePageDiscussion

        # Every page with a comment form gets each reader's own signed token.
        page_cache.register_slot(client.FORM_TOKEN_PLACEHOLDER.encode(), client.issue_form_token)
        # The article pages ask this for their discussion, form and list counts.
        discussion.register(ArticlePageDiscussion())
