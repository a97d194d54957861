"""The admin login is throttled by django-axes (issue 7, part 5)."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a long and correct passphrase"


@pytest.fixture
def editor(db):
    return User.objects.create_user("eddie", "eddie@newsroom.example", PASSWORD, is_staff=True)


def log_in(client, username, password, address="198.51.100.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, times, username="eddie", address="198.51.100.7", **headers):
    for _ in range(times):
        log_in(client, username, "wrong guess", address, **headers)


def is_logged_in(client):
    return client.get("/admin/").status_code == 200


def test_a_few_wrong_passwords_only_show_the_form_again(client, editor):
    fail(client, 3)

    response = log_in(client, "eddie", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_thirty_wrong_passwords_lock_the_login_with_a_message(client, editor):
    fail(client, 29)

    response = log_in(client, "eddie", "wrong guess")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Login locked" in page
    assert "Too many failed login attempts" in page
    assert "for 15 minutes" in page


def test_the_right_password_is_refused_while_locked(client, editor):
    fail(client, 30)

    response = log_in(client, "eddie", PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_one_username_is_locked_whichever_address_the_guesses_come_from(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, 1, address=f"203.0.113.{number}")

    response = log_in(client, "eddie", PASSWORD, address="192.0.2.1")

    assert response.status_code == 429


def test_one_address_is_locked_whichever_usernames_it_tries(client, editor, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, 1, username=f"guess{number}")

    assert log_in(client, "eddie", PASSWORD).status_code == 429
    assert log_in(client, "eddie", PASSWORD, address="192.0.2.1").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(client, editor, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.2"
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(
            client, 1, username=f"guess{number}", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"
        )

    attacker = log_in(client, "eddie", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    colleague = log_in(client, "eddie", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert attacker.status_code == 429
    assert colleague.status_code == 302


def test_a_superuser_unlocks_by_deleting_the_access_attempts_in_the_admin(client, editor):
    fail(client, 30)
    admin = User.objects.create_superuser("root", "root@newsroom.example", PASSWORD)
    client.force_login(admin)
    changelist = client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert attempts

    client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    client.logout()

    assert not AccessAttempt.objects.exists()
    assert log_in(client, "eddie", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_axes_reset_command_unlocks(client, editor):
    fail(client, 30)
    out = io.StringIO()

    call_command("axes_reset", stdout=out)

    assert log_in(client, "eddie", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_force_login_in_tests_is_never_counted_or_locked(client, editor):
    fail(client, 30)

    client.force_login(editor)

    assert is_logged_in(client)
