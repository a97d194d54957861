"""The two demo authors. Every private detail here is fictional."""

import datetime

from .spec import DemoAuthor, DemoLink

INGRID = DemoAuthor(
    slug="ingrid-halvorsen",
    name="Ingrid Halvorsen",
    job_title="Senior editor, resources and the polar regions",
    company="Geopolitics",
    bio=(
        "Ingrid Halvorsen covers the politics of oceans, rivers and the High North. "
        "Before joining *Geopolitics* she spent a decade reporting on fisheries, ports and "
        "energy from Tromsø and Rotterdam. She is writing a book about the law of the sea."
    ),
    email="ingrid.halvorsen@example.org",
    phone="+44 20 7946 0381",
    postal_address="Flat 4, 17 Harbour Row\nExampleton EX1 2AB\nUnited Kingdom",
    birth_date=datetime.date(1981, 3, 14),
    links=(
        DemoLink(
            platform="Mastodon",
            url="https://social.example.org/@ihalvorsen",
            handle="@ihalvorsen@social.example.org",
            followers=8412,
            following=611,
        ),
        DemoLink(
            platform="LinkedIn",
            url="https://www.example.com/in/ingrid-halvorsen",
            handle="ingrid-halvorsen",
            followers=15230,
            following=498,
        ),
    ),
)

RAFAEL = DemoAuthor(
    slug="rafael-okonkwo-marin",
    name="Rafael Okonkwo-Marín",
    job_title="Technology and statecraft correspondent",
    company="Geopolitics",
    bio=(
        "Rafael Okonkwo-Marín writes about how governments use technology, trade and "
        "standards as instruments of power. He previously worked as an analyst of export "
        "controls and has reported from Taipei, Seoul, Eindhoven and Washington."
    ),
    email="rafael.okonkwo-marin@example.org",
    phone="+1 202 555 0142",
    postal_address="Apartment 9C, 400 Example Avenue\nSpringfield, XX 00000\nUnited States",
    birth_date=datetime.date(1986, 11, 2),
    links=(
        DemoLink(
            platform="Bluesky",
            url="https://bsky.example.org/profile/rokonkwo",
            handle="@rokonkwo",
            followers=12950,
            following=1044,
        ),
        DemoLink(
            platform="Mastodon",
            url="https://social.example.org/@rokonkwo",
            handle="@rokonkwo@social.example.org",
            followers=3120,
            following=287,
        ),
        DemoLink(
            platform="LinkedIn",
            url="https://www.example.com/in/rafael-okonkwo-marin",
            handle="rafael-okonkwo-marin",
            followers=9874,
            following=712,
        ),
    ),
)

AUTHORS = (INGRID, RAFAEL)
