"""
Pages about the publication itself (the about page and masthead), edited in the admin.

Not django.contrib.flatpages: it needs django.contrib.sites, and with the sites
framework installed Django's feeds and sitemaps name every URL by the Site row's
domain ("example.com") instead of the host a reader asked for. A page's text is
Markdown, rendered and sanitised on save by articles/markdown.py like an author's bio.
"""

from django.db import models
from django.urls import reverse

from articles.markdown import render_markdown

ABOUT = "about"


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Which page this is: “about” is the about page at /about/.",
    )
    body = models.TextField(
        help_text="Markdown: paragraphs, **bold**, *italic*, [links](https://…), lists, "
        "## subheadings. Anything else (HTML, scripts) is removed."
    )
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == ABOUT:
            return reverse("pages:about")
        return reverse("pages:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body, id_prefix=f"{self.slug}-", top_heading_level=2)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)
