"""A teacher's coaching team, read for her or for one of her coaches: a few queries each.

Every item comes through its model's `visible_to(viewer)`: a coach sees on Maya's team
page what the privacy rules let her see of Maya's coaching, and nothing else. Who may
open the page at all: the teacher herself and her active coaches; for anyone else the
teacher's page does not exist (404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionStatus, Suggestion
from tandem.cycles.models import Cycle, Goal
from tandem.privacy.authoring import district_of
from tandem.privacy.content import CoachingContent
from tandem.schools.models import CoachingAssignment

from .models import CoachingApproach, ContradictionFlag

LIMIT = 50  # items of each kind on the timeline


def teacher_for(viewer: User, uuid: Any) -> User:
    """The teacher whose team page this is, if the viewer is her or coaches her now."""
    if viewer.district_id is None:
        raise Http404
    teacher = get_object_or_404(User, uuid=uuid, district_id=viewer.district_id)
    if teacher.pk != viewer.pk and not (
        CoachingAssignment.objects.active().filter(teacher=teacher, coach=viewer).exists()
    ):
        raise Http404
    return teacher


def coached_by(coach: User) -> list[User]:
    """The teachers she coaches now, by name: one query."""
    return list(
        User.objects.filter(
            pk__in=CoachingAssignment.objects.active()
            .filter(coach=coach, district_id=district_of(coach))
            .values("teacher_id")
        ).order_by("display_name", "id")
    )


@dataclass
class Coach:
    """One of her active coaches: roles, focus, approach, and the sessions ahead."""

    user: User
    roles: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    approach: CoachingApproach | None = None
    upcoming: list[CoachingSession] = field(default_factory=list)

    @property
    def role(self) -> str:
        return ", ".join(self.roles)


def coaches(teacher: User, viewer: User) -> list[Coach]:
    """Her active coaches by name, with approaches and upcoming sessions: three queries."""
    found: dict[int, Coach] = {}
    for assignment in (
        CoachingAssignment.objects.active()
        .filter(teacher=teacher, district_id=district_of(teacher))
        .select_related("coach")
        .order_by("coach__display_name", "coach_id", "starts_on", "id")
    ):
        coach = found.setdefault(assignment.coach_id, Coach(assignment.coach))
        if assignment.role_label not in coach.roles:
            coach.roles.append(assignment.role_label)
        if assignment.focus and assignment.focus not in coach.focus:
            coach.focus.append(assignment.focus)
    for approach in CoachingApproach.objects.filter(coach_id__in=list(found)):
        found[approach.coach_id].approach = approach
    for session in upcoming_sessions(teacher, viewer):
        if session.coach_id in found:
            found[session.coach_id].upcoming.append(session)
    return list(found.values())


def upcoming_sessions(teacher: User, viewer: User) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.visible_to(viewer)
        .filter(teacher=teacher, status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now())
        .select_related("coach")
        .order_by("starts_at", "id")[:LIMIT]
    )


@dataclass
class Entry:
    """One line of the timeline: what, from whom, when."""

    kind: str  # cycle, goal, suggestion, session, flag
    item: CoachingContent
    who: User
    at: datetime.datetime


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline(teacher: User, viewer: User) -> list[Entry]:
    """Everything in flight from every coach, newest first: five queries, whatever the count."""
    entries: list[Entry] = []
    for cycle in (
        Cycle.objects.visible_to(viewer)
        .filter(teacher=teacher, ended_on__isnull=True)
        .select_related("author", "engagement__coach")
        .order_by("-last_activity_at", "-id")[:LIMIT]
    ):
        coach = cycle.engagement.coach if cycle.engagement is not None else cycle.author
        entries.append(Entry("cycle", cycle, coach, cycle.last_activity_at))
    for goal in (
        Goal.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .filter(Q(cycle__isnull=True) | Q(cycle__ended_on__isnull=True))
        .select_related("author")
        .order_by("-updated_at", "-id")[:LIMIT]
    ):
        entries.append(Entry("goal", goal, goal.author, goal.updated_at))
    for suggestion in (
        Suggestion.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .select_related("author")
        .order_by("-given_on", "-created_at", "-id")[:LIMIT]
    ):
        entries.append(
            Entry("suggestion", suggestion, suggestion.author, _moment(suggestion.given_on))
        )
    for session in (
        CoachingSession.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("coach")
        .order_by("-starts_at", "-id")[:LIMIT]
    ):
        entries.append(Entry("session", session, session.coach, session.starts_at))
    for flag in (
        ContradictionFlag.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .select_related("author")
        .order_by("-updated_at", "-id")[:LIMIT]
    ):
        entries.append(Entry("flag", flag, flag.author, flag.updated_at))
    entries.sort(key=lambda e: (e.at, e.item.pk), reverse=True)
    return entries


@dataclass
class AdviceColumn:
    """One coach's suggestions to the teacher, newest first."""

    coach: User
    role: str
    suggestions: list[Suggestion]


def advice(teacher: User, viewer: User) -> list[AdviceColumn]:
    """Her suggestions from every coach, one column per coach: two queries."""
    roles: dict[int, list[str]] = {}
    for assignment in CoachingAssignment.objects.filter(
        teacher=teacher, district_id=district_of(teacher)
    ).order_by("-starts_on", "id"):
        label = assignment.role_label
        if label not in roles.setdefault(assignment.coach_id, []):
            roles[assignment.coach_id].append(label)
    columns: dict[int, AdviceColumn] = {}
    for suggestion in (
        Suggestion.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .select_related("author", "engagement")
        .order_by("author__display_name", "author_id", "-given_on", "-created_at", "-id")[:400]
    ):
        column = columns.get(suggestion.author_id)
        if column is None:
            column = columns[suggestion.author_id] = AdviceColumn(
                suggestion.author, ", ".join(roles.get(suggestion.author_id, [])), []
            )
        column.suggestions.append(suggestion)
    return list(columns.values())


def flags_of(teacher: User, viewer: User) -> list[ContradictionFlag]:
    return list(
        ContradictionFlag.objects.visible_to(viewer)
        .filter(teacher=teacher)
        .order_by("-created_at", "-id")[:LIMIT]
    )


def flag_page(flag: ContradictionFlag, user: User) -> dict[str, Any]:
    """What the flag page shows: suggestions she may see, the hidden ones counted, replies."""
    visible = list(
        Suggestion.objects.visible_to(user)
        .filter(contradiction_flags=flag)
        .select_related("author")
        .order_by("author__display_name", "-given_on", "id")
    )
    participants = list(flag.participants.select_related("user").order_by("id"))
    return {
        "flag": flag,
        "suggestions": visible,
        "hidden": flag.suggestions.count() - len(visible),
        "participants": participants,
        "replies": list(flag.replies.select_related("author")),
        "is_teacher": flag.teacher_id == user.pk,
    }
