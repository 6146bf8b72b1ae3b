"""Setting and changing goals: who may write for whom, checked by the services themselves."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.cycles.models import GoalStatus
from tandem.cycles.services import create_goal, update_goal
from tandem.privacy.categories import Category
from tandem.schools.services import end_assignment

from .. import content
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_a_goal_carries_its_teacher_district_author_and_category(cast: Cast) -> None:
    goal = create_goal(author=cast.lena, teacher=cast.maya, statement="Reasoning")
    assert (goal.district_id, goal.teacher, goal.author) == (cast.maple.pk, cast.maya, cast.lena)
    assert goal.category == Category.GOALS


@pytest.mark.parametrize("outsider", ["nia", "dana", "priya", "henry", "ruth"])
def test_only_the_teacher_and_her_active_coaches_write_her_goals(cast: Cast, outsider: str) -> None:
    with pytest.raises(PermissionDenied):
        create_goal(author=getattr(cast, outsider), teacher=cast.maya, statement="Not mine")


def test_a_coach_whose_assignment_ended_writes_no_more_goals(cast: Cast) -> None:
    end_assignment(assignment=cast.lena_maya, acting_user=cast.maya)
    with pytest.raises(PermissionDenied):
        create_goal(author=cast.lena, teacher=cast.maya, statement="Too late")


def test_a_goal_goes_only_into_the_teachers_own_coaching_work(cast: Cast) -> None:
    lenas = content.cycle(cast, cast.lena)
    with pytest.raises(ValidationError, match="not this teacher's"):
        create_goal(author=cast.luis, teacher=cast.luis, statement="x", engagement=lenas)
    with pytest.raises(ValidationError, match="only to coaching work you lead"):
        create_goal(author=cast.omar, teacher=cast.maya, statement="x", engagement=lenas)
    # The teacher may file her own goal into any of her coaching work.
    assert create_goal(author=cast.maya, teacher=cast.maya, statement="x", engagement=lenas)


def test_the_target_differs_from_the_baseline(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="differ from the baseline"):
        create_goal(
            author=cast.maya,
            teacher=cast.maya,
            statement="x",
            baseline=Decimal(3),
            target=Decimal(3),
        )


def test_a_reader_cannot_change_a_goal_its_cycles_coach_can(cast: Cast) -> None:
    goal = create_goal(
        author=cast.maya,
        teacher=cast.maya,
        statement="x",
        engagement=content.cycle(cast, cast.lena),
    )
    fields: dict[str, Any] = {"statement": "y", "measure": "", "baseline": None, "target": None}
    with pytest.raises(PermissionDenied):
        update_goal(goal=goal, acting_user=cast.omar, status=GoalStatus.MET, **fields)
    update_goal(goal=goal, acting_user=cast.lena, status=GoalStatus.MET, **fields)
    goal.refresh_from_db()
    assert (goal.statement, goal.status) == ("y", GoalStatus.MET)
    with pytest.raises(ValidationError):
        update_goal(goal=goal, acting_user=cast.lena, status="finished", **fields)
