"""Shared fixtures: personas, the demo record, and the rule for tests that need PostgreSQL or Chromium."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from meetings.roles import COORDINATORS_GROUP, ISU_STAFF_GROUP
from tests.factories import RepresentativeFactory

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def require(condition, reason):
    """Skip a test whose tool is missing on a developer's machine; under CI=true it must run, so fail."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test, but {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files (the official PDFs) go to a throwaway folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Each test starts with an empty page cache, and reads the publication stamp on every request
    (not once a second), so that no page or stamp of one test serves another and query counts hold."""
    from django.core.cache import cache

    from portal import caching

    monkeypatch.setattr(caching, "STAMP_SECONDS", 0)
    caching.forget_stamp()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres():
    # CI runs the suite twice, first on SQLite (no DATABASE_URL), then on PostgreSQL: these tests
    # skip in the SQLite pass and must run in the PostgreSQL one.
    if IN_CI and not os.environ.get("DATABASE_URL"):
        pytest.skip("PostgreSQL-only: CI runs it in its PostgreSQL pass")
    require(connection.vendor == "postgresql", "it needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)")


@pytest.fixture
def chromium():
    require(shutil.which("chromium") or os.path.exists(CHROMIUM), "Debian's chromium is not installed")
    return CHROMIUM


@pytest.fixture
def unhashed_static_names(settings):
    """For browser tests of pages with their own scripts and styles (editor.js): the live server
    serves static files from the app folders by their own names, not the manifest's fingerprinted
    ones, so the page must ask for them by those names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas log in with passwords; the production hasher is deliberately slow, and a refused
    login is held back a second (tests/ccm_portal checks that it is)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOGIN_REFUSAL_DELAY_MS = 0


@pytest.fixture(autouse=True, scope="session")
def _plain_http():
    """The test client and the live server speak plain http (production redirects to https); set
    for the whole session, before the live server builds its middleware."""
    import tempfile

    from django.test.utils import override_settings

    # Render and login slots of this test run alone: another run on the machine must not take them.
    with tempfile.TemporaryDirectory(prefix="ccm-test-slots-") as slots:
        with override_settings(SECURE_SSL_REDIRECT=False, LIMITS_DIR=slots):
            yield


@pytest.fixture(autouse=True)
def _password_alone_by_default(settings):
    """Personas log in with a password alone; the second-factor tests turn MFA_REQUIRED back on."""
    settings.MFA_REQUIRED = False


def _user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(username=username, password="correct horse battery", **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def isu_staff(django_user_model):
    """Alice, of the ISU: drafts, circulates and publishes minutes; sees everything."""
    return _user(django_user_model, "alice", ISU_STAFF_GROUP, is_staff=True)


@pytest.fixture
def coordinator(django_user_model):
    """Bob, a coordinator's delegate: reads and comments on circulated minutes; never sees drafts."""
    user = _user(django_user_model, "bob", COORDINATORS_GROUP)
    RepresentativeFactory(user=user, name="Bob Delegate")
    return user


@pytest.fixture
def outsider(django_user_model):
    """Charlie, logged in but in no group: sees only what the public sees."""
    return _user(django_user_model, "charlie")


@pytest.fixture
def admin_user(django_user_model):
    """Dana, a site administrator: manages users and reference data in the admin."""
    return django_user_model.objects.create_superuser("dana", "dana@example.org", "correct horse battery")


@pytest.fixture
def demo(db):
    """The demo record built from the seed: 30 August (adopted), 25 September (published),
    13 November 2018 (draft); without the minutes under review that `make run` adds
    (see demo_in_progress)."""
    call_command("loaddemo", without_work_in_progress=True, verbosity=0)
    from meetings.models import Meeting

    return {m.date.isoformat(): m for m in Meeting.objects.all()}


@pytest.fixture
def demo_in_progress(db):
    """The whole demo of `make run`: the record above, plus minutes adopted awaiting publication
    (11 December 2018), under a running silence procedure (29 January 2019) and circulated with
    comments from New Zealand and Chile (26 February 2019)."""
    call_command("loaddemo", verbosity=0)
    from meetings.models import Meeting

    return {m.date.isoformat(): m for m in Meeting.objects.all()}


@pytest.fixture(scope="session")
def _key_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("signing-keys")


@pytest.fixture(scope="session")
def _isu_key_pair(_key_folder):
    from tests.signing_keys import make_key_pair

    return make_key_pair(_key_folder, "ISU test")


@pytest.fixture(scope="session")
def _other_key_pair(_key_folder):
    from tests.signing_keys import make_key_pair

    return make_key_pair(_key_folder, "Not the ISU")


@pytest.fixture
def isu_signing_key(settings, _isu_key_pair):
    """The ISU's key is configured: official records are signed with it. Returns its fingerprint."""
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE, fingerprint = map(str, _isu_key_pair)
    settings.SIGNING_KEY_PASSPHRASE = ""
    return fingerprint


@pytest.fixture
def other_key(settings, _other_key_pair):
    """A key that is not the ISU's, loaded as pyHanko would sign with it."""
    from meetings import signing

    key_file, cert_file, _ = _other_key_pair
    return signing.load_key(key_file, cert_file)
