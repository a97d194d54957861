"""Helpers shared by the import_article tests."""

from io import StringIO

from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article, Author, Section, SocialLink


def run_import(*args):
    """The command's standard output; errors raise ``CommandError``."""
    out = StringIO()
    call_command("import_article", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts():
    models = (Article, Section, Author, SocialLink, Tag)
    return {model.__name__: model.objects.count() for model in models}


def public_text(article):
    """Every public field an import wrote (article, sections, author profile, tags), joined."""
    author = article.author
    parts = [article.title, article.standfirst, author.name, author.job_title, author.company]
    parts += [author.bio, author.bio_html, *article.tags.names()]
    for section in article.sections.all():
        parts += [section.heading, section.body, section.body_html]
    for link in author.social_links.all():
        parts += [link.platform, link.url, link.handle]
    return "\n".join(parts)
