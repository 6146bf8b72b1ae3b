"""Learn: the teacher adapts the strategy's checklist with reasons, chooses how she learns it,
schedules sessions (.ics with no coaching content), and moves on to Improve."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionKind
from tandem.cycles import services
from tandem.cycles.models import ChecklistItem, Cycle, Stage
from tandem.privacy import services as privacy

from ..cast import Cast
from .progress_builders import MOVES, cycle_in

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _first(cycle: Cycle) -> ChecklistItem:
    return cycle.checklist.get(position=1)


def test_adapting_a_move_keeps_its_reason_and_its_original_wording(cast: Cast) -> None:
    cycle = cycle_in(cast)
    services.adapt_checklist_item(
        item=_first(cycle),
        acting_user=cast.maya,
        text="Ask the question to the table groups",
        reason="My class sits in groups of four.",
        version=cycle.version,
    )
    item = _first(cycle)
    assert item.text == "Ask the question to the table groups"
    assert item.original == MOVES[0]
    assert item.reason == "My class sits in groups of four."
    assert item.changed_by_id == cast.maya.pk
    assert item.is_adapted


def test_a_reason_is_required_and_nothing_changes_without_one(cast: Cast) -> None:
    cycle = cycle_in(cast)
    with pytest.raises(ValidationError, match="Say why"):
        services.adapt_checklist_item(
            item=_first(cycle), acting_user=cast.maya, text="Something else", reason="  "
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.add_checklist_item(cycle=cycle, acting_user=cast.maya, text="Mine", reason="")
    assert _first(cycle).text == MOVES[0]
    assert cycle.checklist.count() == len(MOVES)


def test_the_teacher_removes_a_move_and_adds_her_own(cast: Cast) -> None:
    cycle = cycle_in(cast)
    services.adapt_checklist_item(
        item=cycle.checklist.get(position=3),
        acting_user=cast.maya,
        text="",
        removed=True,
        reason="Random calling makes two of my students freeze.",
    )
    added = services.add_checklist_item(
        cycle=cycle, acting_user=cast.maya, text="Let pairs rehearse first", reason="Confidence."
    )
    assert cycle.checklist.get(position=3).removed
    assert (added.position, added.original, added.reason) == (4, "", "Confidence.")


def test_only_the_teacher_adapts_her_checklist(cast: Cast) -> None:
    cycle = cycle_in(cast)
    with pytest.raises(PermissionDenied):
        services.adapt_checklist_item(
            item=_first(cycle), acting_user=cast.lena, text="Other", reason="Better."
        )


def test_a_stale_form_is_told_and_overwrites_nothing(cast: Cast) -> None:
    cycle = cycle_in(cast)
    opened_at = cycle.version
    services.adapt_checklist_item(
        item=_first(cycle), acting_user=cast.maya, text="First", reason="One", version=opened_at
    )
    with pytest.raises(services.StaleEdit):
        services.adapt_checklist_item(
            item=cycle.checklist.get(position=2),
            acting_user=cast.maya,
            text="Second",
            reason="Two",
            version=opened_at,
        )
    assert cycle.checklist.get(position=2).text == MOVES[1]


def test_the_adapt_page_shows_the_original_and_refuses_a_missing_reason(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast)
    url = reverse("checklist_adapt", args=[cycle.uuid, 1])
    maya = client_for(cast.maya)
    assert MOVES[0] in maya.get(url).content.decode()
    refused = maya.post(url, {"text": "New words", "reason": "", "version": cycle.version})
    assert refused.status_code == 200
    assert "Say why" in refused.content.decode()
    assert _first(cycle).text == MOVES[0]
    done = maya.post(url, {"text": "New words", "reason": "Why not", "version": cycle.version})
    assert done.status_code == 302
    page = maya.get(reverse("cycle_detail", args=[cycle.uuid])).content.decode()
    assert "New words" in page
    assert MOVES[0] in page
    assert "Why not" in page


def test_the_coach_may_read_the_checklist_but_not_adapt_it(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast)
    lena = client_for(cast.lena)
    url = reverse("checklist_adapt", args=[cycle.uuid, 1])
    assert lena.get(url).status_code == 403
    assert client_for(cast.nia).get(url).status_code == 404


def test_the_teacher_chooses_how_she_learns_it(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast)
    url = reverse("cycle_learning_mode", args=[cycle.uuid])
    response = client_for(cast.maya).post(url, {"mode": "modeling", "version": cycle.version})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.learning_mode == SessionKind.MODELING
    with pytest.raises(ValidationError):
        services.choose_learning_mode(cycle=cycle, acting_user=cast.maya, mode="conversation")
    assert client_for(cast.lena).post(url, {"mode": "co_teaching"}).status_code == 403


def _next_week() -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)


def test_a_learning_session_is_scheduled_in_the_cycle_with_its_coach(cast: Cast) -> None:
    cycle = cycle_in(cast)
    session = services.schedule_learning_session(
        cycle=cycle,
        acting_user=cast.maya,
        kind=SessionKind.MODELING,
        starts_at=_next_week(),
        duration_minutes=50,
        place="Room 12",
    )
    assert session.engagement_id == cycle.engagement_id
    assert session.coach_id == cast.lena.pk
    with pytest.raises(ValidationError, match="from now on"):
        services.schedule_learning_session(
            cycle=cycle,
            acting_user=cast.maya,
            kind=SessionKind.MODELING,
            starts_at=timezone.now() - datetime.timedelta(days=2),
        )


def test_the_ics_parses_and_holds_no_coaching_content(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast)
    Cycle.objects.filter(pk=cycle.pk).update(learning_mode="modeling")
    session = services.schedule_learning_session(
        cycle=cycle,
        acting_user=cast.lena,
        kind=SessionKind.MODELING,
        starts_at=_next_week(),
        place="Room 12",
    )
    CoachingSession.objects.filter(pk=session.pk).update(notes="Maya worries about period 3")
    url = reverse("cycle_session_ics", args=[cycle.uuid, session.uuid])
    response = client_for(cast.maya).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Coaching session"
    assert str(event["LOCATION"]) == "Room 12"
    assert event.decoded("DTSTART") == session.starts_at
    assert str(event["URL"]).endswith(cycle.get_absolute_url())
    text = response.content.decode()
    for secret in ["period 3", "reasoning", "Wait time", "Model", "Maya", "Lena", MOVES[0]]:
        assert secret.lower() not in text.lower(), secret
    assert client_for(cast.nia).get(url).status_code == 404


def test_ready_to_try_it_moves_learn_to_improve(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast)
    url = reverse("cycle_ready", args=[cycle.uuid])
    assert client_for(cast.lena).post(url, {"version": cycle.version}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.stage == Stage.IMPROVE
    with pytest.raises(ValidationError):
        services.start_improving(cycle=cycle, acting_user=cast.maya)


def test_a_coach_the_cycle_was_shared_with_reads_it_but_changes_nothing(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast)
    privacy.share_item(item=cycle, coach=cast.omar, acting_user=cast.maya)
    omar = client_for(cast.omar)
    assert omar.get(reverse("cycle_summary", args=[cycle.uuid])).status_code == 200
    assert omar.post(reverse("cycle_ready", args=[cycle.uuid])).status_code == 403
    cycle.refresh_from_db()
    assert cycle.stage == Stage.LEARN
