import secrets

import pytest
from django.contrib.auth.models import Group, User

from comments import client as clients

from ..factories import ArticleFactory, SectionFactory


def form_token(age=60):
    """A form token issued ``age`` seconds ago: old enough to post, without waiting.

    Its nonce never ends in "00", the one post in 256 that also sweeps expired
    nonces (``clients.spend_form_token``): query counts pinned on a post would
    otherwise fail now and then. test_post_cost.py tests the sweep itself.
    """
    return clients.issue_form_token(
        issued_at=clients.clock() - age, nonce=secrets.token_hex(15) + "a1"
    )


@pytest.fixture
def comment_data():
    """Valid POST data for the comment form; keyword arguments override fields."""

    def build(**fields):
        data = {
            "name": "Anouk de Vries",
            "email": "anouk@example.net",
            "body": "The thaw changes insurance costs more than routes.",
            "section": "",
            "reply_to": "",
            "website": "",
            "token": form_token(),
        }
        data.update(fields)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def open_article(db):
    """A published article, open for comments, with a nested section."""
    article = ArticleFactory(
        published=True, title="Straits and chokepoints", slug="straits-and-chokepoints"
    )
    SectionFactory(article=article, heading="Geography first", position=1)
    SectionFactory(article=article, heading="Hormuz", position=2, nested=True)
    SectionFactory(article=article, heading="Navies", position=3)
    return article


def staff_in(group_name, username):
    user = User.objects.create_user(username, f"{username}@newsroom.example", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def moderator(db):
    return staff_in("Moderators", "moira")


@pytest.fixture
def editor(db):
    return staff_in("Editors", "eddie")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block left for after the commit (e-mail), as a
    real commit would; plain ``django_db`` tests never commit."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
