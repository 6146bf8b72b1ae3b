"""The goal pages, driven through URLs as each member of the cast, checked in the database.

Maya's coaches: Lena (instructional, leads her Impact Cycle here), Omar (technology),
Sam (content), Grace (mentor), Luis (department head). Nia coaches at Jefferson but
not Maya; Dana is the principal; Priya the district admin; Henry, Hilda and Otto are
in Hillview.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.cycles.models import Goal, GoalStatus
from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import AccessEvent

from .. import content
from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_teacher_sets_a_goal_for_herself_within_her_cycle_with_lena(cast: Cast, client_for) -> None:
    cycle = content.cycle(cast, cast.lena)
    client = client_for(cast.maya)
    assert "Myself" in client.get(reverse("goal_create")).content.decode()
    response = client.post(
        reverse("goal_create"),
        {
            "teacher": cast.maya.pk,
            "engagement": cycle.pk,
            "statement": "80% of students explain their reasoning",
            "measure": "% of exit tickets",
            "baseline": "35",
            "target": "80",
        },
    )
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == goal.get_absolute_url()
    assert (goal.teacher, goal.author, goal.engagement) == (cast.maya, cast.maya, cycle)
    assert (goal.district, goal.category, goal.held_back) == (cast.maple, Category.GOALS, False)
    assert goal.status == GoalStatus.ACTIVE
    assert client_for(cast.lena).get(goal.get_absolute_url()).status_code == 200


def test_coach_sets_a_goal_for_a_teacher_she_actively_coaches(cast: Cast, client_for) -> None:
    client = client_for(cast.omar)
    page = client.get(reverse("goal_create")).content.decode()
    assert "Maya Torres" in page
    assert "Myself" not in page  # Omar does not teach
    response = client.post(
        reverse("goal_create"), {"teacher": cast.maya.pk, "statement": "Use the graphing tool"}
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.teacher, goal.author, goal.engagement) == (cast.maya, cast.omar, None)


def test_coach_cannot_set_a_goal_for_a_teacher_she_does_not_coach(cast: Cast, client_for) -> None:
    response = client_for(cast.nia).post(
        reverse("goal_create"), {"teacher": cast.maya.pk, "statement": "Sneaky"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Goal.objects.exists()


def test_coach_cannot_file_a_goal_into_another_coachs_cycle(cast: Cast, client_for) -> None:
    lenas = content.cycle(cast, cast.lena)
    response = client_for(cast.omar).post(
        reverse("goal_create"),
        {"teacher": cast.maya.pk, "engagement": lenas.pk, "statement": "Mine now"},
    )
    assert response.status_code == 200
    assert not Goal.objects.exists()


def test_target_must_differ_from_the_baseline(cast: Cast, client_for) -> None:
    response = client_for(cast.maya).post(
        reverse("goal_create"),
        {"teacher": cast.maya.pk, "statement": "Same", "baseline": "40", "target": "40"},
    )
    assert "The target should differ from the baseline." in response.content.decode()
    assert not Goal.objects.exists()


def test_a_coachs_set_a_goal_link_preselects_the_teacher(cast: Cast, client_for) -> None:
    page = client_for(cast.lena).get(reverse("goal_create") + f"?teacher={cast.maya.uuid}")
    assert f'<option value="{cast.maya.pk}" selected>' in page.content.decode()
    # Nonsense in the link is ignored, not an error.
    assert client_for(cast.lena).get(reverse("goal_create") + "?teacher=nope").status_code == 200


def test_teacher_sees_her_goals_and_coach_sees_them_grouped_by_teacher(
    cast: Cast, client_for
) -> None:
    content.goal(cast, engagement=content.cycle(cast, cast.lena), statement="Maya's cycle goal")
    ben = f.teacher(cast.jefferson, "Ben Carter")
    f.assign(cast.lena, ben, cast.jefferson)
    content.goal(cast, teacher=ben, author=cast.lena, statement="Ben's goal by Lena")
    content.goal(cast, statement="Maya's own, not shared")

    maya = client_for(cast.maya).get(reverse("goal_list")).content.decode()
    assert "My goals" in maya
    assert "Maya&#x27;s cycle goal" in maya
    assert "Maya&#x27;s own, not shared" in maya
    assert "Ben" not in maya

    lena = client_for(cast.lena).get(reverse("goal_list")).content.decode()
    assert "Maya Torres" in lena
    assert "Ben Carter" in lena
    assert lena.index("Ben Carter") < lena.index("Maya Torres")  # by teacher's name
    assert "Maya&#x27;s own, not shared" not in lena
    assert "My goals" not in lena


def test_goal_list_writes_its_access_events_in_one_insert(cast: Cast, client_for) -> None:
    cycle = content.cycle(cast, cast.lena)
    goals = [content.goal(cast, engagement=cycle) for _ in range(3)]
    client = client_for(cast.lena)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("goal_list"))
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "privacy_accessevent"')]
    assert len(inserts) == 1
    events = AccessEvent.objects.filter(viewer=cast.lena)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(g.pk for g in goals)
    assert set(events.values_list("path", flat=True)) == {reverse("goal_list")}
    # The teacher's own reads are not logged.
    client_for(cast.maya).get(reverse("goal_list"))
    assert not AccessEvent.objects.filter(viewer=cast.maya).exists()


def test_goal_list_runs_the_same_number_of_queries_for_many_goals(
    cast: Cast, client_for, django_assert_max_num_queries: Any
) -> None:
    cycle = content.cycle(cast, cast.lena)
    others = [f.teacher(cast.jefferson) for _ in range(3)]
    for teacher in others:
        f.assign(cast.lena, teacher, cast.jefferson)
    client = client_for(cast.lena)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("goal_list")).status_code == 200
        return len(queries)

    content.goal(cast, engagement=cycle)
    client.get(reverse("goal_list"))  # warm the content type cache
    few = count()
    for teacher in [cast.maya, *others]:
        for _ in range(6):
            content.goal(cast, teacher=teacher, author=cast.lena)
    many = count()
    assert few == many
    with django_assert_max_num_queries(9):
        client.get(reverse("goal_list"))


def test_goal_list_pages_fifty_at_a_time_and_logs_only_what_it_shows(
    cast: Cast, client_for
) -> None:
    cycle = content.cycle(cast, cast.lena)
    for _ in range(55):
        content.goal(cast, engagement=cycle)
    client = client_for(cast.lena)
    first = client.get(reverse("goal_list"))
    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in first.content.decode()
    assert AccessEvent.objects.count() == 50
    client.get(reverse("goal_list") + "?page=2")
    assert AccessEvent.objects.count() == 55


def test_each_detail_view_by_a_coach_writes_one_access_event(cast: Cast, client_for) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    client = client_for(cast.lena)
    client.get(goal.get_absolute_url())
    client.get(goal.get_absolute_url())
    events = list(AccessEvent.objects.values_list("viewer_id", "object_id", "via", "path"))
    assert events == [(cast.lena.pk, goal.pk, "page", goal.get_absolute_url())] * 2
    client_for(cast.maya).get(goal.get_absolute_url())
    assert AccessEvent.objects.count() == 2


def test_goal_statement_is_shown_as_text_never_as_markup(cast: Cast, client_for) -> None:
    goal = content.goal(cast, statement="<script>alert('x')</script> students")
    page = client_for(cast.maya).get(goal.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_goal_nobody_shared_is_a_404_identical_to_one_that_does_not_exist(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast)
    missing = content.random_uuid()
    for person in (cast.omar, cast.nia, cast.dana, cast.priya, cast.henry, cast.otto):
        client = client_for(person)
        hidden = client.get(reverse("goal_detail", args=[goal.uuid]))
        nothing = client.get(reverse("goal_detail", args=[missing]))
        assert content.same_404(hidden, nothing, goal.uuid, missing), person
    assert not AccessEvent.objects.exists()  # a 404 reads nothing


def test_edit_is_forbidden_to_a_coach_who_may_only_read_it(cast: Cast, client_for) -> None:
    goal = content.goal(cast)
    privacy.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    client = client_for(cast.omar)
    assert client.get(goal.get_absolute_url()).status_code == 200
    assert "Edit the goal" not in client.get(goal.get_absolute_url()).content.decode()
    assert client.get(reverse("goal_edit", args=[goal.uuid])).status_code == 403
    response = client.post(
        reverse("goal_edit", args=[goal.uuid]), {"statement": "Changed", "status": "met"}
    )
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.statement != "Changed"


def test_the_cycles_coach_edits_the_goal(cast: Cast, client_for) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    response = client_for(cast.lena).post(
        reverse("goal_edit", args=[goal.uuid]),
        {
            "statement": "85% of students",
            "measure": "",
            "baseline": "",
            "target": "85",
            "status": GoalStatus.MET,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.statement, goal.status, goal.target) == ("85% of students", "met", 85)


def test_revoking_a_share_takes_effect_on_the_coachs_very_next_request(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast)
    maya, omar = client_for(cast.maya), client_for(cast.omar)
    share = {"coach": str(cast.omar.uuid), "category": Category.GOALS}
    maya.post(reverse("privacy_share_category"), {**share, "shared": "1"})
    assert omar.get(goal.get_absolute_url()).status_code == 200
    assert "80% of students" in omar.get(reverse("goal_list")).content.decode()
    maya.post(reverse("privacy_share_category"), {**share, "shared": "0"})
    assert omar.get(goal.get_absolute_url()).status_code == 404
    assert "80% of students" not in omar.get(reverse("goal_list")).content.decode()


def test_ending_the_assignment_ends_the_coachs_access_to_her_own_goal(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, author=cast.lena, engagement=content.cycle(cast, cast.lena))
    lena = client_for(cast.lena)
    assert lena.get(goal.get_absolute_url()).status_code == 200
    client_for(cast.maya).post(reverse("assignment_end", args=[cast.lena_maya.uuid]))
    assert lena.get(goal.get_absolute_url()).status_code == 404
    assert client_for(cast.maya).get(goal.get_absolute_url()).status_code == 200


def test_leaders_and_admins_have_no_goal_pages(cast: Cast, client_for) -> None:
    for person in (cast.dana, cast.priya, cast.otto):
        assert client_for(person).get(reverse("goal_list")).status_code == 404
        assert client_for(person).get(reverse("goal_create")).status_code == 404
