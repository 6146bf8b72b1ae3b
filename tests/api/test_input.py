"""Bad input is refused before any service runs: strict types, no unknown fields, real UUIDs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment

from .. import factories as f
from ..cast import Cast
from .conftest import API

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _invite(cast: Cast, client: Client, **changes: Any) -> Any:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    body = {"teacher": str(ben.uuid), "specialty": "instructional", **changes}
    body = {key: value for key, value in body.items() if value is not ...}
    return client.post(f"{API}/assignments/invitations", body, content_type="application/json")


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"teacher": 12345}, ["body", "data", "teacher"]),
        ({"teacher": "not-a-uuid"}, ["body", "data", "teacher"]),
        ({"teacher": ...}, ["body", "data", "teacher"]),
        ({"specialty": "cheerleading"}, ["body", "data", "specialty"]),
        ({"specialty": 1}, ["body", "data", "specialty"]),
        ({"focus": False}, ["body", "data", "focus"]),
        ({"focus": 7}, ["body", "data", "focus"]),
        ({"focus": "x" * 201}, ["body", "data", "focus"]),
        ({"message": "null\x00byte"}, ["body", "data", "message"]),
        ({"school": "anything"}, ["body", "data", "school"]),
    ],
)
def test_an_invitation_with_bad_input_gets_422_and_creates_nothing(
    changes: dict[str, Any], where: list[str], cast: Cast, api_for: Clients
) -> None:
    response = _invite(cast, api_for(cast.nia), **changes)
    assert response.status_code == 422, response.content
    body = response.json()
    assert where in [error["loc"] for error in body["errors"]]
    assert ".".join(where) in body["detail"]
    assert not CoachingAssignment.objects.filter(coach=cast.nia).exists()


@pytest.mark.parametrize("bad", [False, 0, "2025-02-30", 1735689600, "tomorrow"])
def test_a_proposal_date_must_be_an_iso_date_string(
    bad: object, cast: Cast, api_for: Clients
) -> None:
    ben = f.teacher(cast.jefferson)
    response = api_for(cast.dana).post(
        f"{API}/assignments/proposals",
        {
            "school": str(cast.jefferson.uuid),
            "coach": str(cast.nia.uuid),
            "teacher": str(ben.uuid),
            "specialty": "instructional",
            "starts_on": bad,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert ["body", "data", "starts_on"] in [e["loc"] for e in response.json()["errors"]]


def test_false_is_not_accepted_as_a_page_number(cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.maya)
    assert client.get(f"{API}/assignments", {"page": "false"}).status_code == 422
    assert client.get(f"{API}/assignments", {"page": "0"}).status_code == 422
    assert client.get(f"{API}/assignments", {"page_size": "101"}).status_code == 422
    assert client.get(f"{API}/assignments", {"page": "99999999999999999999"}).status_code == 422


def test_a_bad_uuid_in_the_path_gets_422(cast: Cast, api_for: Clients) -> None:
    response = api_for(cast.maya).post(
        f"{API}/assignments/not-a-uuid/end", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "uuid"]


def test_a_body_that_is_not_json_gets_400(cast: Cast, api_for: Clients) -> None:
    response = api_for(cast.nia).post(
        f"{API}/assignments/invitations", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_an_answer_must_be_one_of_three_words(cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.maya)
    path = f"{API}/assignments/{cast.lena_maya.uuid}/response"
    for answer in ["ACCEPT", True, None, ["accept"]]:
        response = client.post(path, {"answer": answer}, content_type="application/json")
        assert response.status_code == 422, answer
    response = client.post(path, {"answer": "accept", "why": "x"}, content_type="application/json")
    assert response.status_code == 422
