"""Browser-side hardening: headers on every kind of response, and request size (issue 7, part 5)."""

import io

import pytest
from django.test import RequestFactory

from comments.models import Comment
from geopolitics.middleware import client_ip

from .factories import FigureFactory


@pytest.fixture
def urls(published_article):
    figure = FigureFactory(article=published_article)
    return {
        "public page": published_article.get_absolute_url(),
        "front page": "/",
        "404": "/no-such-page/",
        "admin": "/admin/login/",
        "feed": "/feed/",
        "media": figure.image.url,
    }


def csp_directives(response):
    return {
        name: values
        for name, *values in (
            part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()
        )
    }


@pytest.mark.parametrize("kind", ["public page", "front page", "404", "admin", "feed", "media"])
def test_every_kind_of_response_carries_the_security_headers(client, urls, kind):
    response = client.get(urls[kind])

    assert response.status_code == (404 if kind == "404" else 200)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "interest-cohort", "payment", "usb"]:
        assert f"{feature}=()" in policy
    assert csp_directives(response)


@pytest.mark.parametrize("kind", ["public page", "front page", "404", "admin", "feed"])
def test_pages_forbid_inline_script_framing_plugins_and_foreign_forms(client, urls, kind):
    directives = csp_directives(client.get(urls[kind]))

    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_media_is_sandboxed_with_no_sources_at_all(client, urls):
    response = client.get(urls["media"])

    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- Request size ------------------------------------------------------------


class HugeMultipartBody(io.RawIOBase):
    """A 200 MB multipart comment post, made on demand, counting what was read."""

    BOUNDARY = "HugeBoundary"

    def __init__(self, size):
        head = (
            f"--{self.BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="body"\r\n\r\nhello\r\n'
            f"--{self.BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        tail = f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.head, self.tail, self.size, self.read_so_far = head, tail, size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        start = self.read_so_far
        count = min(len(buffer), self.size - start)
        chunk = bytearray(b"A" * count)
        for offset, part in [(0, self.head), (self.size - len(self.tail), self.tail)]:
            low, high = max(start, offset), min(start + count, offset + len(part))
            if low < high:
                chunk[low - start : high - start] = part[low - offset : high - offset]
        buffer[:count] = chunk
        self.read_so_far += count
        return count


def test_a_huge_anonymous_post_is_refused_before_it_is_read(
    client, open_article, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    size = 200 * 1024 * 1024
    body = HugeMultipartBody(size)

    response = client.generic(
        "POST",
        f"/comments/post/{open_article.slug}/",
        **{
            "CONTENT_TYPE": f"multipart/form-data; boundary={HugeMultipartBody.BOUNDARY}",
            "CONTENT_LENGTH": str(size),
            "wsgi.input": io.BufferedReader(body),
        },
    )

    assert response.status_code == 413
    assert "Request too large" in response.content.decode()
    assert body.read_so_far < 64 * 1024
    assert list((tmp_path / "upload-tmp").iterdir()) == []
    assert not Comment.objects.exists()


def test_a_normal_comment_post_is_not_affected_by_the_size_limit(client, open_article):
    response = client.post(f"/comments/post/{open_article.slug}/", {"body": "short"})

    assert response.status_code != 413


@pytest.fixture
def open_article(published_article):
    return published_article


# --- The client address behind our proxies ----------------------------------


def test_client_ip_ignores_x_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_ip(request) == "10.0.0.9"


def test_client_ip_takes_the_address_our_proxy_saw_not_the_one_the_client_wrote(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )

    assert client_ip(request) == "203.0.113.7"


def test_client_ip_falls_back_to_the_peer_when_the_header_is_short(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_ip(request) == "10.0.0.9"
