"""Login defences: django-axes locks an account and an address after repeated wrong passwords, a
locked attempt is refused before any password is hashed, logins are logged, password resets are
rate-limited, and staff passwords are long."""

import logging

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery"


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting the passwords it checks."""

    algorithm = "counting_md5"
    checked = 0

    def verify(self, password, encoded):
        CountingHasher.checked += 1
        return super().verify(password, encoded.replace("counting_md5", "md5", 1))

    def encode(self, password, salt):
        return super().encode(password, salt).replace("md5", "counting_md5", 1)


def log_in(client, username, password, address="10.0.0.1", path="login"):
    return client.post(reverse(path), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, isu_staff):
    for _ in range(50):
        log_in(client, "alice", "wrong")
    response = log_in(client, "alice", RIGHT, address="10.0.0.2")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_from_one_address_lock_that_address_for_every_account(client, isu_staff, coordinator):
    for number in range(50):
        log_in(client, f"guess{number}", "wrong", address="10.0.0.9")
    assert log_in(client, "bob", RIGHT, address="10.0.0.9").status_code == 429
    assert log_in(Client(), "bob", RIGHT, address="10.0.0.10").status_code == 302


def test_the_admin_login_is_locked_too(client, admin_user):
    for _ in range(50):
        log_in(client, "dana", "wrong", path="admin:login")
    assert log_in(client, "dana", RIGHT, address="10.0.0.3", path="admin:login").status_code == 429


def test_the_lockout_page_says_how_long_and_who_can_unlock(client, coordinator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bob", "wrong")
    response = log_in(client, "bob", RIGHT)
    page = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"] == "1800"
    assert "locked for 30 minutes" in page and "administrator to unlock" in page


def test_a_locked_attempt_costs_no_password_hash(client, coordinator, settings):
    settings.PASSWORD_HASHERS = ["tests.ccm_portal.test_login_defences.CountingHasher"]
    coordinator.set_password(RIGHT)
    coordinator.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bob", "wrong")
    CountingHasher.checked = 0
    for _ in range(20):
        assert log_in(client, "bob", RIGHT).status_code == 429
    assert CountingHasher.checked == 0


def test_a_locked_out_guess_is_answered_only_after_the_refusal_delay_and_a_good_login_is_not(
    client, coordinator, settings, monkeypatch
):
    from ccm_portal import limits

    waits = []
    monkeypatch.setattr(limits.time, "sleep", waits.append)  # records the wait instead of waiting
    settings.LOGIN_REFUSAL_DELAY_MS = 1500
    assert log_in(Client(), "bob", RIGHT, address="10.0.0.20").status_code == 302
    assert waits == []
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bob", "wrong")
    waits.clear()
    assert log_in(client, "bob", RIGHT).status_code == 429
    assert waits == [1.5]


def test_an_administrator_unlocks_an_account_in_the_admin(client, coordinator, admin_user, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bob", "wrong")
    admin = Client()
    admin.force_login(admin_user)
    attempts = AccessAttempt.objects.filter(username="bob")
    assert attempts.exists()
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "bob" in admin.get(changelist).content.decode()
    admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": list(attempts.values_list("pk", flat=True)), "post": "yes"},
    )
    assert not AccessAttempt.objects.filter(username="bob").exists()
    assert log_in(client, "bob", RIGHT).status_code == 302


def test_failed_and_successful_logins_are_logged_with_the_address(client, coordinator, caplog):
    with caplog.at_level(logging.INFO, logger="ccm_portal.security"):
        log_in(client, "bob", "wrong", address="10.0.0.7")
        log_in(client, "bob", RIGHT, address="10.0.0.7")
    lines = [record.getMessage() for record in caplog.records if record.name == "ccm_portal.security"]
    assert "login failed for 'bob' from 10.0.0.7" in lines
    assert "login succeeded for 'bob' from 10.0.0.7" in lines


def test_the_client_address_behind_a_trusted_proxy_is_the_one_it_saw(client, coordinator, settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="ccm_portal.security"):
        client.post(
            reverse("login"),
            {"username": "bob", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5",
        )
    assert "login failed for 'bob' from 203.0.113.5" in caplog.text


def test_password_reset_emails_to_one_address_are_limited_with_a_clear_message(client, coordinator, settings):
    coordinator.email = "bob@example.org"
    coordinator.save()
    answers = [client.post(reverse("password_reset"), {"email": "bob@example.org"}).status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_HOUR
    page = client.post(reverse("password_reset"), {"email": "BOB@example.org"}).content.decode()
    assert "Too many password reset requests" in page


@pytest.mark.parametrize(
    ("persona", "password", "accepted"),
    [
        ("isu_staff", "isu12345", False),
        ("isu_staff", "lantern-qua", False),
        ("isu_staff", "lantern-quarry-oboe", True),
        ("admin_user", "lantern-qua", False),
        ("coordinator", "lantern-q", True),
        ("coordinator", "12345678", False),
    ],
)
def test_staff_passwords_need_twelve_characters_and_everyone_passes_djangos_validators(
    persona, password, accepted, request
):
    user = request.getfixturevalue(persona)
    if accepted:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)
