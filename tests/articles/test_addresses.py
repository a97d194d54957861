"""Addresses remembered per process (articles.addresses) stay those reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix, set_urlconf
from hypothesis import given
from hypothesis import strategies as st

from articles.addresses import address
from articles.models import Article, Author


@given(st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True))
def test_an_address_is_what_reverse_gives(slug):
    assert Article(slug=slug).get_absolute_url() == reverse("articles:detail", args=[slug])
    assert Author(slug=slug).get_absolute_url() == reverse("articles:author", args=[slug])
    assert address("articles:tag", slug=slug) == reverse("articles:tag", args=[slug])


@pytest.fixture
def restore_prefix_and_urlconf():
    yield
    set_script_prefix("/")
    set_urlconf(None)


@pytest.mark.usefixtures("restore_prefix_and_urlconf")
def test_an_address_follows_the_script_prefix_and_the_urlconf():
    article = Article(slug="grain")
    assert article.get_absolute_url() == "/articles/grain/"

    set_script_prefix("/mirror/")
    assert article.get_absolute_url() == "/mirror/articles/grain/"

    set_script_prefix("/")
    set_urlconf("tests.articles.alternative_urls")
    assert article.get_absolute_url() == "/magazine/articles/grain/"

    set_urlconf(None)
    assert article.get_absolute_url() == "/articles/grain/"


def test_an_address_follows_an_overridden_root_urlconf(settings):
    settings.ROOT_URLCONF = "tests.articles.alternative_urls"
    assert Article(slug="grain").get_absolute_url() == "/magazine/articles/grain/"
