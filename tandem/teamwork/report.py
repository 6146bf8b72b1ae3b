"""Who takes part in a school's coaching team, and the alignment report as one person may see it.

The report runs `alignment`'s rules on the school's approaches and its active
coaching assignments, then cuts the result to the viewer:

- a coach of the school sees it in full for the teachers she actively coaches
  there (named, with each coach's measure or cadence); for every other teacher,
  only de-identified counts;
- a school leader or district admin sees it at the level of roles: the coaches'
  approaches and the term divergences, and per-teacher flags only as counts;
- every count describes at least `aggregates.K` teachers, or is not shown
  (`aggregates.suppress`, flagged and not flagged as the two cells).

Initiatives: each lists the approaches that serve it (by coach, a role-level
fact) and the number of teachers with an open Impact Cycle linked to it
(suppressed the same way); a coach also sees the cycles she may see
(`Cycle.objects.visible_to`), named. A constant number of queries, whatever the
number of coaches, teachers or cycles.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from tandem.accounts.models import User
from tandem.cycles.models import Cycle
from tandem.privacy.aggregates import suppress
from tandem.schools.models import CoachingAssignment, CoachSpecialty, Membership, Role, School
from tandem.schools.roles import Roles

from . import alignment
from .models import (
    Agreement,
    CoachingApproach,
    DivergenceKind,
    GlossaryTerm,
    Initiative,
    InitiativeCycle,
)

FULL = "full"  # a coach of the school
ROLES = "roles"  # a leader or district admin: no teacher named
TEACHER_KINDS = (DivergenceKind.MEASURES, DivergenceKind.CADENCE)


def level(roles: Roles, school: School) -> str | None:
    """How much of the school's team she sees: FULL, ROLES, or None (the pages are 404)."""
    if school.district_id != roles.district_id:
        return None
    if school.pk in roles.coach_at:
        return FULL
    if roles.manages_school(school_id=school.pk, district_id=school.district_id):
        return ROLES
    return None


def may_edit_initiatives(roles: Roles, school: School) -> bool:
    """The school's coaches and leaders (and the district admin) keep its initiatives."""
    return level(roles, school) is not None


def team_school(roles: Roles, uuid: Any) -> School:
    """A school whose coaching team she may see; for anyone else it does not exist."""
    school = School.objects.filter(uuid=uuid, district_id=roles.district).first()
    if school is None or level(roles, school) is None:
        raise Http404
    return school


def team_schools(roles: Roles) -> list[School]:
    """The schools whose team she sees: where she coaches or leads, or all, for an admin."""
    schools = School.objects.filter(district_id=roles.district).order_by("name")
    if roles.district_admin:
        return list(schools)
    return list(schools.filter(pk__in=roles.coach_at | roles.leader_at))


@dataclass
class Column:
    """One coach of the school, her roles, and her approach (None: not described yet)."""

    coach: User
    roles: list[str]
    approach: CoachingApproach | None


def columns(school: School) -> list[Column]:
    """The school's coaches side by side: three queries, whatever their number."""
    memberships = (
        Membership.objects.filter(school=school, role=Role.COACH)
        .select_related("user")
        .prefetch_related(
            Prefetch("specialties", queryset=CoachSpecialty.objects.order_by("specialty"))
        )
        .order_by("user__display_name", "user_id")
    )
    people = list(memberships)
    approaches = {
        a.coach_id: a
        for a in CoachingApproach.objects.filter(
            coach_id__in=[m.user_id for m in people]
        ).prefetch_related(
            Prefetch("terms", queryset=GlossaryTerm.objects.order_by("key", "id")),
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.filter(school=school, active=True).order_by("name"),
            ),
        )
    }
    return [
        Column(m.user, [str(s) for s in m.specialties.all()], approaches.get(m.user_id))
        for m in people
    ]


@dataclass
class Counted:
    """A per-teacher flag as a de-identified count: None where it may not be shown."""

    kind: str
    flagged: int | None
    others: int | None
    total: int | None


@dataclass
class Named:
    """A per-teacher divergence, for a coach who coaches her: with each coach's side."""

    kind: str
    key: str
    teacher: User
    sides: list[tuple[User, str]]  # (coach, her measure or her cadence)
    per_week: str = ""
    agreements: list[Agreement] = field(default_factory=list)


@dataclass
class TermItem:
    kind: str
    key: str
    sides: list[tuple[User, str, str]]  # (coach, term, meaning)
    declared: bool = False
    same_meaning: bool = False
    agreements: list[Agreement] = field(default_factory=list)


@dataclass
class InitiativeLine:
    initiative: Initiative
    approaches: list[User]
    cycles: list[Cycle]  # the open cycles linked to it that the viewer may see
    teachers: int | None  # teachers with an open cycle linked to it (None: not shown)


@dataclass
class Report:
    school: School
    level: str
    limit: int
    columns: list[Column]
    terms: list[TermItem]
    named: list[Named]
    counts: list[Counted]
    initiatives: list[InitiativeLine]
    approaches_serving_none: list[User]
    cycles_serving_none: list[Cycle]
    teachers_serving_none: int | None
    shown_cycles: list[Cycle]

    @property
    def missing(self) -> list[User]:
        return [c.coach for c in self.columns if c.approach is None]


def build(school: School, viewer: User, *, level: str) -> Report:
    """The alignment report of the school as this viewer may see it."""
    limit = settings.TANDEM_TEAM_MEETINGS_PER_WEEK
    cols = columns(school)
    by_coach = {c.coach.pk: c for c in cols}
    approaches = {c.coach.pk: c.approach for c in cols if c.approach is not None}

    # Rules on terms: role-level, for everyone who sees the report.
    terms = [
        alignment.Term(coach_id, t.term, t.meaning, tuple(t.synonym_list()))
        for coach_id, a in approaches.items()
        for t in a.terms.all()
    ]
    agreements = list(
        Agreement.objects.filter(school=school)
        .select_related("recorded_by")
        .order_by("-recorded_on", "-created_at", "-id")
    )
    agreed: dict[tuple[str, str], list[Agreement]] = defaultdict(list)
    for made in agreements:
        agreed[(made.kind, made.key)].append(made)
    items: list[TermItem] = []
    for clash in alignment.same_term_different_meanings(terms):
        items.append(
            TermItem(
                DivergenceKind.MEANINGS,
                clash.key,
                [(by_coach[x.coach_id].coach, x.term, x.meaning) for x in clash.meanings],
                agreements=agreed[(DivergenceKind.MEANINGS, clash.key)],
            )
        )
    for d in alignment.different_terms_one_idea(terms):
        items.append(
            TermItem(
                DivergenceKind.TERMS,
                d.key,
                [(by_coach[t.coach_id].coach, t.term, t.meaning) for t in (d.first, d.second)],
                declared=d.declared,
                same_meaning=d.same_meaning,
                agreements=agreed[(DivergenceKind.TERMS, d.key)],
            )
        )

    # Rules on teachers: named to her own coaches, counted for everyone else.
    teams: dict[int, list[int]] = defaultdict(list)
    for teacher_id, coach_id in (
        CoachingAssignment.objects.active()
        .filter(school=school, coach_id__in=list(by_coach))
        .order_by("teacher_id", "coach__display_name", "coach_id")
        .values_list("teacher_id", "coach_id")
    ):
        if coach_id not in teams[teacher_id]:
            teams[teacher_id].append(coach_id)
    measures = {c: a.measure for c, a in approaches.items()}
    cadence = {c: a.per_week for c, a in approaches.items()}
    differ = alignment.different_measures(measures, teams)
    overloaded = alignment.cadence_overload(cadence, teams, limit=limit)
    mine = {t for t, coaches in teams.items() if level == FULL and viewer.pk in coaches}
    named_ids = {d.teacher_id for d in differ} | {o.teacher_id for o in overloaded}
    teachers = {u.pk: u for u in User.objects.filter(pk__in=sorted(named_ids & mine))}
    named: list[Named] = []
    for m in differ:
        if m.teacher_id in mine:
            key = str(teachers[m.teacher_id].uuid)
            named.append(
                Named(
                    DivergenceKind.MEASURES,
                    key,
                    teachers[m.teacher_id],
                    [(by_coach[c].coach, measure) for c, measure in m.measures],
                    agreements=agreed[(DivergenceKind.MEASURES, key)],
                )
            )
    for o in overloaded:
        if o.teacher_id in mine:
            key = str(teachers[o.teacher_id].uuid)
            named.append(
                Named(
                    DivergenceKind.CADENCE,
                    key,
                    teachers[o.teacher_id],
                    [(by_coach[c].coach, alignment.per_week_label(p)) for c, p in o.cadences],
                    per_week=alignment.per_week_label(o.per_week),
                    agreements=agreed[(DivergenceKind.CADENCE, key)],
                )
            )
    others = set(teams) - mine
    counts = []
    for kind, flagged in (
        (DivergenceKind.MEASURES, {d.teacher_id for d in differ}),
        (DivergenceKind.CADENCE, {o.teacher_id for o in overloaded}),
    ):
        n = len(flagged & others)
        shown = suppress([n, len(others) - n])
        counts.append(Counted(kind, shown.cells[0], shown.cells[1], shown.total))

    # Initiatives and the work that serves them.
    initiatives = list(Initiative.objects.filter(school=school, active=True).order_by("name"))
    served = alignment.served_by(
        {c: [i.pk for i in a.initiatives.all()] for c, a in approaches.items()},
        [i.pk for i in initiatives],
    )
    open_cycles = Cycle.objects.open().filter(engagement__school=school, held_back=False)
    linked = InitiativeCycle.objects.filter(
        initiative__school=school, initiative__active=True, cycle_id=OuterRef("pk")
    )
    per_initiative: dict[int, set[int]] = defaultdict(set)
    for initiative_id, teacher_id in InitiativeCycle.objects.filter(
        initiative__in=initiatives, cycle__in=open_cycles
    ).values_list("initiative_id", "cycle__teacher_id"):
        per_initiative[initiative_id].add(teacher_id)
    unserved = set(
        open_cycles.filter(~Exists(linked)).values_list("teacher_id", flat=True).distinct()
    )
    with_cycle = set(open_cycles.values_list("teacher_id", flat=True).distinct())
    cells = [len(per_initiative[i.pk]) for i in initiatives] + [len(unserved)]
    shown = suppress(cells, total=len(with_cycle))

    seen: list[Cycle] = []
    links: dict[int, list[int]] = defaultdict(list)
    if level == FULL:
        seen = list(
            Cycle.objects.visible_to(viewer)
            .open()
            .filter(engagement__school=school)
            .select_related("engagement", "teacher")
            .order_by("teacher__display_name", "-created_at", "id")
        )
        for cycle_id, initiative_id in InitiativeCycle.objects.filter(
            cycle__in=[c.pk for c in seen], initiative__in=initiatives
        ).values_list("cycle_id", "initiative_id"):
            links[cycle_id].append(initiative_id)
    cycles_served = alignment.served_by(
        {c.pk: links[c.pk] for c in seen}, [i.pk for i in initiatives]
    )
    cycle_by_id = {c.pk: c for c in seen}
    lines = [
        InitiativeLine(
            i,
            [by_coach[c].coach for c in served.by_initiative[i.pk]],
            [cycle_by_id[c] for c in cycles_served.by_initiative[i.pk]],
            shown.cells[n],
        )
        for n, i in enumerate(initiatives)
    ]
    return Report(
        school=school,
        level=level,
        limit=limit,
        columns=cols,
        terms=items,
        named=named,
        counts=counts,
        initiatives=lines,
        approaches_serving_none=[by_coach[c].coach for c in served.none],
        cycles_serving_none=[cycle_by_id[c] for c in cycles_served.none],
        teachers_serving_none=shown.cells[-1],
        shown_cycles=seen,
    )


def divergence_keys(report: Report) -> set[tuple[str, str]]:
    """The divergences this viewer sees, as (kind, key): the ones she may record agreements on."""
    return {(t.kind, t.key) for t in report.terms} | {(n.kind, n.key) for n in report.named}


def per_week(value: Fraction | None) -> str:
    return "" if value is None else alignment.per_week_label(value)
