"""Logging in and out with Django's own views, and the demo accounts `make run` prints."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from delegations.models import CoordinatorRole
from meetings import permissions

pytestmark = pytest.mark.django_db


def test_a_coordinator_logs_in_and_sees_their_name_and_a_log_out_button(client, coordinator):
    coordinator.first_name, coordinator.last_name = "Bob", "Delegate"
    coordinator.save()
    response = client.post(
        reverse("login"), {"username": "bob", "password": "correct horse battery", "next": "/meetings/"}
    )
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    page = client.get("/meetings/").content.decode()
    assert "Bob Delegate" in page and 'action="/accounts/logout/"' in page


def test_a_wrong_password_is_refused_with_a_message(client, coordinator):
    response = client.post(reverse("login"), {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_logging_out_is_a_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "Log in" in client.get("/").content.decode()


def test_the_login_page_uses_the_portals_layout(client):
    page = client.get(reverse("login")).content.decode()
    assert "CCM Portal" in page and "Forgotten your password?" in page


def test_demo_logins_print_every_account_with_email_addresses(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[:4] for line in lines] == [
        ["demo", "login:", "isu", "isu"],
        ["demo", "login:", "coordinator", "coordinator"],
        ["demo", "login:", "coordinator", "coordinator-chile"],
    ]
    users = get_user_model().objects.filter(username__in=["isu", "coordinator"])
    assert all(user.email.endswith("@example.org") for user in users)
    isu, coordinator = users.get(username="isu"), users.get(username="coordinator")
    assert permissions.is_isu_staff(isu) and permissions.is_coordinator(coordinator)


@pytest.mark.parametrize("username", ["coordinator", "coordinator-chile"])
def test_each_demo_coordinator_belongs_to_a_delegation_that_coordinates_a_thematic_area(demo, username):
    call_command("demo_logins", stdout=io.StringIO())
    coordinator = get_user_model().objects.get(username=username)
    delegation = coordinator.representative.delegation
    assert CoordinatorRole.objects.filter(delegation=delegation).exists()
