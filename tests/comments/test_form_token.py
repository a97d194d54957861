"""The signed form token every comment form carries (comments/spam.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comments import client as clients


def opened_a_minute_ago():
    return clients.issue_form_token(issued_at=clients.clock() - 60)


def test_a_token_gives_back_its_nonce_and_each_token_is_new():
    first, second = opened_a_minute_ago(), opened_a_minute_ago()

    assert first != second
    assert clients.check_form_token(first) == first.split(".")[1]


@pytest.mark.parametrize("position", [0, 12, -1])
def test_a_token_changed_anywhere_is_refused(position):
    token = opened_a_minute_ago()
    changed = token[:position] + ("0" if token[position] != "0" else "1") + token[position + 1 :]
    if position == -1:
        changed = token[:-1] + ("A" if token[-1] != "A" else "B")

    with pytest.raises(clients.FormTokenError, match="could not be checked"):
        clients.check_form_token(changed)


def test_a_token_signed_with_another_secret_is_refused_unless_it_is_a_fallback(settings):
    settings.SECRET_KEY = "old-" + "x" * 50
    token = opened_a_minute_ago()
    settings.SECRET_KEY = "new-" + "y" * 50

    with pytest.raises(clients.FormTokenError):
        clients.check_form_token(token)
    settings.SECRET_KEY_FALLBACKS = ["old-" + "x" * 50]
    assert clients.check_form_token(token)


@given(st.one_of(st.text(max_size=200), st.none(), st.integers(), st.binary(max_size=50)))
def test_anything_else_is_refused_with_the_reader_message_never_an_error(token):
    with pytest.raises(clients.FormTokenError):
        clients.check_form_token(token)
