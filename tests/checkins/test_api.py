"""The check-ins API: the same door and the same rules as the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User
from tandem.checkins.models import ActionItem, CheckInSeries

from ..cast import Cast
from .builders import weekly

API = "/api/v1"


@pytest.fixture
def api_for(db: None) -> Callable[[User], Client]:
    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


def _post(client: Client, path: str, body: dict[str, object]) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


def test_a_coach_plans_a_series_through_the_api(
    cast: Cast, api_for: Callable[[User], Client]
) -> None:
    response = _post(
        api_for(cast.sam),
        "/checkins/series",
        {
            "school": str(cast.jefferson.uuid),
            "title": "Math coaches",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "count": 6,
            "time_zone": "America/New_York",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rrule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=6"
    assert [c["starts_at"][11:16] for c in body["checkins"]] == ["13:00"] * 2 + ["14:00"] * 4


def test_a_series_that_never_ends_is_a_400_and_nothing_is_saved(
    cast: Cast, api_for: Callable[[User], Client]
) -> None:
    response = _post(
        api_for(cast.sam),
        "/checkins/series",
        {
            "school": str(cast.jefferson.uuid),
            "title": "Forever",
            "first_date": "2025-10-21",
            "start_time": "09:00",
        },
    )
    assert response.status_code == 400
    assert "must end" in response.json()["detail"]
    assert not CheckInSeries.objects.exists()


def test_another_school_is_a_404(cast: Cast, api_for: Callable[[User], Client]) -> None:
    response = _post(
        api_for(cast.ruth),
        "/checkins/series",
        {
            "school": str(cast.jefferson.uuid),
            "title": "Not mine",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "count": 2,
        },
    )
    assert response.status_code == 404


def test_action_items_carry_over_through_the_api(
    cast: Cast, api_for: Callable[[User], Client]
) -> None:
    first, second = list(weekly(cast).checkins.order_by("starts_at"))[:2]
    client = api_for(cast.lena)
    made = _post(
        client, f"/checkins/{first.uuid}/items", {"text": "Share it", "owner": str(cast.sam.uuid)}
    )
    assert made.status_code == 201
    later = client.get(f"{API}/checkins/{second.uuid}").json()
    assert [i["text"] for i in later["agenda"]["carried_over"]] == ["Share it"]
    item = ActionItem.objects.get()
    done = _post(client, f"/checkins/items/{item.uuid}/done", {"done": True})
    assert done.json()["done"] is True
    assert client.get(f"{API}/checkins/{second.uuid}").json()["agenda"]["carried_over"] == []


def test_a_non_member_gets_404_like_a_missing_check_in(
    cast: Cast, api_for: Callable[[User], Client]
) -> None:
    checkin = weekly(cast).checkins.first()
    assert checkin is not None
    for who in (cast.maya, cast.ruth, cast.henry, cast.dana):
        response = api_for(who).get(f"{API}/checkins/{checkin.uuid}")
        assert response.status_code == 404
    assert api_for(cast.nia).get(f"{API}/checkins/{checkin.uuid}").status_code == 200
