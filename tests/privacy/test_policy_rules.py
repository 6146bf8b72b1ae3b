"""The privacy rules, one story each, with the shared cast.

Maya's coaches: Lena (instructional), Omar (technology), Sam (content), Grace
(mentor), Luis (department head). Nia coaches at her school but not her; Dana
is her principal; Priya the district admin; Henry and Otto are in Hillview.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.privacy import services
from tandem.privacy.categories import Category
from tandem.privacy.models import AccessEvent, SharingChange
from tandem.schools.models import Engagement, Specialty
from tandem.schools.services import end_assignment

from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def goal_of(
    cast: Cast,
    *,
    author: User | None = None,
    engagement: Engagement | None = None,
    held_back: bool = False,
) -> Goal:
    return Goal.objects.create(
        district=cast.maple,
        teacher=cast.maya,
        author=author or cast.maya,
        category=Category.GOALS,
        statement="80% of students explain their reasoning",
        engagement=engagement,
        held_back=held_back,
    )


def cycle(cast: Cast, coach: User) -> Engagement:
    return Engagement.objects.create(
        district=cast.maple,
        school=cast.jefferson,
        teacher=cast.maya,
        coach=coach,
        kind="impact_cycle",
        title="Reasoning in math talks",
    )


def who_sees(cast: Cast, item: Goal | Note) -> set[str]:
    return {
        name
        for name, person in cast.everyone().items()
        if type(item).objects.visible_to(person).filter(pk=item.pk).exists()
    }


def test_teachers_own_goal_is_hers_alone_until_she_shares_it(cast: Cast) -> None:
    assert who_sees(cast, goal_of(cast)) == {"maya"}


def test_engagement_coach_sees_the_goal_of_their_cycle(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    assert who_sees(cast, goal) == {"maya", "lena"}


def test_content_coach_cannot_see_goal_shared_only_with_instructional_coach(cast: Cast) -> None:
    goal = goal_of(cast)
    services.share_item(item=goal, coach=cast.lena, acting_user=cast.maya)
    assert who_sees(cast, goal) == {"maya", "lena"}
    assert "sam" not in who_sees(cast, goal)


def test_sharing_a_category_shows_every_goal_to_that_coach(cast: Cast) -> None:
    first, second = goal_of(cast), goal_of(cast)
    services.share_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    assert "omar" in who_sees(cast, first)
    assert "omar" in who_sees(cast, second)


def test_revoking_takes_effect_on_the_next_query(cast: Cast) -> None:
    goal = goal_of(cast)
    services.share_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    services.unshare_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    assert "omar" not in who_sees(cast, goal)


def test_a_held_back_item_is_the_teachers_alone_whatever_the_shares(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    services.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    services.share_category(
        teacher=cast.maya, coach=cast.sam, category=Category.GOALS, acting_user=cast.maya
    )
    services.hold_back(item=goal, acting_user=cast.maya)
    assert who_sees(cast, goal) == {"maya"}
    services.hold_back(item=goal, acting_user=cast.maya, held=False)
    assert who_sees(cast, goal) == {"maya", "lena", "omar", "sam"}


def test_teacher_cannot_hold_back_what_her_coach_wrote(cast: Cast) -> None:
    goal = goal_of(cast, author=cast.lena)
    with pytest.raises(ValidationError, match="only what you created"):
        services.hold_back(item=goal, acting_user=cast.maya)


def test_only_the_teacher_changes_who_sees_her_coaching(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    with pytest.raises(PermissionDenied):
        services.share_item(item=goal, coach=cast.omar, acting_user=cast.lena)
    with pytest.raises(PermissionDenied):
        services.share_category(
            teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.dana
        )


def test_teacher_cannot_share_with_someone_who_is_not_her_coach(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="not one of your coaches"):
        services.share_category(
            teacher=cast.maya, coach=cast.nia, category=Category.GOALS, acting_user=cast.maya
        )


def test_coach_private_notes_are_their_authors_alone_not_even_the_teachers(cast: Cast) -> None:
    note = Note.objects.create(
        district=cast.maple,
        teacher=cast.maya,
        author=cast.lena,
        category=Category.COACH_PRIVATE,
        title="My own reminders",
        body="…",
    )
    assert who_sees(cast, note) == {"lena"}
    with pytest.raises(ValidationError):
        services.share_item(item=note, coach=cast.omar, acting_user=cast.maya)


def test_principal_and_district_admin_never_see_coaching_content(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    services.share_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    assert not {"dana", "priya"} & who_sees(cast, goal)


def test_school_agreement_shares_a_category_among_the_teachers_coaches(cast: Cast) -> None:
    goal = goal_of(cast)
    services.set_agreement(
        school=cast.jefferson, category=Category.GOALS, shared=True, acting_user=cast.dana
    )
    assert who_sees(cast, goal) == {"maya", "lena", "omar", "sam", "grace", "luis"}
    assert "nia" not in who_sees(cast, goal)  # coaches at the school but not Maya


def test_teacher_narrows_the_school_agreement_for_herself(cast: Cast) -> None:
    goal = goal_of(cast)
    services.set_agreement(
        school=cast.jefferson, category=Category.GOALS, shared=True, acting_user=cast.lena
    )
    services.narrow_agreement(
        teacher=cast.maya, category=Category.GOALS, narrowed=True, acting_user=cast.maya
    )
    assert who_sees(cast, goal) == {"maya"}


def test_only_the_schools_coaches_and_leaders_set_its_agreement(cast: Cast) -> None:
    for outsider in (cast.maya, cast.ruth, cast.henry, cast.priya):
        with pytest.raises(PermissionDenied):
            services.set_agreement(
                school=cast.jefferson, category=Category.GOALS, shared=True, acting_user=outsider
            )


def test_ending_an_assignment_ends_the_coachs_access_to_her_own_items_too(cast: Cast) -> None:
    written_by_lena = goal_of(cast, author=cast.lena)
    shared = goal_of(cast)
    services.share_item(item=shared, coach=cast.lena, acting_user=cast.maya)
    end_assignment(assignment=cast.lena_maya, acting_user=cast.maya)
    assert "lena" not in who_sees(cast, written_by_lena)
    assert "lena" not in who_sees(cast, shared)
    assert "maya" in who_sees(cast, written_by_lena)  # the teacher keeps everything


def test_shares_are_gone_when_the_assignment_ends_and_do_not_return(cast: Cast) -> None:
    goal = goal_of(cast)
    services.share_category(
        teacher=cast.maya, coach=cast.lena, category=Category.GOALS, acting_user=cast.maya
    )
    end_assignment(assignment=cast.lena_maya, acting_user=cast.dana)
    f.assign(cast.lena, cast.maya, cast.jefferson, Specialty.INSTRUCTIONAL)  # coaching again
    assert "lena" not in who_sees(cast, goal)


def test_nobody_in_another_district_sees_anything(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    assert not {"henry", "hilda", "otto"} & who_sees(cast, goal)


def test_who_can_see_names_each_person_and_why(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    services.share_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    seers = {s.user.display_name: s for s in services.who_can_see(goal)}
    assert set(seers) == {"Maya Torres", "Lena Brooks", "Omar Haddad"}
    assert seers["Omar Haddad"].role == "Technology coach"
    assert seers["Omar Haddad"].reasons[0].startswith("you shared goals and plans with them on")
    assert seers["Lena Brooks"].reasons == ["it belongs to the work you do together"]


def test_every_sharing_change_is_audited(cast: Cast) -> None:
    goal = goal_of(cast)
    services.share_item(item=goal, coach=cast.lena, acting_user=cast.maya)
    services.unshare_item(item=goal, coach=cast.lena, acting_user=cast.maya)
    services.hold_back(item=goal, acting_user=cast.maya)
    actions = list(
        SharingChange.objects.filter(teacher=cast.maya)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["share_item", "unshare_item", "hold_back"]


def test_access_events_are_append_only(cast: Cast) -> None:
    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    services.record_access(viewer=cast.lena, items=[goal], via="page", path="/goals/x/")
    services.record_access(viewer=cast.maya, items=[goal], via="page", path="/goals/x/")
    event = AccessEvent.objects.get()
    assert event.viewer == cast.lena  # the teacher's own reads are not logged
    with pytest.raises(TypeError):
        AccessEvent.objects.update(path="/elsewhere/")
    with pytest.raises(TypeError):
        AccessEvent.objects.all().delete()
    with pytest.raises(TypeError):
        event.delete()
    event.path = "/changed/"
    with pytest.raises(TypeError):
        event.save()


def test_visible_to_is_one_query_whatever_the_list(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    for _ in range(20):
        goal_of(cast, engagement=cycle(cast, cast.lena))
    list(Goal.objects.visible_to(cast.omar))  # content types are cached once per process
    with django_assert_num_queries(1):
        assert len(list(Goal.objects.visible_to(cast.lena))) == 20


def test_retention_purge_is_the_one_way_to_remove_access_events(cast: Cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    goal = goal_of(cast, engagement=cycle(cast, cast.lena))
    services.record_access(viewer=cast.lena, items=[goal], via="page", path="/goals/x/")
    assert AccessEvent.purge_before(timezone.now() - timedelta(days=1)) == 0
    assert AccessEvent.purge_before(timezone.now() + timedelta(seconds=1)) == 1
    assert not AccessEvent.objects.exists()


def test_coach_private_notes_cannot_be_narrowed_or_shared_by_category(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.narrow_agreement(
            teacher=cast.maya,
            category=Category.COACH_PRIVATE,
            narrowed=True,
            acting_user=cast.maya,
        )
    with pytest.raises(ValidationError):
        services.share_category(
            teacher=cast.maya,
            coach=cast.lena,
            category=Category.COACH_PRIVATE,
            acting_user=cast.maya,
        )
