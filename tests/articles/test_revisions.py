"""Revisions of an article: kept at each admin save, listed, compared and restored."""

import re
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from reversion.models import Revision
from taggit.models import Tag
from taggit.utils import edit_string_for_tags

from articles import revisions
from articles.models import Article
from articles.revision_diff import text_diff

from ..factories import ArticleFactory, AuthorFactory, FigureFactory, SectionFactory
from .admin_forms import inline_management, untouched_inlines

pytestmark = pytest.mark.django_db


def form_data(article, *, note="", **changes):
    """The article's change form as the browser sends it back, with ``changes`` made."""
    sections = list(article.sections.all())
    figures = list(article.figures.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author": article.author_id,
        "tags": edit_string_for_tags(article.tags.all()),
        "status": article.status,
        "comments_open": "on" if article.comments_open else "",
        "revision_note": note,
        **inline_management("sections", len(sections), initial=len(sections)),
        **inline_management("figures", len(figures), initial=len(figures)),
        **untouched_inlines(),
    }
    if article.published_at:
        data["published_at_0"] = article.published_at.strftime("%Y-%m-%d")
        data["published_at_1"] = article.published_at.strftime("%H:%M:%S")
    for n, section in enumerate(sections):
        data |= {
            f"sections-{n}-id": section.pk,
            f"sections-{n}-article": article.pk,
            f"sections-{n}-position": section.position,
            f"sections-{n}-level": section.level,
            f"sections-{n}-heading": section.heading,
            f"sections-{n}-anchor": section.anchor,
            f"sections-{n}-body": section.body,
        }
    for n, figure in enumerate(figures):
        data |= {
            f"figures-{n}-id": figure.pk,
            f"figures-{n}-article": article.pk,
            f"figures-{n}-position": figure.position,
            f"figures-{n}-alt_text": figure.alt_text,
            f"figures-{n}-caption": figure.caption,
            f"figures-{n}-credit": figure.credit,
            f"figures-{n}-section": figure.section_id or "",
        }
    return {key: value for key, value in (data | changes).items() if value != ""}


def save(client, article, *, note="", **changes):
    """Save ``article`` through the admin's change form; return the article as stored."""
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, note=note, **changes),
    )
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    ]
    article.refresh_from_db()
    return article


def state(article):
    """Everything a restore must bring back exactly."""
    article.refresh_from_db()
    return {
        "article": (article.title, article.standfirst, article.author_id),
        "tags": sorted(article.tags.names()),
        "sections": [
            (s.pk, s.position, s.level, s.heading, s.anchor, s.body, s.body_html)
            for s in article.sections.all()
        ],
        "figures": [
            (f.pk, f.section_id, f.position, f.image.name, f.alt_text, f.caption, f.credit)
            for f in article.figures.all()
        ],
    }


def history_url(article_pk):
    return reverse("admin:articles_article_history", args=[article_pk])


def compare_url(article_pk):
    return reverse("admin:articles_article_compare", args=[article_pk])


def restore_url(article_pk, revision_pk):
    return reverse("admin:articles_article_restore", args=[article_pk, revision_pk])


@pytest.fixture
def article(db):
    article = ArticleFactory(published=True, slug="straits", title="Straits", tags=["Shipping"])
    SectionFactory(article=article, position=1, heading="Geography", body="Water narrows.")
    return article


def test_each_admin_save_keeps_a_revision_with_its_user_time_and_note(admin_client, article):
    save(admin_client, article, note="First <b>draft</b>")
    save(admin_client, article, note="", title="Straits and chokepoints")

    kept = list(revisions.revisions_of(article))
    page = admin_client.get(history_url(article.pk)).content.decode()

    assert [r.comment for r in kept] == ["", "First <b>draft</b>"]
    assert {r.user.username for r in kept} == {"admin"}
    assert kept[0].date_created >= kept[1].date_created
    assert "First &lt;b&gt;draft&lt;/b&gt;" in page and "<b>draft" not in page
    assert "2 revisions" in page


def test_adding_an_article_in_the_admin_keeps_its_first_revision(admin_client):
    author = ArticleFactory().author
    data = {
        "title": "Chokepoints",
        "slug": "chokepoints",
        "standfirst": "Narrow waters.",
        "author": author.pk,
        "tags": "Shipping",
        "status": "draft",
        "revision_note": "First draft",
        **inline_management("sections", 1),
        **inline_management("figures", 0),
        **untouched_inlines(),
        "sections-0-position": "1",
        "sections-0-level": "2",
        "sections-0-heading": "Hormuz",
        "sections-0-body": "Tankers wait.",
    }

    admin_client.post(reverse("admin:articles_article_add"), data)

    article = Article.objects.get(slug="chokepoints")
    (revision,) = revisions.revisions_of(article)
    (snapshot,) = revisions.snapshots(article, [revision])
    assert revision.comment == "First draft"
    assert [(s["heading"], s["body"]) for s in snapshot.sections] == [("Hormuz", "Tankers wait.")]
    assert [name for _, name in snapshot.tags] == ["Shipping"]


def test_the_article_form_offers_an_optional_revision_note(admin_client, article):
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert 'name="revision_note"' in page.content.decode()
    assert "Revision note" in page.content.decode()


def test_record_keeps_a_revision_for_a_caller_without_a_user(article):
    revision = revisions.record(article, message="  Imported from a file  ")

    assert revision.user is None
    assert revision.comment == "Imported from a file"
    (snapshot,) = revisions.snapshots(article, [revision])
    assert [s["heading"] for s in snapshot.sections] == ["Geography"]
    assert [name for _, name in snapshot.tags] == ["Shipping"]


def test_record_refuses_to_merge_into_another_revision(article):
    with pytest.raises(RuntimeError), reversion.create_revision():
        revisions.record(article)

    assert not revisions.revisions_of(article).exists()


def test_createinitialrevisions_keeps_a_first_revision_of_older_articles_once(article):
    out = StringIO()
    call_command("createinitialrevisions", "articles.Article", comment="Before", stdout=out)
    call_command("createinitialrevisions", "articles.Article", comment="Again", stdout=out)

    (revision,) = revisions.revisions_of(article)
    (snapshot,) = revisions.snapshots(article, [revision])
    assert revision.comment == "Before"
    assert [s["body"] for s in snapshot.sections] == ["Water narrows."]
    assert [name for _, name in snapshot.tags] == ["Shipping"]


def test_compare_marks_the_changed_sentence_and_escapes_what_editors_typed(admin_client, article):
    section = article.sections.get()
    SectionFactory(article=article, position=2, heading="Doomed <i>aside</i>", body="Gone soon.")
    save(
        admin_client,
        article,
        **{"sections-0-body": "The strait is open. <script>alert(1)</script> Ships pass."},
    )
    article.sections.filter(heading__startswith="Doomed").delete()
    SectionFactory(article=article, position=3, heading="Navies", body="Fleets arrive.")
    save(
        admin_client,
        article,
        title="Straits & chokepoints",
        **{"sections-0-body": "The strait is closed. <script>alert(1)</script> Ships pass."},
    )
    newer, older = revisions.revisions_of(article)

    # Asked newer first: the page still reads from the older to the newer.
    response = admin_client.get(compare_url(article.pk), {"from": newer.pk, "to": older.pk})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<del>open.</del><ins>closed.</ins>" in html
    assert "Straits<ins> &amp; chokepoints</ins>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Doomed &lt;i&gt;aside&lt;/i&gt;" in html
    assert '<article class="revision-entry revision-removed">' in html
    assert '<article class="revision-entry revision-added">' in html
    assert html.count('<article class="revision-entry revision-changed">') == 1
    assert section.heading in html


@given(old=st.text(max_size=200), new=st.text(max_size=200))
def test_a_text_diff_keeps_every_character_of_both_texts(old, new):
    chunks = text_diff(old, new)

    assert "".join(c.text for c in chunks if c.kind != "insert") == old
    assert "".join(c.text for c in chunks if c.kind != "delete") == new
    assert all(c.text for c in chunks)


def test_restore_brings_back_sections_figures_and_tags_exactly(
    admin_client, client, settings, article
):
    settings.PAGE_CACHE_ENABLED = True
    geography = article.sections.get()
    routes = SectionFactory(article=article, position=2, heading="Routes", body="Ships follow.")
    SectionFactory(article=article, position=3, heading="Ports", body="Cranes.", nested=True)
    FigureFactory(article=article, section=routes, caption="Old lanes.", position=1)
    FigureFactory(article=article, section=None, caption="Trailing map.", position=2)
    article.tags.add("Arctic", "Sea lanes, north")
    save(admin_client, article, note="Before the rewrite")
    before = state(article)
    first = revisions.latest(article)

    # Since then: a section removed and its anchor taken by another, whose own
    # anchor a third took; a section and a figure added, one figure removed,
    # the tags changed, and one of the old tags deleted outright.
    routes.delete()
    article.figures.filter(caption="Trailing map.").delete()
    SectionFactory(article=article, position=9, heading="Navies", body="Fleets arrive.")
    FigureFactory(article=article, caption="New chart.")
    article.tags.set(["Security"])
    Tag.objects.filter(name="Arctic").delete()
    save(
        admin_client,
        article,
        note="Rewrite",
        title="Chokepoints",
        **{
            "sections-0-body": "Water is contested.",
            "sections-0-anchor": "routes",
            "sections-1-anchor": "geography",
        },
    )
    assert geography.pk and client.get(article.get_absolute_url()).status_code == 200
    assert state(article) != before

    response = admin_client.post(restore_url(article.pk, first.pk))

    assert response.status_code == 302
    told = admin_client.get(response.url).content.decode()
    assert re.findall(r"Restored “([^”]*)” as it was at", told) == ["Straits"]
    assert state(article) == before
    assert article.slug == "straits" and article.is_published
    assert revisions.revisions_of(article).count() == 3
    assert revisions.latest(article).comment.startswith("Restored the revision of")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Water narrows." in page and "Water is contested." not in page
    assert "Fleets arrive." not in page


def test_restoring_is_confirmed_first_and_a_get_changes_nothing(admin_client, article):
    save(admin_client, article, note="One")
    first = revisions.latest(article)
    save(admin_client, article, **{"sections-0-body": "Water widens."})
    before = state(article)

    response = admin_client.get(restore_url(article.pk, first.pk))

    assert response.status_code == 200
    assert "<del>widens.</del><ins>narrows.</ins>" in response.content.decode()
    assert 'value="Restore this revision"' in response.content.decode()
    assert state(article) == before
    assert revisions.revisions_of(article).count() == 2


@pytest.fixture
def staff(db):
    def make(*codenames):
        user = User.objects.create_user(f"staff-{len(codenames)}", password="pw", is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user

    return make


def test_only_users_who_may_change_the_article_see_compare_or_restore_its_revisions(
    admin_client, client, staff, article
):
    save(admin_client, article, note="One")
    first = revisions.latest(article)
    save(admin_client, article, **{"sections-0-body": "Water widens."})
    before = state(article)
    pair = {"from": first.pk, "to": revisions.latest(article).pk}

    client.force_login(staff("view_article"))
    refused = [
        client.get(history_url(article.pk)).status_code,
        client.get(compare_url(article.pk), pair).status_code,
        client.get(restore_url(article.pk, first.pk)).status_code,
        client.post(restore_url(article.pk, first.pk)).status_code,
    ]
    client.force_login(staff("view_article", "change_article", "publish_article"))
    allowed = [
        client.get(history_url(article.pk)).status_code,
        client.get(compare_url(article.pk), pair).status_code,
    ]

    assert refused == [403, 403, 403, 403]
    assert allowed == [200, 200]
    assert state(article) == before
    assert revisions.revisions_of(article).count() == 2


def test_a_user_who_may_only_view_the_article_gets_no_revision_note(client, staff, article):
    # A contributor's own article, once submitted, is theirs to read but not to change.
    contributor = staff("view_article", "change_article")
    article.author.user = contributor
    article.author.save()
    article.status = Article.Status.REVIEW
    article.save()
    client.force_login(contributor)

    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert page.status_code == 200
    assert "Revision note" not in page.content.decode()


def test_restoring_a_revision_of_a_deleted_article_says_so_and_changes_nothing(
    admin_client, article
):
    save(admin_client, article, note="One")
    revision, pk = revisions.latest(article), article.pk
    article.delete()
    count = Revision.objects.count()

    response = admin_client.post(restore_url(pk, revision.pk), follow=True)

    assert response.status_code == 200
    assert "perhaps it was deleted" in response.content.decode()
    assert not Article.objects.filter(pk=pk).exists()
    assert Revision.objects.count() == count


def test_a_revision_of_another_article_or_a_tampered_id_is_404_and_changes_nothing(
    admin_client, article
):
    other = ArticleFactory(title="Other piece")
    SectionFactory(article=other, heading="Elsewhere")
    save(admin_client, other, note="Other")
    save(admin_client, article, note="Mine")
    foreign = revisions.latest(other)
    mine = revisions.latest(article)
    before, count = state(article), Revision.objects.count()

    statuses = [
        admin_client.post(restore_url(article.pk, foreign.pk)).status_code,
        admin_client.get(restore_url(article.pk, 10**20)).status_code,
        admin_client.get(compare_url(article.pk), {"from": foreign.pk, "to": mine.pk}).status_code,
        admin_client.get(compare_url(article.pk), {"from": "1 OR 1=1", "to": mine.pk}).status_code,
        admin_client.get(compare_url(article.pk), {"from": "9" * 30, "to": mine.pk}).status_code,
    ]
    tampered = admin_client.get(f"{history_url(article.pk)}abc/restore/")
    unchosen = admin_client.get(compare_url(article.pk), {"to": mine.pk}, follow=True)

    assert statuses == [404, 404, 404, 404, 404]
    assert tampered.status_code in {302, 404}
    assert "Choose two revisions to compare." in unchosen.content.decode()
    assert state(article) == before and Revision.objects.count() == count


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_history_page_costs_the_same_queries_for_one_revision_or_many(
    admin_client, django_assert_max_num_queries
):
    small = ArticleFactory(title="Small")
    SectionFactory(article=small)
    save(admin_client, small, note="Only one")
    large = ArticleFactory(title="Large")
    SectionFactory.create_batch(5, article=large)
    for n in range(12):
        user = User.objects.create_user(f"editor-{n}", is_staff=True)
        revisions.record(large, user=user, message=f"Edit {n}")

    small_count = count_queries(admin_client, history_url(small.pk))
    with django_assert_max_num_queries(small_count):
        page = admin_client.get(history_url(large.pk)).content.decode()
    assert "Edit 11" in page and "editor-0" in page


@pytest.mark.postgres
def test_restoring_refreshes_what_search_finds(admin_client, client, article):
    save(admin_client, article, note="One")
    first = revisions.latest(article)
    save(admin_client, article, **{"sections-0-body": "Icebreakers everywhere."})

    admin_client.post(restore_url(article.pk, first.pk))

    assert "Straits" in client.get("/search/", {"q": "narrows"}).content.decode()
    assert "Straits" not in client.get("/search/", {"q": "icebreakers"}).content.decode()


def test_an_imported_article_and_the_demo_content_start_with_a_revision(tmp_path):
    source = tmp_path / "straits.md"
    source.write_text(
        "---\nauthor: Ana Field\n---\n# Straits\n\nThe standfirst.\n\n## Ice\n\nThe ice is thin.\n"
    )
    call_command("import_article", str(source), stdout=StringIO())
    call_command("loaddemo", stdout=StringIO())
    call_command("loaddemo", stdout=StringIO())  # a second run adds no revision

    imported = Article.objects.get(title="Straits")
    assert [revision.comment for revision in revisions.revisions_of(imported)] == ["Imported"]
    demo = Article.objects.exclude(pk=imported.pk)
    assert demo.exists()
    assert all(revisions.revisions_of(article).count() == 1 for article in demo)


def test_a_contributor_cannot_give_their_draft_to_another_author_by_restoring(client, db):
    article = ArticleFactory(title="A draft")
    first = revisions.record(article, message="By the first author")
    contributor = User.objects.create_user("cora", is_staff=True)
    contributor.groups.add(Group.objects.get(name="Contributors"))
    profile = AuthorFactory(slug="cora", user=contributor)
    article.author = profile  # an editor gave the draft to the contributor since
    article.save()
    revisions.record(article, message="Now the contributor's")
    client.force_login(contributor)

    response = client.post(restore_url(article.pk, first.pk), follow=True)

    article.refresh_from_db()
    assert article.author == profile
    assert "only an editor" in response.content.decode()


@pytest.mark.parametrize("title", ["\u200b", "—", " \u2060 "])
def test_the_admin_refuses_a_title_with_no_letter_or_digit(admin_client, article, title):
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, title=title),
    )

    assert response.status_code == 200
    assert "A title needs at least one letter or digit." in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Straits"
