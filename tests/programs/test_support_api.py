"""The support API: the same doors as the pages, bad input a 400, no score anywhere."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, User
from tandem.programs import services
from tandem.programs.models import Modification

from ..cast import Cast
from . import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _post(client: Client, path: str, body: dict) -> object:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_an_adaptation_without_a_reason_is_a_400_and_saves_nothing(cast: Cast, api) -> None:
    support = b.support(cast)
    body = {"component": 1, "what": "Pairs first", "for_whom": "Some", "reason": "  "}
    response = _post(api(cast.maya), f"/program-support/{support.uuid}/modifications", body)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Say why" in response.json()["detail"]  # type: ignore[attr-defined]
    assert not Modification.objects.exists()


def test_a_coach_who_does_not_support_her_and_another_district_get_404(cast: Cast, api) -> None:
    support = b.support(cast)
    for outsider in (cast.nia, cast.lena, cast.dana, cast.henry, cast.otto):
        response = api(outsider).get(f"/api/v1/program-support/{support.uuid}")
        assert response.status_code == 404, outsider


def test_feedback_aggregates_stay_hidden_below_five_teachers(cast: Cast, api) -> None:
    program = b.program(cast)
    for teacher in [cast.maya, *b.colleagues(cast, 3)]:
        services.give_feedback(
            program=program, teacher=teacher, about="program", useful=4, clear=4, heard=4
        )
    body = api(cast.dana).get(f"/api/v1/programs/{program.uuid}/learning").json()
    assert body == {"modifications": None, "feedback": None}


NO_SCORE = re.compile(r"fidelity|score|rank", re.I)


def test_the_api_exposes_no_fidelity_score_or_teacher_ranking(cast: Cast, api) -> None:
    program = b.program(cast)
    support = b.support(cast, program)
    services.add_log_entry(
        support=support,
        acting_user=cast.sam,
        day=timezone.localdate(),
        components=list(program.components.all()),
        student_measure="18 of 24",
    )
    for other in b.supported_teachers(cast, program, 5):
        services.modify_component(
            support=other,
            acting_user=other.teacher,
            component=program.components.get(),
            what="Shorter",
            for_whom="All",
            reason="Time",
        )
        services.give_feedback(
            program=program, teacher=other.teacher, about="support", useful=3, clear=3, heard=3
        )
    reads = [
        (cast.maya, f"/api/v1/program-support/{support.uuid}"),
        (cast.sam, "/api/v1/program-support"),
        (cast.dana, f"/api/v1/programs/{program.uuid}/learning"),
    ]
    for user, path in reads:
        response = api(user).get(path)
        assert response.status_code == 200, path
        assert not NO_SCORE.search(response.content.decode()), path
    schema = Client().get("/api/v1/openapi.json").content.decode()
    for name in ("SupportOut", "SupportDetailOut", "ProgramLearningOut", "LogEntryOut"):
        assert name in schema
    learning = api(cast.dana).get(f"/api/v1/programs/{program.uuid}/learning").json()
    assert learning["modifications"][0]["teachers"] == 5
