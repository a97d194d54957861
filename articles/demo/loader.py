"""
Turn the demo specs into rows, so that loading twice leaves the same rows.

Authors and articles are matched on their slugs, sections on their anchors,
social links on their platform and figures on their position: a second load
updates those rows in place (keeping their ids, so anything that points at a
demo section survives) and deletes only what the specs no longer list.

Figure files are redrawn on every load but written only when their bytes
differ from the stored file; a new file gets new renditions. A replaced file
is deleted once the transaction commits (its renditions too); files written by
a load that fails are deleted straight away.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from places.models import Actor, Country, Region

from .. import page_cache, publishing, revisions
from ..models import Article, Author, Figure, Section, SocialLink
from ..search import refresh_search_vector
from . import ACTORS, ARTICLES, AUTHORS
from .figures import png_bytes


@dataclass
class _MediaChanges:
    written: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)


def load_demo():
    """Create or refresh the demo authors and articles; return the articles."""
    changes = _MediaChanges()
    try:
        with transaction.atomic():
            authors = {spec.slug: _load_author(spec) for spec in AUTHORS}
            for spec in ACTORS:
                _load_actor(spec)
            articles = [_load_article(spec, authors[spec.author], changes) for spec in ARTICLES]
            transaction.on_commit(lambda: _delete_files(changes.obsolete))
            page_cache.content_changed()
    except BaseException:
        _delete_files(changes.written)
        raise
    return articles


def _load_author(spec):
    author, _ = Author.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "job_title": spec.job_title,
            "company": spec.company,
            "bio": spec.bio,
            "email": spec.email,
            "phone": spec.phone,
            "postal_address": spec.postal_address,
            "birth_date": spec.birth_date,
        },
    )
    for position, link in enumerate(spec.links):
        SocialLink.objects.update_or_create(
            author=author,
            platform=link.platform,
            defaults={
                "position": position,
                "url": link.url,
                "handle": link.handle,
                "followers": link.followers,
                "following": link.following,
            },
        )
    author.social_links.exclude(platform__in=[link.platform for link in spec.links]).delete()
    return author


def _load_actor(spec):
    country = Country.objects.filter(code=spec.country).first() if spec.country else None
    Actor.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "kind": spec.kind,
            "description": spec.description,
            "country": country,
        },
    )


def _load_article(spec, author, changes):
    fields = {"title": spec.title, "standfirst": spec.standfirst, "author": author}
    article, created = Article.objects.update_or_create(
        slug=spec.slug,
        defaults=fields,
        # A new demo article is a draft dated spec.age ago, until published below.
        create_defaults={**fields, "published_at": timezone.now() - spec.age},
    )
    article.tags.set(list(spec.tags))
    article.countries.set(Country.objects.filter(code__in=spec.countries))
    article.regions.set(Region.objects.filter(slug__in=spec.regions))
    article.actors.set(Actor.objects.filter(slug__in=spec.actors))
    sections = _load_sections(article, spec.sections)
    refresh_search_vector(article)
    _load_figures(article, spec.figures, sections, changes)
    if created or not revisions.revisions_of(article).exists():
        revisions.record(article, message="Demo content")
    if article.status not in {Article.Status.PUBLISHED, Article.Status.ARCHIVED}:
        publishing.publish(article)
    return article


def _load_sections(article, specs):
    """Return the article's sections by heading."""
    sections = {}
    for position, spec in enumerate(specs, start=1):
        section, _ = Section.objects.update_or_create(
            article=article,
            anchor=Section.anchor_base(spec.heading),
            defaults={
                "position": position,
                "heading": spec.heading,
                "level": spec.level,
                "body": spec.body,
            },
        )
        sections[spec.heading] = section
    article.sections.exclude(pk__in=[s.pk for s in sections.values()]).delete()
    return sections


def _load_figures(article, specs, sections, changes):
    existing = {figure.position: figure for figure in article.figures.all()}
    for position, spec in enumerate(specs, start=1):
        figure = existing.pop(position, None) or Figure(article=article, position=position)
        figure.section = sections[spec.after] if spec.after else None
        figure.alt_text = spec.alt_text
        figure.caption = spec.caption
        figure.credit = spec.credit
        _store_png(figure.image, f"{article.slug}-{position}.png", spec.draw(), changes)
        before = {rendition["name"] for rendition in figure.renditions}
        figure.save()  # makes the renditions of a new image (articles/renditions.py)
        changes.written.extend(r["name"] for r in figure.renditions if r["name"] not in before)
    for figure in existing.values():
        if figure.image.name:
            changes.obsolete.append(figure.image.name)
        figure.delete()


def _store_png(field_file, name, image, changes):
    """Point ``field_file`` at a PNG of ``image``, writing a file only if needed."""
    data = png_bytes(image)
    if field_file.name:
        if _stored_bytes(field_file) == data:
            return
        changes.obsolete.append(field_file.name)
    field_file.save(name, ContentFile(data), save=False)
    changes.written.append(field_file.name)


def _stored_bytes(field_file):
    if not field_file.storage.exists(field_file.name):
        return None
    with field_file.storage.open(field_file.name, "rb") as stored:
        return stored.read()


def _delete_files(names):
    storage = Figure._meta.get_field("image").storage
    for name in names:
        storage.delete(name)
