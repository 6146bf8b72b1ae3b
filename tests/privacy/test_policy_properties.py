"""visible_to() and "who can see this" agree with the plain statement of the rules."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.privacy import services
from tandem.privacy.models import AgreementNarrowing, CategoryShare, ItemShare, SchoolAgreement
from tandem.schools.models import CoachingAssignment, Engagement, Specialty

from .. import factories as f
from .oracle import Assignment, Item, World

pytestmark = pytest.mark.django_db

TEACHERS = ["t1", "t2"]
COACHES = ["c1", "c2", "c3"]
OTHERS = ["leader", "admin", "far"]  # far: a coach in another district
CATEGORIES = ["goals", "notes", "coach_private"]
SCHOOLS = ["s1", "s2"]
# "active" is drawn most often: that is where the sharing rules decide.
STATES = ["none", "active", "active", "active", "ended", "invited", "future", "expired"]


@st.composite
def worlds(draw: st.DrawFn) -> dict:
    pairs = {
        (c, t): (draw(st.sampled_from(STATES)), draw(st.sampled_from(SCHOOLS)))
        for c in COACHES
        for t in TEACHERS
    }
    items = []
    for n in range(draw(st.integers(min_value=1, max_value=6))):
        teacher = draw(st.sampled_from(TEACHERS))
        category = draw(st.sampled_from(CATEGORIES))
        author = draw(
            st.sampled_from([teacher, *COACHES] if category != "coach_private" else COACHES)
        )
        items.append(
            {
                "key": f"i{n}",
                "teacher": teacher,
                "author": author,
                "category": category,
                "engagement_coach": draw(st.sampled_from([None, *COACHES])),
                "held_back": author == teacher and draw(st.booleans()),
            }
        )
    keys = [i["key"] for i in items]
    return {
        "pairs": pairs,
        "items": items,
        "category_shares": draw(
            st.sets(
                st.tuples(
                    st.sampled_from(TEACHERS),
                    st.sampled_from(COACHES),
                    st.sampled_from(["goals", "notes"]),
                )
            )
        ),
        "item_shares": draw(st.sets(st.tuples(st.sampled_from(keys), st.sampled_from(COACHES)))),
        "agreements": draw(
            st.sets(
                st.tuples(st.sampled_from(SCHOOLS), st.sampled_from(["goals", "notes"])), min_size=1
            )
        ),
        "narrowings": draw(
            st.sets(st.tuples(st.sampled_from(TEACHERS), st.sampled_from(["goals", "notes"])))
        ),
    }


@pytest.fixture
def people(db: None) -> dict:
    maple = f.make_district(slug="maple")
    far_district = f.make_district(slug="far")
    s1 = f.make_school(district=maple, name="S1")
    s2 = f.make_school(district=maple, name="S2")
    far_school = f.make_school(district=far_district)
    cast = {
        "t1": f.teacher(s1),
        "t2": f.teacher(s2),
        "c1": f.coach(s1),
        "c2": f.coach(s1),
        "c3": f.coach(s2),
        "leader": f.leader(s1),
        "admin": f.district_admin(maple),
        "far": f.coach(far_school),
    }
    for name in ("c1", "c2"):
        f.coach(s2, user=cast[name], specialty=Specialty.TECHNOLOGY)
    return {"users": cast, "schools": {"s1": s1, "s2": s2}, "district": maple}


def _dates(state: str, today: datetime.date) -> tuple[str, datetime.date, datetime.date | None]:
    day = datetime.timedelta(days=1)
    return {
        "active": ("active", today - 30 * day, None),
        "ended": ("ended", today - 30 * day, today),
        "invited": ("invited", today, None),
        "future": ("active", today + 3 * day, None),
        "expired": ("active", today - 30 * day, today - day),
    }[state]


@hypothesis_settings(
    max_examples=80,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=worlds())
def test_visible_to_and_who_can_see_agree_with_the_plain_rules(people: dict, spec: dict) -> None:
    users, schools = people["users"], people["schools"]
    today = timezone.localdate()
    with transaction.atomic():
        world = World(
            today=today, district_of={name: ("far" if name == "far" else "maple") for name in users}
        )
        for (coach, teacher), (state, school) in spec["pairs"].items():
            if state == "none":
                continue
            status, starts, ends = _dates(state, today)
            CoachingAssignment.objects.create(
                district=people["district"],
                school=schools[school],
                coach=users[coach],
                teacher=users[teacher],
                specialty=Specialty.INSTRUCTIONAL,
                status=status,
                starts_on=starts,
                ends_on=ends,
                proposed_by=users[coach],
            )
            world.assignments.append(Assignment(coach, teacher, school, status, starts, ends))
        rows: dict[str, Goal | Note] = {}
        for i in spec["items"]:
            engagement = None
            if i["engagement_coach"]:
                engagement = Engagement.objects.create(
                    district=people["district"],
                    school=schools["s1"],
                    teacher=users[i["teacher"]],
                    coach=users[i["engagement_coach"]],
                    kind="impact_cycle",
                    title="cycle",
                )
            common = {
                "district": people["district"],
                "teacher": users[i["teacher"]],
                "author": users[i["author"]],
                "category": i["category"],
                "engagement": engagement,
                "held_back": i["held_back"],
            }
            if i["category"] == "goals":
                rows[i["key"]] = Goal.objects.create(statement=i["key"], **common)
            else:
                rows[i["key"]] = Note.objects.create(title=i["key"], body="…", **common)
            world.items.append(Item(district="maple", **i))
        for teacher, coach, category in spec["category_shares"]:
            CategoryShare.objects.create(
                district=people["district"],
                teacher=users[teacher],
                coach=users[coach],
                category=category,
            )
        world.category_shares = set(spec["category_shares"])
        from django.contrib.contenttypes.models import ContentType

        for key, coach in spec["item_shares"]:
            row = rows[key]
            ItemShare.objects.create(
                district=people["district"],
                teacher=row.teacher,
                coach=users[coach],
                content_type=ContentType.objects.get_for_model(row),
                object_id=row.pk,
            )
        world.item_shares = set(spec["item_shares"])
        for school, category in spec["agreements"]:
            SchoolAgreement.objects.create(
                district=people["district"],
                school=schools[school],
                category=category,
                updated_by=users["leader"],
            )
        world.agreements = set(spec["agreements"])
        for teacher, category in spec["narrowings"]:
            AgreementNarrowing.objects.create(
                district=people["district"], teacher=users[teacher], category=category
            )
        world.narrowings = set(spec["narrowings"])

        by_pk: dict[tuple[type, int], str] = {(type(row), row.pk): key for key, row in rows.items()}
        for name, user in users.items():
            seen = {
                by_pk[(Goal, pk)]
                for pk in Goal.objects.visible_to(user).values_list("pk", flat=True)
            }
            seen |= {
                by_pk[(Note, pk)]
                for pk in Note.objects.visible_to(user).values_list("pk", flat=True)
            }
            expected = {item.key for item in world.items if world.can_see(name, item)}
            assert seen == expected, f"{name} sees {sorted(seen)}, rules say {sorted(expected)}"
        name_of = {user.pk: name for name, user in users.items()}
        for item in world.items:
            listed = {name_of[s.user.pk] for s in services.who_can_see(rows[item.key])}
            expected = {name for name in users if world.can_see(name, item)}
            assert listed == expected, f"who can see {item}: {listed} != {expected}"
        transaction.set_rollback(True)
