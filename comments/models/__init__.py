"""The comments app's models, one module per model (see each module's docstring).

Everything is re-exported here, so ``from comments.models import Comment``
works as it always did.
"""

from .comment import (
    ADDRESS_HISTORY,
    DESK_TABS,
    WAITING,
    Comment,
    CommentQuerySet,
    comments_are_open,
    render_body,
)
from .commenter import Commenter, CommenterQuerySet, normalise_email
from .decision import ModerationDecision
from .form_token import UsedFormToken
from .report import CommentReport
from .strict_mode import StrictMode, StrictModeQuerySet

__all__ = [
    "ADDRESS_HISTORY",
    "DESK_TABS",
    "WAITING",
    "Comment",
    "CommentQuerySet",
    "Commenter",
    "CommenterQuerySet",
    "CommentReport",
    "ModerationDecision",
    "StrictMode",
    "StrictModeQuerySet",
    "UsedFormToken",
    "comments_are_open",
    "normalise_email",
    "render_body",
]
