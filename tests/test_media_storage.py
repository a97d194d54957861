"""Media in an S3-compatible bucket (moto's server on loopback), with safe object headers."""

import io
import json
import uuid

import boto3
import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from moto.server import ThreadedMotoServer
from PIL import Image

from geopolitics.storage import object_headers

from .test_settings import manage

KEYS = {"AWS_ACCESS_KEY_ID": "testing-key", "AWS_SECRET_ACCESS_KEY": "testing-secret"}
REGION = "eu-west-1"
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3-compatible server on a free loopback port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client, name


@pytest.fixture
def s3_media(settings, s3_endpoint, bucket):
    """The settings that the "Media storage" block derives from the AWS_* variables."""
    client, name = bucket
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_ACCESS_KEY_ID = KEYS["AWS_ACCESS_KEY_ID"]
    settings.AWS_SECRET_ACCESS_KEY = KEYS["AWS_SECRET_ACCESS_KEY"]
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "geopolitics.storage.MediaStorage"},
    }
    return client, name


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_settings_switch_media_to_the_bucket_and_stop_serving_it_from_django():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; import json; print(json.dumps(["
        "settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA, "
        "settings.AWS_S3_ENDPOINT_URL, settings.AWS_S3_CUSTOM_DOMAIN]))",
        DEBUG="true",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    assert result.returncode == 0, result.stderr
    backend, serve_media, endpoint, domain = json.loads(result.stdout.strip().splitlines()[-1])
    assert backend == "geopolitics.storage.MediaStorage"
    assert serve_media is False
    assert (endpoint, domain) == ("http://127.0.0.1:9000", "media.example.org")


def test_without_a_bucket_media_stays_on_the_local_disk():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'], "
        "settings.SERVE_MEDIA)",
        DEBUG="true",
        AWS_STORAGE_BUCKET_NAME="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.core.files.storage.FileSystemStorage",
        "True",
    ]


def test_a_process_configured_by_environment_alone_stores_media_in_the_bucket(s3_endpoint, bucket):
    """The whole path: AWS_* variables → settings → django-storages → the bucket."""
    client, name = bucket
    result = manage(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "print(s.url(s.save('uploads/probe.png', ContentFile(b'not really a png'))))",
        DEBUG="true",
        AWS_STORAGE_BUCKET_NAME=name,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        **KEYS,
    )
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip().splitlines()[-1]
    assert url == f"{s3_endpoint}/{name}/uploads/probe.png"
    stored = client.get_object(Bucket=name, Key="uploads/probe.png")
    assert stored["Body"].read() == b"not really a png"
    assert stored["ContentType"] == "image/png"


def test_an_editors_image_upload_lands_in_the_bucket_with_an_image_type(
    s3_media, s3_endpoint, client, django_user_model, db
):
    s3, name = s3_media
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)
    upload = ContentFile(png_bytes(), name="holiday photo.png")

    response = client.post(reverse("markdownx_upload"), {"image": upload})

    assert response.status_code == 200, response.content
    url = response.json()["image_code"][len("![](") : -1]
    assert url.startswith(f"{s3_endpoint}/{name}/uploads/")
    key = url.removeprefix(f"{s3_endpoint}/{name}/")
    stored = s3.get_object(Bucket=name, Key=key)
    assert stored["ContentType"] == "image/png"
    assert "ContentDisposition" not in stored
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(stored["Body"].read())).size == (40, 30)


def test_a_file_that_is_not_an_image_is_stored_as_a_download(s3_media):
    s3, name = s3_media
    saved = default_storage.save("uploads/page.html", ContentFile(b"<script>alert(1)</script>"))

    stored = s3.get_object(Bucket=name, Key=saved)

    assert stored["ContentType"] == "application/octet-stream"
    assert stored["ContentDisposition"] == "attachment"


def test_urls_use_the_cdn_domain_when_one_is_set(s3_media, settings):
    settings.AWS_S3_CUSTOM_DOMAIN = "media.example.org"
    saved = default_storage.save("uploads/dot.gif", ContentFile(b"GIF89a"))

    assert default_storage.url(saved) == f"https://media.example.org/{saved}"


def test_an_upload_never_replaces_an_existing_object(s3_media):
    s3, name = s3_media
    first = default_storage.save("uploads/same.png", ContentFile(b"first"))
    second = default_storage.save("uploads/same.png", ContentFile(b"second"))

    assert first != second
    assert s3.get_object(Bucket=name, Key=first)["Body"].read() == b"first"


@given(st.text(min_size=1, max_size=60))
def test_any_name_is_stored_as_one_of_four_images_or_as_a_download(name):
    headers = object_headers(name)

    if headers["ContentType"] in IMAGE_TYPES:
        assert set(headers) == {"ContentType"}
        assert name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "webp", "gif"}
    else:
        assert headers == {
            "ContentType": "application/octet-stream",
            "ContentDisposition": "attachment",
        }


@pytest.mark.parametrize(
    "name",
    ["evil.svg", "evil.html", "evil.png.html", "evil.PNG.svg", "evil.xml", "evil", "x.svg.gz"],
)
def test_hostile_names_are_never_served_as_something_a_browser_runs(name):
    assert object_headers(name) == {
        "ContentType": "application/octet-stream",
        "ContentDisposition": "attachment",
    }


@pytest.mark.parametrize(
    ("env", "origin"),
    [
        ({"AWS_S3_CUSTOM_DOMAIN": "media.example.org"}, "https://media.example.org"),
        (
            {"AWS_S3_ENDPOINT_URL": "https://s3.storage.example.net:8443/"},
            "https://s3.storage.example.net:8443",
        ),
        ({"AWS_S3_REGION_NAME": "eu-west-1"}, "https://newsroom-media.s3.eu-west-1.amazonaws.com"),
    ],
)
def test_pages_may_show_images_from_the_bucket_and_from_nowhere_else(env, origin):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))",
        DEBUG="true",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        **env,
    )
    assert result.returncode == 0, result.stderr
    img_src = json.loads(result.stdout.strip().splitlines()[-1])
    assert origin in img_src
    assert not any(source in {"*", "https:", "http:"} for source in img_src)


def test_figure_renditions_land_in_the_bucket_and_leave_it_with_the_figure(
    s3_media, s3_endpoint, published_article, django_capture_on_commit_callbacks
):
    from articles.renditions import WIDTHS

    from .factories import FigureFactory

    s3, name = s3_media
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 700), (20, 60, 120)).save(buffer, format="JPEG")
    figure = FigureFactory(
        article=published_article, image=ContentFile(buffer.getvalue(), name="map.jpg")
    )

    assert [r["width"] for r in figure.renditions] == [w for w in WIDTHS if w < 1300]
    for rendition in figure.renditions:
        stored = s3.get_object(Bucket=name, Key=rendition["name"])
        assert stored["ContentType"] == "image/jpeg"
        assert stored["CacheControl"] == "public, max-age=31536000, immutable"
        with Image.open(io.BytesIO(stored["Body"].read())) as image:
            assert image.size == (rendition["width"], rendition["height"])
    assert f"{s3_endpoint}/{name}/{figure.renditions[0]['name']} 480w" in figure.srcset()

    with django_capture_on_commit_callbacks(execute=True):
        figure.delete()

    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", [])}
    assert keys == {figure.image.name}
