"""Uploads through the Markdown editor can never run script (issue 7, part 4)."""

import io
import re

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from articles.uploads import ReencodedImageField, reencode_image

UPLOAD = "/markdownx/upload/"
PREVIEW = "/markdownx/markdownify/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
ATTACK = b"GIF89a<script>fetch('/admin/auth/user/1/change/',{method:'POST'})</script>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)">'
    b"<script>alert(1)</script></svg>"
)


def image_bytes(fmt="PNG", size=(320, 200), mode="RGB", color="steelblue", **save):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(client, content, name="chart.png", content_type="image/png"):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, content, content_type)}, **XHR)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def stored_url(response):
    match = re.fullmatch(r"!\[\]\((?P<url>[^)]+)\)", response.json()["image_code"])
    return match["url"]


def staff(username, *, group=None, permissions=()):
    user = User.objects.create_user(username, f"{username}@newsroom.example", "pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def editor_client(client, db):
    client.force_login(staff("eddie", group="Editors"))
    return client


# --- What is stored ----------------------------------------------------------


def test_an_upload_is_stored_under_a_random_name_with_the_extension_of_its_detected_format(
    editor_client, settings
):
    response = upload(
        editor_client, image_bytes("PNG"), name="../../evil.jpg", content_type="image/jpeg"
    )

    assert response.status_code == 200
    url = stored_url(response)
    assert re.fullmatch(r"/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png", url)
    [path] = stored_files(settings)
    assert url == f"/media/{path}"
    with Image.open(settings.MEDIA_ROOT / path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (320, 200)


@pytest.mark.parametrize(
    ("fmt", "extension", "content_type"),
    [("JPEG", "jpg", "image/jpeg"), ("WEBP", "webp", "image/webp"), ("GIF", "gif", "image/gif")],
)
def test_each_raster_format_is_kept_and_served_as_itself(
    editor_client, fmt, extension, content_type
):
    response = upload(editor_client, image_bytes(fmt), name="upload.bin", content_type="image/png")

    url = stored_url(response)
    assert url.endswith(f".{extension}")
    served = editor_client.get(url)
    assert served["Content-Type"] == content_type
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert image.format == fmt


def test_html_declared_as_gif_is_refused_and_nothing_is_stored(editor_client, settings):
    response = upload(editor_client, ATTACK, name="x.html", content_type="image/gif")

    assert response.status_code == 400
    [message] = response.json()["image"]
    assert message.startswith("This ")
    assert stored_files(settings) == []


def test_svg_declared_as_gif_is_refused(editor_client, settings):
    response = upload(editor_client, SVG, name="x.svg", content_type="image/gif")

    assert response.status_code == 400
    assert "not a JPEG, PNG, WebP or GIF" in response.json()["image"][0]
    assert stored_files(settings) == []


def test_a_real_gif_carrying_script_is_stored_without_a_byte_of_it(editor_client, settings):
    # A valid GIF with a script in its comment block and HTML after the trailer:
    # a polyglot that a sniffing browser could run as a page.
    polyglot = image_bytes("GIF", comment=b"<script>alert(document.domain)</script>")
    polyglot += b"<html><script>alert(document.cookie)</script></html>"

    response = upload(editor_client, polyglot, name="x.html", content_type="image/gif")

    assert response.status_code == 200
    [path] = stored_files(settings)
    assert path.endswith(".gif")
    stored = (settings.MEDIA_ROOT / path).read_bytes()
    assert b"<script" not in stored
    assert b"<html" not in stored


def test_text_declared_as_png_is_refused(editor_client, settings):
    response = upload(editor_client, b"just some notes\n" * 20, name="notes.png")

    assert response.status_code == 400
    assert stored_files(settings) == []


def test_a_truncated_image_is_refused_with_a_clear_message(editor_client, settings):
    whole = image_bytes("JPEG", size=(800, 600))

    response = upload(editor_client, whole[: len(whole) // 2], name="cut.jpg")

    assert response.status_code == 400
    assert response.json()["image"] == [
        "This image is damaged or incomplete and cannot be read. Export it again and retry."
    ]
    assert stored_files(settings) == []


@pytest.mark.parametrize("side", [7_500, 20_000])  # over the limit; over twice the limit
def test_a_decompression_bomb_is_refused_before_it_is_decoded(editor_client, settings, side):
    bomb = image_bytes("PNG", size=(side, side), mode="1", color=0)
    assert len(bomb) < 1_000_000  # small on the wire, huge in memory

    response = upload(editor_client, bomb, name="bomb.png")

    assert response.status_code == 400
    assert "too large in pixels" in response.json()["image"][0]
    assert stored_files(settings) == []


def test_an_image_over_the_size_cap_is_refused(editor_client, settings):
    big = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)

    response = upload(editor_client, big, name="big.png")

    assert response.status_code == 400
    assert response.json()["image"][0].startswith("Images must be 5.0\xa0MB or smaller")
    assert stored_files(settings) == []


def test_a_post_without_a_file_is_a_400_with_a_message(editor_client):
    response = editor_client.post(UPLOAD, {}, **XHR)

    assert response.status_code == 400
    assert response.json() == {"image": ["Choose an image to upload."]}


def test_gps_and_other_exif_are_stripped_and_the_orientation_applied(editor_client, settings):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
    photo = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())

    response = upload(editor_client, photo, name="photo.jpg", content_type="image/jpeg")

    [path] = stored_files(settings)
    assert response.status_code == 200
    with Image.open(settings.MEDIA_ROOT / path) as stored:
        assert stored.size == (200, 400)
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert b"Camera maker" not in (settings.MEDIA_ROOT / path).read_bytes()


def test_a_wide_image_is_shrunk_to_the_configured_width(editor_client, settings):
    settings.MARKDOWNX_IMAGE_MAX_SIZE = {"size": (1600, 0), "quality": 85}

    upload(editor_client, image_bytes("PNG", size=(3200, 800)))

    [path] = stored_files(settings)
    with Image.open(settings.MEDIA_ROOT / path) as stored:
        assert stored.size == (1600, 400)


def test_an_animated_gif_stays_animated(editor_client, settings):
    frames = [Image.new("RGB", (60, 40), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)

    upload(editor_client, buffer.getvalue(), name="anim.gif", content_type="image/gif")

    [path] = stored_files(settings)
    with Image.open(settings.MEDIA_ROOT / path) as stored:
        assert stored.n_frames == 3


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_no_byte_string_is_stored_unless_it_decodes_as_a_raster_image(data):
    for payload in (data, b"GIF89a" + data, b"\x89PNG\r\n\x1a\n" + data, b"\xff\xd8\xff" + data):
        try:
            clean = reencode_image(io.BytesIO(payload))
        except ValidationError as error:
            assert error.messages[0]
            continue
        with Image.open(io.BytesIO(clean.content)) as image:
            assert image.format in {"JPEG", "PNG", "WEBP", "GIF"}


# --- Who may use the editor's endpoints --------------------------------------


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: staff("mo", group="Moderators"),
        lambda: staff("nobody"),
        lambda: staff("commenter-admin", permissions=["change_comment"]),
    ],
    ids=["moderator", "staff-without-group", "comment-permissions-only"],
)
def test_staff_who_may_not_change_articles_or_authors_get_403(client, db, settings, make_user):
    client.force_login(make_user())

    uploaded = upload(client, image_bytes("PNG"))
    preview = client.post(PREVIEW, {"content": "**x**"})

    assert uploaded.status_code == 403
    assert preview.status_code == 403
    assert stored_files(settings) == []


def test_a_user_who_may_change_authors_may_upload_a_portrait(client, db):
    client.force_login(staff("desk", permissions=["view_author", "change_author"]))

    assert upload(client, image_bytes("JPEG"), name="portrait.jpg").status_code == 200
    assert client.post(PREVIEW, {"content": "**x**"}).status_code == 200


def test_readers_are_sent_to_the_admin_login(client, db, settings):
    assert upload(client, image_bytes("PNG"))["Location"].startswith("/admin/login/")
    assert stored_files(settings) == []


def test_preview_without_content_is_a_400_with_a_message(editor_client):
    response = editor_client.post(PREVIEW, {})

    assert response.status_code == 400
    assert "Nothing to preview" in response.content.decode()


def test_preview_renders_with_the_site_sanitiser(editor_client):
    response = editor_client.post(
        reverse("markdownx_markdownify"),
        {"content": '**bold** <img src=x onerror="alert(1)"> [a](javascript:alert(1))'},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "onerror" not in html
    assert "javascript:" not in html


# --- The admin's ImageFields -------------------------------------------------


class PortraitForm(forms.Form):
    avatar = ReencodedImageField()


def test_the_admin_image_field_refuses_svg_and_html():
    for name, content in [("a.svg", SVG), ("a.gif", ATTACK)]:
        form = PortraitForm(files={"avatar": SimpleUploadedFile(name, content, "image/gif")})

        assert not form.is_valid()
        assert form.errors["avatar"]


def test_the_admin_image_field_stores_a_clean_copy_under_a_random_name():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    photo = image_bytes("JPEG", exif=exif.tobytes())
    form = PortraitForm(files={"avatar": SimpleUploadedFile("me.html", photo, "text/html")})

    assert form.is_valid(), form.errors
    avatar = form.cleaned_data["avatar"]
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", avatar.name)
    assert b"Camera maker" not in avatar.read()


# --- How media is served -----------------------------------------------------


def plant(settings, name, content):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"/media/{name}"


@pytest.mark.parametrize(
    "name",
    ["uploads/old.html", "uploads/old.svg", "uploads/page.htm", "uploads/x.html.gz", "uploads/x"],
)
def test_files_already_on_disk_are_never_served_as_html_or_svg(client, db, settings, name):
    url = plant(settings, name, b"<html><script>alert(document.cookie)</script></html>")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert "Content-Encoding" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_raster_file_is_served_as_its_type_in_a_sandbox(client, db, settings):
    url = plant(settings, "uploads/2026/11/chart.PNG", b"<script>alert(1)</script>")

    response = client.get(url)

    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_paths_outside_media_root_are_refused(client, db, settings):
    plant(settings, "ok.png", image_bytes("PNG"))

    assert client.get("/media/../geopolitics/settings.py").status_code in {400, 404}
    assert client.get("/media/%2e%2e/%2e%2e/etc/passwd").status_code in {400, 404}
    assert client.get("/media/ok.png").status_code == 200


# --- The admin's own image fields (Figure.image, Author.avatar) --------------


def author_form_data(**extra):
    return {
        "name": "Noor Haddad",
        "slug": "noor-haddad",
        "social_links-TOTAL_FORMS": "0",
        "social_links-INITIAL_FORMS": "0",
        "social_links-MIN_NUM_FORMS": "0",
        "social_links-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_an_author_portrait_uploaded_in_the_admin_is_re_encoded(admin_client, settings):
    from articles.models import Author

    portrait = SimpleUploadedFile(
        "me.html", image_bytes("GIF") + b"<script>alert(1)</script>", content_type="text/html"
    )

    response = admin_client.post(
        reverse("admin:articles_author_add"), author_form_data(avatar=portrait)
    )

    assert response.status_code == 302
    avatar = Author.objects.get(slug="noor-haddad").avatar
    assert re.fullmatch(r"authors/[0-9a-f]{32}\.gif", avatar.name)
    assert b"<script" not in avatar.read()


def test_text_posing_as_a_portrait_is_refused_in_the_admin(admin_client):
    from articles.models import Author

    fake = SimpleUploadedFile("me.png", b"just words", content_type="image/png")

    response = admin_client.post(
        reverse("admin:articles_author_add"), author_form_data(avatar=fake)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["avatar"]
    assert not Author.objects.filter(slug="noor-haddad").exists()
