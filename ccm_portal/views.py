"""Site-wide views that belong to no app: the health check, CSP reports and the error page."""

import logging
import sys
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("ccm_portal.security")
CSP_REPORT_MAX_BYTES = 16 * 1024
# Seconds a client is asked to wait before trying again during a database outage.
OUTAGE_RETRY_AFTER = 30


def healthz(request):
    """For load balancers: 200 "ok" when the database answers and the media storage takes a file;
    otherwise 503 naming what failed. `/healthz?live` only says the process answers (a liveness
    probe, and the baseline of the wrk benchmark)."""
    if "live" in request.GET:
        return HttpResponse("ok", content_type="text/plain")
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        failed.append("database")
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError:
        failed.append("media storage")
    if failed:
        logger.error("health check failed: %s", ", ".join(failed))
        return HttpResponse("failed: " + ", ".join(failed), content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers report Content-Security-Policy violations here; they go to the log."""
    body = request.read(CSP_REPORT_MAX_BYTES).decode("utf-8", "replace")
    logger.warning("content security policy violation: %s", body)
    return HttpResponse(status=204)


def server_error(request):
    """Django's 500, except while the database is unreachable: a 503 page asking to come back,
    rendered without touching the database."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DatabaseError):
        logger.error("database unavailable: %s", exception)
        if request.headers.get("Accept", "").startswith("application/json") or request.path.startswith("/api/"):
            response = JsonResponse({"error": "The database is unavailable; try again shortly."}, status=503)
        else:
            html = loader.get_template("503.html").render({"retry_after": OUTAGE_RETRY_AFTER})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
