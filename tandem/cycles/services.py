"""Writes for Impact Cycles: each a keyword-only function, one transaction.

Every change to a cycle or anything in it goes through here, checks that the
cycle is still open (`check_open`) and that the form was not stale
(`check_version`), and marks activity (`touch`) for the caseload's "stalled".
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.library.models import FrameworkTag, Strategy
from tandem.privacy.authoring import check_author, district_of
from tandem.privacy.categories import Category
from tandem.privacy.content import CoachingContent
from tandem.schools.models import CoachingAssignment, Engagement, EngagementKind

from . import evidence
from .models import ChecklistItem, Cycle, Evidence, Goal, GoalStatus, MeasureKind, Stage


class StaleEdit(ValidationError):
    """Someone else saved this since the form was opened: nothing was overwritten."""


def check_open(cycle: Cycle) -> None:
    """A met or closed cycle is a record: it does not change."""
    if not cycle.is_open:
        raise ValidationError(
            _("This cycle has ended, so it can no longer be changed. Start a new cycle instead.")
        )


def check_version(obj: Cycle | Goal, expected: int | None) -> None:
    """`expected` is the version the form was opened at (None: the caller did not say)."""
    if expected is not None and expected != obj.version:
        raise StaleEdit(
            _(
                "This was changed by someone else since you opened it. "
                "Your changes were not saved: look at the current version and make them again."
            )
        )


def touch(cycle: Cycle, *, bump: bool = False) -> None:
    """Mark activity on the cycle (and a new version when the cycle itself changed)."""
    now = timezone.now()
    fields: dict[str, object] = {"last_activity_at": now, "updated_at": now}
    cycle.last_activity_at = cycle.updated_at = now
    if bump:
        cycle.version += 1
        fields["version"] = cycle.version
    Cycle.objects.filter(pk=cycle.pk).update(**fields)


@transaction.atomic
def start_cycle(
    *, coach: User, teacher: User, acting_user: User, title: str = "", previous: Cycle | None = None
) -> Cycle:
    """A new Impact Cycle of the teacher's with a coach who actively coaches her.

    Either of them may start it. With `previous`, the new cycle carries that
    cycle's evidence forward (`start_next_cycle` copies it).
    """
    district_id = district_of(teacher)
    if acting_user.pk not in {coach.pk, teacher.pk}:
        raise PermissionDenied
    assignment = (
        CoachingAssignment.objects.active()
        .filter(coach=coach, teacher=teacher, district_id=district_id)
        .select_related("school")
        .first()
    )
    if assignment is None or acting_user.district_id != district_id:
        raise PermissionDenied
    engagement = Engagement.objects.create(
        district_id=district_id,
        school=assignment.school,
        teacher=teacher,
        coach=coach,
        kind=EngagementKind.IMPACT_CYCLE,
        title=title.strip() or _("Impact Cycle"),
    )
    return Cycle.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=acting_user,
        category=Category.GOALS,
        engagement=engagement,
        stage=Stage.IDENTIFY,
        previous=previous,
    )


def _check_measure(
    baseline: Decimal | None,
    target: Decimal | None,
    *,
    measure_kind: str = MeasureKind.PERCENTAGE,
    scale_max: Decimal | None = None,
) -> None:
    if measure_kind not in MeasureKind.values:
        raise ValidationError(_("Choose a kind of measure from the list."))
    if measure_kind == MeasureKind.SCORE and scale_max is not None and scale_max <= 0:
        raise ValidationError(_("The highest possible score should be above 0."))
    if baseline is not None and target is not None and baseline == target:
        raise ValidationError(_("The target should differ from the baseline."))
    low, high = Goal(measure_kind=measure_kind, scale_max=scale_max).value_range()
    for value in (baseline, target):
        if value is None or (value >= low and (high is None or value <= high)):
            continue
        if high is None:
            raise ValidationError(
                _("The baseline and the target cannot be below %(low)s.") % {"low": low}
            )
        raise ValidationError(
            _("For this measure the baseline and the target are between %(low)s and %(high)s.")
            % {"low": low, "high": f"{high:g}"}
        )


def _check_tags(district_id: int, framework_tags: Iterable[FrameworkTag]) -> list[FrameworkTag]:
    tags = list(framework_tags)
    if any(tag.district_id != district_id for tag in tags):
        raise ValidationError(_("Choose framework tags of your own district."))
    return tags


PEERS = ("powerful", "easy", "emotionally_compelling", "reachable", "student_focused")


@transaction.atomic
def create_goal(
    *,
    author: User,
    teacher: User,
    statement: str,
    measure: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    engagement: Engagement | None = None,
    cycle: Cycle | None = None,
    measure_kind: str = MeasureKind.PERCENTAGE,
    scale_max: Decimal | None = None,
    peers: Iterable[str] = (),
    framework_tags: Iterable[FrameworkTag] = (),
) -> Goal:
    """A goal of the teacher's, set by herself or by a coach she works with.

    With `cycle`: the cycle's one goal, filed in the cycle's engagement.
    """
    if cycle is not None:
        current = Cycle.objects.select_for_update().get(pk=cycle.pk)
        check_open(current)
        if current.teacher_id != teacher.pk:
            raise PermissionDenied
        if Goal.objects.filter(cycle=current).exists():
            raise StaleEdit(
                _("This cycle has a goal already: someone set it since you opened the page.")
            )
        engagement = current.engagement
    district_id = check_author(author=author, teacher=teacher, engagement=engagement)
    _check_measure(baseline, target, measure_kind=measure_kind, scale_max=scale_max)
    tags = _check_tags(district_id, framework_tags)
    ticked = set(peers)
    goal = Goal.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=author,
        category=Category.GOALS,
        engagement=engagement,
        cycle=cycle,
        statement=statement,
        measure=measure,
        measure_kind=measure_kind,
        scale_max=scale_max if measure_kind == MeasureKind.SCORE else None,
        baseline=baseline,
        target=target,
        **{name: name in ticked for name in PEERS},
    )
    if tags:
        goal.framework_tags.set(tags)
    if cycle is not None:
        touch(cycle)
    return goal


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    acting_user: User,
    statement: str,
    measure: str,
    baseline: Decimal | None,
    target: Decimal | None,
    status: str,
    measure_kind: str | None = None,
    scale_max: Decimal | None = None,
    peers: Iterable[str] | None = None,
    framework_tags: Iterable[FrameworkTag] | None = None,
    expected_version: int | None = None,
) -> Goal:
    """Change a goal: its teacher, its author and its cycle's coach may.

    `expected_version` is the version the form was opened at: a stale form is
    refused (StaleEdit) and nothing is overwritten. Arguments left None keep
    what the goal has.
    """
    if not goal.can_change(acting_user):
        raise PermissionDenied
    # Read the row afresh, locked: two tabs saving at once are answered one after the other.
    current = Goal.objects.select_for_update().get(pk=goal.pk)
    check_version(current, expected_version)
    cycle = Cycle.objects.get(pk=current.cycle_id) if current.cycle_id is not None else None
    if cycle is not None:
        check_open(cycle)
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    kind = current.measure_kind if measure_kind is None else measure_kind
    if kind != MeasureKind.SCORE:
        scale_max = None
    elif measure_kind is None:
        scale_max = current.scale_max
    _check_measure(baseline, target, measure_kind=kind, scale_max=scale_max)
    goal.statement, goal.measure, goal.status = statement, measure, status
    goal.baseline, goal.target = baseline, target
    goal.measure_kind, goal.scale_max = kind, scale_max
    fields = ["statement", "measure", "baseline", "target", "status", "measure_kind", "scale_max"]
    if peers is not None:
        ticked = set(peers)
        for name in PEERS:
            setattr(goal, name, name in ticked)
        fields += PEERS
    goal.version = current.version + 1
    goal.updated_at = timezone.now()
    goal.save(update_fields=[*fields, "version", "updated_at"])
    if framework_tags is not None:
        goal.framework_tags.set(_check_tags(goal.district_id, framework_tags))
    if cycle is not None:
        touch(cycle)
    return goal


# --- The cycle page and the Identify stage (issue 5) ---------------------------------------


def _check_partner(cycle: Cycle, user: User) -> None:
    """The cycle's teacher and its coach work on it; anyone else who sees it only reads."""
    if not cycle.can_change(user):
        raise PermissionDenied


def _locked(cycle: Cycle, expected_version: int | None) -> Cycle:
    """The cycle afresh and locked, open, and at the version the form was opened at."""
    current = Cycle.objects.select_for_update().get(pk=cycle.pk)
    check_open(current)
    check_version(current, expected_version)
    return current


@transaction.atomic
def save_conversation(
    *,
    cycle: Cycle,
    acting_user: User,
    lesson_rating: int | None,
    closer_to_ideal: str,
    students_differently: str,
    expected_version: int | None,
) -> Cycle:
    """The identifying conversation: the teacher's rating and her words, which seed the goal."""
    _check_partner(cycle, acting_user)
    current = _locked(cycle, expected_version)
    if lesson_rating is not None and not 1 <= lesson_rating <= 10:
        raise ValidationError(_("Choose a number from 1 to 10."))
    current.lesson_rating = lesson_rating
    current.closer_to_ideal = closer_to_ideal.strip()[:2000]
    current.students_differently = students_differently.strip()[:2000]
    current.save(update_fields=["lesson_rating", "closer_to_ideal", "students_differently"])
    touch(current, bump=True)
    return current


@transaction.atomic
def add_evidence(
    *,
    cycle: Cycle,
    acting_user: User,
    kind: str,
    title: str,
    text: str = "",
    upload: UploadedFile | None = None,
    item: CoachingContent | None = None,
    framework_tags: Iterable[FrameworkTag] = (),
) -> Evidence:
    """One piece of the cycle's picture of reality, by its teacher or its coach.

    What the teacher adds starts held back: she looks at it first and releases it
    when she is ready (DESIGN.md). A file is checked by its content; a linked item
    must be one the person may see, of the cycle's teacher (`evidence.REGISTRY`).
    """
    evidence_type = evidence.kind_of(kind)
    check_open(cycle)
    district_id = check_author(
        author=acting_user, teacher=cycle.teacher, engagement=cycle.engagement
    )
    if not evidence.may_add(evidence_type, user=acting_user, cycle=cycle):
        raise ValidationError(
            _("Only the teacher writes her reflection.")
            if evidence_type.written_by == evidence.TEACHER
            else _("Only the cycle's coach writes the coach's reflection.")
        )
    title, text = title.strip(), text.strip()
    if not title:
        raise ValidationError(_("Give the evidence a title."))
    if upload is not None and evidence.FILE not in evidence_type.adds:
        raise ValidationError(_("This kind of evidence does not take a file."))
    if item is not None and evidence.LINK not in evidence_type.adds:
        raise ValidationError(_("This kind of evidence does not link to another item."))
    if evidence.LINK in evidence_type.adds:
        linkable = evidence_type.linkable(acting_user, cycle)
        if (
            item is None
            or not isinstance(item, evidence_type.item_model())
            or not linkable.filter(pk=item.pk).exists()
        ):
            raise ValidationError(_("Choose one of the teacher's items that you may see."))
    elif upload is None and not text:
        raise ValidationError(
            _("Write the evidence, or attach a file.")
            if evidence.FILE in evidence_type.adds
            else _("Write the evidence.")
        )
    file_type = evidence.sniff(upload) if upload is not None else None
    tags = _check_tags(district_id, framework_tags)
    row = Evidence(
        district_id=district_id,
        teacher=cycle.teacher,
        author=acting_user,
        category=Category.EVIDENCE,
        engagement=cycle.engagement,
        held_back=acting_user.pk == cycle.teacher_id,
        cycle=cycle,
        kind=evidence_type.kind,
        title=title[:200],
        text=text,
    )
    if item is not None:
        row.item = item
    if upload is not None and file_type is not None:
        row.file_name = (upload.name or "")[-255:]
        row.file.save(file_type.name, upload, save=False)
    try:
        row.save()
        if tags:
            row.framework_tags.set(tags)
        touch(cycle)
    except BaseException:
        if row.file:  # nothing half-saved: no file without its row
            row.file.storage.delete(row.file.name)
        raise
    return row


@transaction.atomic
def remove_evidence(*, evidence_item: Evidence, acting_user: User) -> None:
    """Its author removes a piece of evidence while the cycle is open (its file too)."""
    if evidence_item.author_id != acting_user.pk or not evidence_item.can_change(acting_user):
        raise PermissionDenied
    check_open(evidence_item.cycle)
    name = evidence_item.file.name if evidence_item.file else ""
    storage = evidence_item.file.storage
    cycle = evidence_item.cycle
    evidence_item.delete()
    touch(cycle)
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def choose_strategy(
    *, cycle: Cycle, acting_user: User, strategy: Strategy, expected_version: int | None
) -> Cycle:
    """Teacher and coach choose the strategy: its moves become the cycle's checklist.

    Needs the goal with its baseline and target first; moves the cycle from
    Identify to Learn. Choosing again replaces the moves nobody adapted yet.
    """
    _check_partner(cycle, acting_user)
    current = _locked(cycle, expected_version)
    if current.stage not in (Stage.IDENTIFY, Stage.LEARN):
        raise ValidationError(
            _("The cycle is past choosing its strategy: record a change as an adaptation.")
        )
    if not Strategy.objects.available_to(acting_user).filter(pk=strategy.pk).exists():
        raise ValidationError(_("Choose a strategy from the library."))
    goal = Goal.objects.filter(cycle=current).first()
    if goal is None or goal.baseline is None or goal.target is None:
        raise ValidationError(
            _("Set the goal with its baseline and target first: the strategy is chosen to hit it.")
        )
    kept = [item for item in current.checklist.all() if item.is_adapted]
    current.checklist.exclude(pk__in=[item.pk for item in kept]).delete()
    start = max((item.position for item in kept), default=0)
    moves = [str(move)[:300] for move in strategy.localized("checklist") or []]
    ChecklistItem.objects.bulk_create(
        ChecklistItem(cycle=current, position=start + n, text=move, original=move)
        for n, move in enumerate(moves, start=1)
    )
    current.strategy = strategy
    current.strategy_name = strategy.localized("name")[:120]
    if current.stage == Stage.IDENTIFY:
        current.stage = Stage.LEARN
    current.save(update_fields=["strategy", "strategy_name", "stage"])
    touch(current, bump=True)
    return current


# Learn and Improve -------------------------------------------------------------------------
# The checklist the teacher adapts, how she learns the strategy, the measurements, the
# adaptations log, coaching conversations, and the end of a cycle (met, or closed).

import datetime  # noqa: E402  (this section's own imports, kept with it)
from typing import Any  # noqa: E402

from django.db.models import Max  # noqa: E402
from django.utils import formats  # noqa: E402
from django.utils.translation import ngettext  # noqa: E402

from tandem.coaching import models as coaching_models  # noqa: E402
from tandem.coaching import services as coaching_services  # noqa: E402

from .models import Adaptation, AdaptationKind, Measurement  # noqa: E402

LEARNING_SESSION_LIMIT_DAYS = 366
MAX_NEXT_STEPS = 20


def is_cycle_coach(cycle: Cycle, user: User) -> bool:
    engagement = cycle.engagement
    return engagement is not None and engagement.coach_id == user.pk


def may_work_on(cycle: Cycle, user: User) -> bool:
    """The cycle's teacher and its coach work on it; anyone else it was shared with reads it."""
    return user.pk == cycle.teacher_id or is_cycle_coach(cycle, user)


def _check_worker(cycle: Cycle, user: User) -> None:
    if not may_work_on(cycle, user):
        raise PermissionDenied(_("Only the teacher and her coach in this cycle can do this."))


def _check_teacher(cycle: Cycle, user: User) -> None:
    if user.pk != cycle.teacher_id:
        raise PermissionDenied(_("Only the teacher can do this: it is her decision."))


def _fresh(cycle: Cycle) -> None:
    """Read the cycle's stage and version again inside the transaction, locking its row."""
    row = Cycle.objects.select_for_update().filter(pk=cycle.pk).values("stage", "version").get()
    cycle.stage, cycle.version = row["stage"], row["version"]


def _reason(reason: str, *, required: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(required)
    return reason


def _not_after_today(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(message)


def _number(value: Decimal) -> str:
    return formats.number_format(value.normalize() if value == value.to_integral() else value)


def goal_of(cycle: Cycle) -> Goal | None:
    """The cycle's goal, or None while it has none."""
    return Goal.objects.filter(cycle_id=cycle.pk).first()


@transaction.atomic
def adapt_checklist_item(
    *,
    item: ChecklistItem,
    acting_user: User,
    text: str,
    reason: str,
    removed: bool = False,
    version: int | None = None,
) -> ChecklistItem:
    """The teacher rewords a move of the strategy, or removes it; the reason is kept."""
    cycle = item.cycle
    _check_teacher(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    check_version(cycle, version)
    text = (text or "").strip() or item.text
    if len(text) > 300:
        raise ValidationError(_("A move is at most 300 characters."))
    if text == item.text and removed == item.removed:
        raise ValidationError(_("Nothing changed: reword the move or remove it."))
    item.reason = _reason(
        reason, required=_("Say why you changed it: the reason is kept with the change.")
    )[:500]
    item.text, item.removed = text, removed
    item.changed_by, item.changed_at = acting_user, timezone.now()
    item.save(update_fields=["text", "reason", "removed", "changed_by", "changed_at"])
    touch(cycle, bump=True)
    return item


@transaction.atomic
def add_checklist_item(*, cycle: Cycle, acting_user: User, text: str, reason: str) -> ChecklistItem:
    """A move of the teacher's own, added to the strategy's checklist, with why."""
    _check_teacher(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the move you are adding."))
    if len(text) > 300:
        raise ValidationError(_("A move is at most 300 characters."))
    why = _reason(reason, required=_("Say why you are adding it: the reason is kept with it."))
    last = cycle.checklist.aggregate(last=Max("position"))["last"] or 0
    item = ChecklistItem.objects.create(
        cycle=cycle,
        position=last + 1,
        text=text,
        original="",
        reason=why[:500],
        changed_by=acting_user,
        changed_at=timezone.now(),
    )
    touch(cycle, bump=True)
    return item


@transaction.atomic
def choose_learning_mode(
    *, cycle: Cycle, acting_user: User, mode: str, version: int | None = None
) -> Cycle:
    """How the teacher wants to learn the strategy (one of LEARNING_KINDS): her choice."""
    _check_teacher(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    check_version(cycle, version)
    if mode not in [str(kind) for kind in coaching_models.LEARNING_KINDS]:
        raise ValidationError(_("Choose how you want to learn it from the list."))
    cycle.learning_mode = mode
    cycle.save(update_fields=["learning_mode"])
    touch(cycle, bump=True)
    return cycle


@transaction.atomic
def schedule_learning_session(
    *,
    cycle: Cycle,
    acting_user: User,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 45,
    place: str = "",
) -> Any:
    """A modeling, co-teaching, visiting or video session of the cycle, with its coach."""
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    if kind not in [str(k) for k in coaching_models.LEARNING_KINDS]:
        raise ValidationError(_("Choose how you want to learn it from the list."))
    now = timezone.now()
    if starts_at < now - datetime.timedelta(minutes=5):
        raise ValidationError(_("Choose a time from now on: this session is still to come."))
    if starts_at > now + datetime.timedelta(days=LEARNING_SESSION_LIMIT_DAYS):
        raise ValidationError(_("Choose a time within the next year."))
    engagement = cycle.engagement
    assert engagement is not None  # a cycle always has one (a database constraint)
    session = coaching_services.schedule_session(
        acting_user=acting_user,
        teacher=cycle.teacher,
        coach=engagement.coach,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        engagement=engagement,
    )
    touch(cycle)
    return session


@transaction.atomic
def start_improving(*, cycle: Cycle, acting_user: User, version: int | None = None) -> Cycle:
    """ "We're ready to try it": Learn → Improve."""
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    check_version(cycle, version)
    if cycle.stage != Stage.LEARN:
        raise ValidationError(_("Only a cycle in Learn moves on to Improve."))
    cycle.stage = Stage.IMPROVE
    cycle.save(update_fields=["stage"])
    touch(cycle, bump=True)
    return cycle


@transaction.atomic
def add_measurement(
    *,
    goal: Goal,
    acting_user: User,
    taken_on: datetime.date,
    value: Decimal,
    note: str = "",
) -> Measurement:
    """One value of the goal's student measure, on a day: within its range, never ahead."""
    cycle = goal.cycle
    if cycle is None:
        raise ValidationError(_("This goal is not part of an Impact Cycle."))
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    low, high = goal.value_range()
    if value < low or (high is not None and value > high):
        if high is None:
            raise ValidationError(
                _("A value of this measure is %(low)s or more.") % {"low": _number(low)}
            )
        raise ValidationError(
            _("A value of this measure is between %(low)s and %(high)s.")
            % {"low": _number(low), "high": _number(high)}
        )
    if value != value.quantize(Decimal("0.01")) or abs(value) >= Decimal(1_000_000):
        raise ValidationError(_("Write the value with at most 6 digits and 2 decimals."))
    _not_after_today(taken_on, _("A measurement is of a day that has come: not a future date."))
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("A note is at most 300 characters."))
    measurement = Measurement.objects.create(
        goal=goal, taken_on=taken_on, value=value, note=note, author=acting_user
    )
    touch(cycle)
    return measurement


@transaction.atomic
def log_adaptation(
    *,
    cycle: Cycle,
    acting_user: User,
    kind: str,
    change: str,
    reason: str,
    made_on: datetime.date | None = None,
) -> Adaptation:
    """What teacher and coach changed (the strategy, how it is used, the goal), why, when."""
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    if kind not in AdaptationKind.values:
        raise ValidationError(_("Choose what changed from the list."))
    change = (change or "").strip()
    if not change:
        raise ValidationError(_("Write what changed."))
    why = _reason(reason, required=_("Say why it changed: the reason is kept with the change."))
    if len(change) > 2000 or len(why) > 2000:
        raise ValidationError(_("The change and its reason are at most 2,000 characters each."))
    made_on = made_on or timezone.localdate()
    _not_after_today(made_on, _("An adaptation is of a day that has come: not a future date."))
    adaptation = Adaptation.objects.create(
        cycle=cycle, kind=kind, change=change, reason=why, made_on=made_on, author=acting_user
    )
    touch(cycle)
    return adaptation


@transaction.atomic
def record_conversation(
    *,
    cycle: Cycle,
    acting_user: User,
    held_at: datetime.datetime,
    notes: str,
    next_steps: list[str] | None = None,
    duration_minutes: int = 30,
    place: str = "",
) -> Any:
    """A coaching conversation that took place: its notes, and its next steps.

    The conversation is a `CoachingSession` of kind "conversation" in the cycle's
    engagement; each next step is a `Suggestion` of the cycle's coach (what they
    agreed on), tied to the cycle, its goal and the conversation.
    """
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    if held_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            _("A conversation is recorded once it has taken place: not a future time.")
        )
    notes = (notes or "").strip()
    steps = [s.strip() for s in (next_steps or []) if s.strip()]
    if not notes and not steps:
        raise ValidationError(_("Write the notes of the conversation, or its next steps."))
    if len(notes) > 20_000:
        raise ValidationError(_("The notes are at most 20,000 characters."))
    if len(steps) > MAX_NEXT_STEPS or any(len(s) > 2000 for s in steps):
        raise ValidationError(
            _("At most %(n)s next steps, each at most 2,000 characters.") % {"n": MAX_NEXT_STEPS}
        )
    engagement = cycle.engagement
    assert engagement is not None
    session = coaching_services.schedule_session(
        acting_user=acting_user,
        teacher=cycle.teacher,
        coach=engagement.coach,
        kind=coaching_models.SessionKind.CONVERSATION,
        starts_at=held_at,
        duration_minutes=duration_minutes,
        place=place,
        engagement=engagement,
    )
    session.notes = notes
    session.status = coaching_models.SessionStatus.HELD
    session.save(update_fields=["notes", "status"])
    goal = goal_of(cycle)
    for step in steps:
        coaching_services.give_suggestion(
            coach=engagement.coach,
            teacher=cycle.teacher,
            text=step,
            engagement=engagement,
            cycle_id=cycle.pk,
            goal_id=goal.pk if goal else None,
            session=session,
            given_on=timezone.localtime(held_at).date(),
        )
    touch(cycle)
    return session


def _close_engagement(cycle: Cycle, today: datetime.date) -> None:
    # The engagement closes with its cycle: video retention and the observation tools read it.
    Engagement.objects.filter(pk=cycle.engagement_id or 0, closed_on__isnull=True).update(
        closed_on=today
    )


def met_summary(
    *,
    cycle: Cycle,
    goal: Goal,
    latest: Decimal,
    measurements: int,
    first_day: datetime.date | None = None,
) -> str:
    """The few lines a teacher keeps of a cycle whose goal is met (in her language)."""
    sessions = coaching_models.CoachingSession.objects.filter(
        engagement_id=cycle.engagement_id or 0
    ).count()
    adaptations = cycle.adaptations.count()
    began = timezone.localtime(cycle.created_at).date()
    days = (timezone.localdate() - min(began, first_day or began)).days
    weeks = max(1, -(-days // 7))
    counts = [
        ngettext("%(n)s measurement", "%(n)s measurements", measurements) % {"n": measurements},
        ngettext("%(n)s coaching session", "%(n)s coaching sessions", sessions) % {"n": sessions},
        ngettext("%(n)s adaptation", "%(n)s adaptations", adaptations) % {"n": adaptations},
    ]
    lines = [
        _("Goal: %(goal)s") % {"goal": goal.statement},
        _("From %(baseline)s at the start to %(latest)s, with a target of %(target)s.")
        % {
            "baseline": _number(goal.baseline) if goal.baseline is not None else "—",
            "latest": _number(latest),
            "target": _number(goal.target) if goal.target is not None else "—",
        },
        ngettext("%(counts)s, over %(n)s week.", "%(counts)s, over %(n)s weeks.", weeks)
        % {"counts": ", ".join(counts), "n": weeks},
    ]
    return "\n".join(lines)


@transaction.atomic
def confirm_goal_met(*, cycle: Cycle, acting_user: User, version: int | None = None) -> Cycle:
    """The teacher confirms what Tandem proposed: the latest measurement reached the target."""
    from .charts import series

    _check_teacher(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    check_version(cycle, version)
    goal = goal_of(cycle)
    points = series(goal, acting_user) if goal is not None else []
    if goal is None or not points or not goal.reached_by(points[-1].value):
        raise ValidationError(
            _("The latest measurement has not reached the target yet, so the goal is not met.")
        )
    today = timezone.localdate()
    cycle.met_summary = met_summary(
        cycle=cycle,
        goal=goal,
        latest=points[-1].value,
        measurements=len(points),
        first_day=points[0].taken_on,
    )
    cycle.stage, cycle.ended_on = Stage.MET, today
    cycle.save(update_fields=["stage", "ended_on", "met_summary"])
    goal.status, goal.updated_at = GoalStatus.MET, timezone.now()
    goal.save(update_fields=["status", "updated_at"])
    _close_engagement(cycle, today)
    touch(cycle, bump=True)
    return cycle


@transaction.atomic
def close_cycle(
    *, cycle: Cycle, acting_user: User, reason: str, version: int | None = None
) -> Cycle:
    """The teacher or her coach closes the cycle before its goal is met, saying why."""
    _check_worker(cycle, acting_user)
    _fresh(cycle)
    check_open(cycle)
    check_version(cycle, version)
    why = _reason(reason, required=_("Say why the cycle closes: the reason is kept with it."))
    if len(why) > 2000:
        raise ValidationError(_("The reason is at most 2,000 characters."))
    today = timezone.localdate()
    cycle.stage, cycle.closed_reason, cycle.ended_on = Stage.CLOSED, why, today
    cycle.save(update_fields=["stage", "closed_reason", "ended_on"])
    _close_engagement(cycle, today)
    touch(cycle, bump=True)
    return cycle


def _copy_evidence(old: Cycle, new: Cycle) -> None:
    """The evidence of the cycle before, filed again in the new one.

    Files are copied, not shared: removing a piece of evidence deletes its file.
    """
    for piece in Evidence.objects.filter(cycle=old).prefetch_related("framework_tags"):
        copy = Evidence(
            district_id=piece.district_id,
            teacher_id=piece.teacher_id,
            author_id=piece.author_id,
            category=piece.category,
            engagement_id=new.engagement_id,
            held_back=piece.held_back,
            cycle=new,
            kind=piece.kind,
            title=piece.title,
            text=piece.text,
            file_name=piece.file_name,
            item_type_id=piece.item_type_id,
            item_id=piece.item_id,
        )
        if piece.file:
            with piece.file.open("rb") as stored:
                copy.file.save(piece.file.name.rsplit("/", 1)[-1], stored, save=False)
        copy.save()
        copy.framework_tags.set(piece.framework_tags.all())


@transaction.atomic
def start_next_cycle(*, cycle: Cycle, acting_user: User) -> Cycle:
    """After a cycle ends, the teacher starts the next one with the same coach, carrying
    the evidence forward."""
    _check_teacher(cycle, acting_user)
    _fresh(cycle)
    if cycle.is_open:
        raise ValidationError(_("This cycle is still open: finish or close it first."))
    if Cycle.objects.filter(previous=cycle).exists():
        raise ValidationError(_("The next cycle has already been started."))
    engagement = cycle.engagement
    assert engagement is not None
    new = start_cycle(
        coach=engagement.coach,
        teacher=cycle.teacher,
        acting_user=acting_user,
        title=engagement.title,
        previous=cycle,
    )
    _copy_evidence(cycle, new)
    return new
