"""The library through the API: the same door and rules as the pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import User
from tandem.library import services
from tandem.library.models import Strategy

from ..api.conftest import API
from ..cast import Cast
from .builders import added

pytestmark = pytest.mark.django_db

ApiFor = Callable[[User], Client]

BODY: dict[str, Any] = {
    "name": "Turn and teach",
    "summary": "Partners teach each other the step just learned.",
    "description": "After a new step, each student explains it to a partner.",
    "checklist": ["Model the step.", "Partners take turns explaining it."],
    "tags": ["Student Discussion"],
    "resources": [{"title": "Guide", "url": "https://example.org/guide"}],
    "source": "Jefferson's coaches",
}


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(
        f"{API}/library/strategies", data=json.dumps(body), content_type="application/json"
    )


def test_the_list_holds_tandems_strategies_and_her_districts_not_anothers(
    cast: Cast, api_for: ApiFor
) -> None:
    ours = added(cast.lena)
    theirs = added(cast.henry, name="Hillview's own")
    answer = api_for(cast.maya).get(f"{API}/library/strategies?page_size=50").json()
    names = {item["name"] for item in answer["items"]}
    assert ours.name in names
    assert theirs.name not in names
    assert answer["count"] == Strategy.objects.filter(district=None).count() + 1
    mine = next(item for item in answer["items"] if item["uuid"] == str(ours.uuid))
    assert mine["tandem"] is False
    assert mine["author"]["display_name"] == "Lena Brooks"


def test_the_list_searches_in_the_persons_language_and_filters_by_tag(
    cast: Cast, api_for: ApiFor
) -> None:
    cast.maya.preferred_language = "es"
    cast.maya.save()
    answer = api_for(cast.maya).get(f"{API}/library/strategies?q=TIEMPO+espéra").json()
    assert [item["name"] for item in answer["items"]] == ["Tiempo de espera"]
    tagged = api_for(cast.lena).get(f"{API}/library/strategies?tag=math+discourse").json()
    assert {item["name"] for item in tagged["items"]} == {"Number talks", "Talk moves"}


def test_one_strategy_has_its_checklist_and_anothers_district_gets_404(
    cast: Cast, api_for: ApiFor
) -> None:
    ours = added(cast.lena)
    answer = api_for(cast.dana).get(f"{API}/library/strategies/{ours.uuid}")
    assert answer.status_code == 200
    assert answer.json()["checklist"] == ours.checklist
    hidden = api_for(cast.henry).get(f"{API}/library/strategies/{ours.uuid}")
    assert hidden.status_code == 404


def test_a_coach_adds_a_strategy_and_a_teacher_may_not(cast: Cast, api_for: ApiFor) -> None:
    made = _post(api_for(cast.nia), BODY)
    assert made.status_code == 201, made.content
    assert made.json()["tags"] == ["student discussion"]
    assert Strategy.objects.get(uuid=made.json()["uuid"]).district_id == cast.maple.pk
    refused = _post(api_for(cast.maya), {**BODY, "name": "Another"})
    assert refused.status_code == 403
    assert not Strategy.objects.filter(name="Another").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"checklist": []}, "at least one move"),
        ({"resources": [{"title": "x", "url": "javascript:alert(1)"}]}, "not a web address"),
    ],
)
def test_bad_input_is_a_400_that_says_why_and_stores_nothing(
    cast: Cast, api_for: ApiFor, change: dict[str, Any], message: str
) -> None:
    answer = _post(api_for(cast.lena), {**BODY, **change})
    assert answer.status_code == 400
    assert message in answer.json()["detail"]
    assert not Strategy.objects.filter(district__isnull=False).exists()


def test_a_name_the_district_has_is_a_400(cast: Cast, api_for: ApiFor) -> None:
    added(cast.lena, name=BODY["name"])
    answer = _post(api_for(cast.omar), BODY)
    assert answer.status_code == 400
    assert "already has a strategy named" in answer.json()["detail"]


def test_framework_tags_are_the_persons_districts(cast: Cast, api_for: ApiFor) -> None:
    services.set_framework(acting_user=cast.priya, framework="MV", tags=[("1", "Planning")])
    assert api_for(cast.maya).get(f"{API}/library/framework-tags").json() == [
        {"framework": "MV", "code": "1", "label": "Planning"}
    ]
    assert api_for(cast.hilda).get(f"{API}/library/framework-tags").json() == []
