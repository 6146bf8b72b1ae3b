"""The API of the teacher's team and contradiction flags: the same doors as the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User
from tandem.coaching.services import give_suggestion
from tandem.teamwork.agenda import flags_for_agenda
from tandem.teamwork.models import ContradictionFlag

from ..cast import Cast

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def api_for(db: None) -> Callable[[User], Client]:
    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


def _advice(cast: Cast) -> list[str]:
    tablets = give_suggestion(coach=cast.omar, teacher=cast.maya, text="Tablets for all practice")
    paper = give_suggestion(coach=cast.sam, teacher=cast.maya, text="Paper to show work")
    return [str(tablets.uuid), str(paper.uuid)]


def test_the_flag_round_trip_through_the_api(cast: Cast, api_for: Callable[[User], Client]) -> None:
    from django.utils import timezone

    maya = api_for(cast.maya)
    made = maya.post(
        f"{API}/team/flags",
        {"suggestions": _advice(cast), "note": "Tablets or paper?"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    uuid = made.json()["uuid"]
    assert len(made.json()["suggestions"]) == 2
    omar = api_for(cast.omar)
    assert omar.get(f"{API}/team/flags/{uuid}").status_code == 200
    reply = omar.post(
        f"{API}/team/flags/{uuid}/replies", {"text": "Both?"}, content_type="application/json"
    )
    assert reply.status_code == 201
    resolved = api_for(cast.sam).put(
        f"{API}/team/flags/{uuid}/resolution",
        {"resolution": "Paper for multi-step work"},
        content_type="application/json",
    )
    assert resolved.json()["resolution"] == "Paper for multi-step work"
    refused = omar.put(
        f"{API}/team/flags/{uuid}/consent", {"consent": True}, content_type="application/json"
    )
    assert refused.status_code == 403
    consent = maya.put(
        f"{API}/team/flags/{uuid}/consent", {"consent": True}, content_type="application/json"
    )
    assert consent.json()["agenda_consent"] is True
    since = timezone.now() - datetime.timedelta(days=1)
    assert [a.resolution for a in flags_for_agenda(school=cast.jefferson, since=since)] == [
        "Paper for multi-step work"
    ]
    for outsider in (cast.lena, cast.dana, cast.henry):
        assert api_for(outsider).get(f"{API}/team/flags/{uuid}").status_code == 404


def test_a_flag_on_one_coachs_advice_is_400_and_saves_nothing(
    cast: Cast, api_for: Callable[[User], Client]
) -> None:
    one = give_suggestion(coach=cast.omar, teacher=cast.maya, text="A")
    two = give_suggestion(coach=cast.omar, teacher=cast.maya, text="B")
    answer = api_for(cast.maya).post(
        f"{API}/team/flags",
        {"suggestions": [str(one.uuid), str(two.uuid)], "note": "Hmm"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "one coach" in answer.json()["detail"]
    assert not ContradictionFlag.objects.exists()


def test_the_team_and_advice_through_the_api(cast: Cast, api_for: Callable[[User], Client]) -> None:
    _advice(cast)
    team = api_for(cast.maya).get(f"{API}/team/teachers/{cast.maya.uuid}")
    assert team.status_code == 200
    names = {c["coach"]["display_name"] for c in team.json()["coaches"]}
    assert {"Omar Haddad", "Sam Okafor", "Lena Brooks"} <= names
    assert [e["kind"] for e in team.json()["timeline"]] == ["suggestion", "suggestion"]
    advice = api_for(cast.maya).get(f"{API}/team/teachers/{cast.maya.uuid}/advice")
    assert len(advice.json()) == 2
    assert api_for(cast.nia).get(f"{API}/team/teachers/{cast.maya.uuid}").status_code == 404
    assert api_for(cast.otto).get(f"{API}/team/teachers/{cast.maya.uuid}/advice").status_code == 404
