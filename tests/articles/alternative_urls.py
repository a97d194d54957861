"""A URLconf that serves the articles under /magazine/ (tests/articles/test_addresses.py)."""

from django.urls import include, path

urlpatterns = [path("magazine/", include("articles.urls"))]
