"""
Rendering the comments on pages the articles app shows, from what a view supplied.

These tags never query: the article views get the discussion, the comment
form's context and list counts from ``articles.discussion`` (which the comments
app fills with ``comments.article_page``) and pass them in. The article body
renders ``{% comments_section discussion %}``, the per-request form
``{% comment_form_section comment_form_context %}``.
"""

from django import template

register = template.Library()


@register.filter
def responses_to(discussion, section):
    """The number of approved responses to a section: ``discussion|responses_to:section``."""
    return discussion.responses_to(section) if discussion else 0


@register.inclusion_tag("comments/discussion.html")
def comments_section(discussion):
    """Approved comments in threads and the removals line; the same for every reader."""
    return {"discussion": discussion, "article": discussion.article}


@register.inclusion_tag("comments/comment_form.html")
def comment_form_section(form_context):
    """The form, or a closed notice, from the view's ``comment_form_context``
    (``comments.article_page.ArticlePageDiscussion.comment_form``)."""
    return form_context


@register.inclusion_tag("comments/section_links.html")
def section_response_links(discussion, section):
    """ "Respond to this section", and a link to its responses when it has any."""
    return {
        "discussion": discussion,
        "article": discussion.article,
        "section": section,
        "count": discussion.responses_to(section),
    }
