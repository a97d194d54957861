"""``manage.py addstaff NAME --role …``: one command makes a contributor, editor or moderator."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import publishing

from ..factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def addstaff(*args, stdin=None):
    out = io.StringIO()
    call_command("addstaff", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def groups(username):
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_a_contributor_linked_to_their_author_profile_may_submit_but_not_publish():
    profile = AuthorFactory(slug="cora")
    article = ArticleFactory(author=profile)

    out = addstaff(
        "cora", "--role", "contributor", "--email", "cora@example.org", "--author", "cora"
    )

    user = User.objects.get(username="cora")
    assert user.is_staff and not user.is_superuser and user.email == "cora@example.org"
    assert groups("cora") == {"Contributors"}
    assert not user.has_usable_password()
    assert "python manage.py changepassword cora" in out
    profile.refresh_from_db()
    assert profile.user == user
    publishing.submit(article, by=user)
    with pytest.raises(publishing.NotAllowed):
        publishing.publish(article, by=user)


def test_running_again_moves_the_login_to_the_new_role():
    addstaff("sam", "--role", "moderator")
    addstaff("sam", "--role", "editor")

    assert groups("sam") == {"Editors"}
    assert User.objects.get(username="sam").has_perm("articles.publish_article")


def test_the_password_can_come_from_standard_input():
    addstaff(
        "eve", "--role", "editor", "--password-from-stdin", stdin=io.StringIO("long-Harbour-9\n")
    )

    assert User.objects.get(username="eve").check_password("long-Harbour-9")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x", "--role", "admin"], None, "invalid choice"),
        (["x", "--role", "editor", "--author", "nobody"], None, "No author with the slug"),
        (["x", "--role", "editor", "--email", "not-an-address"], None, "not an e-mail address"),
        (["x", "--role", "editor", "--password-from-stdin"], "\n", "No password"),
        (["x", "--role", "editor", "--password-from-stdin"], "123\n", "too short"),
        (["bad name!", "--role", "editor"], None, "cannot be a username"),
        (["x" * 151, "--role", "editor"], None, "cannot be a username"),
    ],
)
def test_bad_input_is_an_error_and_creates_nothing(args, stdin, message):
    with pytest.raises(CommandError, match=message):
        addstaff(*args, stdin=io.StringIO(stdin) if stdin else None)

    assert not User.objects.exists()


def test_an_author_linked_to_another_login_is_refused():
    addstaff("first", "--role", "contributor")
    AuthorFactory(slug="taken", user=User.objects.get(username="first"))

    with pytest.raises(CommandError, match="already linked"):
        addstaff("second", "--role", "contributor", "--author", "taken")

    assert not User.objects.filter(username="second").exists()
