"""``{% seen_input comment %}``: the hidden field a moderation page sends back with a decision.

It carries the status the page showed of ``comment`` (``moderation.seen_statuses``
reads it), so that a decision from a page older than another moderator's
leaves theirs as it is. The desk's cards, the comment list (its status column)
and the reject confirmation all write it here.
"""

from django import template
from django.utils.html import format_html

from .. import moderation

register = template.Library()


@register.simple_tag
def seen_input(comment, status=None, form=None):
    """``<input type="hidden" name="seen-<id>" value="<status>">``, for the form ``form``
    when the input stands outside it (the desk's bulk form)."""
    outside = format_html(' form="{}"', form) if form else ""
    return format_html(
        '<input type="hidden" name="{}" value="{}"{}>',
        moderation.seen_field(comment),
        status or comment.status,
        outside,
    )
