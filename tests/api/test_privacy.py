"""The teacher's privacy through the API: her rules, the agreement, who looked, what changed.

Maya decides who sees her coaching; Lena, Omar, Sam, Grace and Luis coach her.
The agreement of Jefferson is set by its coaches (Lena, Omar, Sam, Grace, Luis,
Nia) and its principal Dana — not by Maya, not by Priya, the district admin.
Hillview (Henry, Hilda, Otto) reaches nothing of Maple Valley.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import User
from tandem.privacy import services
from tandem.privacy.models import (
    AccessEvent,
    AgreementNarrowing,
    CategoryShare,
    SchoolAgreement,
    Via,
)

from ..cast import Cast
from .conftest import API
from .items import RANDOM_UUID, goal, note

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _json(client: Client, path: str, **params: Any) -> Any:
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def _person(user: User) -> dict[str, str]:
    return {"uuid": str(user.uuid), "display_name": user.display_name}


# Her sharing rules ----------------------------------------------------------------------


def test_teacher_reads_her_team_her_shares_her_narrowings_and_her_schools_agreement(
    cast: Cast, api_for: Clients
) -> None:
    services.share_category(
        teacher=cast.maya, coach=cast.omar, category="video", acting_user=cast.maya
    )
    services.narrow_agreement(
        teacher=cast.maya, category="notes", narrowed=True, acting_user=cast.maya
    )
    services.set_agreement(
        school=cast.jefferson, category="notes", shared=True, acting_user=cast.dana
    )
    services.set_agreement(
        school=cast.lincoln, category="goals", shared=True, acting_user=cast.ruth
    )
    sharing = _json(api_for(cast.maya), "/privacy/shares")
    assert [c["display_name"] for c in sharing["coaches"]] == [
        "Grace Kim",
        "Lena Brooks",
        "Luis Ortega",
        "Omar Haddad",
        "Sam Okafor",
    ]
    assert sharing["coaches"][1] == {**_person(cast.lena), "role": "Instructional coach"}
    [share] = sharing["category_shares"]
    assert (share["coach"], share["category"]) == (_person(cast.omar), "video")
    assert [n["category"] for n in sharing["narrowings"]] == ["notes"]
    # Lincoln's agreement does not reach her: she neither teaches nor is coached there.
    [agreement] = sharing["agreements"]
    assert agreement["school"] == {
        "uuid": str(cast.jefferson.uuid),
        "name": "Jefferson Middle School",
    }
    assert agreement["category"] == "notes"


@pytest.mark.parametrize("who", ["lena", "dana", "priya", "henry", "otto"])
def test_someone_with_no_coaching_of_her_own_has_no_rules(
    who: str, cast: Cast, api_for: Clients
) -> None:
    services.share_category(
        teacher=cast.maya, coach=cast.lena, category="goals", acting_user=cast.maya
    )
    sharing = _json(api_for(cast.everyone()[who]), "/privacy/shares")
    assert sharing == {"coaches": [], "category_shares": [], "narrowings": [], "agreements": []}


def test_sharing_a_category_lets_the_coach_see_it_and_revoking_hides_it_next_request(
    cast: Cast, api_for: Clients
) -> None:
    hers = goal(cast)
    maya, omar = api_for(cast.maya), api_for(cast.omar)
    share = f"{API}/privacy/shares/{cast.omar.uuid}/goals"
    assert maya.put(share).status_code == 204
    assert omar.get(f"{API}/goals/{hers.uuid}").status_code == 200
    assert _json(omar, "/goals")["count"] == 1
    assert maya.delete(share).status_code == 204
    assert omar.get(f"{API}/goals/{hers.uuid}").status_code == 404
    assert _json(omar, "/goals")["count"] == 0
    assert not CategoryShare.objects.exists()


def test_sharing_a_category_with_someone_who_does_not_coach_her_is_refused(
    cast: Cast, api_for: Clients
) -> None:
    maya = api_for(cast.maya)
    response = maya.put(f"{API}/privacy/shares/{cast.nia.uuid}/goals")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nia Patel is not one of your coaches right now."}
    assert maya.put(f"{API}/privacy/shares/{cast.henry.uuid}/goals").status_code == 404
    assert maya.put(f"{API}/privacy/shares/{RANDOM_UUID}/goals").status_code == 404
    assert not CategoryShare.objects.exists()


@pytest.mark.parametrize("category", ["coach_private", "poems", "GOALS"])
def test_only_a_shareable_category_can_be_named(
    category: str, cast: Cast, api_for: Clients
) -> None:
    maya = api_for(cast.maya)
    assert maya.put(f"{API}/privacy/shares/{cast.lena.uuid}/{category}").status_code == 422
    assert maya.put(f"{API}/privacy/narrowings/{category}").status_code == 422
    dana = api_for(cast.dana)
    assert (
        dana.put(f"{API}/privacy/schools/{cast.jefferson.uuid}/agreement/{category}").status_code
        == 422
    )


@pytest.mark.parametrize("who", ["lena", "dana", "priya", "henry", "otto"])
def test_only_a_teacher_changes_sharing_rules(who: str, cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.everyone()[who])
    assert client.put(f"{API}/privacy/shares/{cast.omar.uuid}/goals").status_code == 403
    assert client.delete(f"{API}/privacy/shares/{cast.omar.uuid}/goals").status_code == 403
    assert client.put(f"{API}/privacy/narrowings/goals").status_code == 403
    assert client.delete(f"{API}/privacy/narrowings/goals").status_code == 403
    assert not AgreementNarrowing.objects.exists()


def test_narrowing_the_agreement_hides_what_it_shared_on_the_next_request(
    cast: Cast, api_for: Clients
) -> None:
    hers = note(cast)
    services.set_agreement(
        school=cast.jefferson, category="notes", shared=True, acting_user=cast.lena
    )
    maya, sam = api_for(cast.maya), api_for(cast.sam)
    assert sam.get(f"{API}/notes/{hers.uuid}").status_code == 200
    assert maya.put(f"{API}/privacy/narrowings/notes").status_code == 204
    assert sam.get(f"{API}/notes/{hers.uuid}").status_code == 404
    assert maya.delete(f"{API}/privacy/narrowings/notes").status_code == 204
    assert sam.get(f"{API}/notes/{hers.uuid}").status_code == 200


# A school's coach-to-coach agreement ----------------------------------------------------


@pytest.mark.parametrize("who", ["lena", "nia", "luis", "dana"])
def test_the_schools_coaches_and_principal_set_its_agreement(
    who: str, cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.everyone()[who])
    path = f"{API}/privacy/schools/{cast.jefferson.uuid}/agreement/evidence"
    assert client.put(path).status_code == 204
    agreement = _json(client, f"/privacy/schools/{cast.jefferson.uuid}/agreement")
    assert agreement["may_change"] is True
    evidence = next(c for c in agreement["categories"] if c["category"] == "evidence")
    assert (evidence["agreed"], evidence["updated_by"]) == (True, _person(cast.everyone()[who]))
    assert client.delete(path).status_code == 204
    assert not SchoolAgreement.objects.exists()


@pytest.mark.parametrize("who", ["maya", "priya", "ruth"])
def test_others_of_the_district_read_the_agreement_but_may_not_change_it(
    who: str, cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.everyone()[who])
    agreement = _json(client, f"/privacy/schools/{cast.jefferson.uuid}/agreement")
    assert agreement["may_change"] is False
    assert [c["category"] for c in agreement["categories"]] == [
        "goals",
        "evidence",
        "video",
        "notes",
        "suggestions",
        "feedback",
    ]
    path = f"{API}/privacy/schools/{cast.jefferson.uuid}/agreement/goals"
    assert client.put(path).status_code == 403
    assert client.delete(path).status_code == 403
    assert not SchoolAgreement.objects.exists()


@pytest.mark.parametrize("who", ["henry", "hilda", "otto"])
def test_another_districts_school_does_not_exist(who: str, cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.everyone()[who])
    school, missing = (
        f"{API}/privacy/schools/{cast.jefferson.uuid}",
        f"{API}/privacy/schools/{RANDOM_UUID}",
    )
    assert client.get(f"{school}/agreement").content == client.get(f"{missing}/agreement").content
    assert client.put(f"{school}/agreement/goals").status_code == 404


# Who looked at my coaching --------------------------------------------------------------


def test_teacher_sees_who_looked_newest_first_with_their_role_and_the_way_in(
    cast: Cast, api_for: Clients
) -> None:
    hers = goal(cast, statement="Exit tickets show reasoning")
    services.share_item(item=hers, coach=cast.omar, acting_user=cast.maya)
    assert api_for(cast.omar).get(f"{API}/goals/{hers.uuid}").status_code == 200
    services.record_access(viewer=cast.omar, items=[hers], via=Via.PAGE, path="/goals/")
    events = _json(api_for(cast.maya), "/privacy/access-events")
    assert events["count"] == 2
    latest, first = events["items"]
    assert latest["via"] == "page"
    assert first["via"] == "api"
    assert first["viewer"] == _person(cast.omar)
    assert first["viewer_role"] == "Technology coach"
    assert first["item"] == {
        "kind": "goal",
        "uuid": str(hers.uuid),
        "label": "Goal: Exit tickets show reasoning",
    }
    assert first["category"] == "goals"


def test_who_looked_names_a_private_note_without_a_way_to_open_it(
    cast: Cast, api_for: Clients
) -> None:
    private = note(cast, author=cast.lena, category="coach_private", title="My worries")
    assert api_for(cast.lena).get(f"{API}/notes/{private.uuid}").status_code == 200
    [event] = _json(api_for(cast.maya), "/privacy/access-events")["items"]
    assert event["item"] == {"kind": "note", "uuid": None, "label": "A coach's private note"}
    assert api_for(cast.maya).get(f"{API}/notes/{private.uuid}").status_code == 404


def test_nobody_reads_anyone_elses_access_log(cast: Cast, api_for: Clients) -> None:
    hers = goal(cast)
    services.record_access(viewer=cast.lena, items=[hers], via=Via.PAGE, path="/goals/")
    for who in ["lena", "luis", "dana", "priya", "hilda", "otto"]:
        assert _json(api_for(cast.everyone()[who]), "/privacy/access-events") == {
            "items": [],
            "count": 0,
        }


def test_who_looked_takes_as_many_queries_for_fifty_events_as_for_one(
    cast: Cast, api_for: Clients
) -> None:
    hers, reflection = goal(cast), note(cast)
    client = api_for(cast.maya)
    services.record_access(viewer=cast.lena, items=[hers, reflection], path="/")
    _json(client, "/privacy/access-events")
    with CaptureQueriesContext(connection) as few:
        _json(client, "/privacy/access-events")
    for coach in [cast.omar, cast.sam, cast.grace, cast.luis] * 6:
        services.record_access(viewer=coach, items=[goal(cast), note(cast)], path="/")
    with CaptureQueriesContext(connection) as many:
        assert len(_json(client, "/privacy/access-events")["items"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
    assert AccessEvent.objects.filter(teacher=cast.maya).count() == 50


# Her sharing history --------------------------------------------------------------------


def test_teacher_reads_every_change_to_who_sees_her_coaching(cast: Cast, api_for: Clients) -> None:
    hers = goal(cast, statement="Exit tickets show reasoning")
    maya = api_for(cast.maya)
    maya.put(f"{API}/goals/{hers.uuid}/shares/{cast.grace.uuid}")
    maya.put(f"{API}/privacy/shares/{cast.sam.uuid}/video")
    api_for(cast.dana).put(f"{API}/privacy/schools/{cast.jefferson.uuid}/agreement/notes")
    api_for(cast.ruth).put(f"{API}/privacy/schools/{cast.lincoln.uuid}/agreement/notes")
    api_for(cast.hilda).put(f"{API}/privacy/narrowings/notes")
    changes = _json(maya, "/privacy/changes")
    assert [c["action"] for c in changes["items"]] == ["agree", "share_category", "share_item"]
    agree, category, item = changes["items"]
    assert (agree["actor"], agree["school"]["name"], agree["category"]) == (
        _person(cast.dana),
        "Jefferson Middle School",
        "notes",
    )
    assert (category["coach"], category["category"], category["item"]) == (
        _person(cast.sam),
        "video",
        None,
    )
    assert item["item"] == {
        "kind": "goal",
        "uuid": str(hers.uuid),
        "label": "Goal: Exit tickets show reasoning",
    }
    assert _json(api_for(cast.grace), "/privacy/changes") == {"items": [], "count": 0}


def test_the_sharing_history_takes_as_many_queries_for_fifty_changes_as_for_one(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.maya)
    services.hold_back(item=goal(cast), acting_user=cast.maya)
    services.hold_back(item=note(cast), acting_user=cast.maya)
    _json(client, "/privacy/changes")
    with CaptureQueriesContext(connection) as few:
        _json(client, "/privacy/changes")
    for _ in range(24):
        services.hold_back(item=goal(cast), acting_user=cast.maya)
        services.hold_back(item=note(cast), acting_user=cast.maya)
    with CaptureQueriesContext(connection) as many:
        assert len(_json(client, "/privacy/changes")["items"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)
