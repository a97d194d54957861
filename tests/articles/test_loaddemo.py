import dataclasses
import io

import pytest
from django.core.management import call_command
from PIL import Image
from taggit.models import Tag, TaggedItem

from articles import demo
from articles.demo import loader
from articles.demo.spec import DemoFigure
from articles.models import Article, Author, Figure, Section, SocialLink

from ..html import outline

pytestmark = pytest.mark.django_db


def loaddemo(*args):
    out = io.StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


def media_files(settings):
    return sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*.*"))


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Section, Figure, Author, SocialLink, Tag, TaggedItem)
    }


def test_loaddemo_publishes_long_articles_with_nested_sections_and_footnotes():
    output = loaddemo()

    articles = list(Article.objects.published().with_word_count())
    assert len(articles) >= 3
    assert f"Loaded {len(articles)} demo articles by 2 authors." in output
    for article in articles:
        sections = list(article.sections.all())
        assert len(sections) >= 10
        assert sections[0].level == Section.Level.SECTION
        assert any(s.level == Section.Level.SUBSECTION for s in sections)
        assert any(s.notes for s in sections)
        assert article.word_count >= 2000
        assert article.tags.count() >= 3


def test_demo_figures_are_real_images_with_alt_text_caption_and_credit():
    loaddemo()

    for article in Article.objects.all():
        figures = list(article.figures.all())
        assert len(figures) >= 2
        assert any(figure.section_id for figure in figures)
        for figure in figures:
            assert figure.alt_text and figure.caption and figure.credit
            with figure.image.open("rb") as stored, Image.open(stored) as image:
                assert image.format == "PNG"
                assert image.size == (figure.width, figure.height)


def test_demo_figures_have_renditions_for_phones_and_tablets(client):
    loaddemo()

    for figure in Figure.objects.all():
        assert [r["width"] for r in figure.renditions] == [480, 800]
        storage = figure.image.storage
        for rendition in figure.renditions:
            with storage.open(rendition["name"], "rb") as stored, Image.open(stored) as image:
                assert image.size == (rendition["width"], rendition["height"])
    article = Article.objects.first()
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count(" 480w, ") == article.figures.count()


def test_demo_articles_share_tags_so_each_has_related_reading():
    loaddemo()

    for article in Article.objects.all():
        assert list(article.related())


def test_demo_authors_have_bios_social_links_and_private_details():
    loaddemo()

    authors = list(Author.objects.all())
    assert len(authors) == 2
    for author in authors:
        assert author.bio_html
        assert author.articles.exists()
        assert author.email.endswith("@example.org")
        assert author.phone and author.postal_address and author.birth_date
        links = list(author.social_links.all())
        assert links
        for link in links:
            assert link.url.startswith("https://")
            assert link.handle and link.followers and link.following


def test_demo_article_pages_show_a_table_of_contents_whose_links_resolve(client):
    loaddemo()

    for article in Article.objects.all():
        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        assert 'class="toc"' in response.content.decode()
        page = outline(response)
        anchors = [s.anchor for s in article.sections.all()]
        assert set(anchors) <= set(page.fragment_links)
        assert set(page.fragment_links) <= set(page.ids)


def test_demo_pages_never_show_authors_private_details(client):
    loaddemo()

    urls = ["/"]
    urls += [article.get_absolute_url() for article in Article.objects.all()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    for url in urls:
        page = client.get(url).content.decode()
        for author in Author.objects.all():
            assert author.email not in page
            assert author.phone not in page
            street, town, _country = author.postal_address.splitlines()
            assert street not in page
            assert town not in page
            assert author.birth_date.isoformat() not in page
            assert author.birth_date.strftime("%-d %B %Y") not in page


def test_loaddemo_twice_leaves_the_same_rows_and_files(settings):
    loaddemo()
    counts, files = row_counts(), media_files(settings)
    section_ids = set(Section.objects.values_list("pk", flat=True))

    loaddemo()

    assert row_counts() == counts
    assert media_files(settings) == files
    assert set(Section.objects.values_list("pk", flat=True)) == section_ids


def test_loaddemo_restores_edited_demo_content():
    loaddemo()
    article = Article.objects.get(slug=demo.ARTICLES[0].slug)
    first = article.sections.first()
    Section.objects.filter(pk=first.pk).update(body="Vandalised.")
    Section.objects.create(article=article, heading="An extra section", position=99)
    article.figures.last().delete()
    SocialLink.objects.create(author=article.author, platform="Elsewhere", url="https://x.test/")

    loaddemo()

    assert article.sections.get(pk=first.pk).body == demo.ARTICLES[0].sections[0].body
    assert article.sections.count() == len(demo.ARTICLES[0].sections)
    assert article.figures.count() == len(demo.ARTICLES[0].figures)
    assert not SocialLink.objects.filter(platform="Elsewhere").exists()


def test_loaddemo_replaces_a_changed_figure_file_and_deletes_the_old_one(
    settings, django_capture_on_commit_callbacks
):
    loaddemo()
    figure = Figure.objects.first()
    old_name = figure.image.name
    with figure.image.open("wb") as stored:
        stored.write(b"not the drawing any more")
    files = len(media_files(settings))

    with django_capture_on_commit_callbacks(execute=True):
        loaddemo()

    figure.refresh_from_db()
    assert figure.image.name != old_name
    assert not figure.image.storage.exists(old_name)
    with figure.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
    assert len(media_files(settings)) == files


def test_a_failing_load_changes_nothing_and_leaves_no_files(settings, monkeypatch):
    def broken_drawing():
        raise RuntimeError("the pen ran dry")

    last = demo.ARTICLES[-1]
    broken = dataclasses.replace(last, figures=(DemoFigure(broken_drawing, "", ""),))
    monkeypatch.setattr(loader, "ARTICLES", (*demo.ARTICLES[:-1], broken))

    with pytest.raises(RuntimeError, match="the pen ran dry"):
        loaddemo()

    assert all(count == 0 for count in row_counts().values())
    assert media_files(settings) == []


def test_if_empty_does_nothing_when_an_article_exists(published_article):
    counts = row_counts()

    output = loaddemo("--if-empty")

    assert output == "Articles already exist; demo content not loaded.\n"
    assert row_counts() == counts


def test_if_empty_loads_into_an_empty_database():
    loaddemo("--if-empty")

    assert Article.objects.published().count() == len(demo.ARTICLES)


def test_loaddemo_is_quiet_at_verbosity_zero():
    out = io.StringIO()

    call_command("loaddemo", verbosity=0, stdout=out)

    assert out.getvalue() == ""
    assert Article.objects.exists()
