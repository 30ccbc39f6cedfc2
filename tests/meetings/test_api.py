import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.api import openapi_document

pytestmark = pytest.mark.django_db

DOCUMENT_URI = "urn:ccm-portal:openapi"


def conforms(response, path, status=None):
    """Check a response against the schema its path, method and status have in the OpenAPI document."""
    status = str(status or response.status_code)
    document = openapi_document()
    assert response["Content-Type"] == "application/json"
    assert document["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(DOCUMENT_URI, resource)
    pointer = f"/paths/{path.replace('/', '~1')}/get/responses/{status}/content/application~1json/schema"
    schema = {"$ref": f"{DOCUMENT_URI}#{pointer}"}
    Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        json.loads(response.content)
    )
    return json.loads(response.content)


def test_the_openapi_document_is_valid_json_schema_throughout(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_the_meeting_list_conforms_and_lists_published_minutes_only(client, demo):
    data = conforms(client.get("/api/v1/meetings/"), "/api/v1/meetings/")
    assert [meeting["date"] for meeting in data["results"]] == ["2018-09-25"]
    assert data["count"] == 1


def test_the_published_meeting_conforms_with_attendance_items_and_action_points(client, demo):
    data = conforms(client.get("/api/v1/meetings/2018-09-25/"), "/api/v1/meetings/{date}/")
    assert data["presidency"] == {"name": "9MSP", "delegation": "Sri Lanka"}
    assert any(row["status"] == "apologies" for row in data["attendance"])
    item5 = next(item for item in data["items"] if item["number"] == "5")
    assert item5["items"][0]["number"] == "5.1"
    assert item5["items"][0]["leads"] == ["Panama", "Chile"]
    assert any(item["action_points"] for item in data["items"])
    assert any(item["decisions"] for item in data["items"])


@pytest.mark.parametrize("day", ["2018-11-13", "2018-08-30", "not-a-date", "2099-01-01"])
def test_the_draft_and_unpublished_minutes_are_not_in_the_api(client, demo, day):
    response = client.get(f"/api/v1/meetings/{day}/")
    assert response.status_code == 404
    conforms(response, "/api/v1/meetings/{date}/")


def test_logged_in_isu_staff_still_get_only_published_minutes(client, demo, isu_staff):
    client.force_login(isu_staff)
    assert client.get("/api/v1/meetings/2018-11-13/").status_code == 404
    data = conforms(client.get("/api/v1/meetings/"), "/api/v1/meetings/")
    assert data["count"] == 1


@pytest.mark.parametrize("page, status", [("abc", 400), ("7", 404)])
def test_a_bad_page_gets_a_json_error(client, demo, page, status):
    response = client.get("/api/v1/meetings/", {"page": page})
    assert response.status_code == status
    assert conforms(response, "/api/v1/meetings/")["detail"]


def test_the_meeting_page_links_its_json(client, demo):
    body = client.get("/meetings/2018-09-25/").content.decode()
    assert '<link rel="alternate" type="application/json"' in body
    assert 'href="/api/v1/meetings/2018-09-25/"' in body
