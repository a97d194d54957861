"""
A large, reproducible data set for the benchmark (``make bench``, issue 8).

Everything is derived from ``--seed``: the same arguments on an empty
database give the same authors, tags, titles, slugs, sections and comments.
Rows are written in bulk — ``COPY`` through psycopg 3 on PostgreSQL, one
``executemany`` per table elsewhere — so ``save()`` never runs. Fields that
``save()`` derives are therefore filled here, with the models' own helpers:
``Section.body_html``/``body_text``/``word_count``/``anchor`` (rendered once
per distinct body and reused), ``Article.standfirst_word_count``,
``Author.bio_html`` and ``Comment.body_html``. A field added later that is
derived on save (a search vector, a version counter) must be filled here too,
or refreshed in ``_after_insert()``.

Figures reuse a handful of small generated PNG files under ``bench/`` in the
media storage. Generated comments carry no fingerprint (they were never
posted through the form) and no replies.
"""

import datetime
import hashlib
import io
import json
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Max
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from PIL import Image, ImageDraw
from taggit.models import Tag, TaggedItem

from articles import page_cache
from articles.markdown import count_words, plain_text, render_markdown, render_section
from articles.models import (
    RESERVED_ANCHORS,
    Article,
    Author,
    Figure,
    Section,
    SocialLink,
    is_reserved_anchor,
    numbered,
)
from articles.publishing import publication_time
from comments.models import Comment, render_body

LONG_DISCUSSION_COMMENTS = 1000
DISTINCT_BODIES = 300
FIGURE_FILES = 6
EXECUTEMANY_CHUNK = 10_000

REGIONS = (
    "the Arctic", "the Sahel", "the Black Sea", "the South China Sea", "Central Asia",
    "the Horn of Africa", "the Baltic", "the Caucasus", "the Andes", "the Mekong",
    "the Eastern Mediterranean", "the Persian Gulf", "the Balkans", "the Pacific Islands",
    "the Great Lakes", "the Indian Ocean", "Patagonia", "the Levant", "the Maghreb", "Siberia",
)  # fmt: skip
TOPICS = (
    "energy", "shipping", "sanctions", "water", "grain", "semiconductors", "migration",
    "elections", "debt", "fisheries", "rare earths", "cables", "drones", "pipelines",
    "alliances", "ports", "railways", "climate", "borders", "refugees", "nuclear power",
    "oil", "gas", "lithium", "satellites", "tariffs", "currency", "insurgency", "aid",
)  # fmt: skip
ANGLES = (
    "who really decides", "a quiet realignment", "the cost of waiting", "what the maps miss",
    "the limits of leverage", "a decade of drift", "old rivals, new rules", "after the summit",
    "the money trail", "between two powers", "the view from the capital", "a fragile bargain",
)  # fmt: skip
HEADINGS = (
    "Background", "The stakes", "Key actors", "A short history", "The economics",
    "Military balance", "Legal questions", "Public opinion", "Scenarios", "What to watch",
    "Risks", "The neighbours", "Trade flows", "Infrastructure", "Domestic politics",
    "The diplomatic track", "Data and sources", "Outlook", "Recommendations", "Timeline",
)  # fmt: skip
WORDS = (
    "ministry", "border", "treaty", "tanker", "corridor", "summit", "coalition", "quota",
    "reserve", "tariff", "envoy", "harbour", "province", "militia", "parliament", "export",
    "budget", "drought", "convoy", "frontier", "market", "refinery", "council", "garrison",
    "negotiation", "sanction", "pipeline", "election", "ceasefire", "concession",
)  # fmt: skip
SEARCH_WORDS = TOPICS + WORDS


class Command(BaseCommand):
    help = (
        "Build a large, reproducible data set for the benchmark: authors, tags, articles "
        "with sections and figures, and comments with a long tail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="Number of articles.")
        parser.add_argument("--comments", type=int, required=True, help="Number of comments.")
        parser.add_argument("--seed", type=int, default=8, help="Random seed (default 8).")
        parser.add_argument(
            "--sections", type=int, default=None, help="Sections per article (default 8–16)."
        )
        parser.add_argument(
            "--append",
            "--force",
            action="store_true",
            dest="append",
            help="Add to a database that already has articles.",
        )

    def handle(self, *args, articles, comments, seed, sections, append, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if comments < 0:
            raise CommandError("--comments must be 0 or more.")
        if sections is not None and not 1 <= sections <= 60:
            raise CommandError("--sections must be between 1 and 60.")
        if not append and Article.objects.exists():
            raise CommandError(
                "The database already has articles; refusing to mix bench data into it. "
                "Use an empty database, or pass --append to add to it."
            )
        started = time.monotonic()
        with transaction.atomic():
            generator = BenchData(seed=seed, sections=sections)
            made = generator.generate(articles=articles, comments=comments)
        _after_insert()
        seconds = time.monotonic() - started
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{count:,} {name}" for name, count in made.items())
            self.stdout.write(f"Made {summary} in {seconds:.1f} s.")
            self.stdout.write(f"Long discussion: {generator.long_discussion_url}")
            self.stdout.write(f"Digest: {generator.digest.hexdigest()}")
        if options["verbosity"] >= 2:
            for table, spent in generator.writer.seconds.items():
                self.stdout.write(f"  {table}: {spent:.1f} s")


def _after_insert():
    """Bring the database up to date after bulk inserts: sequences, search vectors and
    planner statistics."""
    models = [Author, SocialLink, Article, Section, Figure, Tag, TaggedItem, Comment]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    # Fields save() would not fill either: the search vectors (PostgreSQL), and
    # pages cached before these rows existed.
    call_command("rebuild_search_index", recreate_indexes=True, verbosity=0)
    if connection.vendor == "postgresql":
        # After the vectors: statistics taken before them say every vector is NULL, and
        # the planner then ranks all 30,000 matches of a common word (issue 8).
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            if not connection.in_atomic_block:
                # What autovacuum would do in its own time (and never does where it is
                # off): clear the dead copy of every article row that writing the vectors
                # left, and mark the new rows visible to all, so that counting a page's
                # approved comments or reading its tags is an index-only scan, not a
                # heap page read per comment (issue 8).
                for model in models:
                    cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    page_cache.content_changed()


class BulkWriter:
    """Write rows (tuples in ``columns`` order) to a model's table in bulk."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                superuser = cursor.fetchone()[0]
                # pglz compression of the long section rows costs more than the COPY itself.
                cursor.execute(
                    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                    "WHERE name = 'default_toast_compression'"
                )
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
                if superuser:
                    # Skip per-row foreign-key triggers: the rows are consistent by
                    # construction, and this lasts only for the transaction.
                    cursor.execute("SET LOCAL session_replication_role = replica")
        self.seconds = {}  # table → seconds spent writing it, for --verbosity 2

    def write(self, model, columns, rows):
        """Insert ``rows``; concrete fields not in ``columns`` take their defaults."""
        fields = [model._meta.get_field(name) for name in columns]
        rest = [field for field in model._meta.concrete_fields if field not in fields]
        fields += rest
        defaults = tuple(field.get_default() for field in rest)
        rows = (tuple(row) + defaults for row in rows)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        started = time.monotonic()
        try:
            return self._write(fields, table, names, rows)
        finally:
            self.seconds[model._meta.db_table] = time.monotonic() - started

    def _write(self, fields, table, names, rows):
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                json_at = [i for i, field in enumerate(fields) if isinstance(field, JSONField)]
                rebuild = _drop_plain_indexes(cursor, table)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        if json_at:
                            row = list(row)
                            for i in json_at:
                                row[i] = json.dumps(row[i])
                        copy.write_row(row)
                        count += 1
                if rebuild:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the keys first
                    for sql in rebuild:
                        cursor.execute(sql)
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                return count
            marks = ", ".join(["%s"] * len(fields))
            # Table and column names come from the models' own metadata, quoted.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            chunk = []
            for row in rows:
                chunk.append(
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(fields, row, strict=True)
                    ]
                )
                if len(chunk) >= EXECUTEMANY_CHUNK:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                count += len(chunk)
        return count


def _drop_plain_indexes(cursor, table):
    """Drop a table's indexes that back no constraint; return the SQL that rebuilds them.

    One sorted build after the COPY is several times faster than updating
    every index row by row, and the transaction hides the gap from readers.
    """
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _next_id(model):
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class BenchData:
    """The generator; ``digest`` covers what must be reproducible (slugs, titles, anchors)."""

    def __init__(self, *, seed, sections=None):
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.sections = sections
        self.now = timezone.now()
        self.writer = BulkWriter()
        self.digest = hashlib.sha256()
        self.long_discussion_url = ""

    def generate(self, *, articles, comments):
        made = {}
        authors = self._authors(max(3, min(300, articles // 100)))
        made["authors"] = len(authors)
        tag_ids = self._tags(max(10, min(3000, articles // 30)))
        made["tags"] = len(tag_ids)
        bodies = self._bodies()
        figure_files = self._figure_files()
        article_rows = self._article_rows(articles, authors)
        made["articles"] = self.writer.write(
            Article,
            [
                "id", "title", "slug", "standfirst", "standfirst_word_count", "author_id",
                "status", "published_at", "comments_open", "created_at", "updated_at",
            ],
            article_rows,
        )  # fmt: skip
        published = [(row[0], row[7]) for row in article_rows if row[6] == "published"]
        self.long_discussion_url = Article(slug=article_rows[0][2]).get_absolute_url()
        section_ids = []  # (article id, first section id) for figures
        made["sections"] = self.writer.write(
            Section,
            [
                "id", "article_id", "position", "heading", "level", "anchor", "body",
                "body_html", "notes", "body_text", "word_count",
            ],
            self._section_rows(article_rows, bodies, section_ids),
        )  # fmt: skip
        made["figures"] = self.writer.write(
            Figure,
            [
                "id", "article_id", "section_id", "position", "image", "width", "height",
                "alt_text", "caption", "credit",
            ],
            self._figure_rows(section_ids, figure_files),
        )  # fmt: skip
        made["tag links"] = self.writer.write(
            TaggedItem,
            ["id", "tag_id", "object_id", "content_type_id"],
            self._tagged_rows(article_rows, tag_ids),
        )
        made["comments"] = self.writer.write(
            Comment,
            [
                "id", "article_id", "depth", "name", "email", "body", "body_html", "notify",
                "status", "created_at", "held_reasons", "moderated_at", "removal_reason",
                "approved_at", "report_count", "email_verified", "fingerprint", "ip_hash",
            ],
            self._comment_rows(comments, published),
        )  # fmt: skip
        return made

    # --- Authors and tags -----------------------------------------------------------

    def _authors(self, count):
        fake, first = self.fake, _next_id(Author)
        bios = [
            render_markdown(f"Writes on *{topic}* and {region}.", id_prefix="bio")
            for topic in TOPICS[:5]
            for region in REGIONS[:4]
        ]
        rows, links = [], []
        link_id = _next_id(SocialLink)
        for i in range(count):
            pk = first + i
            name = fake.name()
            slug = f"{slugify(name)[:120]}-{pk}"
            self.digest.update(slug.encode())
            bio_index = self.rng.randrange(len(bios))
            rows.append(
                (
                    pk, name, slug, fake.job(), fake.company(),
                    f"Writes on *{TOPICS[bio_index // 4]}* and {REGIONS[bio_index % 4]}.",
                    bios[bio_index].replace("bio-", f"bio-{slug}-"),
                    fake.email(), fake.phone_number(), fake.address(),
                    fake.date_of_birth(minimum_age=25, maximum_age=80), self.now, self.now,
                )
            )  # fmt: skip
            for position, platform in enumerate(self.rng.sample(["Mastodon", "LinkedIn", "X"], 2)):
                handle = f"{slug[:30]}"
                url = f"https://{platform.lower()}.example/{handle}"
                links.append((link_id, pk, position, platform, url, handle, pk * 7, pk * 3))
                link_id += 1
        self.writer.write(
            Author,
            [
                "id", "name", "slug", "job_title", "company", "bio", "bio_html", "email", "phone",
                "postal_address", "birth_date", "created_at", "updated_at",
            ],
            rows,
        )  # fmt: skip
        self.writer.write(
            SocialLink,
            ["id", "author_id", "position", "platform", "url", "handle", "followers", "following"],
            links,
        )
        return [row[0] for row in rows]

    def _tags(self, count):
        first, names, taken = _next_id(Tag), [], set(Tag.objects.values_list("slug", flat=True))
        combos = [f"{a} {b}" for a in TOPICS for b in REGIONS] + [
            f"{a} {b}" for a in WORDS for b in TOPICS
        ]
        self.rng.shuffle(combos)
        for name in combos + [f"{w} {n}" for n in range(count) for w in WORDS]:
            if len(names) == count:
                break
            slug = slugify(name)
            if slug not in taken:
                taken.add(slug)
                names.append((first + len(names), name.title(), slug))
        self.writer.write(Tag, ["id", "name", "slug"], names)
        return [row[0] for row in names]

    # --- Articles, sections, figures ------------------------------------------------

    def _bodies(self):
        """Distinct Markdown bodies, rendered once: a section's HTML does not name its anchor."""
        bodies = []
        for n in range(DISTINCT_BODIES):
            words = [self.rng.choice(WORDS) for _ in range(70)]
            para1 = " ".join(words[:35]).capitalize() + "."
            para2 = " ".join(words[35:]).capitalize() + "."
            items = "\n".join(f"- {self.rng.choice(TOPICS)} in {r}" for r in REGIONS[n % 5 :][:3])
            source = (
                f"{para1} See [the report](https://example.org/reports/{n}).[^1]\n\n"
                f"{items}\n\n{para2}\n\n[^1]: Source: field notes, report {n}."
            )
            html, notes = render_section(source)
            text = plain_text(" ".join([html, *notes]))
            bodies.append((source, html, notes, text, count_words(source)))
        return bodies

    def _article_rows(self, count, authors):
        first, rows = _next_id(Article), []
        for i in range(count):
            pk = first + i
            topic, region = self.rng.choice(TOPICS), self.rng.choice(REGIONS)
            title = f"{topic.capitalize()} in {region}: {self.rng.choice(ANGLES)}"
            slug = f"{slugify(title)[:180]}-{pk}"
            standfirst = (
                f"Why {topic} in {region} matters more than it seems, "
                f"and what a {self.rng.choice(WORDS)} could change."
            )
            self.digest.update(f"{title}\n{slug}\n".encode())
            # Written in bulk, so dated by publishing's own rule, not by publish().
            if i == 0:  # the long discussion: recent and public
                status = Article.Status.PUBLISHED
                published_at = publication_time(
                    self.now - datetime.timedelta(hours=2), now=self.now
                )
            elif self.rng.random() < 0.1:
                status, published_at = Article.Status.DRAFT, None
            else:
                status = Article.Status.PUBLISHED
                published_at = publication_time(
                    self.now - datetime.timedelta(minutes=self.rng.randrange(3 * 525_600)),
                    now=self.now,
                )
            created = published_at or self.now
            rows.append(
                (
                    pk, title, slug, standfirst, count_words(standfirst),
                    authors[self.rng.randrange(len(authors))], status, published_at, True,
                    created, created,
                )
            )  # fmt: skip
        return rows

    def _section_rows(self, article_rows, bodies, section_ids):
        # Ids are read before the COPY starts: no query may run while it streams.
        return self._sections_from(_next_id(Section), article_rows, bodies, section_ids)

    def _sections_from(self, pk, article_rows, bodies, section_ids):
        taken_base = set(RESERVED_ANCHORS)
        for row in article_rows:
            count = self.sections or self.rng.randint(8, 16)
            taken = set(taken_base)
            section_ids.append((row[0], pk))
            for position in range(count):
                heading = self.rng.choice(HEADINGS)
                level = 3 if position and self.rng.random() < 0.3 else 2
                anchor = numbered(Section.anchor_base(heading), taken, is_reserved_anchor)
                taken.add(anchor)
                self.digest.update(anchor.encode())
                source, html, notes, text, words = bodies[self.rng.randrange(len(bodies))]
                yield (
                    pk, row[0], position + 1, heading, level, anchor, source,
                    html, notes, text, words + count_words(heading),
                )  # fmt: skip
                pk += 1

    def _figure_files(self):
        files = []
        for n in range(FIGURE_FILES):
            name = f"bench/figure-{n}.png"
            if not default_storage.exists(name):
                image = Image.new("RGB", (640, 360), (240, 236, 228))
                ImageDraw.Draw(image).rectangle((40, 40 + n * 20, 600, 320), fill=(60, 90, 140))
                buffer = io.BytesIO()
                image.save(buffer, "PNG")
                name = default_storage.save(name, ContentFile(buffer.getvalue()))
            files.append(name)
        return files

    def _figure_rows(self, section_ids, files):
        return self._figures_from(_next_id(Figure), section_ids, files)

    def _figures_from(self, pk, section_ids, files):
        for article_id, section_id in section_ids:
            if self.rng.random() < 0.2:
                yield (
                    pk, article_id, section_id, 0, self.rng.choice(files), 640, 360,
                    "A bar across a pale background", "A generated figure.", "Bench",
                )  # fmt: skip
                pk += 1

    def _tagged_rows(self, article_rows, tag_ids):
        content_type = ContentType.objects.get_for_model(Article).pk
        return self._tagged_from(_next_id(TaggedItem), content_type, article_rows, tag_ids)

    def _tagged_from(self, pk, content_type, article_rows, tag_ids):
        for row in article_rows:
            # Popular tags are shared by many articles: a skewed pick.
            chosen = {tag_ids[int(len(tag_ids) * self.rng.random() ** 2)] for _ in range(5)}
            for tag_id in sorted(chosen):
                yield (pk, tag_id, row[0], content_type)
                pk += 1

    # --- Comments ---------------------------------------------------------------------

    def _comment_rows(self, count, published):
        return self._comments_from(_next_id(Comment), count, published)

    def _comments_from(self, pk, count, published):
        texts = [
            " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(8, 60))).capitalize()
            + "."
            for _ in range(200)
        ]
        rendered = [render_body(text) for text in texts]
        long_count = min(LONG_DISCUSSION_COMMENTS, count // 2)
        for n in range(count):
            if n < long_count:
                article_id, published_at = published[0]
                status = "approved"
            else:
                # A long tail over the other articles: a few draw most of the discussion.
                tail = 1 + int((len(published) - 1) * self.rng.random() ** 1.5)
                article_id, published_at = published[min(tail, len(published) - 1)]
                roll = self.rng.random()
                status = "approved" if roll < 0.8 else "pending" if roll < 0.92 else "rejected"
            created = published_at + datetime.timedelta(seconds=60 + n % 86_400)
            text = self.rng.randrange(len(texts))
            moderated = created + datetime.timedelta(hours=1) if status != "pending" else None
            yield (
                pk, article_id, 0, f"Reader {n % 5000}", f"reader{n % 5000}@example.net",
                texts[text], rendered[text], False, status, created, [], moderated,
                "off-topic" if status == "rejected" else "",
                moderated if status == "approved" else None, 0, False, "", "",
            )  # fmt: skip
            pk += 1
