"""``{{ tag|tag_address }}``: a tag's page, from ``articles.addresses`` (no reverse() each time)."""

from django import template

from articles.addresses import address

register = template.Library()


@register.filter
def tag_address(tag):
    return address("articles:tag", slug=tag.slug)
