""" "Who looked at my coaching": the teacher's access log and her sharing history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import AccessEvent, Via

from .. import content
from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_teacher_sees_who_looked_at_what_when_and_how_newest_first(cast: Cast, client_for) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena), statement="Reasoning")
    client_for(cast.lena).get(goal.get_absolute_url())
    privacy.record_access(viewer=cast.lena, items=[goal], via=Via.API, path="/api/v1/goals/x")
    end = f.assign(cast.ruth, cast.maya, cast.jefferson)  # a coach who has since gone
    privacy.record_access(viewer=cast.ruth, items=[goal], via=Via.PAGE, path="/goals/x/")
    end.status = "ended"
    end.save()

    page = client_for(cast.maya).get(reverse("who_looked")).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3
    assert "Ruth Abara" in rows[0]
    assert "no longer your coach" in rows[0]
    assert "Lena Brooks" in rows[1]
    assert "the API" in rows[1]
    assert "Instructional coach" in rows[1]
    assert "a page" in rows[2]
    assert all("Goal: Reasoning" in row for row in rows)


def test_the_log_shows_only_her_own_coaching(cast: Cast, client_for) -> None:
    theirs = content.goal(cast, teacher=cast.luis, author=cast.nia, statement="Luis's goal")
    privacy.record_access(viewer=cast.nia, items=[theirs])
    page = client_for(cast.maya).get(reverse("who_looked")).content.decode()
    assert "Luis" not in page
    assert "No one but you has opened your coaching yet." in page


def test_her_sharing_history_names_who_changed_what_and_her_schools_agreement(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, statement="Reasoning")
    privacy.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    privacy.share_category(
        teacher=cast.maya, coach=cast.sam, category=Category.VIDEO, acting_user=cast.maya
    )
    privacy.set_agreement(
        school=cast.jefferson, category=Category.NOTES, shared=True, acting_user=cast.dana
    )
    privacy.set_agreement(
        school=cast.lincoln, category=Category.NOTES, shared=True, acting_user=cast.ruth
    )
    other = content.goal(cast, teacher=cast.luis)
    privacy.hold_back(item=other, acting_user=cast.luis)

    page = client_for(cast.maya).get(reverse("who_looked")).content.decode()
    history = page.split('id="history-heading"')[1]
    assert "Shared an item: goals and plans — Goal: Reasoning · with Omar Haddad" in history
    assert "Shared a category: lesson video · with Sam Okafor" in history
    assert "Dana Reyes" in history
    assert "Added a category to the school agreement: notes and reflections" in history
    assert "Lincoln" not in history
    assert "Ruth" not in history
    assert "Held an item back" not in history  # Luis's, not hers


def test_who_looked_pages_its_events_in_a_constant_number_of_queries(
    cast: Cast, client_for, django_assert_max_num_queries: Any
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    client = client_for(cast.maya)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("who_looked")).status_code == 200
        return len(queries)

    privacy.record_access(viewer=cast.lena, items=[goal])
    privacy.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    client.get(reverse("who_looked"))
    few = count()
    now = timezone.now()
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                district=cast.maple,
                teacher=cast.maya,
                viewer=viewer,
                content_type_id=AccessEvent.objects.get().content_type_id,
                object_id=goal.pk,
                category=goal.category,
                label=goal.label(),
                via=Via.PAGE,
                path="/goals/x/",
                at=now - datetime.timedelta(minutes=n),
            )
            for n in range(1, 80)
            for viewer in (cast.lena,)
        ]
    )
    for coach in (cast.sam, cast.grace, cast.luis):
        privacy.share_item(item=goal, coach=coach, acting_user=cast.maya)
        privacy.unshare_item(item=goal, coach=coach, acting_user=cast.maya)
    assert count() == few
    with django_assert_max_num_queries(12):
        page = client.get(reverse("who_looked"))
    assert len(page.context["events"]) == 50
    assert "Page 1 of 2" in page.content.decode()
    assert len(client.get(reverse("who_looked") + "?page=2").context["events"]) == 30
