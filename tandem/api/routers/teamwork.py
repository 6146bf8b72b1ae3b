"""The coaching team: her own approach, a school's approaches, its alignment report,
initiatives and agreements. The same door as the pages (`teamwork.report`): a school
whose team she is not part of does not exist (404); a leader's report names no teacher."""

from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Strict, StrictBool, StringConstraints

from tandem.coaching.models import Suggestion
from tandem.privacy.models import Via
from tandem.privacy.services import record_access
from tandem.schools.models import School
from tandem.schools.roles import request_roles
from tandem.teamwork import report, services, teacher
from tandem.teamwork.models import (
    Agreement,
    CoachingApproach,
    CoachingModel,
    ContradictionFlag,
    DivergenceKind,
    Initiative,
    Per,
)

from ..errors import responses
from ..schemas import PersonOut, StrictInput, Uuid, acting_user

router = Router(tags=["coaching team"])

_NO_NUL = r"^[^\x00]*$"


def _json_string(value: object) -> object:
    # A choice comes as JSON text, and only as text (strict mode refuses enums otherwise).
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _json_integer(value: object) -> object:
    # A JSON number with no fraction is an integer, as JSON Schema says (1.0 is 1);
    # `true` is not 1, and "1" is text.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Input should be a whole number")
    return value


Weeks = Annotated[int, Field(ge=1, le=52), Strict(False), BeforeValidator(_json_integer)]
Meetings = Annotated[int, Field(ge=0, le=31), Strict(False), BeforeValidator(_json_integer)]
ModelIn = Annotated[CoachingModel, Strict(False), BeforeValidator(_json_string)]
PerIn = Annotated[Per, Strict(False), BeforeValidator(_json_string)]
KindIn = Annotated[DivergenceKind, Strict(False), BeforeValidator(_json_string)]

# Text as the pages take it: trimmed, bounded, without NUL; "Needed" ones not empty.
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120, pattern=_NO_NUL)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=_NO_NUL)]
Word = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NO_NUL)
]
Meaning = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=_NO_NUL)
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_NUL)
]
Key = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=_NO_NUL)
]
Said = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=_NO_NUL)
]


class TermIn(StrictInput):
    term: Word
    meaning: Meaning
    synonyms: list[Word] = Field(default_factory=list, max_length=20)


class TermOut(Schema):
    term: str
    meaning: str
    synonyms: list[str]


class InitiativeRefOut(Schema):
    uuid: UUID
    name: str


class ApproachOut(Schema):
    coach: PersonOut
    model: CoachingModel | None
    model_label: str
    cycle_weeks: int | None
    meetings: int | None
    per: Per
    progress: str
    measure: str
    sharing: str
    glossary: list[TermOut]
    initiatives: list[InitiativeRefOut]


class ApproachIn(StrictInput):
    model: ModelIn | None = None
    model_other: Short = ""
    cycle_weeks: Weeks | None = None
    meetings: Meetings | None = None
    per: PerIn = Per.WEEK
    progress: Long = ""
    measure: Short = ""
    sharing: Long = ""
    glossary: list[TermIn] = Field(default_factory=list, max_length=60)
    initiatives: list[Uuid] = Field(default_factory=list, max_length=50)


def _approach(a: CoachingApproach) -> dict[str, Any]:
    return {
        "coach": a.coach,
        "model": a.model or None,
        "model_label": a.model_label,
        "cycle_weeks": a.cycle_weeks,
        "meetings": a.meetings,
        "per": a.per,
        "progress": a.progress,
        "measure": a.measure,
        "sharing": a.sharing,
        "glossary": [
            {"term": t.term, "meaning": t.meaning, "synonyms": t.synonym_list()}
            for t in a.terms.all()
        ],
        "initiatives": list(a.initiatives.all()),
    }


def _coach(request: HttpRequest) -> Any:
    if not request_roles(request).is_coach:
        raise PermissionDenied(_("Only a coach describes her coaching approach."))
    return acting_user(request)


@router.get(
    "/team/approach", response=responses({200: ApproachOut}, 404), operation_id="get_my_approach"
)
def get_my_approach(request: HttpRequest) -> dict[str, Any]:
    """Her own coaching approach (a coach who has not described one yet: 404)."""
    user = _coach(request)
    found = services.approach_of(user)
    if found is None:
        raise Http404
    return _approach(found)


@router.put(
    "/team/approach",
    response=responses({200: ApproachOut}, 400, 422),
    operation_id="put_my_approach",
)
def put_my_approach(request: HttpRequest, body: ApproachIn) -> dict[str, Any]:
    """Write her approach whole (the glossary given replaces the one kept)."""
    user = _coach(request)
    roles = request_roles(request)
    wanted = set(body.initiatives)
    chosen = list(
        Initiative.objects.filter(uuid__in=wanted, district_id=roles.district, active=True)
    )
    if len(chosen) != len(wanted):
        raise ValidationError(_("Link only initiatives of schools where you coach."))
    saved = services.save_approach(
        acting_user=user,
        model=body.model.value if body.model else "",
        model_other=body.model_other,
        cycle_weeks=body.cycle_weeks,
        meetings=body.meetings,
        per=body.per.value,
        progress=body.progress,
        measure=body.measure,
        sharing=body.sharing,
        glossary=[services.TermIn(t.term, t.meaning, ", ".join(t.synonyms)) for t in body.glossary],
        initiatives=chosen,
    )
    return _approach(saved)


def _school(request: HttpRequest, uuid: UUID) -> School:
    return report.team_school(request_roles(request), uuid)


class ColumnOut(Schema):
    coach: PersonOut
    roles: list[str]
    approach: ApproachOut | None


@router.get(
    "/team/schools/{school_uuid}/approaches",
    response=responses({200: list[ColumnOut]}, 404, 422),
    operation_id="list_school_approaches",
)
def list_school_approaches(request: HttpRequest, school_uuid: UUID) -> list[dict[str, Any]]:
    """The school's coaches and their approaches; its coaches, leaders and district admin."""
    school = _school(request, school_uuid)
    return [
        {
            "coach": c.coach,
            "roles": c.roles,
            "approach": _approach(c.approach) if c.approach else None,
        }
        for c in report.columns(school)
    ]


class AlignmentAgreementOut(Schema):
    uuid: UUID
    kind: DivergenceKind
    key: str
    text: str
    recorded_by: PersonOut
    recorded_on: str


def _agreement(a: Agreement) -> dict[str, Any]:
    return {
        "uuid": a.uuid,
        "kind": a.kind,
        "key": a.key,
        "text": a.text,
        "recorded_by": a.recorded_by,
        "recorded_on": a.recorded_on.isoformat(),
    }


class SideOut(Schema):
    coach: PersonOut
    term: str = ""
    meaning: str = ""
    value: str = ""


class DivergenceOut(Schema):
    kind: DivergenceKind
    key: str
    teacher: PersonOut | None = None
    per_week: str = ""
    sides: list[SideOut]
    agreements: list[AlignmentAgreementOut]


class CountOut(Schema):
    """Teachers a rule flags, de-identified: null where the count may not be shown (under 5)."""

    kind: DivergenceKind
    flagged: int | None
    not_flagged: int | None
    total: int | None


class InitiativeLineOut(Schema):
    initiative: InitiativeRefOut
    approaches: list[PersonOut]
    teachers_with_cycles: int | None


class AlignmentOut(Schema):
    level: str
    meetings_per_week_limit: int
    divergences: list[DivergenceOut]
    counts: list[CountOut]
    initiatives: list[InitiativeLineOut]
    approaches_serving_none: list[PersonOut]
    teachers_with_cycles_serving_none: int | None
    coaches_without_approach: list[PersonOut]


@router.get(
    "/team/schools/{school_uuid}/alignment",
    response=responses({200: AlignmentOut}, 404, 422),
    operation_id="get_alignment_report",
)
def get_alignment_report(request: HttpRequest, school_uuid: UUID) -> dict[str, Any]:
    """The alignment report as the pages show it to her: in full for a coach (teachers
    named only to their own coaches), at the level of roles for leaders."""
    roles = request_roles(request)
    school = _school(request, school_uuid)
    user = acting_user(request)
    seen = report.build(school, user, level=report.level(roles, school) or report.ROLES)
    record_access(viewer=user, items=seen.shown_cycles, via=Via.API, path=request.path)
    divergences = [
        {
            "kind": t.kind,
            "key": t.key,
            "sides": [{"coach": c, "term": term, "meaning": m} for c, term, m in t.sides],
            "agreements": [_agreement(a) for a in t.agreements],
        }
        for t in seen.terms
    ] + [
        {
            "kind": n.kind,
            "key": n.key,
            "teacher": n.teacher,
            "per_week": n.per_week,
            "sides": [{"coach": c, "value": v} for c, v in n.sides],
            "agreements": [_agreement(a) for a in n.agreements],
        }
        for n in seen.named
    ]
    return {
        "level": seen.level,
        "meetings_per_week_limit": seen.limit,
        "divergences": divergences,
        "counts": [
            {"kind": c.kind, "flagged": c.flagged, "not_flagged": c.others, "total": c.total}
            for c in seen.counts
        ],
        "initiatives": [
            {
                "initiative": line.initiative,
                "approaches": line.approaches,
                "teachers_with_cycles": line.teachers,
            }
            for line in seen.initiatives
        ],
        "approaches_serving_none": seen.approaches_serving_none,
        "teachers_with_cycles_serving_none": seen.teachers_serving_none,
        "coaches_without_approach": seen.missing,
    }


class InitiativeOut(Schema):
    uuid: UUID
    name: str
    description: str
    active: bool


class InitiativeIn(StrictInput):
    name: Name
    description: Long = ""


@router.get(
    "/team/schools/{school_uuid}/initiatives",
    response=responses({200: list[InitiativeOut]}, 404, 422),
    operation_id="list_initiatives",
)
def list_initiatives(request: HttpRequest, school_uuid: UUID) -> list[Initiative]:
    school = _school(request, school_uuid)
    return list(Initiative.objects.filter(school=school))


@router.post(
    "/team/schools/{school_uuid}/initiatives",
    response=responses({201: InitiativeOut}, 400, 404, 422),
    operation_id="create_initiative",
)
def create_initiative(request: HttpRequest, school_uuid: UUID, body: InitiativeIn) -> Status:
    school = _school(request, school_uuid)
    made = services.create_initiative(
        school=school,
        name=body.name,
        description=body.description,
        acting_user=acting_user(request),
    )
    return Status(201, made)


class AgreementIn(StrictInput):
    kind: KindIn
    key: Key
    text: Said


def _visible_agreements(request: HttpRequest, school: School) -> list[Agreement]:
    """The agreements beside the divergences she sees on the report (leaders: the term ones)."""
    roles = request_roles(request)
    seen = report.build(
        school, acting_user(request), level=report.level(roles, school) or report.ROLES
    )
    keys = report.divergence_keys(seen)
    rows = Agreement.objects.filter(school=school).select_related("recorded_by")
    return [a for a in rows if (a.kind, a.key) in keys or a.kind not in report.TEACHER_KINDS]


@router.get(
    "/team/schools/{school_uuid}/agreements",
    response=responses({200: list[AlignmentAgreementOut]}, 404, 422),
    operation_id="list_agreements",
)
def list_agreements(request: HttpRequest, school_uuid: UUID) -> list[dict[str, Any]]:
    """Agreements on term divergences, and on per-teacher ones only for her teachers' coaches."""
    school = _school(request, school_uuid)
    return [_agreement(a) for a in _visible_agreements(request, school)]


@router.post(
    "/team/schools/{school_uuid}/agreements",
    response=responses({201: AlignmentAgreementOut}, 400, 404, 422),
    operation_id="create_agreement",
)
def create_agreement(request: HttpRequest, school_uuid: UUID, body: AgreementIn) -> Status:
    """Record what the coaches agreed on a divergence she sees (the school's coaches: 403
    for its leaders)."""
    school = _school(request, school_uuid)
    made = services.record_agreement(
        school=school,
        kind=body.kind.value,
        key=body.key,
        text=body.text,
        acting_user=acting_user(request),
    )
    return Status(201, _agreement(made))


# The teacher's team, advice side by side, contradiction flags ------------------------------
# The same doors as the pages: `teamwork.teacher.teacher_for` (the teacher and her active
# coaches), and `ContradictionFlag.objects.visible_to` (the people on the flag).


class TeamSessionOut(Schema):
    uuid: UUID
    kind: str
    starts_at: datetime.datetime


class TeamCoachOut(Schema):
    coach: PersonOut
    roles: list[str]
    focus: list[str]
    approach: str
    measure: str
    upcoming: list[TeamSessionOut]


class TeamTimelineEntryOut(Schema):
    kind: str
    uuid: UUID
    label: str
    who: PersonOut
    at: datetime.datetime


class TeacherTeamOut(Schema):
    teacher: PersonOut
    coaches: list[TeamCoachOut]
    timeline: list[TeamTimelineEntryOut]


@router.get(
    "/team/teachers/{teacher_uuid}",
    response=responses({200: TeacherTeamOut}, 404, 422),
    operation_id="get_teacher_team",
)
def get_teacher_team(request: HttpRequest, teacher_uuid: UUID) -> dict[str, Any]:
    """Her active coaches (roles, focus, approach, sessions ahead) and one timeline of what is
    in flight, newest first; for her and her active coaches, each seeing what she may see."""
    user = acting_user(request)
    who = teacher.teacher_for(user, teacher_uuid)
    entries = teacher.timeline(who, user)
    record_access(viewer=user, items=[e.item for e in entries], via=Via.API, path=request.path)
    return {
        "teacher": who,
        "coaches": [
            {
                "coach": c.user,
                "roles": c.roles,
                "focus": c.focus,
                "approach": c.approach.model_label if c.approach else "",
                "measure": c.approach.measure if c.approach else "",
                "upcoming": c.upcoming,
            }
            for c in teacher.coaches(who, user)
        ],
        "timeline": [
            {"kind": e.kind, "uuid": e.item.uuid, "label": e.item.label(), "who": e.who, "at": e.at}
            for e in entries
        ],
    }


class AdviceSuggestionOut(Schema):
    uuid: UUID
    text: str
    given_on: datetime.date
    status: str


class AdviceColumnOut(Schema):
    coach: PersonOut
    role: str
    suggestions: list[AdviceSuggestionOut]


@router.get(
    "/team/teachers/{teacher_uuid}/advice",
    response=responses({200: list[AdviceColumnOut]}, 404, 422),
    operation_id="list_advice",
)
def list_advice(request: HttpRequest, teacher_uuid: UUID) -> list[teacher.AdviceColumn]:
    """Her suggestions from every coach, one column per coach with role, newest first."""
    user = acting_user(request)
    columns = teacher.advice(teacher.teacher_for(user, teacher_uuid), user)
    shown = [s for c in columns for s in c.suggestions]
    record_access(viewer=user, items=shown, via=Via.API, path=request.path)
    return columns


class FlagParticipantOut(Schema):
    person: PersonOut
    role: str


class FlagReplyOut(Schema):
    author: PersonOut
    text: str
    created_at: datetime.datetime


class ContradictionFlagOut(Schema):
    uuid: UUID
    teacher: PersonOut
    author: PersonOut
    note: str
    participants: list[FlagParticipantOut]
    suggestions: list[AdviceSuggestionOut]
    hidden_suggestions: int
    replies: list[FlagReplyOut]
    resolution: str
    resolved_by: PersonOut | None
    resolved_at: datetime.datetime | None
    agenda_consent: bool
    created_at: datetime.datetime


def _flag(request: HttpRequest, uuid: UUID) -> ContradictionFlag:
    found = ContradictionFlag.objects.visible_to(acting_user(request)).select_related(
        "teacher", "author", "resolved_by"
    )
    return get_object_or_404(found, uuid=uuid)


def _flag_out(request: HttpRequest, flag: ContradictionFlag) -> dict[str, Any]:
    user = acting_user(request)
    page = teacher.flag_page(flag, user)
    record_access(viewer=user, items=[flag, *page["suggestions"]], via=Via.API, path=request.path)
    return {
        "uuid": flag.uuid,
        "teacher": flag.teacher,
        "author": flag.author,
        "note": flag.note,
        "participants": [{"person": p.user, "role": p.role} for p in page["participants"]],
        "suggestions": page["suggestions"],
        "hidden_suggestions": page["hidden"],
        "replies": page["replies"],
        "resolution": flag.resolution,
        "resolved_by": flag.resolved_by,
        "resolved_at": flag.resolved_at,
        "agenda_consent": flag.agenda_consent,
        "created_at": flag.created_at,
    }


class ContradictionFlagIn(StrictInput):
    suggestions: list[Uuid] = Field(min_length=1, max_length=20)
    note: Said


@router.post(
    "/team/flags",
    response=responses({201: ContradictionFlagOut}, 400, 404, 422),
    operation_id="create_contradiction_flag",
)
def create_contradiction_flag(request: HttpRequest, body: ContradictionFlagIn) -> Status:
    """Two or more suggestions from different coaches that pull in different directions:
    a reflection among the teacher and those coaches. A suggestion she may not see is 404;
    suggestions from one coach alone are 400, and nothing is saved."""
    user = acting_user(request)
    wanted = set(body.suggestions)
    found = list(Suggestion.objects.visible_to(user).filter(uuid__in=wanted))
    if len(found) != len(wanted):
        raise Http404
    made = services.raise_flag(suggestions=found, note=body.note, acting_user=user)
    return Status(201, _flag_out(request, _flag(request, made.uuid)))


@router.get(
    "/team/flags/{uuid}",
    response=responses({200: ContradictionFlagOut}, 404, 422),
    operation_id="get_contradiction_flag",
)
def get_contradiction_flag(request: HttpRequest, uuid: UUID) -> dict[str, Any]:
    """The reflection: the advice she may see, its people, replies, resolution and consent."""
    return _flag_out(request, _flag(request, uuid))


class FlagReplyIn(StrictInput):
    text: Said


@router.post(
    "/team/flags/{uuid}/replies",
    response=responses({201: FlagReplyOut}, 400, 404, 422),
    operation_id="reply_to_contradiction_flag",
)
def reply_to_contradiction_flag(request: HttpRequest, uuid: UUID, body: FlagReplyIn) -> Status:
    made = services.reply_to_flag(
        flag=_flag(request, uuid), text=body.text, acting_user=acting_user(request)
    )
    return Status(201, made)


class FlagResolutionIn(StrictInput):
    resolution: Said


@router.put(
    "/team/flags/{uuid}/resolution",
    response=responses({200: ContradictionFlagOut}, 400, 404, 422),
    operation_id="resolve_contradiction_flag",
)
def resolve_contradiction_flag(
    request: HttpRequest, uuid: UUID, body: FlagResolutionIn
) -> dict[str, Any]:
    """Which advice stands, or how they combine: shown on every flagged suggestion."""
    flag = services.resolve_flag(
        flag=_flag(request, uuid), resolution=body.resolution, acting_user=acting_user(request)
    )
    return _flag_out(request, _flag(request, flag.uuid))


class FlagConsentIn(StrictInput):
    consent: StrictBool


@router.put(
    "/team/flags/{uuid}/consent",
    response=responses({200: ContradictionFlagOut}, 400, 404, 422),
    operation_id="set_contradiction_flag_consent",
)
def set_contradiction_flag_consent(
    request: HttpRequest, uuid: UUID, body: FlagConsentIn
) -> dict[str, Any]:
    """The teacher alone (403 for the coaches on it) lets it go, de-identified, on her school's
    next coaching check-in agenda, or takes it back."""
    flag = services.set_agenda_consent(
        flag=_flag(request, uuid), consent=body.consent, acting_user=acting_user(request)
    )
    return _flag_out(request, _flag(request, flag.uuid))
