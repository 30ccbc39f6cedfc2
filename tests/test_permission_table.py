"""Who gets what, for every URL the site answers: the resolver's patterns × five personas.
A URL without a row here fails, and so does a row naming no URL."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings import documents, pdf, review, workflow
from meetings.models import Meeting
from tests.factories import later_meeting, meeting_in

PERSONAS = ("anonymous", "outsider", "coordinator", "isu_staff", "admin")
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


def _row(anonymous, outsider, coordinator, isu_staff, admin):
    return dict(zip(PERSONAS, (anonymous, outsider, coordinator, isu_staff, admin), strict=True))


# url name: expected status per persona (an outsider is logged in but has no role: they see what
# the public sees). Staff and coordinators' pages (meetings:) send the anonymous to log in and back
# (302), whether the meeting exists or not. Pages about one meeting: 404 to a logged-in user who
# may not see it, 403 to whoever may see it but not act. Mutations answer a redirect (302) when
# they ran.
TABLE = {
    "portal:home": _row(200, 200, 200, 200, 200),
    "portal:meeting_archive": _row(200, 200, 200, 200, 200),
    "portal:meeting_detail": _row(404, 404, 200, 200, 200),  # circulated minutes
    "portal:meeting_pdf": _row(404, 404, 404, 200, 200),  # a draft
    "portal:meeting_record_file": _row(404, 404, 200, 200, 200),  # adopted minutes' stored PDF, by its hash
    "portal:document_download": _row(404, 404, 404, 200, 200),  # a document of an item of a draft
    "meetings:meeting_review": _row(302, 404, 200, 200, 200),
    "meetings:comment_create": _row(302, 404, 302, 302, 302),
    "meetings:comment_reply": _row(302, 404, 403, 302, 302),
    "meetings:comment_apply": _row(302, 404, 403, 302, 302),  # circulated: refused with a message, back
    "meetings:meeting_versions": _row(302, 404, 200, 200, 200),
    "meetings:meeting_history": _row(302, 404, 403, 200, 200),
    "meetings:meeting_circulate": _row(302, 404, 404, 302, 302),  # a draft
    "meetings:meeting_withdraw": _row(302, 404, 403, 302, 302),
    "meetings:meeting_adopt": _row(302, 404, 403, 302, 302),
    "meetings:silence_start": _row(302, 404, 403, 302, 302),
    "meetings:silence_break": _row(302, 404, 302, 403, 403),  # coordinators break silence, staff don't
    "meetings:meeting_publish": _row(302, 404, 403, 302, 302),  # adopted minutes
    # Announcing (ISU staff): the page refuses others; the steps on an announced meeting are 404 to
    # whoever sees no record of it (its public page shows the announcement, not these steps).
    "meetings:meeting_announce": _row(302, 403, 403, 200, 200),
    "meetings:meeting_postpone": _row(302, 404, 404, 302, 302),
    "meetings:meeting_cancel": _row(302, 404, 404, 302, 302),
    "meetings:meeting_start_drafting": _row(302, 404, 404, 302, 302),  # too early: back, with a message
    # Correcting a published imported record (ISU staff): a coordinator may see the minutes, not act;
    # staff sending a tampered preview are sent back to the import page.
    "meetings:meeting_supersede": _row(302, 404, 403, 302, 302),  # circulated minutes
    # Each role's home: the router sends everyone somewhere; the coordinators' home is theirs.
    "meetings:role_home": _row(302, 302, 302, 302, 302),
    "meetings:coordinator_home": _row(302, 403, 200, 403, 403),
    # Drafting (ISU staff only): pages about a draft are 404 to a logged-in user who may not see
    # it; the workspace and new-meeting pages refuse other users.
    "meetings:drafting_workspace": _row(302, 403, 403, 200, 200),
    "meetings:drafting_meeting_new": _row(302, 403, 403, 200, 200),
    "meetings:drafting_preview": _row(302, 403, 403, 200, 200),
    "meetings:drafting_meeting": _row(302, 404, 404, 200, 200),  # a draft
    "meetings:drafting_attendance": _row(302, 404, 404, 200, 200),
    "meetings:drafting_follow_up": _row(302, 404, 404, 302, 302),  # an empty follow-up: back, with a message
    "meetings:drafting_item_add": _row(302, 404, 404, 302, 302),
    "meetings:drafting_item": _row(302, 404, 404, 200, 200),
    "meetings:drafting_item_remove": _row(302, 404, 404, 302, 302),
    "meetings:drafting_item_move": _row(302, 404, 404, 302, 302),
    "meetings:drafting_document_attach": _row(302, 404, 404, 200, 200),
    "meetings:drafting_document_replace": _row(302, 404, 404, 200, 200),
    "meetings:drafting_document_remove": _row(302, 404, 404, 302, 302),
    # Importing the back catalogue: ISU staff only, no trace for any other logged-in user.
    "meetings:meeting_import": _row(302, 404, 404, 200, 200),
    "meetings:meeting_import_confirm": _row(302, 404, 404, 302, 302),  # a tampered preview: back to the form
    # The public portal: published records only, the same for everyone.
    "portal:record_verify": _row(200, 200, 200, 200, 200),
    "portal:record_certificate": _row(404, 404, 404, 404, 404),  # the same for all; 404 here, as no key is set
    "portal:search": _row(200, 200, 200, 200, 200),
    "portal:minutes_feed": _row(200, 200, 200, 200, 200),
    "portal:meetings_calendar": _row(200, 200, 200, 200, 200),
    "portal:decisions_feed": _row(200, 200, 200, 200, 200),
    "portal:decision_index": _row(200, 200, 200, 200, 200),
    "portal:api_decision_list": _row(200, 200, 200, 200, 200),
    "portal:api_meeting_list": _row(200, 200, 200, 200, 200),
    "portal:api_meeting_detail": _row(404, 404, 404, 404, 404),  # circulated minutes are not open data
    "portal:api_openapi": _row(200, 200, 200, 200, 200),
    "portal:action_point_index": _row(200, 200, 200, 200, 200),
    "portal:delegation_index": _row(200, 200, 200, 200, 200),
    "portal:delegation_detail": _row(200, 200, 200, 200, 200),
    "portal:presidency_index": _row(200, 200, 200, 200, 200),
    "portal:presidency_detail": _row(200, 200, 200, 200, 200),
    "set_language": _row(302, 302, 302, 302, 302),
    "sitemap": _row(200, 200, 200, 200, 200),
    "healthz": _row(200, 200, 200, 200, 200),
    "login": _row(200, 200, 200, 200, 200),
    "logout": _row(405, 405, 405, 405, 405),  # POST only
    "password_change": _row(302, 200, 200, 200, 200),
    "password_change_done": _row(302, 200, 200, 200, 200),
    "password_reset": _row(200, 200, 200, 200, 200),
    "password_reset_done": _row(200, 200, 200, 200, 200),
    "password_reset_confirm": _row(200, 200, 200, 200, 200),  # an invalid link: the "no longer works" page
    "password_reset_complete": _row(200, 200, 200, 200, 200),
    # The second factor: for the signed-in; giving a code needs a device, so it sends them to enrol.
    "mfa_verify": _row(302, 302, 302, 302, 302),
    "mfa_setup": _row(302, 200, 200, 200, 200),
    # Posted by the set-up page once a passkey is registered; without one, back to the set-up page.
    "mfa_setup_passkey": _row(302, 302, 302, 302, 302),
    "csp_report": _row(405, 405, 405, 405, 405),  # browsers POST their reports
    # Sign-in security: for the signed-in. Personas here have no second factor, so a change sends
    # them back to the page with a message; someone else's (here: no) passkey is 404.
    "sign_in_security": _row(302, 200, 200, 200, 200),
    "recovery_codes_renew": _row(302, 302, 302, 302, 302),
    "authenticator_app_remove": _row(302, 302, 302, 302, 302),
    "passkey_remove": _row(302, 404, 404, 404, 404),
    # Passkeys (django-otp-webauthn's JSON ceremonies): never without the password (403 to the
    # anonymous); a ceremony completed without being begun is a bad request.
    "otp_webauthn:credential-registration-begin": _row(403, 200, 200, 200, 200),
    "otp_webauthn:credential-registration-complete": _row(403, 400, 400, 400, 400),
    "otp_webauthn:credential-authentication-begin": _row(403, 200, 200, 200, 200),
    "otp_webauthn:credential-authentication-complete": _row(403, 400, 400, 400, 400),
    "otp_webauthn:js-i18n-catalog": _row(200, 200, 200, 200, 200),
}

POST_ONLY = {
    "mfa_setup_passkey",
    "meetings:comment_create",
    "meetings:comment_reply",
    "meetings:comment_apply",
    "meetings:meeting_circulate",
    "meetings:meeting_withdraw",
    "meetings:meeting_adopt",
    "meetings:silence_start",
    "meetings:silence_break",
    "meetings:meeting_publish",
    "meetings:meeting_postpone",
    "meetings:meeting_cancel",
    "meetings:meeting_start_drafting",
    "meetings:meeting_supersede",
    "meetings:drafting_preview",
    "meetings:drafting_follow_up",
    "meetings:drafting_item_add",
    "meetings:drafting_item_remove",
    "meetings:drafting_item_move",
    "meetings:drafting_document_remove",
    "meetings:meeting_import_confirm",
    "recovery_codes_renew",
    "authenticator_app_remove",
    "passkey_remove",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
}


def url_names():
    """Every named URL pattern from the resolver, namespaced, except the admin's and static files'."""
    names = set()

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, route)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {route!r} has no name, so the permission table cannot name it"
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "", "")
    return names


def test_every_url_has_a_row_and_every_row_a_url():
    names = url_names()
    assert names - TABLE.keys() == set(), "URLs without a row in the permission table"
    assert TABLE.keys() - names == set(), "rows in the permission table naming no URL"


@pytest.fixture
def world(db, isu_staff, coordinator):
    """One meeting in each state, a comment under review and a running silence procedure."""
    draft = meeting_in(Meeting.Status.DRAFT)
    circulated = meeting_in(Meeting.Status.CIRCULATED, by=isu_staff)
    version = circulated.latest_version()
    comment = review.add_comment(
        version, author=coordinator, item=version.snapshot["items"][0], text="Please check.", proposed_text=""
    )
    workflow.start_silence_procedure(circulated, by=isu_staff, ends_at=timezone.now() + datetime.timedelta(days=5))
    adopted = meeting_in(Meeting.Status.ADOPTED, by=isu_staff)
    later = later_meeting(circulated)
    item = draft.agenda_items.order_by("position", "id").first()
    document = documents.attach(
        draft,
        isu_staff,
        SimpleUploadedFile("paper.pdf", b"%PDF-1.7\n%%EOF\n"),
        title="Paper",
        kind="paper",
        language="en",
        agenda_item=item,
    )
    # Announced for a day to come, under the presidency of the meetings above.
    day = max(timezone.localdate(), later.date) + datetime.timedelta(days=30)
    announced = workflow.announce(isu_staff, date=day, presidency=later.presidency, starts_at=datetime.time(12, 30))
    return {
        "announced": announced,
        "document": document,
        "draft": draft,
        "circulated": circulated,
        "adopted": adopted,
        "later": later,
        "comment": comment,
        "item_key": version.snapshot["items"][0]["key"],
    }


def sample(name, world):
    """(url, data) for one URL name: data None means GET."""
    d = lambda m: m.date.isoformat()  # noqa: E731
    circ = d(world["circulated"])
    draft = d(world["draft"])
    item = world["draft"].agenda_items.order_by("position", "id").first()
    presidency = world["circulated"].presidency
    samples = {
        "portal:home": ((), None),
        "portal:meeting_archive": ((), None),
        "portal:meeting_detail": ((circ,), None),
        "portal:meeting_pdf": ((d(world["draft"]),), None),
        "portal:meeting_record_file": ((d(world["adopted"]), pdf.official_pdf(world["adopted"]).sha256), None),
        "portal:document_download": ((draft, world["document"].pk, world["document"].file_name), None),
        "meetings:meeting_review": ((circ,), None),
        "meetings:comment_create": ((circ,), {"item_key": world["item_key"], "text": "A comment."}),
        "meetings:comment_reply": ((circ, world["comment"].pk), {"reply": "Done.", "outcome": "incorporated"}),
        "meetings:comment_apply": ((circ, world["comment"].pk), {}),
        "meetings:meeting_versions": ((circ,), None),
        "meetings:meeting_history": ((circ,), None),
        "meetings:meeting_circulate": ((d(world["draft"]),), {"comment_deadline": "2099-01-01", "confirmed": "yes"}),
        "meetings:meeting_withdraw": ((circ,), {"confirmed": "yes"}),
        "meetings:meeting_adopt": (
            (circ,),
            {"at_meeting": world["later"].pk, "outcome": "correct_record", "confirmed": "yes"},
        ),
        "meetings:silence_start": ((circ,), {"ends_at": "2099-01-01T12:00", "confirmed": "yes"}),
        "meetings:silence_break": ((circ,), {"reason": "We object.", "confirmed": "yes"}),
        "meetings:meeting_publish": ((d(world["adopted"]),), {"confirmed": "yes"}),
        "meetings:meeting_announce": ((), None),
        "meetings:meeting_postpone": (
            (d(world["announced"]),),
            {"date": (world["announced"].date + datetime.timedelta(days=7)).isoformat(), "starts_at": "13:00"}
            | {"confirmed": "yes"},
        ),
        "meetings:meeting_cancel": ((d(world["announced"]),), {"confirmed": "yes"}),
        "meetings:meeting_start_drafting": ((d(world["announced"]),), {"confirmed": "yes"}),
        "meetings:meeting_supersede": ((circ,), {"payload": "tampered", "reason": "A reason.", "confirmed": "yes"}),
        "meetings:role_home": ((), None),
        "meetings:coordinator_home": ((), None),
        "meetings:drafting_workspace": ((), None),
        "meetings:drafting_meeting_new": ((), None),
        "meetings:drafting_preview": ((), {"body": "*Noted.*"}),
        "meetings:drafting_meeting": ((draft,), None),
        "meetings:drafting_attendance": ((draft,), None),
        "meetings:drafting_follow_up": ((draft,), {}),
        "meetings:drafting_item_add": ((draft,), {}),
        "meetings:drafting_item": ((draft, item.pk), None),
        "meetings:drafting_item_remove": ((draft, item.pk), {}),
        "meetings:drafting_item_move": ((draft, item.pk), {"direction": "down"}),
        "meetings:drafting_document_attach": ((draft,), None),
        "meetings:drafting_document_replace": ((draft, world["document"].pk), None),
        "meetings:drafting_document_remove": ((draft, world["document"].pk), {}),
        "meetings:meeting_import": ((), None),
        "meetings:meeting_import_confirm": ((), {"payload": "tampered", "status": "draft"}),
        "portal:record_verify": ((), None),
        "portal:record_certificate": ((), None),
        "portal:search": ((), None),
        "portal:minutes_feed": ((), None),
        "portal:meetings_calendar": ((), None),
        "portal:decisions_feed": ((), None),
        "portal:decision_index": ((), None),
        "portal:api_decision_list": ((), None),
        "portal:api_meeting_list": ((), None),
        "portal:api_meeting_detail": ((circ,), None),
        "portal:api_openapi": ((), None),
        "portal:action_point_index": ((), None),
        "portal:delegation_index": ((), None),
        "portal:delegation_detail": ((presidency.delegation.slug,), None),
        "portal:presidency_index": ((), None),
        "portal:presidency_detail": ((presidency.name,), None),
        "set_language": ((), {"language": "fr", "next": "/"}),
        "sitemap": ((), None),
        "healthz": ((), None),
        "login": ((), None),
        "logout": ((), None),
        "password_change": ((), None),
        "password_change_done": ((), None),
        "password_reset": ((), None),
        "password_reset_done": ((), None),
        "password_reset_confirm": ((), None),
        "password_reset_complete": ((), None),
        "mfa_verify": ((), None),
        "mfa_setup": ((), None),
        "mfa_setup_passkey": ((), {}),
        "csp_report": ((), None),
        "sign_in_security": ((), None),
        "recovery_codes_renew": ((), {"confirmed": "yes"}),
        "authenticator_app_remove": ((), {"confirmed": "yes"}),
        "passkey_remove": ((999_999,), {"confirmed": "yes"}),
        "otp_webauthn:credential-registration-begin": ((), {}),
        "otp_webauthn:credential-registration-complete": ((), {}),
        "otp_webauthn:credential-authentication-begin": ((), {}),
        "otp_webauthn:credential-authentication-complete": ((), {}),
        "otp_webauthn:js-i18n-catalog": ((), None),
    }
    args, data = samples[name]
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "no-such-token"}), None
    return reverse(name, args=args), data


CASES = [(name, persona) for name in TABLE for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_each_persona_gets_the_status_the_table_says(name, persona, world, request):
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue("admin_user" if persona == "admin" else persona))
    url, data = sample(name, world)
    response = client.get(url) if data is None else client.post(url, data)
    if response.streaming:
        b"".join(response.streaming_content)  # a download holds its file open until read to the end
    assert response.status_code == TABLE[name][persona], f"{persona} on {url}"


@pytest.mark.parametrize("name", sorted(n for n in TABLE if n.startswith("meetings:")))
def test_the_anonymous_are_sent_to_log_in_and_back_from_every_staff_or_coordinator_url(name, world):
    url, data = sample(name, world)
    response = Client().get(url) if data is None else Client().post(url, data)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={quote(url)}"


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_mutations_refuse_get(name, world, isu_staff):
    client = Client()
    client.force_login(isu_staff)
    url, _data = sample(name, world)
    assert client.get(url).status_code == 405


def test_mutations_named_here_are_all_the_post_only_urls():
    assert POST_ONLY <= TABLE.keys()


def test_a_post_without_a_csrf_token_is_refused(world, isu_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(isu_staff)
    url, data = sample("meetings:meeting_circulate", world)
    assert client.post(url, data).status_code == 403
    assert Meeting.objects.get(pk=world["draft"].pk).status == Meeting.Status.DRAFT


def test_a_post_with_the_csrf_token_from_the_page_goes_through(world, isu_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(isu_staff)
    page = client.get(world["draft"].get_absolute_url())
    token = page.context["csrf_token"]
    url, data = sample("meetings:meeting_circulate", world)
    assert client.post(url, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert Meeting.objects.get(pk=world["draft"].pk).status == Meeting.Status.CIRCULATED


def test_logging_out_without_a_csrf_token_is_refused(isu_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(isu_staff)
    assert client.post(reverse("logout")).status_code == 403
