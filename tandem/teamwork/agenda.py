"""What contradiction flags bring to a school's coaching check-in: de-identified, consented.

The check-ins app calls `flags_for_agenda` when it prepares an agenda. Only flags
whose teacher ticked "put it on the coaches' next check-in agenda" come out, and
they come out without a name, a note or a suggestion's text: the coaching roles
involved, and the resolution they recorded (or that it is still open).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import pgettext

from tandem.schools.models import School, Specialty

from .models import ContradictionFlag


@dataclass(frozen=True)
class AgendaFlag:
    roles: list[str]  # the coaching roles involved ("Technology coach"), never a name
    resolution: str  # what they agreed, or "Open"
    resolved: bool
    raised_on: datetime.date


def _consented(school: School) -> Q:
    return Q(school=school, district_id=school.district_id, agenda_consent=True, held_back=False)


def flags_for_agenda(*, school: School, since: datetime.datetime) -> list[AgendaFlag]:
    """Consented flags still open, or resolved since `since`: two queries."""
    flags = (
        ContradictionFlag.objects.filter(_consented(school))
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=since))
        .prefetch_related("participants")
        .order_by("created_at", "id")
    )
    labels = dict(Specialty.choices)
    result = []
    for flag in flags:
        roles = sorted({str(labels[p.role]) for p in flag.participants.all() if p.role in labels})
        result.append(
            AgendaFlag(
                roles=roles,
                resolution=flag.resolution if flag.is_resolved else pgettext("flag", "Open"),
                resolved=flag.is_resolved,
                raised_on=flag.created_at.date(),
            )
        )
    return result


def open_flag_count(*, school: School) -> int:
    """Consented flags at the school not resolved yet: one query."""
    return ContradictionFlag.objects.filter(_consented(school), resolved_at__isnull=True).count()


@dataclass(frozen=True)
class FlagTheme:
    """Consented flags between one set of coaching roles: counts only, for the report."""

    roles: list[str]
    open: int
    resolved: int


def flag_themes(*, school: School) -> list[FlagTheme]:
    """The alignment report's view of consented flags: which roles' advice pulls apart, and
    how often, never who or what. Two queries."""
    labels = dict(Specialty.choices)
    counts: dict[tuple[str, ...], list[int]] = {}
    for flag in (
        ContradictionFlag.objects.filter(_consented(school))
        .prefetch_related("participants")
        .order_by()
    ):
        key = tuple(
            sorted({str(labels[p.role]) for p in flag.participants.all() if p.role in labels})
        )
        counts.setdefault(key, [0, 0])[1 if flag.is_resolved else 0] += 1
    return [
        FlagTheme(roles=list(key), open=n[0], resolved=n[1]) for key, n in sorted(counts.items())
    ]
