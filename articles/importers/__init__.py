"""
Turn one Markdown file, or text saved from a web page, into an article.

``import_article()`` reads, parses and saves in one transaction, so a bad file
changes nothing; every problem is an ``ImportFailed`` whose message is one line
an editor can act on. The format is a saved web page for ``.html``/``.htm`` files
and for text that opens like HTML, Markdown for ``.md``/``.markdown`` files
and for any file that opens with a front matter block, plain text otherwise.
The rules of each format live beside their parser: ``html_page``,
``markdown_text``, ``plain_text`` and ``author_block`` (the author details any
of them may end with). ``privacy`` holds the rule all of them obey: private
contact data in the file never reaches a public field, whatever the options.

The article's author is, in order: the ``--author`` slug when that author
exists; else the author the file describes (author block or front matter),
found by slug or name and updated, or created (with the ``--author`` slug if
one was given).
"""

import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from .. import page_cache, publishing, revisions
from ..models import (
    TITLE_WITHOUT_LETTERS,
    Article,
    Author,
    Section,
    SocialLink,
    has_a_letter_or_digit,
    numbered,
    tag_name_problem,
)
from ..search import refresh_search_vector
from .html_page import looks_like_html, parse_html_page
from .markdown_text import has_front_matter, parse_markdown
from .parsed import ImportFailed, clip, split_tags
from .places import resolve_places, split_places
from .plain_text import parse_plain_text
from .privacy import REDACTED, redact, redact_message, safe_tags
from .standfirst import shorten_standfirst

__all__ = ["ImportFailed", "ImportResult", "import_article", "parse", "read_text", "split_tags"]

MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_FILE_BYTES = 10_000_000  # 10 MB: far more than any article
_PROFILE_FIELDS = ("job_title", "company", "bio", "email", "phone", "postal_address", "birth_date")


@dataclass
class ImportResult:
    article: Article
    section_count: int
    author_created: bool
    notes: list[str] = field(default_factory=list)


def import_article(
    path, *, author_slug=None, tags=(), countries=(), regions=(), actors=(), publish=False
):
    """Create one article from the file at ``path``: a draft unless ``publish``.

    ``countries``, ``regions`` and ``actors`` (codes, slugs or names) add to
    what the front matter says the article is about (``importers.places``).

    A published article takes the front matter date, else now; a future
    front matter date schedules it (``articles.publishing``). A move the
    admin would refuse (publishing without a standfirst) is an ``ImportFailed``
    and nothing is saved: the file is still there to fix. Tags that
    could be private (see ``privacy.safe_tags``) are dropped with a note.
    Returns an ``ImportResult``; raises ``ImportFailed`` having written
    nothing, its message free of e-mail addresses, phone numbers and the
    file's private values.
    """
    private = []
    try:
        parsed = parse(read_text(path), filename=str(path))
        private = parsed.private_values
        tag_names, tag_notes = safe_tags([*parsed.tags, *tags], private)
        parsed.notes += tag_notes
        about = resolve_places(
            countries=[*parsed.countries, *split_places(countries)],
            regions=[*parsed.regions, *split_places(regions)],
            actors=[*parsed.actors, *split_places(actors)],
        )
        with transaction.atomic():
            result = _save(parsed, author_slug, _check_tags(tag_names), about, publish)
    except ImportFailed as error:
        # The one place that keeps private values out of the editor's messages.
        raise ImportFailed(redact_message(str(error), private, keep=str(path))) from None
    page_cache.content_changed()
    return result


def _save(parsed, author_slug, tag_names, about, publish):
    if not has_a_letter_or_digit(parsed.title):
        raise ImportFailed(f"the title {parsed.title!r}: {TITLE_WITHOUT_LETTERS.lower()}")
    author, created, notes = _choose_author(parsed, author_slug)
    article = Article.objects.create(
        title=parsed.title,
        slug=_unique_slug(Article, parsed.title, fallback="article"),
        standfirst=parsed.standfirst,
        author=author,
        # A draft keeps the file's date, so publishing it later uses that date.
        published_at=parsed.date,
    )
    if tag_names:
        article.tags.add(*tag_names)
    countries, regions, actors = about
    article.countries.set(countries)
    article.regions.set(regions)
    article.actors.set(actors)
    # One save per section: save() derives the anchor, HTML and word count.
    for position, section in enumerate(parsed.sections, start=1):
        Section.objects.create(
            article=article,
            position=position,
            heading=section.heading,
            level=section.level,
            body=section.body,
        )
    refresh_search_vector(article)
    revisions.record(article, message="Imported")
    try:
        if publish and parsed.date and parsed.date > timezone.now():
            publishing.schedule(article, at=parsed.date)
        elif publish:
            publishing.publish(article)
    except publishing.TransitionError as error:
        # The admin's rules (publishing.check); raising here rolls the whole import back.
        hint = (
            ": add a standfirst to the file (front matter 'standfirst:' or text before "
            "the first ## heading), or import without --publish to save a draft"
            if not article.standfirst.strip()
            else ""
        )
        raise ImportFailed(f"{error} Nothing was imported{hint}.") from None
    return ImportResult(article, len(parsed.sections), created, [*parsed.notes, *notes])


def read_text(path):
    """The file's text; missing, empty, non-UTF-8, too large (over ``MAX_FILE_BYTES``)
    or not regular files raise ``ImportFailed``."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ImportFailed(f"{path} is a directory, not a file")
        if not stat.S_ISREG(mode):
            # A device or a pipe may never end (/dev/zero) or block on open.
            raise ImportFailed(f"{path} is not a regular file (a device, pipe or socket)")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as error:
        raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{path} is not UTF-8 text (undecodable byte at position {error.start}); "
            "save it as UTF-8"
        ) from None
    if not text.strip():
        raise ImportFailed(f"{path} is empty")
    return text


def parse(text, *, filename=""):
    """A ``ParsedArticle`` from ``text`` in its format (see the module docstring).

    Every format's result goes through ``privacy.redact()``, then a long
    standfirst is cut to a sentence or two (``standfirst.shorten_standfirst``).
    """
    suffix = Path(filename).suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_html(text)):
        parsed = parse_html_page(text)
    elif suffix in MARKDOWN_SUFFIXES or has_front_matter(text):
        parsed = parse_markdown(text)
    else:
        parsed = parse_plain_text(text)
    return shorten_standfirst(redact(parsed))


def _check_tags(names):
    unique = {}
    for name in names:
        if problem := tag_name_problem(name):
            raise ImportFailed(problem)
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


def _unique_slug(model, text, *, fallback):
    """A slug from ``text`` that no ``model`` row has yet: ``base``, ``base-2``, ``base-3``…"""
    limit = model._meta.get_field("slug").max_length - 10
    base = slugify(text)[:limit].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return numbered(base, taken)


def _same_person(name, other):
    return name.casefold() == other.casefold() or slugify(name) == slugify(other) != ""


def _find_author(name):
    """An existing author whose slug or name is ``name``."""
    lookup = Q(slug=name) | Q(name__iexact=name)
    if slugify(name):
        lookup |= Q(slug=slugify(name))
    return Author.objects.filter(lookup).order_by("pk").first()


def _choose_author(parsed, slug):
    """``(author, created, notes)`` for the article; see the module docstring."""
    details = parsed.author_details
    if details and not details.name:
        # A Name line of nothing but contact details: fatal unless --author chose someone.
        if slug and Author.objects.filter(slug=slug).exists():
            details = None
        else:
            raise ImportFailed(details.problem)
    if details and parsed.author_name and not _same_person(details.name, parsed.author_name):
        raise ImportFailed(
            f"the front matter names the author {parsed.author_name!r} "
            f"but the author block names {details.name!r}"
        )
    name = details.name if details else parsed.author_name
    if REDACTED in name:
        # Never find or create an author named after a removed private value.
        raise ImportFailed(
            "the author's name holds private contact details: write the name on its own"
        )
    if slug:
        chosen = Author.objects.filter(slug=slug).first()
        if chosen:
            if name and not (_same_person(name, chosen.name) or slugify(name) == slug):
                note = f"The file's author {name!r} was not used: --author chose {chosen.name}."
                return chosen, False, [note]
            return _save_author(chosen, details), False, []
        if not name:
            raise ImportFailed(
                f"no author with slug {slug!r}, and the file has no author block "
                "or front matter author to create one"
            )
        try:
            validate_slug(slug)
        except ValidationError:
            raise ImportFailed(
                f"--author {clip(slug)!r} is not a slug (letters, digits, hyphens)"
            ) from None
        if existing := _find_author(name):
            raise ImportFailed(
                f"no author with slug {slug!r}, and the file's author {name!r} "
                f"already exists as {existing.slug!r}"
            )
        return _save_author(Author(name=name, slug=slug), details), True, []
    if not name:
        raise ImportFailed(
            "no author: pass --author SLUG, add 'author:' to the front matter, "
            "or end the file with an author block"
        )
    existing = _find_author(name)
    if existing is None:
        author = Author(name=name, slug=_unique_slug(Author, name, fallback="author"))
        return _save_author(author, details), True, []
    return _save_author(existing, details), False, []


def _save_author(author, details):
    """Save what the author block gives (blank lines keep old values) and its profiles."""
    if details is None:
        if author.pk is None:
            author.save()
        return author
    if details.problem:
        raise ImportFailed(details.problem)
    for name in _PROFILE_FIELDS:
        value = getattr(details, name)
        if value not in ("", None):
            setattr(author, name, value)
    author.save()
    links = {link.platform.casefold(): link for link in author.social_links.all()}
    position = max((link.position for link in links.values()), default=-1)
    for profile in details.social_links:
        link = links.get(profile.platform.casefold())
        if link is None:
            position += 1
            link = SocialLink(author=author, platform=profile.platform, position=position)
            links[profile.platform.casefold()] = link
        link.url = profile.url
        link.handle = profile.handle or link.handle
        for count in ("followers", "following"):
            if getattr(profile, count) is not None:
                setattr(link, count, getattr(profile, count))
        link.save()
    return author
