"""
The shapes demo content is written in: plain frozen dataclasses.

Article modules build these; ``articles.demo.loader`` turns them into rows.
Bodies are written indented inside the modules, so the constructors dedent
them (four leading spaces would otherwise make Markdown code blocks).
"""

import datetime
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image


@dataclass(frozen=True)
class DemoLink:
    platform: str
    url: str
    handle: str
    followers: int
    following: int


@dataclass(frozen=True)
class DemoAuthor:
    slug: str
    name: str
    job_title: str
    company: str
    bio: str
    # Private details: obviously fictional, never shown on a public page.
    email: str
    phone: str
    postal_address: str
    birth_date: datetime.date
    links: tuple[DemoLink, ...] = ()


@dataclass(frozen=True)
class DemoSection:
    heading: str
    body: str
    level: int = 2


@dataclass(frozen=True)
class DemoFigure:
    draw: Callable[[], Image.Image]
    alt_text: str
    caption: str
    credit: str = "Geopolitics graphics desk"
    after: str | None = None  # heading of the section it follows; None: after the last


@dataclass(frozen=True)
class DemoActor:
    slug: str
    name: str
    kind: str  # an Actor.Kind value
    description: str
    country: str = ""  # an ISO code, or none


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    standfirst: str
    author: str  # a DemoAuthor slug
    tags: tuple[str, ...]
    sections: tuple[DemoSection, ...]
    # What it is about (places/): ISO codes, region slugs, DemoActor slugs.
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    figures: tuple[DemoFigure, ...] = field(default=())
    # How long before the first load the article counts as published; it
    # orders the front page and is never changed by later loads.
    age: datetime.timedelta = datetime.timedelta(minutes=30)


def section(heading, body):
    """A level-2 section."""
    return DemoSection(heading, inspect.cleandoc(body), level=2)


def subsection(heading, body):
    """A level-3 section, nested under the level-2 section before it."""
    return DemoSection(heading, inspect.cleandoc(body), level=3)
