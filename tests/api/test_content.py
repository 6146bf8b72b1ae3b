"""Goals and notes through the API: the privacy rules of the pages, for every kind of content.

Each test runs for goals and for notes. Maya's item is hers alone until she
shares it; Lena, Omar, Sam, Grace and Luis coach her; Nia coaches at her school
but not her; Dana is her principal and Priya the district admin (never any
content); Henry, Hilda and Otto are in Hillview. An item a person may not see
does not exist for her: 404, with the body of a UUID that never existed.
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
from tandem.privacy.models import AccessEvent
from tandem.schools.models import Engagement

from ..cast import Cast
from .conftest import API
from .items import KINDS, RANDOM_UUID, item

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("kind", sorted(KINDS))]

Clients = Callable[[User], Client]


def _get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


def _listed(client: Client, kind: str, **params: Any) -> dict[str, Any]:
    response = _get(client, f"/{kind}", **params)
    assert response.status_code == 200, response.content
    return response.json()


def _events(cast: Cast) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(teacher=cast.maya).order_by("id"))


# Reading ------------------------------------------------------------------------------


def test_teacher_lists_her_own_items_and_her_reads_are_not_logged(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    mine = item(kind, cast)
    page = _listed(api_for(cast.maya), kind)
    assert [row["uuid"] for row in page["items"]] == [str(mine.uuid)]
    assert page["count"] == 1
    assert page["items"][0]["teacher"] == {
        "uuid": str(cast.maya.uuid),
        "display_name": "Maya Torres",
    }
    assert _events(cast) == []


def test_coach_lists_only_what_the_teacher_shared_with_him(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    shared, _private = item(kind, cast), item(kind, cast)
    services.share_item(item=shared, coach=cast.omar, acting_user=cast.maya)
    assert [row["uuid"] for row in _listed(api_for(cast.omar), kind)["items"]] == [str(shared.uuid)]
    assert _listed(api_for(cast.lena), kind) == {"items": [], "count": 0}


@pytest.mark.parametrize("who", ["nia", "dana", "priya", "ruth", "henry", "hilda", "otto"])
def test_nobody_outside_her_team_lists_anything_of_hers_even_shared(
    kind: str, who: str, cast: Cast, api_for: Clients
) -> None:
    shared = item(kind, cast)
    services.share_category(
        teacher=cast.maya, coach=cast.lena, category=shared.category, acting_user=cast.maya
    )
    assert _listed(api_for(cast.everyone()[who]), kind) == {"items": [], "count": 0}


def test_a_listed_page_writes_one_access_event_per_item_in_one_insert(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    items = [item(kind, cast) for _ in range(3)]
    for one in items:
        services.share_item(item=one, coach=cast.omar, acting_user=cast.maya)
    client = api_for(cast.omar)
    with CaptureQueriesContext(connection) as queries:
        _listed(client, kind)
    inserts = [q["sql"] for q in queries.captured_queries if "privacy_accessevent" in q["sql"]]
    assert len(inserts) == 1
    assert inserts[0].startswith("INSERT")
    events = _events(cast)
    assert {e.object_id for e in events} == {one.pk for one in items}
    assert {(e.viewer_id, e.via, e.path) for e in events} == {
        (cast.omar.pk, "api", f"{API}/{kind}")
    }


def test_listing_takes_as_many_queries_for_fifty_items_as_for_one(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    services.share_category(
        teacher=cast.maya,
        coach=cast.lena,
        category=item(kind, cast).category,
        acting_user=cast.maya,
    )
    client = api_for(cast.lena)
    _listed(client, kind)  # the token's first use, and the content types, out of the way
    with CaptureQueriesContext(connection) as one:
        _listed(client, kind)
    for _ in range(49):
        item(
            kind,
            cast,
            engagement=Engagement.objects.create(
                district=cast.maple,
                school=cast.jefferson,
                teacher=cast.maya,
                coach=cast.lena,
                kind="impact_cycle",
                title="Reasoning",
            ),
        )
    with CaptureQueriesContext(connection) as fifty:
        assert len(_listed(client, kind)["items"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


def test_the_teacher_filter_keeps_one_teachers_items(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    from .. import factories as f

    ben = f.teacher(cast.jefferson, "Ben Carter")
    f.assign(cast.lena, ben, cast.jefferson)
    mayas, bens = (
        item(kind, cast, author=cast.lena),
        item(kind, cast, author=cast.lena, teacher=ben),
    )
    client = api_for(cast.lena)
    assert {row["uuid"] for row in _listed(client, kind)["items"]} == {
        str(mayas.uuid),
        str(bens.uuid),
    }
    only_ben = _listed(client, kind, teacher=str(ben.uuid))
    assert [row["uuid"] for row in only_ben["items"]] == [str(bens.uuid)]
    assert _listed(client, kind, teacher=RANDOM_UUID) == {"items": [], "count": 0}
    assert _get(client, f"/{kind}", teacher="ben").status_code == 422


def test_pages_are_bounded_and_counted(kind: str, cast: Cast, api_for: Clients) -> None:
    for _ in range(3):
        item(kind, cast)
    client = api_for(cast.maya)
    second = _listed(client, kind, page=2, page_size=2)
    assert (len(second["items"]), second["count"]) == (1, 3)
    assert _get(client, f"/{kind}", page_size=51).status_code == 422
    assert _get(client, f"/{kind}", page=0).status_code == 422


def test_reading_one_item_logs_one_access_event_for_the_teacher(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    shared = item(kind, cast)
    services.share_item(item=shared, coach=cast.sam, acting_user=cast.maya)
    response = _get(api_for(cast.sam), f"/{kind}/{shared.uuid}")
    assert response.status_code == 200
    assert response.json()["uuid"] == str(shared.uuid)
    [event] = _events(cast)
    assert (event.viewer_id, event.object_id, event.via) == (cast.sam.pk, shared.pk, "api")
    assert event.path == f"{API}/{kind}/{shared.uuid}"
    assert event.label == shared.label()


def test_an_item_says_who_can_see_it_and_why(kind: str, cast: Cast, api_for: Clients) -> None:
    shared = item(kind, cast)
    services.share_item(item=shared, coach=cast.omar, acting_user=cast.maya)
    seers = _get(api_for(cast.maya), f"/{kind}/{shared.uuid}").json()["who_can_see"]
    assert {s["display_name"]: s["role"] for s in seers} == {
        "Maya Torres": "Teacher",
        "Omar Haddad": "Technology coach",
    }
    omar = next(s for s in seers if s["display_name"] == "Omar Haddad")
    assert omar["uuid"] == str(cast.omar.uuid)
    assert len(omar["reasons"]) == 1
    assert omar["reasons"][0].startswith("you shared this item")


@pytest.mark.parametrize(
    "who",
    [
        "lena",
        "omar",
        "sam",
        "grace",
        "luis",
        "nia",
        "dana",
        "priya",
        "ruth",
        "henry",
        "hilda",
        "otto",
    ],
)
def test_an_item_not_shared_is_a_404_identical_to_one_that_never_existed(
    kind: str, who: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    client = api_for(cast.everyone()[who])
    hidden, missing = _get(client, f"/{kind}/{hers.uuid}"), _get(client, f"/{kind}/{RANDOM_UUID}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert hidden.headers["Content-Type"] == missing.headers["Content-Type"]
    assert _events(cast) == []


# Sharing ------------------------------------------------------------------------------


def test_revoking_a_share_hides_the_item_on_the_coachs_very_next_request(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    maya, omar = api_for(cast.maya), api_for(cast.omar)
    share = f"{API}/{kind}/{hers.uuid}/shares/{cast.omar.uuid}"
    assert maya.put(share).status_code == 204
    assert _get(omar, f"/{kind}/{hers.uuid}").status_code == 200
    assert maya.delete(share).status_code == 204
    assert _get(omar, f"/{kind}/{hers.uuid}").status_code == 404
    assert _listed(omar, kind)["count"] == 0


def test_sharing_twice_or_revoking_what_was_not_shared_changes_nothing(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    from tandem.privacy.models import SharingChange

    hers = item(kind, cast)
    maya = api_for(cast.maya)
    share = f"{API}/{kind}/{hers.uuid}/shares/{cast.omar.uuid}"
    assert [maya.put(share).status_code, maya.put(share).status_code] == [204, 204]
    assert [maya.delete(share).status_code, maya.delete(share).status_code] == [204, 204]
    assert list(SharingChange.objects.values_list("action", flat=True).order_by("id")) == [
        "share_item",
        "unshare_item",
    ]


def test_a_coach_who_sees_the_item_may_not_share_it_onward(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    services.share_item(item=hers, coach=cast.lena, acting_user=cast.maya)
    lena = api_for(cast.lena)
    response = lena.put(f"{API}/{kind}/{hers.uuid}/shares/{cast.omar.uuid}")
    assert response.status_code == 403
    assert response.json() == {"detail": "You may not do this."}
    assert lena.delete(f"{API}/{kind}/{hers.uuid}/shares/{cast.lena.uuid}").status_code == 403
    assert lena.post(f"{API}/{kind}/{hers.uuid}/hold-back").status_code == 403
    assert _get(api_for(cast.omar), f"/{kind}/{hers.uuid}").status_code == 404


def test_sharing_with_someone_who_does_not_coach_her_is_refused(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    maya = api_for(cast.maya)
    response = maya.put(f"{API}/{kind}/{hers.uuid}/shares/{cast.nia.uuid}")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nia Patel is not one of your coaches right now."}
    # Someone in another district does not exist for her.
    assert maya.put(f"{API}/{kind}/{hers.uuid}/shares/{cast.henry.uuid}").status_code == 404
    assert _get(api_for(cast.nia), f"/{kind}/{hers.uuid}").status_code == 404


def test_ending_the_assignment_ends_the_coachs_access_on_the_next_request(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    services.share_item(item=hers, coach=cast.lena, acting_user=cast.maya)
    lena = api_for(cast.lena)
    assert _get(lena, f"/{kind}/{hers.uuid}").status_code == 200
    ended = api_for(cast.maya).post(f"{API}/assignments/{cast.lena_maya.uuid}/end")
    assert ended.status_code == 200
    assert _get(lena, f"/{kind}/{hers.uuid}").status_code == 404


# Holding back -------------------------------------------------------------------------


def test_a_held_back_item_is_the_teachers_alone_until_she_releases_it(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    hers = item(kind, cast)
    services.share_item(item=hers, coach=cast.grace, acting_user=cast.maya)
    maya, grace = api_for(cast.maya), api_for(cast.grace)
    assert maya.post(f"{API}/{kind}/{hers.uuid}/hold-back").status_code == 204
    assert _get(grace, f"/{kind}/{hers.uuid}").status_code == 404
    detail = _get(maya, f"/{kind}/{hers.uuid}").json()
    assert detail["held_back"] is True
    assert [s["display_name"] for s in detail["who_can_see"]] == ["Maya Torres"]
    assert maya.post(f"{API}/{kind}/{hers.uuid}/release").status_code == 204
    assert _get(grace, f"/{kind}/{hers.uuid}").status_code == 200


def test_the_teacher_holds_back_only_what_she_wrote(
    kind: str, cast: Cast, api_for: Clients
) -> None:
    by_lena = item(kind, cast, author=cast.lena)
    response = api_for(cast.maya).post(f"{API}/{kind}/{by_lena.uuid}/hold-back")
    assert response.status_code == 400
    assert response.json() == {"detail": "You can hold back only what you created or uploaded."}
    by_lena.refresh_from_db()
    assert by_lena.held_back is False
