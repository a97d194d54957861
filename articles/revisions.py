"""
Revisions of an article: its text, sections, figures and tags at each save.

Built on django-reversion. A revision is taken explicitly by ``record()``
once everything an edit touches has been saved, never from reversion's save
signals: the admin saves the article before its sections and its tags, and a
snapshot taken then would mix old rows with new ones. Tags are followed as
taggit ``Tag`` rows, so a revision keeps the id and name of each tag.

``restore()`` brings back what a revision said, as a new revision: title,
standfirst, author, tags, places, sections and figures exactly, removing the sections
and figures added since. It never changes the article's address (its slug) or
its publishing state (status, dates, comments open): those belong to the
publishing functions. A comment that answered a removed section stays, no
longer tied to a section. Reversion's own ``Revision.revert()`` is not used:
it would also write back the followed ``Tag`` rows, renaming a tag on every
article that carries it.
"""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Revision, Version
from taggit.models import Tag

from . import page_cache, publishing, renditions
from .models import Article, Author, Figure, Section
from .search import refresh_search_vector

# What restoring a revision brings back from the article's own row.
RESTORED_ARTICLE_FIELDS = ("title", "standfirst", "author_id")
# Many-to-many fields kept as ids in the article's row, and restored too.
PLACE_FIELDS = ("countries", "regions", "actors")


def register_models():
    """Tell django-reversion what an article's revision holds (from AppConfig.ready)."""
    reversion.register(
        Article,
        exclude=("search_vector", "rank_vector"),
        follow=("sections", "figures", "tags"),
    )
    # Derived on save from the body: restoring saves each section again.
    reversion.register(Section, exclude=("body_html", "body_text", "word_count"))
    reversion.register(Figure)
    reversion.register(Tag)


def record(article, *, user=None, message=""):
    """Keep a revision of ``article`` as it is now in the database; return the ``Revision``.

    Call it after the article's sections, figures and tags are saved (the
    admin does, on every save). ``user`` may be None for a command or a
    scheduled change. A revision holds one article (its tags could not be
    told apart from another's), so this refuses to run inside
    ``reversion.create_revision()``, which would merge revisions.
    """
    if reversion.is_active():
        raise RuntimeError("revisions.record() keeps its own revision: call it outside another.")
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(article)
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment((message or "").strip())
    return revisions_of(article).order_by("-pk").first()


def revisions_of(article):
    """The revisions holding ``article``, newest first, with who made them."""
    return (
        Revision.objects.filter(
            version__content_type=_content_type(Article), version__object_id=str(article.pk)
        )
        .select_related("user")
        .order_by("-date_created", "-pk")
    )


def latest(article):
    return revisions_of(article).first()


def revision_of(article, revision_id):
    """The revision ``revision_id`` of ``article``; ``Revision.DoesNotExist`` for any other."""
    return revisions_of(article).get(pk=revision_id)


@dataclass(frozen=True)
class Snapshot:
    """What one revision says the article was: field values, tags, sections and figures."""

    revision: Revision
    article: dict
    tags: tuple  # ((tag id, name), ...) sorted by name
    sections: tuple  # field dicts, in page order
    figures: tuple  # field dicts, in page order


def snapshots(article, revisions):
    """A ``Snapshot`` of ``article`` for each of ``revisions``, in the same order (one query)."""
    versions = Version.objects.filter(revision__in=revisions).order_by("pk")
    by_revision = {revision.pk: [] for revision in revisions}
    for version in versions:
        by_revision[version.revision_id].append(version)
    return [_snapshot(article, revision, by_revision[revision.pk]) for revision in revisions]


def _snapshot(article, revision, versions):
    fields = {Article: None, Section: [], Figure: [], Tag: []}
    for version in versions:
        model = ContentType.objects.get_for_id(version.content_type_id).model_class()
        if model is Article and version.object_id == str(article.pk):
            fields[Article] = version.field_dict
        elif model is Tag:
            fields[Tag].append(version.field_dict)
        elif model in (Section, Figure):
            row = version.field_dict
            if row["article_id"] == article.pk:
                fields[model].append(row)
    if fields[Article] is None:
        raise Revision.DoesNotExist(f"Revision {revision.pk} does not hold article {article.pk}.")
    return Snapshot(
        revision=revision,
        article=fields[Article],
        tags=tuple(sorted(((row["id"], row["name"]) for row in fields[Tag]), key=_tag_order)),
        sections=tuple(sorted(fields[Section], key=_page_order)),
        figures=tuple(sorted(fields[Figure], key=_page_order)),
    )


def _page_order(row):
    return (row["position"], row["id"])  # as Section.Meta and Figure.Meta order them


def _tag_order(tag):
    return (tag[1].casefold(), tag[0])


def restore(article, revision, *, user=None):
    """Make ``article`` say again what ``revision`` held, as a new revision; return that revision.

    Sections and figures come back with their ids, anchors and order; those
    added since are deleted. Tags come back by id, or by name when the tag
    itself has been deleted since. An author deleted since is not brought
    back: the article keeps its current one. Raises ``Revision.DoesNotExist``
    when ``revision`` does not hold ``article``.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        (snapshot,) = snapshots(article, [revision])
        author_id = snapshot.article.get("author_id")
        if author_id not in (None, article.author_id) and not publishing.can_publish(user):
            # A contributor may not give their draft to another author (issue 9).
            raise RevertError("This revision names another author: only an editor can restore it.")
        _restore_article_fields(article, snapshot.article)
        kept_sections = _restore_sections(article, snapshot.sections)
        _restore_figures(article, snapshot.figures, kept_sections)
        _restore_tags(article, snapshot.tags)
        _restore_places(article, snapshot.article)
        refresh_search_vector(article)
        when = timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")
        restored = record(article, user=user, message=f"Restored the revision of {when}.")
        page_cache.content_changed()
    return restored


def left_out(article, revision):
    """What restoring ``revision`` cannot bring back because it was deleted since, as
    ``{"author": 1, "countries": 2, ...}`` (only what is missing): the editor is told."""
    (snapshot,) = snapshots(article, [revision])
    missing = {}
    author_id = snapshot.article.get("author_id")
    if author_id is not None and not Author.objects.filter(pk=author_id).exists():
        missing["author"] = 1
    for name in PLACE_FIELDS:
        ids = set(snapshot.article.get(name) or ())
        model = Article._meta.get_field(name).related_model
        gone = len(ids) - model.objects.filter(pk__in=ids).count() if ids else 0
        if gone:
            missing[name] = gone
    return missing


def _restore_article_fields(article, fields):
    for name in RESTORED_ARTICLE_FIELDS:
        if name in fields:
            setattr(article, name, fields[name])
    if not Author.objects.filter(pk=article.author_id).exists():
        article.author_id = Article.objects.values_list("author_id", flat=True).get(pk=article.pk)
    article.save()


def _restore_sections(article, rows):
    """Put back the sections in ``rows``; return their ids."""
    ids = {row["id"] for row in rows}
    Section.objects.filter(article=article).exclude(pk__in=ids).delete()
    # Anchors are unique per article: clear the current ones first, so that two
    # sections that swapped anchors since can take their old ones back.
    Section.objects.filter(article=article).update(anchor=None)
    for row in rows:
        Section(**{**row, "article_id": article.pk}).save()
    return ids


def _restore_figures(article, rows, section_ids):
    ids = {row["id"] for row in rows}
    added_since = Figure.objects.filter(article=article).exclude(pk__in=ids)
    renditions.discard_renditions(list(added_since))  # their files go when the rows do
    added_since.delete()
    for row in rows:
        section_id = row.get("section_id") if row.get("section_id") in section_ids else None
        Figure(**{**row, "article_id": article.pk, "section_id": section_id}).save()


def _restore_tags(article, tags):
    existing = Tag.objects.in_bulk([tag_id for tag_id, _ in tags])
    article.tags.set([existing.get(tag_id) or name for tag_id, name in tags])


def _restore_places(article, fields):
    """Countries, regions and actors as the revision listed them (django-reversion keeps an
    article's many-to-many ids in its own row), less any deleted since. A revision from
    before places existed leaves them as they are."""
    for name in PLACE_FIELDS:
        if name not in fields:
            continue
        manager = getattr(article, name)
        existing = manager.model.objects.filter(pk__in=fields[name]).values_list("pk", flat=True)
        manager.set(list(existing))


def _content_type(model):
    return ContentType.objects.get_for_model(model)
