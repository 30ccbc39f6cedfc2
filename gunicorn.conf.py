"""How production serves the portal: `gunicorn ccm_portal.wsgi` from this folder reads this file.

Threaded workers (gthread): a request that waits — a refused login held back a second, a slow
client, the database — holds one thread, not a whole worker, so the public pages keep being
answered. Every figure can be changed from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request taking longer than this is a bug or an attack; the limits in ccm_portal/limits.py keep
# the legitimate slow ones (draft PDFs, imports) well below it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# The portal is imported once, in the master, and each worker is forked from it: a worker starts in
# milliseconds and shares the master's memory. (A new release needs a restart, not a HUP.)
preload_app = True
# Each worker is replaced after this many requests (with jitter), bounding any slow leak. Not much
# sooner: a replaced worker starts with an empty page cache, and under load (a thousand requests a
# second) replacing one every couple of thousand requests cost a fifth of the site's throughput.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Request line and headers: generous for real browsers, bounded for everything else.
limit_request_line = 8190
limit_request_fields = 100


def when_ready(server):
    """Send each response as soon as it is written: with keep-alive connections, Nagle's algorithm
    would otherwise hold a page's last segment back until the client acknowledges the first (tens of
    milliseconds on every page larger than one segment). Accepted connections inherit the option."""
    import socket

    for listener in server.LISTENERS:
        if listener.sock.family in (socket.AF_INET, socket.AF_INET6):
            listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
