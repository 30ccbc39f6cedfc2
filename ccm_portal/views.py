"""Site-wide views that belong to no app."""

from django.http import HttpResponse


def healthz(request):
    """A trivial page for load balancers, and the baseline of the wrk benchmark."""
    return HttpResponse("ok", content_type="text/plain")
