"""Writes of the coaching team: keyword-only, one transaction each; pages and API share them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.coaching.models import Suggestion
from tandem.cycles.models import Cycle
from tandem.notifications.services import notify
from tandem.privacy.categories import Category
from tandem.privacy.models import ItemShare, SharingChange
from tandem.schools.models import CoachingAssignment, School
from tandem.schools.roles import roles_of

from . import report
from .alignment import normalise
from .models import (
    Agreement,
    CoachingApproach,
    CoachingModel,
    ContradictionFlag,
    DivergenceKind,
    FlagParticipant,
    FlagReply,
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


# Contradiction flags ---------------------------------------------------------------------

TEACHER = "teacher"
NOTE_MAX = 2000


def _text(value: str, *, empty: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(empty)
    if len(value) > NOTE_MAX:
        raise ValidationError(_("Keep it to 2,000 characters."))
    return value


def _visible_flag(flag: ContradictionFlag, acting_user: User) -> ContradictionFlag:
    """The flag again, as this person may see it now; one she may not see does not exist."""
    found = ContradictionFlag.objects.visible_to(acting_user).filter(pk=flag.pk).first()
    if found is None:
        raise Http404
    return found


def _tell(flag: ContradictionFlag, *, acting_user: User, text: str) -> None:
    """Tell the other participants, in the app: that something happened, never what."""
    url = reverse("flag_detail", args=[flag.uuid])
    for participant in flag.participants.select_related("user").exclude(user=acting_user):
        notify(user=participant.user, text=text, url=url)


def _share(item: ContradictionFlag | Suggestion, *, coach_id: int, acting_user: User) -> None:
    """An item share of the teacher's, audited like those she makes on the item's page."""
    content_type = ContentType.objects.get_for_model(item)
    _row, created = ItemShare.objects.get_or_create(
        content_type=content_type,
        object_id=item.pk,
        coach_id=coach_id,
        defaults={"district_id": item.district_id, "teacher_id": item.teacher_id},
    )
    if created:
        SharingChange.objects.create(
            district_id=item.district_id,
            actor=acting_user,
            teacher_id=item.teacher_id,
            coach_id=coach_id,
            action=SharingChange.Action.SHARE_ITEM,
            category=item.category,
            content_type=content_type,
            object_id=item.pk,
        )


@transaction.atomic
def raise_flag(
    *, suggestions: Sequence[Suggestion], note: str, acting_user: User
) -> ContradictionFlag:
    """Two or more suggestions from different coaches pull in different directions.

    The teacher, or one of her coaches, opens a reflection among the teacher and the
    coaches who gave them. The flag is the teacher's coaching content ("suggestions");
    each coach on it gets an item share of it (audited like the teacher's own), so it
    reaches them through the privacy policy while they actively coach her, and nobody
    else: not her other coaches, not her school's leaders.
    """
    wanted = {s.pk for s in suggestions}
    found = list(
        Suggestion.objects.visible_to(acting_user)
        .filter(pk__in=wanted)
        .select_related("teacher", "author")
        .order_by("pk")
    )
    if len(found) != len(wanted):
        raise Http404
    if len(found) < 2:
        raise ValidationError(_("Choose two or more suggestions to think through together."))
    teacher = found[0].teacher
    if any(s.teacher_id != teacher.pk for s in found):
        raise ValidationError(_("Choose suggestions given to one teacher."))
    coaches = {s.author_id: s.author for s in found}
    if len(coaches) < 2:
        raise ValidationError(
            _(
                "These suggestions all come from one coach. A flag sets side by side "
                "advice from different coaches: talk this one through with %(name)s."
            )
            % {"name": next(iter(coaches.values())).display_name}
        )
    text = _text(note, empty=_("Say in a few words how the advice pulls in different directions."))
    if acting_user.pk != teacher.pk:
        coaches.setdefault(acting_user.pk, acting_user)
    assignments = list(
        CoachingAssignment.objects.active()
        .filter(teacher=teacher, coach_id__in=list(coaches), district_id=teacher.district_id)
        .order_by("starts_on", "id")
    )
    role_of: dict[int, CoachingAssignment] = {}
    for assignment in assignments:
        role_of.setdefault(assignment.coach_id, assignment)
    for coach_id, coach in coaches.items():
        if coach_id not in role_of:
            raise ValidationError(
                _("%(name)s does not coach %(teacher)s right now.")
                % {"name": coach.display_name, "teacher": teacher.display_name}
            )
    flag = ContradictionFlag.objects.create(
        district_id=teacher.district_id,
        teacher=teacher,
        author=acting_user,
        category=Category.SUGGESTIONS,
        school_id=role_of[found[0].author_id].school_id,
        note=text,
    )
    flag.suggestions.set(found)
    FlagParticipant.objects.bulk_create(
        [FlagParticipant(flag=flag, user=teacher, role=TEACHER)]
        + [
            FlagParticipant(flag=flag, user_id=coach_id, role=role_of[coach_id].specialty)
            for coach_id in coaches
        ]
    )
    for coach_id in coaches:
        _share(flag, coach_id=coach_id, acting_user=acting_user)
        if acting_user.pk == teacher.pk:
            # Her flag is her choice to set this advice before these coaches: each one
            # sees the suggestions on it. A coach who raises a flag shares nothing of hers.
            for suggestion in found:
                if suggestion.author_id != coach_id:
                    _share(suggestion, coach_id=coach_id, acting_user=acting_user)
    _tell(
        flag,
        acting_user=acting_user,
        text=_("Some advice pulls in different directions: let's think it through together."),
    )
    return flag


@transaction.atomic
def reply_to_flag(*, flag: ContradictionFlag, text: str, acting_user: User) -> FlagReply:
    """A reply in the reflection thread, by anyone on the flag while she may see it."""
    flag = _visible_flag(flag, acting_user)
    reply = FlagReply.objects.create(
        flag=flag, author=acting_user, text=_text(text, empty=_("Write your reply."))
    )
    ContradictionFlag.objects.filter(pk=flag.pk).update(updated_at=timezone.now())
    _tell(flag, acting_user=acting_user, text=_("A new reply in a reflection you are part of."))
    return reply


@transaction.atomic
def resolve_flag(
    *, flag: ContradictionFlag, resolution: str, acting_user: User
) -> ContradictionFlag:
    """Record which advice stands, or how they combine: shown on every flagged suggestion."""
    flag = _visible_flag(flag, acting_user)
    flag.resolution = _text(
        resolution, empty=_("Say which advice stands, or how the pieces of advice combine.")
    )
    flag.resolved_by = acting_user
    flag.resolved_at = flag.updated_at = timezone.now()
    flag.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
    _tell(flag, acting_user=acting_user, text=_("A reflection you are part of has a resolution."))
    return flag


@transaction.atomic
def set_agenda_consent(
    *, flag: ContradictionFlag, consent: bool, acting_user: User
) -> ContradictionFlag:
    """The teacher alone lets it go, without her name, on the coaches' check-in agenda."""
    flag = _visible_flag(flag, acting_user)
    if flag.teacher_id != acting_user.pk:
        raise PermissionDenied(_("Only the teacher decides whether it goes on the agenda."))
    if flag.agenda_consent != consent:
        flag.agenda_consent = consent
        flag.updated_at = timezone.now()
        flag.save(update_fields=["agenda_consent", "updated_at"])
    return flag
