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
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.coaching.models import LEARNING_KINDS, CoachingSession, SessionKind
from tandem.coaching.services import schedule_session
from tandem.cycles.models import Cycle, Evidence, EvidenceKind
from tandem.cycles.services import start_cycle
from tandem.library.models import Strategy
from tandem.notifications.services import notify
from tandem.privacy.aggregates import suppress
from tandem.privacy.authoring import check_author, district_of
from tandem.privacy.categories import Category
from tandem.schools.models import (
    CoachingAssignment,
    CoachSpecialty,
    District,
    Engagement,
    EngagementKind,
    Membership,
    Role,
    School,
    Specialty,
)
from tandem.teamwork.models import Initiative

from .anonymity import input_key, input_keys
from .models import (
    MIN_GROUP,
    AdoptionDecision,
    AdoptionInput,
    Feedback,
    FeedbackAbout,
    LogEntry,
    Modification,
    Preference,
    Program,
    ProgramComponent,
    ProgramStatus,
    Response,
    SupportChoice,
    SupportEngagement,
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
    initiatives: Sequence[Initiative] | None = None,
) -> Program:
    """Create a program, or change one; its components are replaced by those given, in order.

    `initiatives`: the school goals and initiatives it serves (None: left as they are);
    of its district, and of its school when it has one.
    """
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
    if initiatives is not None:
        for initiative in initiatives:
            if initiative.district_id != district_id or (
                school is not None and initiative.school_id != school.pk
            ):
                raise ValidationError(
                    _("Link initiatives of the program's own school, or of its district.")
                )
        program.initiatives.set(initiatives)
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


# Technical support -----------------------------------------------------------------------
#
# With teachers, not to them: the teacher chooses the kind of support; the log is about
# what students did; a modification is a professional decision with its reason; nothing
# scores or ranks a teacher. Leaders see modifications and feedback only in aggregate.

# The kinds of support a teacher may choose: the ways to learn a strategy, or a conversation.
SUPPORT_KINDS = [*LEARNING_KINDS, SessionKind.CONVERSATION]


def _check_support_kind(kind: str) -> str:
    if kind not in SUPPORT_KINDS:
        raise ValidationError(_("Choose a kind of support from the list."))
    return kind


def programs_for(teacher: User) -> QuerySet[Program]:
    """The programs a teacher may get support on: her district's and her schools', not retired."""
    if teacher.district_id is None:
        return Program.objects.none()
    schools = Membership.objects.filter(user=teacher, role=Role.TEACHER).values("school_id")
    return (
        Program.objects.filter(district_id=teacher.district_id)
        .filter(Q(school__isnull=True) | Q(school_id__in=schools))
        .exclude(status=ProgramStatus.RETIRED)
    )


@transaction.atomic
def start_support(
    *, acting_user: User, teacher: User, coach: User, program: Program, kind: str = ""
) -> SupportEngagement:
    """Technical support for the teacher on a program, with a coach who actively coaches her.

    Either of them starts it; only the teacher chooses the kind of support (`kind`,
    optional, hers only).
    """
    district_id = district_of(teacher)
    if acting_user.pk not in {coach.pk, teacher.pk} or acting_user.district_id != district_id:
        raise PermissionDenied
    assignment = (
        CoachingAssignment.objects.active()
        .filter(coach=coach, teacher=teacher, district_id=district_id)
        .select_related("school")
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("Support is given by a coach who works with the teacher."))
    if not programs_for(teacher).filter(pk=program.pk).exists():
        raise ValidationError(_("Choose a program of the teacher's school or district."))
    if kind and acting_user.pk != teacher.pk:
        raise ValidationError(_("The teacher chooses the kind of support."))
    engagement = Engagement.objects.create(
        district_id=district_id,
        school=assignment.school,
        teacher=teacher,
        coach=coach,
        kind=EngagementKind.TECHNICAL_SUPPORT,
        title=program.name[:200],
    )
    support = SupportEngagement.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=acting_user,
        category=Category.GOALS,
        engagement=engagement,
        program=program,
    )
    if kind:
        _choose(support, _check_support_kind(kind))
    return support


def _choose(support: SupportEngagement, kind: str) -> None:
    support.support_kind = kind
    support.updated_at = timezone.now()
    support.save(update_fields=["support_kind", "updated_at"])
    SupportChoice.objects.create(support=support, kind=kind)


def _check_open_support(support: SupportEngagement) -> None:
    if not support.is_open:
        raise ValidationError(_("This support has ended, so it can no longer be changed."))


@transaction.atomic
def choose_support(
    *, support: SupportEngagement, acting_user: User, kind: str
) -> SupportEngagement:
    """The teacher chooses — or changes — the kind of support; each choice is kept."""
    if acting_user.pk != support.teacher_id:
        raise PermissionDenied(_("The teacher chooses the kind of support."))
    _check_open_support(support)
    _check_support_kind(kind)
    if kind == support.support_kind:
        raise ValidationError(_("This is already the support you chose."))
    _choose(support, kind)
    return support


def _check_partner(support: SupportEngagement, user: User) -> None:
    """Its teacher, or its coach while she still coaches the teacher."""
    assert support.engagement is not None
    check_author(author=user, teacher=support.teacher, engagement=support.engagement)


@transaction.atomic
def schedule_support_session(
    *,
    support: SupportEngagement,
    acting_user: User,
    starts_at: datetime.datetime,
    duration_minutes: int = 45,
    place: str = "",
    invite: bool = True,
) -> CoachingSession:
    """A session of the support, of the kind the teacher chose: in the coaching log and calendar."""
    _check_open_support(support)
    if not support.support_kind:
        raise ValidationError(_("The teacher chooses the kind of support first."))
    engagement = support.engagement
    assert engagement is not None
    return schedule_session(
        acting_user=acting_user,
        teacher=support.teacher,
        coach=engagement.coach,
        kind=support.support_kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        engagement=engagement,
        invite=invite,
    )


def _components(support: SupportEngagement, components: Iterable[ProgramComponent]) -> list[Any]:
    chosen = list(components)
    if any(c.program_id != support.program_id for c in chosen):
        raise ValidationError(_("Choose components of this program."))
    return chosen


@transaction.atomic
def add_log_entry(
    *,
    support: SupportEngagement,
    acting_user: User,
    day: datetime.date,
    components: Iterable[ProgramComponent] = (),
    student_measure: str = "",
    student_work: str = "",
    decision: str = "",
    decision_evidence: str = "",
    session: CoachingSession | None = None,
) -> LogEntry:
    """What was used and what students did; a decision with the student evidence it rests on."""
    _check_open_support(support)
    _check_partner(support, acting_user)
    chosen = _components(support, components)
    student_measure, student_work = student_measure.strip(), student_work.strip()
    decision, decision_evidence = decision.strip(), decision_evidence.strip()
    if not chosen:
        raise ValidationError(_("Say which components of the program were used."))
    if not (student_measure or student_work):
        raise ValidationError(
            _("Say what students did: a measure, or a description of their work.")
        )
    if decision and not decision_evidence:
        raise ValidationError(_("Say which student evidence your decision rests on."))
    if decision_evidence and not decision:
        raise ValidationError(_("Write the decision this student evidence supports."))
    if day > timezone.localdate():
        raise ValidationError(_("The log is of what happened: choose today or a day before."))
    if session is not None and not (
        CoachingSession.objects.visible_to(acting_user)
        .filter(pk=session.pk, teacher_id=support.teacher_id)
        .exists()
    ):
        raise ValidationError(_("Choose one of the teacher's sessions that you may see."))
    entry = LogEntry.objects.create(
        district_id=support.district_id,
        teacher_id=support.teacher_id,
        author=acting_user,
        category=Category.NOTES,
        engagement=support.engagement,
        support=support,
        day=day,
        student_measure=student_measure[:300],
        student_work=student_work,
        decision=decision,
        decision_evidence=decision_evidence,
        session=session,
    )
    entry.components.set(chosen)
    return entry


@transaction.atomic
def modify_component(
    *,
    support: SupportEngagement,
    acting_user: User,
    component: ProgramComponent,
    what: str,
    for_whom: str,
    reason: str,
    student_evidence: str = "",
) -> Modification:
    """The teacher adapts a component for some students, and says why: her decision."""
    if acting_user.pk != support.teacher_id:
        raise PermissionDenied(_("The teacher decides how to adapt the program."))
    _check_open_support(support)
    _components(support, [component])
    what, for_whom, reason = what.strip(), for_whom.strip(), reason.strip()
    if not what:
        raise ValidationError(_("Say what you changed."))
    if not for_whom:
        raise ValidationError(_("Say for which students."))
    if not reason:
        raise ValidationError(_("Say why you adapted it: your reason helps others learn."))
    return Modification.objects.create(
        district_id=support.district_id,
        teacher_id=support.teacher_id,
        author=acting_user,
        category=Category.NOTES,
        engagement=support.engagement,
        support=support,
        component=component,
        what=what,
        for_whom=for_whom[:300],
        reason=reason,
        student_evidence=student_evidence.strip(),
    )


@transaction.atomic
def support_to_cycle(*, support: SupportEngagement, acting_user: User) -> Cycle:
    """The teacher is ready: the support becomes an Impact Cycle with the same coach.

    Each log entry and modification is carried forward as student-work evidence (text),
    by its author and held back as it was; the support engagement then closes.
    """
    support = SupportEngagement.objects.select_for_update().get(pk=support.pk)
    _check_open_support(support)
    engagement = support.engagement
    assert engagement is not None
    cycle = start_cycle(
        coach=engagement.coach,
        teacher=support.teacher,
        acting_user=acting_user,
        title=engagement.title,
    )
    pieces: list[Evidence] = []
    for entry in support.log.prefetch_related("components").order_by("day", "id"):
        pieces.append(_carried(cycle, entry, _entry_title(entry), _entry_text(entry)))
    for change in support.modifications.select_related("component").order_by("created_at", "id"):
        title = _("Adapted %(component)s for %(whom)s") % {
            "component": change.component.name,
            "whom": change.for_whom,
        }
        text = "\n".join(
            line
            for line in [
                change.what,
                _("Why: %(reason)s") % {"reason": change.reason},
                _("Student evidence: %(evidence)s") % {"evidence": change.student_evidence}
                if change.student_evidence
                else "",
            ]
            if line
        )
        pieces.append(_carried(cycle, change, title, text))
    Evidence.objects.bulk_create(pieces)
    engagement.closed_on = timezone.localdate()
    engagement.save(update_fields=["closed_on"])
    support.cycle = cycle
    support.updated_at = timezone.now()
    support.save(update_fields=["cycle", "updated_at"])
    return cycle


def _entry_title(entry: LogEntry) -> str:
    names = ", ".join(c.name for c in entry.components.all())
    return (
        _("Implementation log, %(day)s: %(components)s") % {"day": entry.day, "components": names}
    )[:200]


def _entry_text(entry: LogEntry) -> str:
    lines = [
        _("Measure: %(m)s") % {"m": entry.student_measure} if entry.student_measure else "",
        _("What students did: %(w)s") % {"w": entry.student_work} if entry.student_work else "",
        _("Decision: %(d)s") % {"d": entry.decision} if entry.decision else "",
        _("It rests on: %(e)s") % {"e": entry.decision_evidence} if entry.decision_evidence else "",
    ]
    return "\n".join(line for line in lines if line)


def _carried(cycle: Cycle, item: LogEntry | Modification, title: str, text: str) -> Evidence:
    return Evidence(
        district_id=item.district_id,
        teacher_id=item.teacher_id,
        author_id=item.author_id,
        category=Category.EVIDENCE,
        engagement_id=cycle.engagement_id,
        held_back=item.held_back,
        cycle=cycle,
        kind=EvidenceKind.STUDENT_WORK,
        title=title,
        text=text,
    )


# Aggregates for leaders and program specialists: k ≥ MIN_GROUP distinct teachers ---------


@dataclass(frozen=True)
class ComponentChanges:
    component: ProgramComponent
    teachers: int | None  # None: fewer than MIN_GROUP, not shown
    reasons: list[str]  # without names, in no telling order; empty when hidden


def sees_program_learning(user: User, program: Program) -> bool:
    """Leaders and program specialists who manage the program learn from its aggregates."""
    return may_change_program(user, program)


def modification_summary(*, program: Program, viewer: User) -> list[ComponentChanges] | None:
    """Per component: how many distinct teachers adapted it, and their reasons without names.

    None when fewer than `MIN_GROUP` distinct teachers adapted any component. A component's
    row is shown only when `suppress` shows its count.
    """
    if not sees_program_learning(viewer, program):
        raise PermissionDenied
    # What a teacher holds back stays hers, even from a count.
    rows = Modification.objects.filter(
        district_id=program.district_id, support__program=program, held_back=False
    ).values_list("component_id", "teacher_id", "reason")
    teachers_by: dict[int, set[int]] = {}
    reasons_by: dict[int, list[str]] = {}
    all_teachers: set[int] = set()
    for component_id, teacher_id, reason in rows:
        teachers_by.setdefault(component_id, set()).add(teacher_id)
        reasons_by.setdefault(component_id, []).append(reason)
        all_teachers.add(teacher_id)
    if len(all_teachers) < MIN_GROUP:
        return None
    components = list(program.components.all())
    # A teacher may adapt several components: the counts do not add up to a total, so each
    # is suppressed on its own, and no total is shown that a hidden count could be taken from.
    shown = [suppress([len(teachers_by.get(c.pk, set()))]).cells[0] for c in components]
    return [
        ComponentChanges(
            component=c,
            teachers=n,
            reasons=sorted(reasons_by.get(c.pk, []), key=str.casefold) if n is not None else [],
        )
        for c, n in zip(components, shown, strict=True)
    ]


QUESTIONS = ("useful", "clear", "heard")


def is_program_teacher(teacher: User, program: Program) -> bool:
    """She teaches where the program is: its school, or anywhere in its district."""
    teaching = Membership.objects.filter(
        user=teacher, district_id=program.district_id, role=Role.TEACHER
    )
    if program.school_id is not None:
        teaching = teaching.filter(school_id=program.school_id)
    return teacher.district_id == program.district_id and teaching.exists()


@transaction.atomic
def give_feedback(
    *,
    program: Program,
    teacher: User,
    about: str,
    useful: int,
    clear: int,
    heard: int,
    comment: str = "",
) -> Feedback:
    """A teacher's short survey and comment on the program or its support, any time."""
    if not is_program_teacher(teacher, program):
        raise PermissionDenied(_("Feedback on a program is given by its teachers."))
    if about not in FeedbackAbout.values:
        raise ValidationError(_("Say whether your feedback is on the program or the support."))
    for value in (useful, clear, heard):
        if type(value) is not int or not 1 <= value <= 5:
            raise ValidationError(_("Answer each question from 1 to 5."))
    return Feedback.objects.create(
        program=program,
        district_id=program.district_id,
        teacher=teacher,
        about=about,
        useful=useful,
        clear=clear,
        heard=heard,
        comment=comment.strip(),
        given_on=timezone.localdate(),
    )


@dataclass(frozen=True)
class FeedbackLine:
    about: str
    label: str
    teachers: int | None  # None: fewer than MIN_GROUP, not shown
    means: dict[str, float]  # question → mean, only when shown
    comments: list[str]


def feedback_summary(*, program: Program, viewer: User) -> list[FeedbackLine] | None:
    """The survey's means and the comments without names, per subject, over ≥ 5 teachers.

    None when fewer than `MIN_GROUP` distinct teachers gave feedback at all.
    """
    if not may_respond(viewer, program):
        raise PermissionDenied
    # Each teacher's latest answer on each subject: answering again does not weigh more.
    latest: dict[tuple[str, int], tuple[Any, ...]] = {}
    for row in Feedback.objects.filter(program=program).values_list(
        "about", "teacher_id", *QUESTIONS, "comment"
    ):
        latest.setdefault((row[0], row[1]), row)
    rows = list(latest.values())
    teachers = {r[1] for r in rows}
    if len(teachers) < MIN_GROUP:
        return None
    by_about = {value: [r for r in rows if r[0] == value] for value in FeedbackAbout.values}
    # A teacher may answer on both subjects: each count is suppressed on its own (no total).
    shown = [suppress([len({r[1] for r in by_about[v]})]).cells[0] for v in FeedbackAbout.values]
    lines = []
    for (value, label), n in zip(FeedbackAbout.choices, shown, strict=True):
        given = by_about[value]
        means = (
            {
                q: round(sum(r[2 + i] for r in given) / len(given), 1)
                for i, q in enumerate(QUESTIONS)
            }
            if n is not None and given
            else {}
        )
        comments = sorted((r[5] for r in given if r[5]), key=str.casefold) if n is not None else []
        lines.append(FeedbackLine(value, str(label), n, means, comments))
    return lines


def may_respond(user: User, program: Program) -> bool:
    """The leaders over the program: the district admin, or a leader of its school
    (any school's leader for a program of the whole district)."""
    if not user.is_authenticated or user.district_id != program.district_id:
        return False
    held = _held(user)
    if held.filter(role=Role.DISTRICT_ADMIN).exists():
        return True
    leading = held.filter(role=Role.SCHOOL_LEADER)
    if program.school_id is not None:
        leading = leading.filter(school_id=program.school_id)
    return leading.exists()


@transaction.atomic
def respond(*, program: Program, acting_user: User, heard: str, did: str) -> Response:
    """A line of the program's public "You said, we did": what we heard → what we did."""
    if not may_respond(acting_user, program):
        raise PermissionDenied(_("The program's leaders write its “You said, we did”."))
    heard, did = heard.strip(), did.strip()
    if not heard:
        raise ValidationError(_("Say what you heard from teachers, in your own words."))
    if not did:
        raise ValidationError(_("Say what you did about it."))
    return Response.objects.create(program=program, heard=heard, did=did, by=acting_user)
