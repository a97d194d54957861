"""
Strict mode on the moderation desk: the banner of articles under it, and the switch.

The desk's queue (``desk.py``) adds ``context()`` to its page; ``toggle`` is
the POST behind the banner's "Turn off" and the "Turn strict mode on" button
shown when the queue is filtered to one article. The period itself is decided
in ``surge.py``; each switch by hand is also a "Change" in the article's
admin history.
"""

from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from articles.models import Article

from . import surge
from .models import StrictMode


def context(filters):
    """``strict_modes``: periods in force (with article and starter); ``strict_article``:
    the article the queue is filtered to, with ``strict`` set, or None."""
    modes = list(StrictMode.objects.active().select_related("article", "started_by"))
    article = filters.cleaned_data.get("article")
    if article is not None:
        article.strict = any(mode.article_id == article.pk for mode in modes)
    return {"strict_modes": modes, "strict_article": article}


def toggle(request, article_id, switch, back):
    """Turn strict mode ``on`` or ``off`` for one article by hand; back to the queue."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"], content=b"Strict mode is switched by POST.")
    article = get_object_or_404(Article, pk=article_id)
    if switch == "on":
        changed = surge.start(article.pk, moderator=request.user, reason="turned on by hand")
        done, already = "on", "was already on"
    else:
        changed = surge.end(article.pk, moderator=request.user)
        done, already = "off", "was not on"
    if changed:
        LogEntry.objects.log_actions(
            request.user.pk,
            [article],
            CHANGE,
            change_message=f"Strict mode {done} (moderation desk)",
            single_object=True,
        )
        messages.success(request, f"Strict mode is {done} for “{article.title}”.")
    else:
        messages.info(request, f"Strict mode {already} for “{article.title}”. Nothing changed.")
    return back
