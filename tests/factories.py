"""factory_boy factories: one per model, with traits for their states."""

import datetime

import factory
from django.utils import timezone

from articles.corrections import Correction
from articles.models import Article, Author, Figure, Section, SocialLink
from articles.previews import PreviewLink
from articles.search import refresh_search_vector
from places.models import Actor, Country, Region


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Senior analyst"
    company = "Geopolitics"
    bio = "Writes about maritime security."

    class Params:
        with_private_details = factory.Trait(
            email="private.author@example.org",
            phone="+44 20 7946 0000",
            postal_address="12 Hidden Lane, Nowhere",
            birth_date=datetime.date(1970, 1, 1),
        )


class SocialLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLink

    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(int)
    platform = "Mastodon"
    url = factory.Sequence(lambda n: f"https://social.example.org/@analyst{n}")
    handle = factory.Sequence(lambda n: f"@analyst{n}")
    followers = 1200
    following = 300


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    standfirst = "A short lede that says what the piece argues."
    author = factory.SubFactory(AuthorFactory)
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=Article.Status.SCHEDULED,
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3)),
        )
        in_review = factory.Trait(status=Article.Status.REVIEW)
        unpublished = factory.Trait(
            status=Article.Status.UNPUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2)),
        )
        archived = factory.Trait(
            status=Article.Status.ARCHIVED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(days=400)
            ),
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def countries(self, create, extracted, **kwargs):
        """ISO codes (any case) of seeded countries: ``ArticleFactory(countries=["ru", "ir"])``."""
        if create and extracted:
            self.countries.add(*Country.objects.filter(code__in=[c.upper() for c in extracted]))

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        """Slugs of seeded regions."""
        if create and extracted:
            self.regions.add(*Region.objects.filter(slug__in=extracted))

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        if create and extracted:
            self.actors.add(*extracted)

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        # As the admin, importer and demo loader do after saving (PostgreSQL only).
        if create:
            refresh_search_vector(self)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = Actor.Kind.ORGANISATION
    description = "An organisation our analysts follow."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    heading = factory.Sequence(lambda n: f"Section heading {n}")
    level = Section.Level.SECTION
    body = "Some analysis in **Markdown**."

    class Params:
        nested = factory.Trait(level=Section.Level.SUBSECTION)

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:
            refresh_search_vector(self.article)


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(int)
    image = factory.django.ImageField(width=64, height=40, color="navy")
    alt_text = "A chart of shipping lanes"
    caption = "Shipping lanes in winter."
    credit = "Geopolitics graphics desk"


class CorrectionFactory(factory.django.DjangoModelFactory):
    """A correction note dated now; ``kind=Correction.Kind.UPDATE`` for the others."""

    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = factory.Sequence(lambda n: f"An earlier version misstated figure number {n}.")


class PreviewLinkFactory(factory.django.DjangoModelFactory):
    """A preview link of a draft, valid for the default week; ``expired=True``, ``revoked=True``."""

    class Meta:
        model = PreviewLink

    article = factory.SubFactory(ArticleFactory)

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
        )
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))


# --- Comments ---------------------------------------------------------------

from comments.models import Comment  # noqa: E402


class CommentFactory(factory.django.DjangoModelFactory):
    """A pending comment; ``approved=True``, ``rejected=True`` or ``spam=True`` for the others."""

    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory, published=True)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    body = factory.Sequence(lambda n: f"A considered response, number {n}.")
    status = Comment.Status.PENDING
    ip_hash = factory.Sequence(lambda n: f"{n:064x}")

    class Params:
        approved = factory.Trait(
            status=Comment.Status.APPROVED,
            approved_at=factory.LazyFunction(timezone.now),
        )
        rejected = factory.Trait(
            status=Comment.Status.REJECTED, removal_reason=Comment.RemovalReason.OFF_TOPIC
        )
        spam = factory.Trait(status=Comment.Status.SPAM, removal_reason=Comment.RemovalReason.SPAM)
        reply = factory.Trait(
            parent=factory.SubFactory(
                "tests.factories.CommentFactory",
                approved=True,
                article=factory.SelfAttribute("..article"),
            )
        )
