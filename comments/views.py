"""Readers post, report and read comments; commenters stop e-mails. No JavaScript needed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from articles.views import ArticleDetailView

from . import (
    client,
    commenters,
    editing,
    moderation,
    notifications,
    policy,
    post_query,
    posting,
)
from .discussion import Discussion
from .durations import format_duration
from .forms import CommentForm, EditForm, ReportForm
from .models import Comment, comments_are_open

AWAITING_MODERATION = "Thank you — your comment is awaiting moderation."
PUBLISHED = "Thank you — your comment is published."
CLOSED = "Comments are closed on this article, so your comment was not sent."
REPORTED = "Thank you — a moderator will look at this comment again."
ALREADY_REPORTED = "You have already reported this comment."
UNKNOWN_REPORT_REASON = "That reason is not one we offer; please report the comment again."


EDITED = "Your comment is changed, and marked as edited."
EDITED_QUEUED = "Your comment is changed; a moderator will look at it before it appears."
WITHDRAWN = "Your comment is withdrawn; it is no longer on the site."

FOREIGN_ORIGIN = "This form was sent from another site, so it was not accepted."


@csrf_exempt  # see client.from_another_site: no account to protect, and pages are cached
@require_http_methods(["GET", "POST"])
def post_comment(request, slug):
    """Post/redirect/get: valid → back to the article with a message; else the article again.

    The flow: this view (the article, the form, the response), ``CommentForm``
    and ``posting.post_comment`` (where the comment goes). A GET (the address
    of a refused post, opened again) goes to the article's form.

    An invalid form re-renders ``articles/article_detail.html`` with the
    errors and what the reader typed (``comment_form`` in the context), with
    status 400, or 429 when the client is over the rate limit and 403 when
    comments are closed or the form came from another site.
    """
    if request.method == "GET":
        article = get_object_or_404(Article.objects.published().only(*post_query.FIELDS), slug=slug)
        return redirect(f"{article.get_absolute_url()}#comment-form")
    # Only what a post needs, with strict mode, the sender's standing and the early
    # duplicate check, in one written-out statement (issue 8: a crowd takes this path).
    email, body = request.POST.get("email", ""), request.POST.get("body", "")
    article = post_query.article_taking_post(slug, sender_email=email, body=body)
    if article is None:
        raise Http404("No published article here takes comments.")
    sender = client.Client.of(request)
    if not comments_are_open(article):
        return _article_page(request, article, status=403, comment_notice=CLOSED)
    if sender.from_another_site:
        # Nothing is taken; the reader keeps the words, to send from this site.
        typed = CommentForm(article=article, initial=_as_typed(request.POST))
        return _article_page(
            request, article, status=403, comment_form=typed, comment_notice=FOREIGN_ORIGIN
        )
    # What the article's query looked up, for the words as the form cleans them;
    # anything it could not look up (None) the form and posting ask again.
    known = {}
    if article.sent_before is not None:
        known[(email.strip(), body.strip())] = article.sent_before
    form = CommentForm(request.POST, article=article, known_duplicates=known)
    if not form.is_valid():
        return _article_page(request, article, status=400, comment_form=form)
    comment = form.save(commit=False)
    looked_up = article.sender_standing is not None and comment.email == email.strip()
    outcome = posting.post_comment(
        comment,
        client=sender,
        form_nonce=form.nonce,
        strict=article.strict,
        standing=article.sender_standing if looked_up else None,
    )
    if outcome.refusal is not None:
        form.refuse(outcome.refusal)
        if not outcome.rate_limited:
            return _article_page(request, article, status=400, comment_form=form)
        response = _article_page(request, article, status=429, comment_form=form)
        response["Retry-After"] = str(client.COMMENT_WINDOW)
        return response
    # Held or banned, the reader reads the same words: naming the rule that held
    # it would teach a spammer how to get past it (issue 10).
    messages.success(request, PUBLISHED if outcome.published else AWAITING_MODERATION)
    _offer_changes(request, outcome.comment)
    if outcome.published:
        return redirect(outcome.comment.get_absolute_url())
    # Back at the form, where the reader was; the message sticks to the top of
    # the window (site.css), so it is in view there.
    return redirect(f"{article.get_absolute_url()}#comment-form")


@csrf_exempt  # as post_comment
@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    """A reader flags an approved comment for moderators, once per client address.

    The comment stays on the page; redirects back to it with a message. An
    optional ``reason`` is one of ``CommentReport.Reason``. A client over
    ``COMMENTS_REPORT_RATE_LIMIT`` gets the article with status 429 and a notice.
    A GET (that address opened again after a refused report) leads to the comment.
    """
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    if request.method == "GET":
        return redirect(comment)
    form = ReportForm(request.POST)
    sender = client.Client.of(request)
    if sender.from_another_site:
        messages.error(request, FOREIGN_ORIGIN)
        return redirect(comment)
    if not form.is_valid():
        messages.error(request, UNKNOWN_REPORT_REASON)
        return redirect(comment)
    if not client.allow_report_from(sender.ip_hash, limit=policy.current().report_rate_limit):
        # 429 with the article itself: the reader stays where they were, and
        # this address opened again leads to the comment.
        messages.error(request, client.REPORT_RATE_LIMITED)
        response = _article_page(request, comment.article, status=429)
        response["Retry-After"] = str(client.REPORT_WINDOW)
        return response
    flag = moderation.report(
        comment,
        ip_hash=sender.ip_hash,
        reason=form.cleaned_data["reason"],
        reporter=commenters.verified_commenter(sender.proven_email),
    )
    if flag is None:
        messages.info(request, ALREADY_REPORTED)
    else:
        messages.success(request, REPORTED)
    return redirect(comment)


@csrf_exempt  # RFC 8058 one-click: mail clients POST without our CSRF cookie.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners follow links); POST stops the e-mails.

    Templates ``comments/unsubscribe.html`` (context ``done``) and, for a
    link that is not ours, the same template with status 400 and ``invalid``.
    The signed token is the only credential, and it can only switch e-mail off.
    """
    comment = notifications.comment_for_unsubscribe_token(token)
    if comment is None:
        return render(request, "comments/unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        notifications.stop_emails(comment)
    return render(request, "comments/unsubscribe.html", {"done": done, "token": token})


@never_cache  # a page per link: never in the page cache or a shared cache
@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    """GET asks (link scanners follow links); POST proves the address and remembers it here.

    Template ``comments/verify.html`` (context ``done``, ``comment``); a link
    that is not ours, expired, or about an erased comment: ``invalid``, 400.
    """
    comment = commenters.comment_for_verification_token(token)
    if comment is None:
        return render(request, "comments/verify.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        commenters.verify(comment)
    context = {"done": done, "token": token, "comment": comment}
    response = render(request, "comments/verify.html", context)
    if done:
        commenters.remember_in(response, comment.email)
    return response


@require_GET
def section_responses(request, slug, anchor):
    """One section's approved responses on their own.

    Template ``comments/section_responses.html``; context ``article``,
    ``section`` and ``discussion`` (threads of that section only).
    """
    article = get_object_or_404(Article.objects.published().prefetch_related("sections"), slug=slug)
    section = next((s for s in article.sections.all() if s.anchor == anchor), None)
    if section is None:
        raise Http404("No such section.")
    discussion = Discussion.for_article(article, section=section)
    context = {"article": article, "section": section, "discussion": discussion}
    return render(request, "comments/section_responses.html", context)


@never_cache  # the commenter's own text, behind their link
@require_http_methods(["GET", "POST"])
def edit_own(request, token):
    """The commenter's own page for one comment: edit the text, or withdraw it.

    Template ``comments/edit.html`` (context ``comment``, ``form``, ``token``,
    ``closes_at``; ``refused`` with status 410 once the window has passed or the
    comment is gone; ``invalid``, 400, for a link that is not ours). POST
    ``withdraw`` takes it off the site; otherwise the form's ``body`` replaces
    the text. Redirects to the same page with a message.
    """
    comment = editing.comment_for_edit_token(token)
    if comment is None:
        return render(request, "comments/edit.html", {"invalid": True}, status=400)
    context = {"comment": comment, "token": token, "closes_at": editing.closes_at(comment)}
    try:
        editing.check_open(comment)
    except editing.Refused as error:
        return render(request, "comments/edit.html", {**context, "refused": error}, status=410)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                editing.withdraw(comment)
                messages.success(request, WITHDRAWN)
                return redirect(comment.article)
            if form.is_valid():
                editing.edit(comment, body=form.cleaned_data["body"])
                messages.success(request, EDITED if comment.is_public else EDITED_QUEUED)
                return redirect("comments:edit", token=token)
        except editing.Refused as error:
            return render(request, "comments/edit.html", {**context, "refused": error}, status=410)
        return render(request, "comments/edit.html", {**context, "form": form}, status=400)
    return render(request, "comments/edit.html", {**context, "form": form})


def _offer_changes(request, comment):
    """After posting: the link to edit or withdraw, in view with the confirmation."""
    url = reverse("comments:edit", kwargs={"token": editing.edit_token(comment)})
    window = format_duration(policy.current().edit_window)
    messages.info(
        request,
        format_html('You can <a href="{}">edit or withdraw your comment</a> for {}.', url, window),
    )


def _as_typed(data):
    """What the reader typed into the comment form, to show it again in a fresh form."""
    typed = {name: data.get(name, "") for name in ("name", "email", "body", "section")}
    typed["notify"] = bool(data.get("notify"))
    if data.get("reply_to", "").isdigit():
        typed["reply_to"] = data["reply_to"]
    return typed


def _article_page(request, article, *, status, **extra_context):
    """The article page as readers see it, with the comment form's state added."""
    view = ArticleDetailView(extra_context=extra_context)
    view.setup(request, slug=article.slug)
    response = view.get(request)
    response.status_code = status
    return response
