"""Template tags of the public portal's layout."""

from django import template

from portal.sitemaps import absolute_url

register = template.Library()


@register.simple_tag
def canonical_url(path):
    """The address to cite for a page: on SITE_URL, without the query string."""
    return absolute_url(path)
