"""
What an article is about: regions, countries and actors.

A vocabulary app, like taggit: ``articles`` points at these models, and this
app never imports ``articles`` at import time. Countries are ISO 3166-1 (the
alpha-2 ``code`` is their natural key and their address, lowercase); each
belongs to exactly one region. Regions form a small tree (a region page also
lists what is about its child regions and their countries). The seeded set is
in ``places/world.py``.

"Public" is a queryset here too: a place or actor is public when a published
article is about it (``with_coverage()``). Regions and countries keep a page
even with no coverage (they are reference pages); actors do not.
"""

import unicodedata

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify

# "--" is a valid slug to Django but an address that names nothing.
SLUG_HAS_A_LETTER_OR_DIGIT = RegexValidator(
    r"[A-Za-z0-9]", message="The slug needs at least one letter or digit."
)


# Line breaks and invisible characters (zero-width spaces, direction marks): a name made
# of them, or hiding them, shows as an empty link or passes for another one.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def clean_name(place):
    """Tidy ``place.name`` (runs of spaces of any kind made one space, accents composed:
    "Co\u0302te" is "Côte"); raise a
    ``ValidationError`` on ``name`` when it hides invisible characters or has no letter or
    digit. Called by each place's ``clean()``, so the admin checks the tidied name's
    uniqueness: "Sahel\u00a0 belt" is "Sahel belt"."""
    place.name = unicodedata.normalize("NFC", " ".join((place.name or "").split()))
    if any(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in place.name):
        raise ValidationError({"name": "A name may not contain invisible characters."})
    if place.name and not any(char.isalnum() for char in place.name):
        raise ValidationError({"name": "A name needs at least one letter or digit."})


def _published_articles():
    # Resolved at call time: articles depends on places, never the other way.
    return apps.get_model("articles", "Article").objects.published()


class PlaceQuerySet(models.QuerySet):
    """Shared by regions, countries and actors: each article M2M is named ``articles``."""

    def with_coverage(self):
        """Those a published article is about."""
        published = _published_articles().filter(**{self.model.ARTICLES_LOOKUP: OuterRef("pk")})
        return self.filter(Exists(published))

    def with_article_counts(self):
        """Annotate ``article_count``: published articles about each (distinct)."""
        published = _published_articles().values("pk")
        return self.annotate(
            article_count=Count("articles", filter=Q(articles__in=published), distinct=True)
        )


class Region(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[SLUG_HAS_A_LETTER_OR_DIGIT],
        help_text="The address: /regions/<slug>/. Keep it stable.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Blank for a top-level region (shown in the site header).",
    )
    description = models.TextField(
        blank=True, help_text="Plain text: one or two sentences shown on the region page."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Regions are listed in ascending order, then by name."
    )

    objects = PlaceQuerySet.as_manager()
    ARTICLES_LOOKUP = "regions"

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            # As for actors: "Middle East" and "Middle east" would split the coverage.
            models.UniqueConstraint(
                Lower("name"),
                name="region_name_unique_in_any_case",
                violation_error_message="A region with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:region", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100] or "region"
        super().save(*args, **kwargs)

    def clean(self):
        clean_name(self)
        if self.sits_inside_itself():
            raise ValidationError({"parent": "A region cannot sit inside itself."})

    def sits_inside_itself(self):
        """True when this region's parent, or the parent's parent and so on as stored, is
        the region itself (or any loop is met on the way up, which can only be stored
        data gone wrong)."""
        seen = {self.pk} if self.pk else set()
        parent_id = self.parent_id
        parents = dict(Region.objects.values_list("pk", "parent_id")) if parent_id else {}
        while parent_id is not None:
            if parent_id in seen:
                return True
            seen.add(parent_id)
            parent_id = parents.get(parent_id)
        return False

    def descendant_ids(self):
        """This region's id and those of every region under it (a query per level); each
        once, even should the stored tree hold a loop."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            children = Region.objects.filter(parent__in=frontier).values_list("pk", flat=True)
            frontier = [pk for pk in children if pk not in ids]
            ids += frontier
        return ids


class Country(models.Model):
    code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        help_text="ISO 3166-1 alpha-2, upper case (RU, IR). The address is /countries/<code>/.",
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    objects = PlaceQuerySet.as_manager()
    ARTICLES_LOOKUP = "countries"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_two_capitals"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:country", kwargs={"code": self.code.lower()})

    def clean(self):
        # Before the constraint is checked: "zz" is the code ZZ, not a refusal.
        self.code = (self.code or "").strip().upper()
        clean_name(self)

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        if not self.slug:
            self.slug = slugify(self.name)[:100] or self.code.lower()
        super().save(*args, **kwargs)


class Actor(models.Model):
    class Kind(models.TextChoices):
        LEADER = "leader", "Leader"
        STATE = "state", "State"
        ALLIANCE = "alliance", "Alliance"
        ORGANISATION = "organisation", "Organisation"
        COMPANY = "company", "Company"
        ARMED_GROUP = "armed_group", "Armed group"
        OTHER = "other", "Other"

    name = models.CharField(max_length=150)
    slug = models.SlugField(
        max_length=150,
        unique=True,
        validators=[SLUG_HAS_A_LETTER_OR_DIGIT],
        help_text="The address: /actors/<slug>/. Keep it stable.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actors",
        help_text="Optional: the country a leader, company or group belongs to.",
    )
    description = models.TextField(
        blank=True, help_text="Plain text: one or two sentences shown on the actor page."
    )

    objects = PlaceQuerySet.as_manager()
    ARTICLES_LOOKUP = "actors"

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Hamas" and "HAMAS" as two actors would split coverage and confuse the importer.
            models.UniqueConstraint(
                Lower("name"),
                name="actor_name_unique_in_any_case",
                violation_error_message="An actor with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:actor", kwargs={"slug": self.slug})

    def clean(self):
        clean_name(self)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:150] or "actor"
        super().save(*args, **kwargs)
