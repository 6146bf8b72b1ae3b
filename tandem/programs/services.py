"""Programs and adoption decisions: every write, keyword-only, one transaction each.

Pages, the API and the demo call these. Who may do what:
- programs: district admins, school leaders and program-specialist coaches manage them
  (a school's program: its leaders and program specialists, and the district admin);
  everyone in the district reads them;
- decisions: a school's leaders open and record its decisions, the district admin any;
  every teacher in scope gives input until the deadline (see `anonymity.py`).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.library.models import Strategy
from tandem.notifications.services import notify
from tandem.schools.models import CoachSpecialty, District, Membership, Role, School, Specialty

from .anonymity import input_key, input_keys
from .models import (
    MIN_GROUP,
    AdoptionDecision,
    AdoptionInput,
    Preference,
    Program,
    ProgramComponent,
    ProgramStatus,
)


@dataclass(frozen=True)
class ComponentSpec:
    """One component as a form or the API gives it: a strategy, its name here, notes."""

    strategy: Strategy
    name: str
    notes: str = ""


def _district(user: User) -> int:
    if not user.is_authenticated or user.district_id is None:
        raise PermissionDenied
    return user.district_id


def _held(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, district_id=_district(user))


def program_schools(user: User) -> set[int] | None:
    """The schools whose programs she manages; None for every school (a district admin)."""
    if user.district_id is None:
        return set()
    held = _held(user)
    if held.filter(role=Role.DISTRICT_ADMIN).exists():
        return None
    led = set(held.filter(role=Role.SCHOOL_LEADER).values_list("school_id", flat=True))
    specialists = CoachSpecialty.objects.filter(
        membership__in=held.filter(role=Role.COACH), specialty=Specialty.PROGRAM
    ).values_list("membership__school_id", flat=True)
    return led | set(specialists)


def manages_programs(user: User) -> bool:
    """District admins, school leaders and program specialists manage programs."""
    schools = program_schools(user)
    return schools is None or bool(schools)


def may_change_program(user: User, program: Program) -> bool:
    schools = program_schools(user)
    if program.district_id != user.district_id:
        return False
    if schools is None:
        return True
    # A program of the whole district: any of its program managers; a school's: its own.
    return bool(schools) and (program.school_id is None or program.school_id in schools)


def _clean_materials(materials: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    from django.core.validators import URLValidator

    check = URLValidator(schemes=["http", "https"])
    cleaned = []
    for item in materials:
        title, url = item.get("title", "").strip(), item.get("url", "").strip()
        try:
            check(url)
        except ValidationError:
            raise ValidationError(
                _("“%(url)s” is not a web address (it should start with https://).") % {"url": url}
            ) from None
        cleaned.append({"title": title[:200] or url, "url": url})
    if len(cleaned) > 30:
        raise ValidationError(_("A program lists at most 30 materials."))
    return cleaned


@transaction.atomic
def save_program(
    *,
    acting_user: User,
    program: Program | None = None,
    name: str,
    description: str,
    school: School | None,
    materials: Sequence[dict[str, str]],
    status: str = ProgramStatus.CANDIDATE,
    components: Sequence[ComponentSpec],
) -> Program:
    """Create a program, or change one; its components are replaced by those given, in order."""
    district_id = _district(acting_user)
    if not manages_programs(acting_user):
        raise PermissionDenied(_("Only leaders and program specialists manage programs."))
    if program is not None and not may_change_program(acting_user, program):
        raise PermissionDenied(_("Only leaders and program specialists manage programs."))
    if school is not None:
        schools = program_schools(acting_user)
        if school.district_id != district_id or (schools is not None and school.pk not in schools):
            raise ValidationError(_("You can scope a program only to a school you lead or serve."))
    if status not in ProgramStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the program a name."))
    available = set(Strategy.objects.available_to(acting_user).values_list("pk", flat=True))
    for component in components:
        if component.strategy.pk not in available:
            raise ValidationError(_("Choose each component's strategy from the library."))
        if not component.name.strip():
            raise ValidationError(_("Give each component a name."))
    if (
        Program.objects.filter(district_id=district_id, name__iexact=name)
        .exclude(pk=program.pk if program else -1)
        .exists()
    ):
        raise ValidationError(_("Your district already has a program with this name."))
    if program is None:
        program = Program(district_id=district_id, created_by=acting_user)
    program.name = name
    program.description = description.strip()
    program.school = school
    program.materials = _clean_materials(materials)
    program.status = status
    program.updated_at = timezone.now()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise ValidationError(_("Your district already has a program with this name.")) from None
    program.components.all().delete()
    ProgramComponent.objects.bulk_create(
        ProgramComponent(
            program=program,
            position=position,
            strategy=component.strategy,
            name=component.name.strip(),
            notes=component.notes.strip(),
        )
        for position, component in enumerate(components, start=1)
    )
    return program


# Adoption decisions ----------------------------------------------------------------------


def teachers_in_scope(decision: AdoptionDecision) -> QuerySet[User]:
    """Every active teacher of the decision's school, or of its whole district."""
    teaching = Membership.objects.filter(district_id=decision.district_id, role=Role.TEACHER)
    if decision.school_id is not None:
        teaching = teaching.filter(school_id=decision.school_id)
    return User.objects.filter(
        pk__in=teaching.values("user_id"), district_id=decision.district_id, is_active=True
    )


def is_in_scope(decision: AdoptionDecision, user: User) -> bool:
    return teachers_in_scope(decision).filter(pk=user.pk).exists()


def manages_decision(user: User, decision: AdoptionDecision) -> bool:
    return AdoptionDecision.objects.managed_by(user).filter(pk=decision.pk).exists()


def may_open_decisions(user: User) -> bool:
    held = _held(user) if user.district_id else Membership.objects.none()
    return held.filter(role__in=[Role.DISTRICT_ADMIN, Role.SCHOOL_LEADER]).exists()


def _zone(district_id: int) -> datetime.tzinfo:
    name = District.objects.filter(pk=district_id).values_list("time_zone", flat=True).first()
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


@transaction.atomic
def open_decision(
    *,
    acting_user: User,
    school: School | None,
    question: str,
    deadline: datetime.datetime,
    candidates: Sequence[Program],
) -> AdoptionDecision:
    """A leader asks the teachers in scope about adopting one of some candidate programs.

    Each teacher in scope gets an in-app notification that names no program and no one.
    """
    district_id = _district(acting_user)
    held = _held(acting_user)
    is_admin = held.filter(role=Role.DISTRICT_ADMIN).exists()
    if school is None:
        if not is_admin:
            raise PermissionDenied(_("Only the district administrator opens district decisions."))
    elif school.district_id != district_id or not (
        is_admin or held.filter(role=Role.SCHOOL_LEADER, school=school).exists()
    ):
        raise PermissionDenied(_("Only the school's leaders open decisions for it."))
    question = question.strip()
    if not question:
        raise ValidationError(_("Write the question teachers are asked."))
    if timezone.is_naive(deadline):
        raise ValidationError(_("Give the deadline with its time zone."))
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline has to be in the future."))
    chosen = list(candidates)
    if not chosen:
        raise ValidationError(_("Choose at least one candidate program."))
    for program in chosen:
        if program.district_id != district_id:
            raise ValidationError(_("Choose candidate programs of your district."))
        if program.status == ProgramStatus.RETIRED:
            raise ValidationError(_("A retired program cannot be a candidate."))
        if school is not None and program.school_id not in (None, school.pk):
            raise ValidationError(_("A candidate program must belong to this school or district."))
        if school is None and program.school_id is not None:
            raise ValidationError(_("A district decision weighs programs of the whole district."))
    decision = AdoptionDecision.objects.create(
        district_id=district_id,
        school=school,
        question=question,
        deadline=deadline,
        opened_by=acting_user,
    )
    decision.candidates.set(chosen)
    _invite(decision)
    return decision


def _invite(decision: AdoptionDecision) -> None:
    """Tell each teacher in scope, in the app, that her view is invited: no program, no names.

    Only that something is asked of her, and by when; the link goes through the same door
    as any visit. Nothing is ever sent about the input she gives.
    """
    zone = _zone(decision.district_id)
    url = decision.get_absolute_url()
    for teacher in teachers_in_scope(decision).only("district_id", "preferred_language"):
        with translation.override(teacher.preferred_language or "en"):
            day = date_format(timezone.localtime(decision.deadline, zone), "DATE_FORMAT")
            text = _("Your input is invited on a program decision, until %(day)s.") % {"day": day}
        notify(user=teacher, text=text, url=url)


def input_of(decision: AdoptionDecision, user: User) -> AdoptionInput | None:
    """Her own input on this decision, found by its key (anonymous or not), or None."""
    keys = input_keys(decision_id=decision.pk, user_id=user.pk)
    found = {i.key: i for i in AdoptionInput.objects.filter(decision=decision, key__in=keys)}
    return next((found[k] for k in keys if k in found), None)


def inputs_given(decisions: Sequence[AdoptionDecision], user: User) -> set[int]:
    """The ids of the decisions she has given input on (one query, whatever the list)."""
    by_key = {}
    for decision in decisions:
        for key in input_keys(decision_id=decision.pk, user_id=user.pk):
            by_key[key] = decision.pk
    rows = AdoptionInput.objects.filter(
        decision_id__in=[d.pk for d in decisions], key__in=list(by_key)
    ).values_list("decision_id", "key")
    return {decision_id for decision_id, key in rows if by_key.get(key) == decision_id}


def _check_choice(
    decision: AdoptionDecision, ranking: Sequence[Any], preference: str
) -> tuple[list[str], str]:
    candidates = [str(p.uuid) for p in decision.candidates.all()]
    if len(candidates) == 1:
        if ranking:
            raise ValidationError(_("There is one candidate: give a preference, not a ranking."))
        if preference not in Preference.values:
            raise ValidationError(_("Say whether you would like this program adopted."))
        return [], preference
    given = [str(u) for u in ranking]
    if preference:
        raise ValidationError(_("There are several candidates: rank them instead."))
    if sorted(given) != sorted(candidates):
        raise ValidationError(_("Rank every candidate program once: 1 for your first choice."))
    return given, ""


@transaction.atomic
def give_input(
    *,
    decision: AdoptionDecision,
    teacher: User,
    anonymous: bool,
    helps: str = "",
    concerns: str = "",
    support: str = "",
    ranking: Sequence[Any] = (),
    preference: str = "",
    comment: str = "",
    understood_identifiable: bool = False,
) -> tuple[AdoptionInput, bool]:
    """Her input on the decision; a second one replaces the first. Returns (input, replaced).

    Anonymous: the row names no one and keeps the day only (`anonymity.py`).
    """
    # Lock the decision row so the deadline check and the write see the same decision.
    decision = AdoptionDecision.objects.select_for_update().get(pk=decision.pk)
    if not is_in_scope(decision, teacher):
        raise PermissionDenied(_("Only the teachers this decision asks may give input."))
    if decision.is_decided:
        raise ValidationError(_("This decision has been recorded: input is closed."))
    if not decision.accepts_input():
        raise ValidationError(_("The deadline for input has passed: nothing was saved."))
    ranked, preference = _check_choice(decision, ranking, preference)
    if anonymous and not understood_identifiable and small_group(decision):
        raise ValidationError(
            _(
                "Fewer than 5 teachers are asked: even without your name, your input could "
                "tell who you are. Confirm that you understand, or give it with your name."
            )
        )
    fields = {
        "helps": helps.strip(),
        "concerns": concerns.strip(),
        "support": support.strip(),
        "comment": comment.strip(),
    }
    given_on = timezone.localtime(timezone.now(), _zone(decision.district_id)).date()
    existing = input_of(decision, teacher)
    row = existing or AdoptionInput(decision=decision)
    row.key = input_key(decision_id=decision.pk, user_id=teacher.pk)
    row.attributed_to = None if anonymous else teacher
    row.ranking = ranked
    row.preference = preference
    row.given_on = given_on
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row, existing is not None


def small_group(decision: AdoptionDecision) -> bool:
    """Fewer than `MIN_GROUP` teachers in scope: anonymous input could be identifiable."""
    return teachers_in_scope(decision).count() < MIN_GROUP


def participation(decision: AdoptionDecision) -> tuple[int, int]:
    """(teachers who gave input, teachers in scope): counts only, never who."""
    given = decision.inputs.count()
    in_scope = (
        decision.teachers_in_scope
        if decision.is_decided and decision.teachers_in_scope is not None
        else teachers_in_scope(decision).count()
    )
    return given, in_scope


def inputs_shown(decision: AdoptionDecision) -> bool:
    """Leaders read the inputs only once at least `MIN_GROUP` exist."""
    return decision.inputs.count() >= MIN_GROUP


@transaction.atomic
def record_decision(
    *,
    decision: AdoptionDecision,
    acting_user: User,
    chosen: Program | None,
    rationale: str,
    how_input_shaped: str,
    cited: Sequence[AdoptionInput] = (),
) -> AdoptionDecision:
    """The leader records what was decided, why, and how teacher input shaped it.

    Before the deadline only once every teacher in scope has given input. The chosen
    program becomes adopted. The decision is then readable by every teacher in scope.
    """
    decision = AdoptionDecision.objects.select_for_update().get(pk=decision.pk)
    if not manages_decision(acting_user, decision):
        raise PermissionDenied(_("Only the leaders who manage this decision record it."))
    if decision.is_decided:
        raise ValidationError(_("This decision has already been recorded."))
    given, in_scope = participation(decision)
    if decision.accepts_input() and given < in_scope:
        raise ValidationError(
            _("Teachers can give input until the deadline; record the decision after it.")
        )
    candidates = {p.pk for p in decision.candidates.all()}
    if chosen is not None and chosen.pk not in candidates:
        raise ValidationError(_("Choose one of the candidate programs, or none."))
    if not rationale.strip():
        raise ValidationError(_("Write the rationale: teachers will read it."))
    if not how_input_shaped.strip():
        raise ValidationError(_("Say how teacher input shaped the decision."))
    cited = list(cited)
    if cited and given < MIN_GROUP:
        raise ValidationError(_("Inputs can be cited only once at least 5 have been given."))
    if any(i.decision_id != decision.pk for i in cited):
        raise ValidationError(_("Cite inputs given on this decision."))
    decision.chosen = chosen
    decision.rationale = rationale.strip()
    decision.how_input_shaped = how_input_shaped.strip()
    decision.teachers_in_scope = in_scope
    decision.decided_by = acting_user
    decision.decided_at = timezone.now()
    decision.save()
    decision.cited_inputs.set(cited)
    if chosen is not None and chosen.status != ProgramStatus.ADOPTED:
        chosen.status = ProgramStatus.ADOPTED
        chosen.updated_at = timezone.now()
        chosen.save(update_fields=["status", "updated_at"])
    return decision
