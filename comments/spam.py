"""Where the form token and the rate limits lived before ``client.py`` and ``policy.py``.

Kept for ``bench/prepare.py``, which builds form tokens through it; new code
imports ``client`` (who sends) and ``policy`` (what is held) instead.
"""

from .client import RATE_LIMITED, clock, issue_form_token

__all__ = ["RATE_LIMITED", "clock", "issue_form_token"]
