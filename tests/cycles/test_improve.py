"""Improve: measurements (typed in, and from observations linked to the goal) on one chart
with its table, the adaptations log, conversations with next steps, the goal met, closing
a cycle and starting the next."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionKind, Suggestion
from tandem.cycles import charts, services
from tandem.cycles.models import (
    AdaptationKind,
    Cycle,
    Evidence,
    EvidenceKind,
    Goal,
    GoalStatus,
    Measurement,
    Stage,
)
from tandem.privacy import services as privacy
from tandem.privacy.categories import Category

from ..cast import Cast
from ..observations.sessions import record
from .progress_builders import cycle_in, measure

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
TODAY = timezone.localdate


def _goal(cycle: Cycle) -> Goal:
    return Goal.objects.get(cycle=cycle)


def _page(client: Client, cycle: Cycle) -> str:
    return client.get(reverse("cycle_detail", args=[cycle.uuid])).content.decode()


# Measurements ---------------------------------------------------------------------------


def test_a_measurement_is_stored_within_the_measures_range(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    services.add_measurement(
        goal=_goal(cycle), acting_user=cast.lena, taken_on=TODAY(), value=Decimal("52.5")
    )
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("52.5")]


@pytest.mark.parametrize(
    ("value", "days_ahead", "message"),
    [
        ("101", 0, "between 0 and 100"),
        ("-1", 0, "between 0 and 100"),
        ("50", 1, "not a future date"),
    ],
)
def test_a_bad_measurement_is_refused_and_nothing_is_stored(
    cast: Cast, value: str, days_ahead: int, message: str
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    with pytest.raises(ValidationError, match=message):
        services.add_measurement(
            goal=_goal(cycle),
            acting_user=cast.maya,
            taken_on=TODAY() + datetime.timedelta(days=days_ahead),
            value=Decimal(value),
        )
    assert not Measurement.objects.exists()


def test_a_measurement_of_a_closed_cycle_is_refused_and_nothing_is_stored(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    services.close_cycle(cycle=cycle, acting_user=cast.maya, reason="I moved to 8th grade.")
    with pytest.raises(ValidationError, match="ended"):
        services.add_measurement(
            goal=_goal(cycle), acting_user=cast.maya, taken_on=TODAY(), value=Decimal(50)
        )
    response = client_for(cast.maya).post(
        reverse("measurement_add", args=[cycle.uuid]),
        {"taken_on": TODAY().isoformat(), "value": "50"},
    )
    assert "can no longer be changed" in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_measurement_form_says_what_is_wrong(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    response = client_for(cast.lena).post(
        reverse("measurement_add", args=[cycle.uuid]),
        {"taken_on": TODAY().isoformat(), "value": "140"},
    )
    assert response.status_code == 200
    assert "between 0 and 100" in response.content.decode()
    assert not Measurement.objects.exists()


def test_a_count_measure_has_no_top_but_is_never_negative(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE, baseline="3", target="12", kind="count")
    services.add_measurement(
        goal=_goal(cycle), acting_user=cast.maya, taken_on=TODAY(), value=Decimal(400)
    )
    with pytest.raises(ValidationError, match="0 or more"):
        services.add_measurement(
            goal=_goal(cycle), acting_user=cast.maya, taken_on=TODAY(), value=Decimal(-2)
        )


# Observations on the chart ----------------------------------------------------------------


def _observed(cast: Cast, cycle: Cycle) -> str:
    """Lena's talk-time observation of Maya (students' share: 30 %), linked to the goal."""
    session = record(
        observer=cast.lena,
        teacher=cast.maya,
        goal=_goal(cycle).uuid,
        engagement=cycle.engagement.uuid,  # type: ignore[union-attr]
    )
    return str(session.uuid)


def test_an_observation_linked_to_the_goal_appears_on_the_chart_for_teacher_and_coach(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "40", "55")
    session = _observed(cast, cycle)
    for who in (cast.maya, cast.lena):
        page = _page(client_for(who), cycle)
        assert reverse("observation_detail", args=[session]) in page, who
        assert 'class="mark observed"' in page
        assert page.count('class="mark typed"') == 2


def test_a_coach_who_may_not_see_the_observation_does_not_see_it_on_the_chart(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "40")
    session = _observed(cast, cycle)
    privacy.share_item(item=cycle, coach=cast.omar, acting_user=cast.maya)
    privacy.share_item(item=_goal(cycle), coach=cast.omar, acting_user=cast.maya)
    page = _page(client_for(cast.omar), cycle)
    assert "40" in page
    assert "Measurements of the goal" in page
    assert session not in page
    assert 'class="mark observed"' not in page
    assert [p.source for p in charts.series(_goal(cycle), cast.omar)] == [charts.TYPED]


def test_the_chart_has_a_title_and_description_and_the_table_the_same_values(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "40", "52.5", "61")
    page = client_for(cast.maya).get(reverse("cycle_summary", args=[cycle.uuid])).content.decode()
    svg = page[page.index("<svg viewBox") : page.index("</svg>", page.index("<svg viewBox"))]
    assert "<title id=" in svg
    assert "<desc id=" in svg
    assert "Baseline 36, target 80." in svg
    assert "the latest is 61" in svg
    assert svg.count('class="mark typed"') == 3
    table = page[page.index('<table class="measurements stack">') : page.index("</table>")]
    cells = re.findall(r'<td class="num" data-label="Value">([^<]*)</td>', table)
    assert cells == ["40", "52.50", "61"]


def test_the_progress_part_of_the_cycle_page_runs_a_constant_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    _observed(cast, cycle)
    template = Template("{% load cycle_progress %}{% learn_stage cycle %}{% improve_stage cycle %}")
    request = RequestFactory().get("/")
    request.user = cast.lena
    counts = []
    for n in (2, 20):
        Measurement.objects.all().delete()
        measure(cycle, *[str(30 + k) for k in range(n)])
        with CaptureQueriesContext(connection) as queries:
            html = template.render(Context({"cycle": cycle, "request": request}))
        assert html.count('class="mark typed"') == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[1]):
        template.render(Context({"cycle": cycle, "request": request}))


# The goal met --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "values", "proposed"),
    [
        ("36", "80", ["50", "79"], False),
        ("36", "80", ["50", "80"], True),
        ("36", "80", ["85", "70"], False),  # reached once, but not the latest
        ("12", "3", ["8", "4"], False),  # a falling goal: fewer is better
        ("12", "3", ["8", "3"], True),
        ("12", "3", ["2", "15"], False),
    ],
)
def test_the_met_proposal_appears_only_when_the_latest_reaches_the_target_its_way(
    cast: Cast,
    client_for: Login,
    baseline: str,
    target: str,
    values: list[str],
    proposed: bool,
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE, baseline=baseline, target=target, kind="count")
    measure(cycle, *values)
    page = _page(client_for(cast.maya), cycle)
    assert ("Yes, the goal is met" in page) is proposed
    assert ("reached the target" in page) is proposed
    coach_page = _page(client_for(cast.lena), cycle)
    assert "Yes, the goal is met" not in coach_page
    assert ("decides whether the goal is met" in coach_page) is proposed


def test_only_the_teacher_confirms_the_goal_is_met(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "50", "82")
    url = reverse("cycle_confirm_met", args=[cycle.uuid])
    assert client_for(cast.lena).post(url, {"version": cycle.version}).status_code == 403
    cycle.refresh_from_db()
    assert cycle.stage == Stage.IMPROVE
    assert client_for(cast.maya).post(url, {"version": cycle.version}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.stage == Stage.MET
    assert cycle.ended_on == TODAY()
    assert _goal(cycle).status == GoalStatus.MET
    assert "The goal is met" in _page(client_for(cast.maya), cycle)


def test_the_goal_is_not_met_before_the_target_is_reached(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "50")
    with pytest.raises(ValidationError, match="not reached"):
        services.confirm_goal_met(cycle=cycle, acting_user=cast.maya)


def test_the_summary_counts_what_the_cycle_took(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    Cycle.objects.filter(pk=cycle.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    cycle.refresh_from_db()
    measure(cycle, "45", "60", "70", "81")
    services.log_adaptation(
        cycle=cycle,
        acting_user=cast.lena,
        kind=AdaptationKind.USE,
        change="Wait time after the second question too",
        reason="The first answers were rushed.",
    )
    services.record_conversation(
        cycle=cycle,
        acting_user=cast.lena,
        held_at=timezone.now() - datetime.timedelta(days=1),
        notes="Looked at the exit tickets.",
    )
    services.confirm_goal_met(cycle=cycle, acting_user=cast.maya)
    cycle.refresh_from_db()
    assert cycle.met_summary.splitlines() == [
        "Goal: 80% of students explain their reasoning in writing",
        "From 36 at the start to 81, with a target of 80.",
        "4 measurements, 1 coaching session, 1 adaptation, over 5 weeks.",
    ]


def test_after_the_goal_is_met_every_change_is_refused(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    measure(cycle, "90")
    services.confirm_goal_met(cycle=cycle, acting_user=cast.maya)
    cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        services.log_adaptation(
            cycle=cycle, acting_user=cast.lena, kind="use", change="More", reason="Because"
        )
    with pytest.raises(ValidationError, match="ended"):
        services.close_cycle(cycle=cycle, acting_user=cast.maya, reason="Done")


# Closing, and the next cycle ----------------------------------------------------------------


def test_a_cycle_closes_with_a_reason_by_its_teacher_or_coach(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    url = reverse("cycle_close", args=[cycle.uuid])
    refused = client_for(cast.lena).post(url, {"reason": " ", "version": cycle.version})
    assert "Say why" in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.is_open
    done = client_for(cast.lena).post(
        url, {"reason": "Maya is on leave.", "version": cycle.version}
    )
    assert done.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.stage, cycle.closed_reason) == (Stage.CLOSED, "Maya is on leave.")
    assert cycle.engagement.closed_on == TODAY()  # type: ignore[union-attr]
    assert "Maya is on leave." in _page(client_for(cast.maya), cycle)


def test_the_next_cycle_carries_the_evidence_forward(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    Evidence.objects.create(
        district=cast.maple,
        teacher=cast.maya,
        author=cast.maya,
        category=Category.EVIDENCE,
        engagement=cycle.engagement,
        cycle=cycle,
        kind=EvidenceKind.STUDENT_INTERVIEW,
        title="What they told me",
        text="They like explaining to a partner first.",
    )
    url = reverse("cycle_next", args=[cycle.uuid])
    maya = client_for(cast.maya)
    maya.post(url)
    assert not Cycle.objects.filter(previous=cycle).exists()  # still open: refused
    services.close_cycle(cycle=cycle, acting_user=cast.maya, reason="New semester.")
    assert client_for(cast.lena).post(url).status_code == 403
    assert maya.post(url).status_code == 302
    new = Cycle.objects.get(previous=cycle)
    assert new.stage == Stage.IDENTIFY
    assert new.engagement is not None
    assert new.engagement.coach_id == cast.lena.pk
    (copy,) = Evidence.objects.filter(cycle=new)
    assert (copy.title, copy.text, copy.engagement_id) == (
        "What they told me",
        "They like explaining to a partner first.",
        new.engagement_id,
    )
    assert Evidence.objects.filter(cycle=cycle).count() == 1
    with pytest.raises(ValidationError, match="already"):
        services.start_next_cycle(cycle=cycle, acting_user=cast.maya)


# The adaptations log and conversations -----------------------------------------------------


def test_an_adaptation_is_logged_with_why_and_when(cast: Cast, client_for: Login) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    url = reverse("adaptation_add", args=[cycle.uuid])
    lena = client_for(cast.lena)
    refused = lena.post(
        url, {"kind": "strategy", "change": "Cold call pairs", "made_on": TODAY().isoformat()}
    )
    assert refused.status_code == 200
    assert not cycle.adaptations.exists()
    lena.post(
        url,
        {
            "kind": "strategy",
            "change": "Cold call pairs, not students",
            "reason": "Less fear.",
            "made_on": TODAY().isoformat(),
        },
    )
    (adaptation,) = cycle.adaptations.all()
    assert (adaptation.kind, adaptation.reason, adaptation.made_on) == (
        "strategy",
        "Less fear.",
        TODAY(),
    )
    assert "Cold call pairs, not students" in _page(client_for(cast.maya), cycle)


def test_a_conversation_keeps_its_notes_and_its_next_steps_as_suggestions(
    cast: Cast, client_for: Login
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    yesterday = TODAY() - datetime.timedelta(days=1)
    response = client_for(cast.lena).post(
        reverse("conversation_add", args=[cycle.uuid]),
        {
            "day": yesterday.isoformat(),
            "time": "15:30",
            "duration_minutes": "30",
            "notes": "The exit tickets show longer answers.",
            "next_steps": "Try sentence starters\n\nShare two answers on the board\n",
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get(kind=SessionKind.CONVERSATION)
    assert session.engagement_id == cycle.engagement_id
    assert session.notes == "The exit tickets show longer answers."
    steps = Suggestion.objects.filter(session=session).order_by("created_at")
    assert [s.text for s in steps] == ["Try sentence starters", "Share two answers on the board"]
    assert {(s.author_id, s.cycle_id, s.goal_id) for s in steps} == {
        (cast.lena.pk, cycle.pk, _goal(cycle).pk)
    }
    page = _page(client_for(cast.maya), cycle)
    assert "Try sentence starters" in page
    assert "longer answers" in page


def test_a_conversation_in_the_future_is_refused(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    with pytest.raises(ValidationError, match="not a future time"):
        services.record_conversation(
            cycle=cycle,
            acting_user=cast.lena,
            held_at=timezone.now() + datetime.timedelta(days=1),
            notes="Planned",
        )
    assert not CoachingSession.objects.exists()


def test_someone_outside_the_cycle_changes_nothing(cast: Cast) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    with pytest.raises(PermissionDenied):
        services.add_measurement(
            goal=_goal(cycle), acting_user=cast.omar, taken_on=TODAY(), value=Decimal(50)
        )
    with pytest.raises(PermissionDenied):
        services.close_cycle(cycle=cycle, acting_user=cast.henry, reason="No")
