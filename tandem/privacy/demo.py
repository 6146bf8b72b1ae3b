"""The demo's coaching content and sharing, told as DESIGN.md's story.

Maya Torres works on a goal in an Impact Cycle with Lena Brooks; she wrote a
reflection; Lena wrote a meeting note (shared with Maya) and a private note
(hers alone); Maya shared her goals with Omar Haddad and holds one goal back;
Jefferson's coaches share goals with each other; Lena, Omar and Sam looked at
Maya's coaching a few times. Other teachers work on goals with Lena, Omar and
Ruth, so the principals' pages have counts to show (and to suppress).
Everything goes through the services, then is dated back into the term.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.cycles.services import create_goal
from tandem.notes.models import Note
from tandem.notes.services import create_note
from tandem.schools.models import (
    CoachingAssignment,
    District,
    Engagement,
    EngagementKind,
    School,
    Specialty,
)

from . import services
from .categories import Category
from .content import CoachingContent
from .models import AccessEvent, CategoryShare, SharingChange, Via

GOALS = [
    "Most students use a number line to compare fractions without prompting",
    "Every student asks a question in small-group work each week",
    "Students revise their lab reports using the feedback checklist",
    "Exit tickets show 75% of students solving two-step equations",
    "Students explain a classmate's strategy in their own words",
]


def build(maple: District, hillview: District, *, term_start: datetime.date) -> None:
    """Write the demo's coaching content. Called at the end of `schools.demo.build`."""
    zone = timezone.get_default_timezone()

    def day(n: int, hour: int = 15) -> datetime.datetime:
        return datetime.datetime.combine(
            term_start + datetime.timedelta(days=n), datetime.time(hour, 30), tzinfo=zone
        )

    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(district__in=[maple, hillview], email__endswith=".example")
    }
    maya, lena, omar, sam, dana = (
        people[name]
        for name in ("maya.torres", "lena.brooks", "omar.haddad", "sam.okafor", "dana.reyes")
    )
    jefferson = School.objects.get(district=maple, name="Jefferson Middle School")

    cycle = _cycle(jefferson, maya, lena, "Students explaining their reasoning", term_start + _d(7))
    goal = create_goal(
        author=maya,
        teacher=maya,
        engagement=cycle,
        statement="80% of my students explain their reasoning in writing on exit tickets",
        measure="% of exit tickets with a complete written explanation",
        baseline=Decimal(35),
        target=Decimal(80),
    )
    routine = create_goal(
        author=maya,
        teacher=maya,
        statement="Try one new questioning routine each week, and keep a log of how it went",
    )
    reflection = create_note(
        author=maya,
        teacher=maya,
        title="After my first math talk",
        body="Six students explained their thinking out loud. The quiet table never did.\n"
        "Next time: sentence starters on the board before we begin.",
        met_on=term_start + _d(12),
    )
    meeting = create_note(
        author=lena,
        teacher=maya,
        engagement=cycle,
        title="Identify: watching the period 3 video together",
        body="We watched ten minutes of the fractions lesson. Maya noticed that most answers "
        "came from the same four students.\nAgreed: baseline from this week's exit tickets "
        "(35% complete explanations); target 80% by the winter break.",
        met_on=term_start + _d(9),
    )
    private = create_note(
        author=lena,
        teacher=maya,
        private=True,
        title="For myself: how I ran the Identify meeting",
        body="I talked too much in the first ten minutes. Ask, then wait.",
        met_on=term_start + _d(9),
    )
    _dated({goal: day(8), routine: day(10), reflection: day(12, 19), meeting: day(9)})
    _dated({private: day(9, 17)})

    services.share_category(teacher=maya, coach=omar, category=Category.GOALS, acting_user=maya)
    CategoryShare.objects.filter(teacher=maya, coach=omar).update(created_at=day(12, 16))
    services.hold_back(item=routine, acting_user=maya)
    services.set_agreement(school=jefferson, category=Category.GOALS, shared=True, acting_user=dana)
    # The audit rows just written, dated as the story goes.
    for action, moment in [
        (SharingChange.Action.SHARE_CATEGORY, day(12, 16)),
        (SharingChange.Action.HOLD_BACK, day(10, 16)),
        (SharingChange.Action.AGREE, day(2, 10)),
    ]:
        SharingChange.objects.filter(district=maple, action=action).update(at=moment)

    AccessEvent.objects.bulk_create(
        [
            _looked(lena, meeting, day(9, 16)),
            _looked(lena, goal, day(8, 16)),
            _looked(omar, goal, day(13, 8)),
            _looked(lena, goal, day(20, 12)),
            _looked(sam, goal, day(31, 9)),
        ]
    )

    # Other teachers' goals: enough at Jefferson for some counts to show.
    for coach, specialty, school_name, how_many in [
        (lena, Specialty.INSTRUCTIONAL, "Jefferson Middle School", 5),
        (omar, Specialty.TECHNOLOGY, "Jefferson Middle School", 2),
        (people["ruth.abara"], Specialty.INSTRUCTIONAL, "Lincoln Elementary School", 3),
        (people["henry.vance"], Specialty.INSTRUCTIONAL, "Ridgeway High School", 1),
    ]:
        assignments = (
            CoachingAssignment.objects.active()
            .filter(coach=coach, specialty=specialty, school__name=school_name)
            .exclude(teacher=maya)
            .select_related("school", "teacher")
            .order_by("starts_on", "pk")[:how_many]
        )
        for n, assignment in enumerate(assignments):
            work = _cycle(
                assignment.school,
                assignment.teacher,
                coach,
                "Impact Cycle",
                term_start + _d(10 + n),
            )
            other = create_goal(
                author=coach,
                teacher=assignment.teacher,
                engagement=work,
                statement=GOALS[n % len(GOALS)],
            )
            _dated({other: day(11 + n, 14)})


def _d(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days)


def _cycle(
    school: School, teacher: User, coach: User, title: str, started: datetime.date
) -> Engagement:
    return Engagement.objects.create(
        district_id=school.district_id,
        school=school,
        teacher=teacher,
        coach=coach,
        kind=EngagementKind.IMPACT_CYCLE,
        title=title,
        started_on=started,
    )


def _dated(items: dict[CoachingContent, datetime.datetime]) -> None:
    for item, moment in items.items():
        type(item).objects.filter(pk=item.pk).update(created_at=moment, updated_at=moment)


def _looked(viewer: User, item: Goal | Note, moment: datetime.datetime) -> AccessEvent:
    return AccessEvent(
        district_id=item.district_id,
        teacher_id=item.teacher_id,
        viewer=viewer,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        category=item.category,
        label=item.label()[:200],
        via=Via.PAGE,
        path=item.get_absolute_url(),
        at=moment,
    )
