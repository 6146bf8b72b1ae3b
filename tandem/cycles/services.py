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
    cycle's evidence forward (see `carry_evidence_forward`).
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
