"""Feeds carry text pasted from anywhere: characters XML cannot hold never break them."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.feeds import xml_text

from ..factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feed/",
    "/feed/atom/",
    "/tags/pasted/feed/",
    "/tags/pasted/feed/atom/",
    "/authors/pasted-author/feed/",
    "/authors/pasted-author/feed/atom/",
    "/countries/no/feed/",
    "/countries/no/feed/atom/",
]


def test_control_characters_pasted_into_an_article_never_break_a_feed(client):
    ArticleFactory(
        published=True,
        title="Fjords\x1fand fisheries",
        standfirst="Pasted from Word\x0bwith a vertical tab\x02 and \x03 markers.",
        author=AuthorFactory(name="Ola\x07 Nordmann", slug="pasted-author"),
        tags=["Pasted\x08"],
        countries=["no"],
    )

    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        ET.fromstring(body)  # noqa: S314 (our own feed, well-formed)
        assert "Pasted from Word with a vertical tab" in body, url
        assert "Fjords and fisheries" in body and "Ola  Nordmann" in body, url


@given(st.text(max_size=60))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_xml_text_leaves_is_writable_as_xml(text):
    cleaned = xml_text(text)
    escaped = cleaned.replace("&", "&amp;").replace("<", "&lt;")
    ET.fromstring(f"<t>{escaped}</t>".encode())  # noqa: S314 (text made here)
    assert len(cleaned) == len(text)
