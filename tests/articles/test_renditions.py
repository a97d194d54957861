"""Figures come in sizes that fit the screen (issue 8): renditions, srcset, cleanup."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from PIL import Image

from articles.models import Article, Figure
from articles.renditions import WIDTHS

from ..factories import FigureFactory
from .admin_forms import article_change_data, inline_management
from .test_query_counts import build_article, count_queries

pytestmark = pytest.mark.django_db


def image_file(size, fmt="PNG", name=None, mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "steelblue").save(buffer, fmt)
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}[fmt]
    return ContentFile(buffer.getvalue(), name=name or f"chart.{extension}")


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def stored_size(figure, name):
    with figure.image.storage.open(name, "rb") as stored, Image.open(stored) as image:
        return image.format, image.size


def figure_img(client, article):
    """The first figure's <img> attributes, and its link's href under "href"."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    [link, *_] = lxml_html.fromstring(response.content).xpath("//figure[@class='figure']/a")
    [img] = link.xpath("img")
    return {**img.attrib, "href": link.get("href")}


# --- What is stored ----------------------------------------------------------


@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(min_value=1, max_value=2400),
    height=st.integers(min_value=1, max_value=900),
    fmt=st.sampled_from(["PNG", "JPEG", "WEBP"]),
)
def test_every_rendition_is_narrower_than_the_original_in_its_format_and_shape(
    published_article, width, height, fmt
):
    figure = FigureFactory(article=published_article, image=image_file((width, height), fmt))

    assert [r["width"] for r in figure.renditions] == [w for w in WIDTHS if w < width]
    for rendition in figure.renditions:
        stored_format, size = stored_size(figure, rendition["name"])
        assert stored_format == fmt
        assert size == (rendition["width"], rendition["height"])
        assert abs(size[1] / size[0] - height / width) <= 1 / size[0] + 1 / size[1] + 0.01
    assert (figure.width, figure.height) == (width, height)


def test_a_2000px_figure_gets_four_renditions_beside_the_original(published_article, settings):
    figure = FigureFactory(article=published_article, image=image_file((2000, 1000)))

    stem = figure.image.name.removesuffix(".png")
    assert [(r["width"], r["height"]) for r in figure.renditions] == [
        (480, 240),
        (800, 400),
        (1200, 600),
        (1600, 800),
    ]
    assert stored_files(settings) == sorted(
        [figure.image.name] + [f"{stem}-{w}w.png" for w in WIDTHS]
    )
    assert Figure.objects.get().renditions == figure.renditions


def test_a_small_image_is_never_upscaled(published_article, settings):
    figure = FigureFactory(article=published_article, image=image_file((400, 300)))

    assert figure.renditions == []
    assert stored_files(settings) == [figure.image.name]


def test_an_animated_gif_keeps_only_its_original(published_article):
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (900, 500), color) for color in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])

    figure = FigureFactory(
        article=published_article, image=ContentFile(buffer.getvalue(), name="a.gif")
    )

    assert figure.renditions == []


def test_an_unreadable_stored_image_gets_no_renditions_and_the_page_still_works(
    client, published_article
):
    figure = FigureFactory.build(article=published_article)
    figure.image.save("broken.png", ContentFile(b"not an image at all"), save=False)
    figure.save()

    assert figure.renditions == []
    img = figure_img(client, published_article)
    assert img["src"] == figure.image.url
    assert "srcset" not in img


# --- What the page shows -----------------------------------------------------


def test_the_page_offers_every_rendition_with_the_originals_size(client, published_article):
    figure = FigureFactory(article=published_article, image=image_file((2000, 1000)))

    img = figure_img(client, published_article)

    candidates = [c.strip().split(" ") for c in img["srcset"].split(",")]
    assert [int(w.removesuffix("w")) for _, w in candidates] == [*WIDTHS, 2000]
    for url, width in candidates:
        served = client.get(url)
        assert served.status_code == 200
        with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
            assert f"{image.width}w" == width
    assert img["src"] == figure.image.storage.url(figure.renditions[1]["name"])
    assert img["sizes"] == "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"
    assert (img["width"], img["height"]) == ("2000", "1000")
    assert img["loading"] == "lazy"
    assert img["decoding"] == "async"
    assert img["alt"] == figure.alt_text
    assert img["href"] == figure.image.url


def test_figures_with_renditions_cost_the_article_page_no_query(
    client, django_assert_max_num_queries
):
    plain = build_article("plain", sections=2, tags=1, figures=0, links=1)
    pictured = build_article("pictured", sections=2, tags=1, figures=0, links=1)
    for position in range(4):
        FigureFactory(article=pictured, position=position, image=image_file((1700, 900)))
    assert all(len(f.renditions) == 4 for f in pictured.figures.all())

    plain_count = count_queries(client, plain.get_absolute_url())
    with django_assert_max_num_queries(plain_count):
        response = client.get(pictured.get_absolute_url())
    assert response.content.decode().count("-800w.png 800w") == 4


def test_the_sizes_attribute_matches_the_article_column_in_the_stylesheet(settings):
    css = (settings.BASE_DIR / "static/css/site.css").read_text()

    assert "--measure: 42rem;" in css
    assert re.search(r"\.wrap \{[^}]*padding: 0 1\.25rem", css)
    assert re.search(r"\.article__body \{[^}]*max-width: var\(--measure\)", css)


def test_alt_text_and_caption_are_escaped(client, published_article):
    FigureFactory(
        article=published_article,
        image=image_file((900, 450)),
        alt_text='"><script>alert(1)</script>',
        caption="<b>bold</b>",
    )

    html = client.get(published_article.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "<b>bold</b>" not in html


def test_the_shared_image_is_1200px_wide_when_the_original_is_wider(published_article):
    wide = FigureFactory(article=published_article, image=image_file((2000, 1000)))
    narrow = FigureFactory(article=published_article, image=image_file((1000, 500)))

    assert wide.image_url_for_sharing.endswith("-1200w.png")
    assert narrow.image_url_for_sharing == narrow.image.url


# --- Replacing and deleting --------------------------------------------------


def test_a_replaced_image_gets_new_renditions_and_the_old_ones_are_deleted(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1300, 650)))
    old = [r["name"] for r in figure.renditions]

    with django_capture_on_commit_callbacks(execute=True):
        figure.image = image_file((900, 300), "JPEG")
        figure.save()

    assert [(r["width"], r["height"]) for r in figure.renditions] == [(480, 160), (800, 267)]
    files = stored_files(settings)
    assert not set(old) & set(files)
    assert {r["name"] for r in figure.renditions} <= set(files)


def test_saving_an_old_copy_of_a_figure_brings_back_its_image_with_renditions_that_exist(
    published_article, settings, django_capture_on_commit_callbacks
):
    """As restoring an old revision does: the copy lists renditions deleted since."""
    figure = FigureFactory(article=published_article, image=image_file((1300, 650)))
    old_copy = Figure.objects.get(pk=figure.pk)
    with django_capture_on_commit_callbacks(execute=True):
        figure.image = image_file((900, 300), "JPEG")
        figure.save()
    replaced = {r["name"] for r in figure.renditions}

    with django_capture_on_commit_callbacks(execute=True):
        old_copy.save()

    restored = Figure.objects.get(pk=figure.pk)
    assert restored.image.name == old_copy.image.name
    assert [r["width"] for r in restored.renditions] == [480, 800, 1200]
    files = set(stored_files(settings))
    assert {r["name"] for r in restored.renditions} <= files
    assert not replaced & files


def test_a_deleted_figure_saved_again_from_a_copy_gets_renditions_afresh(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1000, 500)))
    copy = Figure.objects.get(pk=figure.pk)
    with django_capture_on_commit_callbacks(execute=True):
        figure.delete()

    with django_capture_on_commit_callbacks(execute=True):
        copy.save()

    saved = Figure.objects.get(pk=copy.pk)
    assert len(saved.renditions) == 2
    assert {r["name"] for r in saved.renditions} <= set(stored_files(settings))


def test_saving_a_stale_copy_keeps_the_renditions_made_since(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1000, 500)))
    stale = Figure.objects.get(pk=figure.pk)
    with django_capture_on_commit_callbacks(execute=True):
        make_renditions("--all")

    stale.caption = "Edited in another tab."
    stale.save()

    saved = Figure.objects.get(pk=figure.pk)
    assert saved.caption == "Edited in another tab."
    assert {r["name"] for r in saved.renditions} <= set(stored_files(settings))
    assert len(saved.renditions) == 2


def test_a_deleted_figure_leaves_no_renditions(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1300, 650)))

    with django_capture_on_commit_callbacks(execute=True):
        figure.delete()

    assert stored_files(settings) == [figure.image.name]


def test_a_deleted_article_leaves_no_renditions(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1300, 650)))

    with django_capture_on_commit_callbacks(execute=True):
        published_article.delete()

    assert stored_files(settings) == [figure.image.name]


def test_articles_deleted_in_bulk_in_the_admin_leave_no_renditions(
    admin_client, settings, django_capture_on_commit_callbacks
):
    figures = [FigureFactory(image=image_file((1300, 650))) for _ in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:articles_article_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [f.article_id for f in figures],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert not Article.objects.exists()
    assert stored_files(settings) == sorted(f.image.name for f in figures)


def test_renditions_of_a_figure_deleted_in_a_rolled_back_transaction_stay(
    published_article, settings, django_capture_on_commit_callbacks
):
    figure = FigureFactory(article=published_article, image=image_file((1300, 650)))
    files = stored_files(settings)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        figure.delete()

    assert callbacks  # run only on commit, so a rollback keeps them
    assert stored_files(settings) == files


# --- The admin ---------------------------------------------------------------


def figure_form_data(article, image):
    section = article.sections.first()
    return {
        **article_change_data(article, section, body=section.body),
        **inline_management("figures", 1),
        "figures-0-article": article.pk,
        "figures-0-position": "1",
        "figures-0-image": image,
        "figures-0-alt_text": "A map",
    }


def test_a_figure_uploaded_in_the_admin_gets_renditions(admin_client, published_article):
    upload = SimpleUploadedFile("map.jpg", image_file((1000, 500), "JPEG").read(), "image/jpeg")

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[published_article.pk]),
        figure_form_data(published_article, upload),
    )

    assert response.status_code == 302, response.context["errors"]
    figure = published_article.figures.get()
    assert (figure.width, figure.height) == (1000, 500)
    assert [r["width"] for r in figure.renditions] == [480, 800]
    assert stored_size(figure, figure.renditions[0]["name"]) == ("JPEG", (480, 240))


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"<svg onload=alert(1)>"], ids=["cut", "svg"]
)
def test_a_broken_figure_upload_is_a_form_error_and_stores_nothing(
    admin_client, published_article, settings, content
):
    upload = SimpleUploadedFile("map.png", content, "image/png")

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[published_article.pk]),
        figure_form_data(published_article, upload),
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][1].formset.errors[0]["image"]
    assert not published_article.figures.exists()
    assert stored_files(settings) == []


# --- make_renditions ---------------------------------------------------------


def make_renditions(*args):
    out = io.StringIO()
    call_command("make_renditions", *args, stdout=out)
    return out.getvalue()


def figures_without_renditions(count, size=(1000, 500)):
    """Rows as a bulk insert or an older release left them: an image, no renditions."""
    figures = [FigureFactory(image=image_file(size)) for _ in range(count)]
    Figure.objects.update(renditions=[], renditions_of="")
    return figures


def test_make_renditions_fills_in_figures_that_have_none(settings):
    figures_without_renditions(3)
    for figure in Figure.objects.all():
        for rendition in figure.renditions:
            figure.image.storage.delete(rendition["name"])

    output = make_renditions()

    assert output == "Made 6 renditions for 3 figures.\n"
    for figure in Figure.objects.all():
        assert [r["width"] for r in figure.renditions] == [480, 800]
        assert figure.renditions_of == figure.image.name
        assert stored_size(figure, figure.renditions[1]["name"]) == ("PNG", (800, 400))
    assert make_renditions() == "Made 0 renditions for 0 figures.\n"


def test_make_renditions_dry_run_writes_nothing(settings):
    figures_without_renditions(2)
    files = stored_files(settings)

    assert make_renditions("--dry-run") == "Would make renditions for 2 figures.\n"
    assert stored_files(settings) == files
    assert not Figure.objects.exclude(renditions=[]).exists()


def test_make_renditions_all_remakes_them_and_deletes_the_old_ones(
    settings, django_capture_on_commit_callbacks
):
    [figure] = [FigureFactory(image=image_file((1000, 500)))]
    old = {r["name"] for r in figure.renditions}

    with django_capture_on_commit_callbacks(execute=True):
        assert make_renditions("--all") == "Made 2 renditions for 1 figure.\n"

    figure.refresh_from_db()
    assert len(figure.renditions) == 2
    assert not old & {r["name"] for r in figure.renditions}
    assert len(stored_files(settings)) == 3


def test_make_renditions_gets_past_a_missing_or_unreadable_original(settings):
    missing, damaged, fine = figures_without_renditions(3)
    missing.image.storage.delete(missing.image.name)
    with damaged.image.storage.open(damaged.image.name, "wb") as stored:
        stored.write(b"\x89PNG\r\n\x1a\n truncated")

    assert make_renditions() == "Made 2 renditions for 3 figures.\n"

    rows = {figure.pk: figure for figure in Figure.objects.all()}
    assert rows[missing.pk].renditions == rows[damaged.pk].renditions == []
    assert [r["width"] for r in rows[fine.pk].renditions] == [480, 800]
    assert make_renditions() == "Made 0 renditions for 0 figures.\n"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_stored_image_too_large_in_pixels_gets_no_renditions(published_article):
    # Over the 40 megapixel limit, small on disk (the admin refuses it on upload).
    bomb = image_file((7_500, 7_500), mode="1")
    figure = FigureFactory.build(article=published_article)
    figure.image.save("bomb.png", bomb, save=False)

    figure.save()

    assert figure.renditions == []
    assert figure.renditions_of == figure.image.name
