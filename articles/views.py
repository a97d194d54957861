"""Public pages: the front page, an article, tag and author lists, search."""

import datetime

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from . import discussion, page_cache, place_pages, result_cards, search, structured_data
from .models import Article, Author, public_tags

# The discussion's orders (comments/discussion.py SORTS), the default first; the
# article page passes only these to its caches and its template.
DISCUSSION_SORTS = ("oldest", "newest", "featured")
# Where the comment form goes in the shared, cached article body.
COMMENT_FORM_SLOT = "<!-- comment form -->"
# Around the form in a whole shared page (templates/articles/article_detail.html),
# so that a reply link's own form can take the default form's place.
COMMENT_FORM_START, COMMENT_FORM_END = "<!-- comment form -->", "<!-- /comment form -->"
# Query parameters that change the comment form (a "Reply" or "Respond to
# this section" link): with one, the form is rendered for the request.
FORM_PARAMETERS = ("reply_to", "section")
# "Most discussed this week" on the front page counts approved comments this recent.
MOST_DISCUSSED_PERIOD = datetime.timedelta(days=7)


class PublishedArticlesMixin:
    """Lists of published articles, newest first, paginated.

    The page's articles (``article_list``, a list) carry ``approved_comment_count``
    for their cards, from ``articles.discussion`` in one query.
    """

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = discussion.annotate_comment_counts(list(context["object_list"]))
        context["object_list"] = context["article_list"] = articles
        if context.get("page_obj") is not None:
            context["page_obj"].object_list = articles
        return context


class ArticleListView(PublishedArticlesMixin, ListView):
    """The front page. Template ``articles/home.html`` for the first page, with
    ``lead`` (the chosen lead story, else the newest), ``lead_figure`` (its first
    figure or None), ``secondary`` (the rest of the page's articles) and
    ``most_discussed`` (rendered HTML, once per page-cache generation) and
    ``coverage`` (the coverage map and its list, ``place_pages.world_coverage()``);
    ``articles/article_list.html`` (``article_list``) for the pages after it.
    """

    template_name = "articles/article_list.html"
    home_template_name = "articles/home.html"
    most_discussed_template_name = "includes/most_discussed.html"

    def is_first_page(self):
        return self.request.GET.get(self.page_kwarg) in (None, "", "1")

    def get_template_names(self):
        return [self.home_template_name if self.is_first_page() else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.is_first_page():
            return context
        lead = Article.objects.front_page_lead()
        figures = list(lead.figures.all()) if lead else []
        context.update(
            lead=lead,
            lead_figure=figures[0] if figures else None,
            secondary=[a for a in context["article_list"] if lead is None or a.pk != lead.pk],
            most_discussed=mark_safe(  # noqa: S308 - our template's output, escaped
                page_cache.cached_fragment("most-discussed", render=self.render_most_discussed)
            ),
            coverage=place_pages.world_coverage(),
        )
        return context

    def render_most_discussed(self):
        since = timezone.now() - MOST_DISCUSSED_PERIOD
        articles = list(Article.objects.most_discussed(since=since))
        return render_to_string(self.most_discussed_template_name, {"articles": articles})


class TagArticleListView(PublishedArticlesMixin, ListView):
    """Articles with one tag. Template ``articles/tag_detail.html``; context ``tag``.

    A tag that no published article carries is a 404, so drafts leak no names.
    """

    template_name = "articles/tag_detail.html"
    allow_empty = False

    def get_queryset(self):
        self.tag = get_object_or_404(public_tags(), slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag.slug)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorArticleListView(PublishedArticlesMixin, ListView):
    """An author's public profile and articles.

    Template ``articles/author_detail.html``; context ``author`` (public
    fields only are used) and ``article_list``. An author with nothing
    published has no public page.
    """

    template_name = "articles/author_detail.html"
    allow_empty = False

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.public().prefetch_related("social_links"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(author=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    """One article. Template ``articles/article_detail.html``.

    Context: ``article``, ``head_meta`` (canonical link, Open Graph, JSON-LD
    from ``articles/article_meta.html``; published articles only) and the
    rendered body in two parts,
    ``body_before_form`` and ``body_after_form``, with the comment form
    rendered per request between them. The body (``articles/article_body.html``:
    contents, sections, figures, tags, author box, related reading and the
    approved discussion) is rendered once per page-cache generation and shared
    by every reader, so it must not depend on the request. The discussion and
    ``comment_form_context`` (the form's, per request) come from
    ``articles.discussion``: none without a provider or for a draft. Editors may
    preview drafts (never cached); everyone else gets a 404 for anything unpublished.
    """

    template_name = "articles/article_detail.html"
    body_template_name = "articles/article_body.html"
    form_template_name = "articles/article_comment_form.html"

    @method_decorator(csrf_exempt)  # as comments:post: a signed form token and an origin check
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """A comment posted from the page: refused, the article again, at its own address."""
        response = discussion.receive_comment(request, self.kwargs["slug"])
        return response if response is not None else HttpResponseNotAllowed(["GET", "HEAD"])

    def get(self, request, *args, **kwargs):
        """Readers without a session share one rendering of the page per page of comments.

        It is kept per page-cache generation by slug and origin (the scheme
        and host the page names itself by: canonical link, sharing metadata),
        as the whole-page cache keys by address, so a reader whose query
        string no whole-page cache can answer still costs no query. The
        comment form in it is the default one (its token is filled in by the
        page cache middleware), replaced for a reply or section link.
        """
        if not self.shares_page():
            return super().get(request, *args, **kwargs)
        html = page_cache.cached_fragment(
            "article-page",
            self.kwargs[self.slug_url_kwarg],
            self.comments_page(),
            self.comments_sort(),
            self.origin(),
            render=self.render_shared_page,
        )
        if any(name in request.GET for name in FORM_PARAMETERS):
            html = self.with_own_form(html)
        return HttpResponse(html)

    def shares_page(self):
        """A GET by a reader with no session and no message waiting, not a form re-rendered."""
        return (
            self.request.method in ("GET", "HEAD")
            and not self.extra_context
            and page_cache.is_anonymous(self.request)
        )

    def render_shared_page(self):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object, shared_page=True)
        return render_to_string(self.template_name, context, self.request)

    def with_own_form(self, html):
        """``html`` with the form this request asks for in place of the default one."""
        self.object = self.get_object()
        context = {"comment_form_context": self.comment_form_context(self.object)}
        form = render_to_string(self.form_template_name, context, self.request)
        start = html.index(COMMENT_FORM_START) + len(COMMENT_FORM_START)
        return html[:start] + form + html[html.index(COMMENT_FORM_END, start) :]

    def origin(self):
        return f"{self.request.scheme}://{self.request.get_host()}"

    def get_queryset(self):
        visible = Article.objects.published()
        if self.request.user.is_authenticated:
            # Staff preview what they may edit (editors: all; contributors: their own).
            visible = visible | Article.objects.editable_by(self.request.user)
        return visible.for_detail()

    def get_context_data(self, *, shared_page=False, **kwargs):
        article = self.object
        if article.is_published:
            html = page_cache.cached_fragment(
                "article-body",
                article.pk,
                self.comments_page(),
                self.comments_sort(),
                render=lambda: self.render_body(article),
            )
        else:
            html = self.render_body(article)
        before, _, after = html.partition(COMMENT_FORM_SLOT)
        # Our own templates' output, escaped when it was rendered.
        return super().get_context_data(
            comment_form_context=self.comment_form_context(article, shared=shared_page),
            region_nav=[{"name": r.name, "url": r.get_absolute_url()} for r in article.region_nav],
            head_meta=mark_safe(self.head_meta(article)),  # noqa: S308
            origin=self.origin(),
            body_before_form=mark_safe(before),  # noqa: S308
            body_after_form=mark_safe(after),  # noqa: S308
            **kwargs,
        )

    def comment_form_context(self, article, *, shared=False):
        """The comment form for this request (``articles.discussion``), None for no form.

        A refused post's form and notice come in ``extra_context``
        (``comments.views.post_comment``).
        """
        return discussion.comment_form(
            self.request, article, shared=shared, posted=self.extra_context
        )

    def head_meta(self, article):
        """Search-engine and sharing metadata; none for a draft, which has no public URL."""
        if not article.is_published:
            return ""
        origin = self.request.build_absolute_uri("/")
        return page_cache.cached_fragment(
            "article-head", article.pk, origin, render=lambda: self.render_head(article)
        )

    def render_head(self, article):
        context = structured_data.sharing_context(article, absolute=self.request.build_absolute_uri)
        return render_to_string("articles/article_meta.html", context)

    def render_body(self, article):
        body, trailing_figures, notes = article.body()
        context = {
            "article": article,
            "toc": article.table_of_contents(),
            "body": body,
            "trailing_figures": trailing_figures,
            "corrections": list(article.corrections.all()),
            "notes": notes,
            "related": list(article.related()),
            "discussion": discussion.discussion(
                article, page=self.comments_page(), sort=self.comments_sort()
            ),
            "comment_form_slot": COMMENT_FORM_SLOT,
        }
        return render_to_string(self.body_template_name, context)

    def comments_page(self):
        """The ``?comments=`` page of a long discussion: 1 unless a number from 1 to 1000."""
        value = self.request.GET.get("comments", "")
        if len(value) > 4 or not (value.isascii() and value.isdigit()):
            return 1
        return int(value) if 0 < int(value) <= 1000 else 1

    def comments_sort(self):
        """The ``?sort=`` order of the discussion: one of ``DISCUSSION_SORTS``, else the first.

        Part of the rendering caches' keys, so only these values ever reach them.
        """
        value = self.request.GET.get("sort", "")
        return value if value in DISCUSSION_SORTS else DISCUSSION_SORTS[0]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return response if self.object.is_published else page_cache.exempt(response)


class SearchView(ListView):
    """Search published articles, best match first. Template ``articles/search.html``.

    Context: ``query`` (the cleaned text), ``ignored_count`` (words left out,
    see ``articles.search``), ``results`` (the summary, the results and the
    page links, ``includes/search_results.html``) and ``timed_out`` when the
    database gave up. ``results`` is rendered once per page-cache generation
    for the same words and page from the second time they are asked, so a
    search many readers make costs the database twice; when it was rendered
    for this request, its own context is here too: ``article_list``, whose
    articles carry a ``card`` (``articles.result_cards``: what the result shows
    of the article, rendered once per generation whatever the words) and a
    ``snippet`` (escaped HTML with the matches in <mark>; None on SQLite),
    ``page_obj`` and ``paginator``.
    """

    template_name = "articles/search.html"
    results_template_name = "includes/search_results.html"
    paginate_by = settings.ARTICLES_PER_PAGE
    http_method_names = ["get", "head", "options"]

    @method_decorator(csrf_exempt)  # it takes no form: a POST is told 405, not a CSRF 403
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.search = search.search_query(self.request.GET.get("q", ""))
        if self.search.is_empty:
            return Article.objects.none()
        # A result's card shows the rest (articles.result_cards).
        return Article.objects.published().only(*search.RESULT_FIELDS).searched(self.search.terms)

    def get_paginator(self, queryset, per_page, **kwargs):
        return search.SearchPaginator(queryset, per_page, terms=self.search.terms, **kwargs)

    def get_context_data(self, **kwargs):
        extra = {"query": self.search.text, "ignored_count": len(self.search.ignored)}
        if self.search.is_empty:
            return super().get_context_data(**extra, **kwargs)
        rendered = {}

        def render():
            with search.time_limit():  # the cards' queries run in the context: inside it too
                rendered.update(self._results_context(**extra, **kwargs))
                return render_to_string(self.results_template_name, rendered)

        page = self.request.GET.get(self.page_kwarg) or 1
        key = search.cache_key(self.search.text, page)
        try:
            if search.asked_before(key):
                results = page_cache.cached_fragment("search", key, render=render)
            else:  # one-off searches (or random ones) must not fill the cache
                results = render()
        except OperationalError as error:
            if not search.was_cancelled(error):
                raise
            self.object_list = Article.objects.none()
            return super().get_context_data(**extra, timed_out=True, **kwargs)
        return {"view": self, **rendered, **extra, "results": results}

    def _results_context(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = result_cards.cards([article.pk for article in context["object_list"]])
        shown = []
        for article in context["object_list"]:
            if article.pk in found:  # else unpublished since the search read it
                article.card = found[article.pk]
                article.snippet = search.snippet(article)  # read with the page's rows
                shown.append(article)
        context["object_list"] = context["article_list"] = shown
        if context.get("page_obj") is not None:
            context["page_obj"].object_list = shown
        if not shown:
            context["common_words_only"] = search.common_words_only(self.search.terms)
        return context
