import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    code = "import ccm_portal.settings as s; print(s.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_settings_load_with_a_secret_key():
    result = load_settings(SECRET_KEY="s3cret")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_without_database_url_the_database_is_a_sqlite_file_under_var():
    result = subprocess.run(
        [sys.executable, "-c", "import ccm_portal.settings as s; print(s.DATABASES['default']['NAME'])"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SECRET_KEY": "x"},
        capture_output=True,
        text=True,
    )
    assert Path(result.stdout.strip()).parent == ROOT / "var"


def test_database_url_picks_postgresql():
    result = load_settings(SECRET_KEY="s", DATABASE_URL="postgres://u:p@db.example:5432/ccm")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_production_without_a_secret_key_refuses_to_serve():
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    for module in ("ccm_portal.wsgi", "ccm_portal.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", f"import {module}"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0, module
        assert "SECRET_KEY must be set" in result.stderr


def test_offline_commands_run_without_a_secret_key_and_warn_about_it():
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "ccm_portal.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is malformed"),
    ],
)
def test_malformed_values_stop_the_start_with_a_message_naming_the_variable(env, message):
    result = load_settings(SECRET_KEY="s", **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_debug_is_off_unless_asked():
    result = subprocess.run(
        [sys.executable, "-c", "import ccm_portal.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DEBUG"} | {"SECRET_KEY": "x"},
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False"
