"""`{{ moment|geneva_time }}`: a date and time in the committee's zone, saying which zone it is
("14 December 2026, 16:44 Geneva time"), so that a delegate in New York reads it right."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def geneva_time(moment):
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return _("%(date)s, %(time)s Geneva time") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }
