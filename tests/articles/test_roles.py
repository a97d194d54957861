"""Contributors and editors in the admin (issue 9): who sees, edits and moves what."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from ..factories import ArticleFactory, AuthorFactory, SectionFactory
from .admin_forms import inline_management, untouched_inlines
from .desk import contributor_with_profile, staff_in

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **extra):
    """The article's change form as the browser sends it, with no sections or figures."""
    return {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "author": article.author.pk,
        "tags": "",
        "comments_open": "on",
        **inline_management("sections", 0),
        **inline_management("figures", 0),
        **untouched_inlines(),
        **extra,
    }


@pytest.fixture
def contributor(client):
    user, profile = contributor_with_profile()
    client.force_login(user)
    return user, profile


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Editors", "eddie"))
    return client


def test_the_groups_grant_contributors_no_publishing_and_editors_publishing():
    contributors = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article", "view_article", "change_section"} <= contributors
    assert {"view_author", "view_tag", "add_figure"} <= contributors
    assert not contributors & {"publish_article", "delete_article", "change_author"}
    assert "publish_article" in editors


def test_contributor_cannot_publish_by_button_and_the_database_is_unchanged(client, contributor):
    _, profile = contributor
    article = ArticleFactory(author=profile, title="Mine")

    for move in ["publish", "schedule", "archive"]:
        response = client.post(change_url(article), form_data(article, _transition=move))
        assert response.status_code == 200
        assert "You may not" in response.content.decode()

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)
    assert not article.transitions.exists()


def test_contributor_cannot_set_the_status_or_date_by_posting_them(client, contributor):
    _, profile = contributor
    article = ArticleFactory(author=profile)

    client.post(
        change_url(article),
        form_data(
            article,
            status="published",
            published_at_0="2020-01-01",
            published_at_1="10:00:00",
            title="Renamed",
        ),
    )

    article.refresh_from_db()
    assert article.title == "Renamed"
    assert (article.status, article.published_at) == (Status.DRAFT, None)


def test_contributor_sees_only_submit_and_editor_sees_the_publishing_buttons(client, contributor):
    _, profile = contributor
    article = ArticleFactory(author=profile)
    own = client.get(change_url(article)).content.decode()
    client.force_login(staff_in("Editors", "edna"))
    editors = client.get(change_url(article)).content.decode()

    assert 'value="submit">Submit for review' in own
    assert "Publish now" not in own and "Schedule" not in own
    assert 'value="publish">Publish now' in editors
    assert 'value="schedule">Schedule' in editors
    assert 'value="request_changes"' not in editors  # not in review


def test_contributor_sees_and_opens_only_their_own_articles(client, contributor):
    _, profile = contributor
    ArticleFactory(author=profile, title="Zqmine")
    others = ArticleFactory(author=AuthorFactory(), title="Zqtheirs")

    listing = client.get(CHANGELIST).content.decode()
    opened = client.get(change_url(others))
    posted = client.post(change_url(others), form_data(others, title="Hijacked"))

    assert "Zqmine" in listing and "Zqtheirs" not in listing
    assert opened.status_code == 302  # "doesn't exist", back to the index
    assert posted.status_code == 302
    others.refresh_from_db()
    assert others.title == "Zqtheirs"


def test_contributor_cannot_preview_someone_elses_draft(client, contributor):
    _, profile = contributor
    mine = ArticleFactory(author=profile)
    others = ArticleFactory()

    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(others.get_absolute_url()).status_code == 404


def test_contributor_cannot_edit_their_article_once_submitted(client, contributor):
    _, profile = contributor
    article = ArticleFactory(author=profile, in_review=True, title="Submitted")

    response = client.post(change_url(article), form_data(article, title="Changed after"))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Submitted"


def test_contributor_writes_a_new_article_as_themself_and_submits_it(client, contributor):
    user, profile = contributor
    AuthorFactory(name="Someone Else", slug="someone-else")
    add_url = reverse("admin:articles_article_add")

    form = client.get(add_url).content.decode()
    assert "Someone Else" not in form
    assert f'<option value="{profile.pk}" selected>' in form

    stranger = AuthorFactory(slug="stranger")
    data = {
        "title": "My first piece",
        "slug": "my-first-piece",
        "standfirst": "A lede.",
        "tags": "",
        "comments_open": "on",
        **inline_management("sections", 1),
        **inline_management("figures", 0),
        **untouched_inlines(),
        "sections-0-position": "1",
        "sections-0-level": "2",
        "sections-0-heading": "Opening",
        "sections-0-body": "Text.",
    }
    refused = client.post(add_url, {**data, "author": stranger.pk})
    assert refused.status_code == 200
    assert not Article.objects.exists()

    response = client.post(add_url, {**data, "author": profile.pk, "_transition": "submit"})

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.author, article.status) == (profile, Status.REVIEW)
    assert article.transitions.get().by == user


def test_editor_requests_changes_with_a_note_and_schedules_from_the_admin(editor_client):
    article = ArticleFactory(in_review=True)
    SectionFactory(article=article)

    no_note = editor_client.post(
        change_url(article), form_data(article, _transition="request_changes")
    )
    assert "Write a note" in no_note.content.decode()
    editor_client.post(
        change_url(article),
        form_data(article, _transition="request_changes", review_note="Add a map."),
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert "Add a map." in editor_client.get(change_url(article)).content.decode()

    past = timezone.localtime() - datetime.timedelta(hours=1)
    refused = editor_client.post(
        change_url(article),
        form_data(
            article,
            _transition="schedule",
            schedule_at_0=past.strftime("%Y-%m-%d"),
            schedule_at_1=past.strftime("%H:%M:%S"),
        ),
    )
    assert "The scheduled time has passed" in refused.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.DRAFT, None)

    later = (timezone.localtime() + datetime.timedelta(days=1)).replace(microsecond=0)
    editor_client.post(
        change_url(article),
        form_data(
            article,
            _transition="schedule",
            schedule_at_0=later.strftime("%Y-%m-%d"),
            schedule_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Status.SCHEDULED, later)


def test_publishing_actions_are_offered_to_editors_only(client, contributor):
    _, profile = contributor
    own = ArticleFactory(author=profile)
    contributor_actions = client.get(CHANGELIST).content.decode()
    refused = client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [own.pk]})

    assert "Submit selected articles for review" in contributor_actions
    assert "publish_selected" not in contributor_actions
    assert refused.status_code < 400  # Django's "No action selected"
    own.refresh_from_db()
    assert own.status == Status.DRAFT


def test_editors_bulk_actions_report_what_they_refused(editor_client):
    draft = ArticleFactory(title="Zqdraft")
    live = ArticleFactory(published=True, title="Zqlive")

    response = editor_client.post(
        CHANGELIST,
        {"action": "archive_selected", "_selected_action": [draft.pk, live.pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "Archived 1 article(s)." in page
    assert "Zqdraft" in page and "cannot be moved" in page
    draft.refresh_from_db(), live.refresh_from_db()
    assert (draft.status, live.status) == (Status.DRAFT, Status.ARCHIVED)


def test_the_admin_index_shows_editors_the_review_queue(editor_client):
    ArticleFactory.create_batch(2, in_review=True)

    page = editor_client.get(reverse("admin:index")).content.decode()

    assert "Waiting for review: 2 articles" in page
    assert f"{CHANGELIST}?status__exact=review" in page


def test_the_admin_index_says_how_to_make_each_role(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "manage.py addstaff NAME --role contributor|editor|moderator" in page


def test_the_list_says_whether_a_scheduled_article_is_live_yet(editor_client):
    ArticleFactory(scheduled=True, title="Zqlater")
    ArticleFactory(
        status=Status.SCHEDULED,
        published_at=timezone.now() - datetime.timedelta(minutes=1),
        title="Zqalready",
    )

    page = editor_client.get(CHANGELIST).content.decode()

    assert '<td class="field-state">Scheduled (live)</td>' in page
    assert '<td class="field-state">Scheduled</td>' in page


def test_contributors_see_authors_public_profiles_but_not_their_private_details(
    client, contributor
):
    _, profile = contributor
    other = AuthorFactory(with_private_details=True, slug="private-person")

    page = client.get(reverse("admin:articles_author_change", args=[other.pk]))

    assert page.status_code == 200
    assert other.name in page.content.decode()
    assert other.email not in page.content.decode()
    assert other.phone not in page.content.decode()


def test_contributor_deletes_a_section_of_their_own_draft_but_not_of_another(client, contributor):
    user, profile = contributor
    own = ArticleFactory(author=profile)
    kept, dropped = SectionFactory(article=own, heading="Kept"), SectionFactory(article=own)
    others = ArticleFactory()
    theirs = SectionFactory(article=others)

    def delete_second(article, sections):
        data = form_data(article, **inline_management("sections", 2, initial=2))
        for index, section in enumerate(sections):
            data |= {
                f"sections-{index}-id": section.pk,
                f"sections-{index}-position": section.position,
                f"sections-{index}-level": section.level,
                f"sections-{index}-heading": section.heading,
                f"sections-{index}-body": section.body,
            }
        data[f"sections-{len(sections) - 1}-DELETE"] = "on"
        return client.post(change_url(article), data)

    assert delete_second(own, [kept, dropped]).status_code == 302
    delete_second(others, [SectionFactory(article=others), theirs])

    assert list(own.sections.all()) == [kept]
    assert others.sections.filter(pk=theirs.pk).exists()
