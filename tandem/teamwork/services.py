"""Writes of the coaching team: keyword-only, one transaction each; pages and API share them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.cycles.models import Cycle
from tandem.schools.models import School
from tandem.schools.roles import roles_of

from . import report
from .alignment import normalise
from .models import (
    Agreement,
    CoachingApproach,
    CoachingModel,
    DivergenceKind,
    GlossaryTerm,
    Initiative,
    InitiativeCycle,
    Per,
)


@dataclass(frozen=True)
class TermIn:
    term: str
    meaning: str
    synonyms: str = ""


def approach_of(coach: User) -> CoachingApproach | None:
    return CoachingApproach.objects.filter(coach=coach).first()


def _check_coach(acting_user: User) -> None:
    if acting_user.district_id is None or not roles_of(acting_user).is_coach:
        raise PermissionDenied(_("Only a coach describes her coaching approach."))


@transaction.atomic
def save_approach(
    *,
    acting_user: User,
    model: str,
    model_other: str = "",
    cycle_weeks: int | None = None,
    meetings: int | None = None,
    per: str = Per.WEEK,
    progress: str = "",
    measure: str = "",
    sharing: str = "",
    glossary: Sequence[TermIn] = (),
    initiatives: Sequence[Initiative] = (),
) -> CoachingApproach:
    """The coach's own approach, written whole: its glossary replaced by the one given."""
    _check_coach(acting_user)
    if model and model not in CoachingModel.values:
        raise ValidationError(_("Choose a coaching model from the list."))
    if model == CoachingModel.OTHER and not model_other.strip():
        raise ValidationError(_("Say which model you use when you choose “Other”."))
    if per not in Per.values:
        raise ValidationError(_("Meetings are counted a week or a month."))
    if cycle_weeks is not None and not 1 <= cycle_weeks <= 52:
        raise ValidationError(_("A cycle lasts between 1 and 52 weeks."))
    if meetings is not None and not 0 <= meetings <= 31:
        raise ValidationError(_("Meetings with each teacher: a number from 0 to 31."))
    seen: set[str] = set()
    for entry in glossary:
        key = normalise(entry.term)
        if not key or not entry.meaning.strip():
            raise ValidationError(_("Each term in the glossary needs the term and its meaning."))
        if key in seen:
            raise ValidationError(
                _("“%(term)s” is in your glossary twice.") % {"term": entry.term.strip()}
            )
        seen.add(key)
    schools = roles_of(acting_user).coach_at
    if any(i.school_id not in schools for i in initiatives):
        raise ValidationError(_("Link only initiatives of schools where you coach."))
    approach, _created = CoachingApproach.objects.get_or_create(
        coach=acting_user, defaults={"district_id": acting_user.district_id}
    )
    approach.model = model
    approach.model_other = model_other.strip() if model == CoachingModel.OTHER else ""
    approach.cycle_weeks = cycle_weeks
    approach.meetings = meetings
    approach.per = per
    approach.progress = progress.strip()
    approach.measure = measure.strip()
    approach.sharing = sharing.strip()
    approach.updated_at = timezone.now()
    approach.save()
    approach.terms.all().delete()
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(
            approach=approach,
            term=e.term.strip(),
            key=normalise(e.term),
            meaning=e.meaning.strip(),
            synonyms=", ".join(s.strip() for s in e.synonyms.split(",") if s.strip()),
        )
        for e in glossary
    )
    approach.initiatives.set(initiatives)
    return approach


def _check_initiatives(school: School, acting_user: User) -> None:
    if not report.may_edit_initiatives(roles_of(acting_user), school):
        raise PermissionDenied


def _check_name(school: School, name: str, *, other_than: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the initiative a name."))
    clash = Initiative.objects.filter(school=school, name__iexact=name)
    if other_than is not None:
        clash = clash.exclude(pk=other_than)
    if clash.exists():
        raise ValidationError(_("The school already has an initiative with this name."))
    return name


@transaction.atomic
def create_initiative(
    *, school: School, name: str, description: str = "", acting_user: User
) -> Initiative:
    """A goal or initiative of the school, kept by its coaches and leaders."""
    _check_initiatives(school, acting_user)
    return Initiative.objects.create(
        district_id=school.district_id,
        school=school,
        name=_check_name(school, name),
        description=description.strip(),
        created_by=acting_user,
    )


@transaction.atomic
def update_initiative(
    *, initiative: Initiative, name: str, description: str, active: bool, acting_user: User
) -> Initiative:
    _check_initiatives(initiative.school, acting_user)
    initiative.name = _check_name(initiative.school, name, other_than=initiative.pk)
    initiative.description = description.strip()
    initiative.active = active
    initiative.updated_at = timezone.now()
    initiative.save()
    return initiative


@transaction.atomic
def link_cycle(
    *, initiative: Initiative, cycle: Cycle, acting_user: User, linked: bool = True
) -> None:
    """Say that an Impact Cycle serves an initiative of its school (or no longer does).

    The cycle is looked up through `Cycle.objects.visible_to(acting_user)`: one she may
    not see does not exist (404). Only someone who may change it links it (403).
    """
    _check_initiatives(initiative.school, acting_user)
    visible = Cycle.objects.visible_to(acting_user).filter(pk=cycle.pk).first()
    if visible is None:
        raise Http404
    if not visible.can_change(acting_user):
        raise PermissionDenied(_("Only the cycle's teacher and its coach link it."))
    if visible.engagement is None or visible.engagement.school_id != initiative.school_id:
        raise ValidationError(_("This cycle belongs to another school."))
    rows = InitiativeCycle.objects.filter(initiative=initiative, cycle=visible)
    if not linked:
        rows.delete()
        return
    if not initiative.active:
        raise ValidationError(_("This initiative is no longer active."))
    if not rows.exists():
        InitiativeCycle.objects.create(initiative=initiative, cycle=visible, linked_by=acting_user)


@transaction.atomic
def record_agreement(
    *, school: School, kind: str, key: str, text: str, acting_user: User
) -> Agreement:
    """What the coaches agreed about a divergence she sees on the school's alignment report."""
    roles = roles_of(acting_user)
    if report.level(roles, school) != report.FULL:
        raise PermissionDenied(_("The school's coaches record agreements."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write down what you agreed."))
    if kind not in DivergenceKind.values:
        raise ValidationError(_("Choose what the agreement answers."))
    seen = report.build(school, acting_user, level=report.FULL)
    if (kind, key) not in report.divergence_keys(seen):
        raise ValidationError(_("This divergence is not on the report any more."))
    return Agreement.objects.create(
        district_id=school.district_id,
        school=school,
        kind=kind,
        key=key,
        text=text,
        recorded_by=acting_user,
    )
