"""Observation results as measurements of a goal: the interface the goal chart reads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tandem.observations import measurements
from tandem.observations.services import link_goal

from .. import content
from ..cast import Cast
from .cases import START
from .sessions import record

pytestmark = pytest.mark.django_db


def test_a_goals_measurements_are_its_linked_sessions_headlines_oldest_first_as_the_viewer_may_see(
    cast: Cast,
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    later = record(observer=cast.lena, teacher=cast.maya, start=START + datetime.timedelta(days=7))
    earlier = record(observer=cast.lena, teacher=cast.maya, tool="responses")
    omars = record(observer=cast.omar, teacher=cast.maya, tool="questions")
    for session, who in [(later, cast.lena), (earlier, cast.lena), (omars, cast.maya)]:
        link_goal(session=session, goal_uuid=goal.uuid, acting_user=who)
    unlinked = record(observer=cast.lena, teacher=cast.maya)

    for_maya = measurements.for_goal(goal, cast.maya)
    assert [m.session_uuid for m in for_maya] == [earlier.uuid, omars.uuid, later.uuid]
    assert for_maya[2].value == Decimal("30.0")
    assert for_maya[2].unit == "%"
    assert for_maya[2].label == "Talk time: Students' share of the talk"
    assert for_maya[2].url == later.get_absolute_url()
    assert for_maya[0].unit == "/min"
    assert unlinked.uuid not in {m.session_uuid for m in for_maya}
    # Lena sees what she recorded, not Omar's session (Maya has not shared it with her).
    assert [m.session_uuid for m in measurements.for_goal(goal, cast.lena)] == [
        earlier.uuid,
        later.uuid,
    ]
    assert measurements.for_goal(goal, cast.dana) == []
