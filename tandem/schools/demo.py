"""The demo district: the cast of DESIGN.md, deterministic, at two sizes.

`small` is what `make run` loads and the browser tests see. `large` grows
Maple Valley to the `LARGE` shape (60 schools, 3,000 teachers, 150 coaches)
for the benchmarks: new schools with a leader, teachers and coaches, and the
cast's own schools topped up with teachers their coaches work with, so the
cast's home pages grow too. `grow` does the same to any shape; the
query-count tests use a small one. Everything is written with bulk inserts
and one password hash shared by every demo person.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tandem.accounts.models import User
from tandem.privacy import demo as privacy_demo

from .models import (
    AssignmentStatus,
    CoachingAssignment,
    CoachSpecialty,
    District,
    Membership,
    Role,
    School,
    Specialty,
)

DEMO_PASSWORD = "tandem-demo"  # noqa: S105 — printed on the README's first screen on purpose

# The people the README, the tests and the demo speak of.
LOGINS = [
    ("maya.torres@maplevalley.example", "Maya Torres", "7th-grade math teacher, four coaches"),
    ("lena.brooks@maplevalley.example", "Lena Brooks", "instructional coach"),
    ("omar.haddad@maplevalley.example", "Omar Haddad", "technology coach"),
    ("luis.ortega@maplevalley.example", "Luis Ortega", "department head who also teaches"),
    ("dana.reyes@maplevalley.example", "Dana Reyes", "principal of Jefferson Middle School"),
    ("priya.nair@maplevalley.example", "Priya Nair", "district administrator (sets up MFA)"),
]

FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Felix",
    "Gloria",
    "Hugo",
    "Irene",
    "Jamal",
    "Keiko",
    "Leo",
    "Marta",
    "Nadia",
    "Oscar",
    "Paula",
    "Quentin",
    "Rosa",
    "Tomas",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yara",
    "Zane",
    "Aisha",
    "Bruno",
    "Chloe",
    "Dmitri",
    "Esther",
]
LAST = [
    "Alvarez",
    "Bennett",
    "Castillo",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Morales",
    "Nguyen",
    "Olsen",
    "Park",
    "Quinn",
    "Rossi",
    "Singh",
    "Tanaka",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Young",
    "Zimmer",
    "Adeyemi",
    "Brennan",
    "Costa",
    "Delgado",
]


SIZES = ("small", "large")


@dataclass(frozen=True)
class Shape:
    """What a district grows to: totals for the whole district, its first schools included."""

    schools: int
    teachers: int
    coaches: int


LARGE = Shape(schools=60, teachers=3000, coaches=150)


@dataclass
class Builder:
    """Collects rows and writes each table in one bulk insert."""

    password: str
    users: list[User] = field(default_factory=list)
    memberships: list[tuple[User, Membership]] = field(default_factory=list)
    specialties: list[tuple[Membership, CoachSpecialty]] = field(default_factory=list)
    assignments: list[tuple[User, User, CoachingAssignment]] = field(default_factory=list)

    def person(self, district: District, email: str, name: str) -> User:
        user = User(email=email, display_name=name, district=district, password=self.password)
        self.users.append(user)
        return user

    def member(
        self,
        user: User,
        district: District,
        school: School | None,
        role: str,
        *specialties: tuple[str, str],
    ) -> Membership:
        membership = Membership(district=district, school=school, role=role)
        self.memberships.append((user, membership))
        for specialty, subject in specialties:
            self.specialties.append(
                (membership, CoachSpecialty(specialty=specialty, subject=subject))
            )
        return membership

    def pair(
        self,
        coach: User,
        teacher: User,
        school: School,
        specialty: str,
        *,
        since: datetime.date,
        subject: str = "",
        focus: str = "",
        status: str = AssignmentStatus.ACTIVE,
        proposed_by: User | None = None,
        message: str = "",
    ) -> None:
        assignment = CoachingAssignment(
            district=school.district,
            school=school,
            specialty=specialty,
            subject=subject,
            focus=focus,
            status=status,
            starts_on=since,
            message=message,
            responded_at=timezone.now() if status == AssignmentStatus.ACTIVE else None,
        )
        self.assignments.append((coach, teacher, assignment))
        assignment._demo_proposer = proposed_by or coach  # type: ignore[attr-defined]

    def write(self) -> None:
        User.objects.bulk_create(self.users, batch_size=1000)
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35 alike.
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in self.users],
            batch_size=1000,
        )
        for user, membership in self.memberships:
            membership.user = user
        Membership.objects.bulk_create([m for _u, m in self.memberships], batch_size=1000)
        for membership, specialty in self.specialties:
            specialty.membership = membership
        CoachSpecialty.objects.bulk_create([s for _m, s in self.specialties], batch_size=1000)
        for coach, teacher, assignment in self.assignments:
            assignment.coach = coach
            assignment.teacher = teacher
            assignment.proposed_by = assignment._demo_proposer  # type: ignore[attr-defined]
        CoachingAssignment.objects.bulk_create(
            [a for _c, _t, a in self.assignments], batch_size=1000
        )


def _email(name: str, domain: str, taken: set[str]) -> str:
    base = name.lower().replace(" ", ".")
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    return email


@transaction.atomic
def build(size: str = "small") -> None:
    """Write the demo districts. The database must not hold any district yet."""
    if size not in SIZES:
        raise ValueError("size is 'small' or 'large'")
    rng = random.Random(2026)  # the same people, the same pairings, every time
    today = timezone.localdate()
    term_start = _term_start()
    b = Builder(make_password(DEMO_PASSWORD))
    taken = {email for email, _n, _r in LOGINS}

    maple = District.objects.create(
        name="Maple Valley Unified", slug="maple-valley", time_zone="America/Los_Angeles"
    )
    jefferson = School.objects.create(district=maple, name="Jefferson Middle School")
    lincoln = School.objects.create(district=maple, name="Lincoln Elementary School")

    def cast(local: str, name: str) -> User:
        return b.person(maple, f"{local}@maplevalley.example", name)

    maya = cast("maya.torres", "Maya Torres")
    lena = cast("lena.brooks", "Lena Brooks")
    omar = cast("omar.haddad", "Omar Haddad")
    sam = cast("sam.okafor", "Sam Okafor")
    grace = cast("grace.kim", "Grace Kim")
    luis = cast("luis.ortega", "Luis Ortega")
    nia = cast("nia.patel", "Nia Patel")  # coaches at Jefferson, but not Maya
    dana = cast("dana.reyes", "Dana Reyes")
    priya = cast("priya.nair", "Priya Nair")
    ruth = cast("ruth.abara", "Ruth Abara")  # Lincoln's instructional coach
    taken.update(u.email for u in b.users)

    b.member(maya, maple, jefferson, Role.TEACHER)
    b.member(luis, maple, jefferson, Role.TEACHER)
    b.member(luis, maple, jefferson, Role.COACH, (Specialty.DEPARTMENT_HEAD, "Mathematics"))
    b.member(lena, maple, jefferson, Role.COACH, (Specialty.INSTRUCTIONAL, ""))
    b.member(omar, maple, jefferson, Role.COACH, (Specialty.TECHNOLOGY, ""))
    b.member(omar, maple, lincoln, Role.COACH, (Specialty.TECHNOLOGY, ""))
    b.member(sam, maple, jefferson, Role.COACH, (Specialty.CONTENT, "Mathematics"))
    b.member(sam, maple, lincoln, Role.COACH, (Specialty.CONTENT, "Mathematics"))
    b.member(grace, maple, jefferson, Role.COACH, (Specialty.MENTOR, ""))
    b.member(nia, maple, jefferson, Role.COACH, (Specialty.INSTRUCTIONAL, ""))
    b.member(ruth, maple, lincoln, Role.COACH, (Specialty.INSTRUCTIONAL, ""))
    b.member(dana, maple, jefferson, Role.SCHOOL_LEADER)
    b.member(priya, maple, None, Role.DISTRICT_ADMIN)
    b.member(cast("marcus.webb", "Marcus Webb"), maple, lincoln, Role.SCHOOL_LEADER)

    b.pair(
        lena,
        maya,
        jefferson,
        Specialty.INSTRUCTIONAL,
        since=term_start,
        focus="Students explaining their reasoning in math talks",
    )
    b.pair(
        omar,
        maya,
        jefferson,
        Specialty.TECHNOLOGY,
        since=term_start + datetime.timedelta(7),
        focus="Using the new graphing tool in lessons",
    )
    b.pair(
        sam,
        maya,
        jefferson,
        Specialty.CONTENT,
        subject="Mathematics",
        since=term_start + datetime.timedelta(14),
        focus="Proportional reasoning unit",
    )
    b.pair(
        grace,
        maya,
        jefferson,
        Specialty.MENTOR,
        since=term_start - datetime.timedelta(200),
        focus="First years in the classroom",
    )
    b.pair(
        luis,
        maya,
        jefferson,
        Specialty.DEPARTMENT_HEAD,
        subject="Mathematics",
        since=term_start,
        focus="Common assessments for grade 7",
    )

    jefferson_teachers = _teachers(b, maple, jefferson, "maplevalley.example", 9, rng, taken)
    lincoln_teachers = _teachers(b, maple, lincoln, "maplevalley.example", 10, rng, taken)
    # Coaches with many teachers, and teachers with no coach at all.
    for i, teacher in enumerate(jefferson_teachers[:6]):
        b.pair(
            lena,
            teacher,
            jefferson,
            Specialty.INSTRUCTIONAL,
            since=term_start + datetime.timedelta(days=3 * i),
        )
    for teacher in jefferson_teachers[3:5]:
        b.pair(omar, teacher, jefferson, Specialty.TECHNOLOGY, since=term_start)
    b.pair(nia, jefferson_teachers[6], jefferson, Specialty.INSTRUCTIONAL, since=term_start)
    b.pair(
        lena,
        jefferson_teachers[7],
        jefferson,
        Specialty.INSTRUCTIONAL,
        since=today,
        status=AssignmentStatus.INVITED,
        message="I loved your lab stations. Would you like to work on something together?",
    )
    b.pair(
        nia,
        luis,
        jefferson,
        Specialty.INSTRUCTIONAL,
        since=today,
        status=AssignmentStatus.PROPOSED,
        proposed_by=dana,
    )
    for i, teacher in enumerate(lincoln_teachers[:7]):
        b.pair(
            ruth,
            teacher,
            lincoln,
            Specialty.INSTRUCTIONAL,
            since=term_start + datetime.timedelta(days=2 * i),
        )
    for teacher in lincoln_teachers[2:6]:
        b.pair(sam, teacher, lincoln, Specialty.CONTENT, subject="Mathematics", since=term_start)

    # Hillview: a second district, to prove that nothing crosses between tenants.
    hill = District.objects.create(
        name="Hillview School District", slug="hillview", time_zone="America/Chicago"
    )
    ridge = School.objects.create(district=hill, name="Ridgeway High School")
    brook = School.objects.create(district=hill, name="Brookside Elementary School")
    henry = b.person(hill, "henry.vance@hillview.example", "Henry Vance")
    b.member(henry, hill, ridge, Role.COACH, (Specialty.INSTRUCTIONAL, ""))
    b.member(
        b.person(hill, "alice.ward@hillview.example", "Alice Ward"), hill, ridge, Role.SCHOOL_LEADER
    )
    b.member(
        b.person(hill, "omar.said@hillview.example", "Omar Said"), hill, None, Role.DISTRICT_ADMIN
    )
    ridge_teachers = _teachers(b, hill, ridge, "hillview.example", 6, rng, taken)
    _teachers(b, hill, brook, "hillview.example", 4, rng, taken)
    for teacher in ridge_teachers[:4]:
        b.pair(henry, teacher, ridge, Specialty.INSTRUCTIONAL, since=term_start)

    b.write()
    # Goals, notes, sharing and who looked: the privacy story (tandem/privacy/demo.py).
    privacy_demo.build(maple, hill, term_start=term_start)
    # Lesson videos: a few generated clips with comments (tandem/media/demo.py).
    from tandem.media import demo as media_demo

    media_demo.build(maple)
    # Observation sessions, a few per teacher (tandem/observations/demo.py).
    from tandem.observations import demo as observations_demo

    observations_demo.build(maple, hill, term_start=term_start)
    # Maple Valley's teaching framework, four domains (tandem/library/demo.py); Tandem's
    # strategy library itself comes with the migrations, for every install.
    from tandem.library import demo as library_demo

    library_demo.build(maple)
    # Coaching sessions and suggestions from several of Maya's coaches (tandem/coaching/demo.py).
    from tandem.coaching import demo as coaching_demo

    coaching_demo.build(maple, hill, term_start=term_start)
    # Impact Cycles in every stage (tandem/cycles/demo.py).
    from tandem.cycles import demo as cycles_demo

    cycles_demo.build(maple, hill, term_start=term_start)
    # The coaching team takes stock: approaches and an initiative (tandem/teamwork/demo.py).
    from tandem.teamwork import demo as teamwork_demo

    teamwork_demo.build(maple)
    # Programs: one adopted with teacher input, one decision open (tandem/programs/demo.py).
    from tandem.programs import demo as programs_demo

    programs_demo.build(maple)
    # The Jefferson coaches' thread and two shared resources (tandem/threads/demo.py).
    from tandem.threads import demo as threads_demo

    threads_demo.build(maple)
    # The coaches' weekly check-in, one meeting held (tandem/checkins/demo.py).
    from tandem.checkins import demo as checkins_demo

    checkins_demo.build(maple)
    if size == "large":
        grow(maple, LARGE, password=b.password)


def _term_start() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=70)


def _teachers(
    b: Builder,
    district: District,
    school: School,
    domain: str,
    n: int,
    rng: random.Random,
    taken: set[str],
) -> list[User]:
    people = []
    for _i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        person = b.person(district, _email(name, domain, taken), name)
        b.member(person, district, school, Role.TEACHER)
        people.append(person)
    return people


def _place(district: District) -> str:
    """ "Maple Valley" for "Maple Valley Unified": the prefix of new school names."""
    return district.name.removesuffix(" Unified").removesuffix(" School District")


def _domain(district: District) -> str:
    """ "maplevalley.example" for the district "maple-valley": the demo's e-mail domain."""
    return f"{district.slug.replace('-', '')}.example"


@transaction.atomic
def grow(district: District, shape: Shape, *, password: str | None = None) -> None:
    """Grow a demo district to `shape`'s totals of schools, teachers and coaches.

    New schools each get a leader, an equal share of the new teachers and of
    the new coaches, and each coach works with a third of her school's
    teachers. The schools already there are topped up to the same number of
    teachers per school, and their coaches (the cast's) take on the newcomers
    the same way, so the cast's home pages grow with the district. The same
    shape on the same district always gives the same people and pairings.
    """
    rng = random.Random(2027)
    since = _term_start()
    domain = _domain(district)
    b = Builder(password or make_password(DEMO_PASSWORD))
    taken = set(User.objects.values_list("email", flat=True))
    old_schools = list(School.objects.filter(district=district).order_by("pk"))
    in_district = Membership.objects.filter(district=district)
    teachers_at = dict(
        in_district.filter(role=Role.TEACHER)
        .values_list("school_id")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    teachers_now, coaches_now = (
        in_district.filter(role=role).order_by().values("user_id").distinct().count()
        for role in (Role.TEACHER, Role.COACH)
    )
    new_schools = shape.schools - len(old_schools)
    per_school = shape.teachers // shape.schools
    top_ups = [max(0, per_school - teachers_at.get(s.pk, 0)) for s in old_schools]
    teachers_new = shape.teachers - teachers_now - sum(top_ups)
    coaches_new = shape.coaches - coaches_now
    if new_schools < 1 or teachers_new < new_schools or coaches_new < new_schools:
        raise ValueError(
            f"{shape} cannot grow {district}: it has {len(old_schools)} schools, "
            f"{teachers_now} teachers and {coaches_now} coaches; every new school "
            "needs at least one new teacher and one new coach."
        )

    # The schools already there: new teachers, paired with the coaches who work there.
    coaches_at: dict[int, list[tuple[User, str, str]]] = defaultdict(list)
    seen: set[int] = set()
    for offer in (
        CoachSpecialty.objects.filter(
            membership__school__in=old_schools, membership__role=Role.COACH
        )
        .select_related("membership__user")
        .order_by("membership_id", "pk")
    ):
        membership = offer.membership
        if membership.pk not in seen:  # a coach's first specialty at that school
            seen.add(membership.pk)
            coaches_at[membership.school_id or 0].append(
                (membership.user, offer.specialty, offer.subject)
            )
    for school, n in zip(old_schools, top_ups, strict=True):
        newcomers = _teachers(b, district, school, domain, n, rng, taken)
        for c, (coach, specialty, subject) in enumerate(coaches_at[school.pk]):
            for teacher in newcomers[c % 3 :: 3]:
                b.pair(coach, teacher, school, specialty, subject=subject, since=since)

    # New schools, each with a leader, teachers and coaches.
    place = _place(district)
    first = len(old_schools) + 1
    schools = School.objects.bulk_create(
        [
            School(district=district, name=f"{place} School {n:02d}")
            for n in range(first, first + new_schools)
        ]
    )
    specialties = list(Specialty.values)
    for index, school in enumerate(schools):
        school.district = district
        leader_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        b.member(
            b.person(district, _email(leader_name, domain, taken), leader_name),
            district,
            school,
            Role.SCHOOL_LEADER,
        )
        n_teachers = teachers_new // new_schools + (1 if index < teachers_new % new_schools else 0)
        n_coaches = coaches_new // new_schools + (1 if index < coaches_new % new_schools else 0)
        teachers = _teachers(b, district, school, domain, n_teachers, rng, taken)
        for c in range(n_coaches):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            coach = b.person(district, _email(name, domain, taken), name)
            specialty = specialties[(index + c) % len(specialties)]
            b.member(coach, district, school, Role.COACH, (specialty, ""))
            # Each coach works with a third of the school's teachers.
            for teacher in teachers[c % 3 :: 3]:
                b.pair(coach, teacher, school, specialty, since=since)
    b.write()
