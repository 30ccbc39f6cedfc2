"""CACHE_URL naming Redis puts the page cache and the password-reset limit in Redis (Django's own
backend), so that every worker process agrees; local memory stays the default. Runs against the
Redis on this machine (127.0.0.1:6379, database 15, emptied by each test)."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse

from tests.conftest import require

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        reachable = True
    except OSError:
        reachable = False
    require(reachable, "no Redis answers on 127.0.0.1:6379")
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": REDIS_URL, "KEY_PREFIX": "ccm"}}
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def settings_in_a_new_process(cache_url):
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "ccm_portal.settings"}
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True
    )


def test_cache_url_naming_redis_selects_djangos_redis_backend():
    assert settings_in_a_new_process(REDIS_URL).stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    assert settings_in_a_new_process("").stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    refused = settings_in_a_new_process("memcached://127.0.0.1:11211")
    assert refused.returncode != 0 and "CACHE_URL must be a redis:// address" in refused.stderr


def test_a_published_page_cached_by_one_worker_is_found_in_redis_by_another(client, demo, redis_cache):
    import redis

    assert client.get("/meetings/2018-09-25/").status_code == 200
    keys = redis.Redis.from_url(REDIS_URL).keys("ccm:*published-page:*")
    assert keys, "the page was not stored in Redis"
    # Another worker: a separate connection to the same Redis finds the same page.
    other = caches.create_connection("default")
    assert other.get(keys[0].decode().split(":", 2)[2]) is not None


def test_the_password_reset_limit_is_counted_in_redis(client, coordinator, redis_cache, settings):
    coordinator.email = "bob@example.org"
    coordinator.save()
    for _ in range(settings.PASSWORD_RESETS_PER_HOUR):
        assert client.post(reverse("password_reset"), {"email": "bob@example.org"}).status_code == 302
    redis_cache.close()  # as if the next request reached another worker
    assert client.post(reverse("password_reset"), {"email": "bob@example.org"}).status_code == 429
