"""Staff logins in the groups the migrations make, for the publishing and roles tests."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ..factories import AuthorFactory


def staff_in(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def contributor_with_profile(username="cora", slug="cora-contributor"):
    """A contributor and the author profile linked to their login."""
    user = staff_in("Contributors", username)
    return user, AuthorFactory(name=f"{username.title()} Writer", slug=slug, user=user)
