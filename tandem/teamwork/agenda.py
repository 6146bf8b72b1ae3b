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
from django.utils.translation import gettext as _

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
                resolution=flag.resolution if flag.is_resolved else _("Open"),
                resolved=flag.is_resolved,
                raised_on=flag.created_at.date(),
            )
        )
    return result


def open_flag_count(*, school: School) -> int:
    """Consented flags at the school not resolved yet: one query."""
    return ContradictionFlag.objects.filter(_consented(school), resolved_at__isnull=True).count()
