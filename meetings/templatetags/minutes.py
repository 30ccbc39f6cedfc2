"""Template filters for showing the record."""

from django import template

from meetings.markup import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return render_markdown(text)
