"""Bounds on work that requests can make the server do, across all worker processes of a host: at
most DRAFT_PDF_CONCURRENCY draft PDFs render at once, and at most LOGIN_CONCURRENCY passwords are
checked at once (each check is a deliberately slow hash), so that neither staff asking for PDFs nor
a flood of guessed passwords slows the public site; over the limit the answer is "busy, try again"."""

import contextlib
import fcntl
import hashlib
import tempfile
import time
from pathlib import Path

from django.conf import settings


def _slot_directory():
    # One set of slots per installation on this host (two checkouts do not share them).
    directory = settings.LIMITS_DIR or Path(tempfile.gettempdir()) / (
        "ccm-portal-slots-" + hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    )
    Path(directory).mkdir(parents=True, exist_ok=True)
    return Path(directory)


def hold_back_refusal():
    """A refused login (locked out, or busy) is answered only after LOGIN_REFUSAL_DELAY_MS: a
    guesser waits instead of asking again at once, and a waiting thread costs the site nothing
    (gunicorn runs threaded workers, see gunicorn.conf.py)."""
    if settings.LOGIN_REFUSAL_DELAY_MS > 0:
        time.sleep(settings.LOGIN_REFUSAL_DELAY_MS / 1000)


def draft_pdf_slot():
    return _slot("draft-pdf", settings.DRAFT_PDF_CONCURRENCY)


def password_check_slot():
    return _slot("login", settings.LOGIN_CONCURRENCY)


@contextlib.contextmanager
def _slot(pool, size):
    """Yields True while holding one of the host's `size` slots of `pool`, or False at once if all
    are taken. The slots are advisory locks on files (flock), released by the kernel if a worker dies."""
    directory = _slot_directory()
    for number in range(size):
        slot = open(directory / f"{pool}-{number}", "a")  # noqa: SIM115 - held for the whole block
        try:
            fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            slot.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(slot, fcntl.LOCK_UN)
            slot.close()
        return
    yield False
