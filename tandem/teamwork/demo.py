"""The demo's coaching team at Jefferson: Maya's five coaches take stock.

Lena coaches in Impact Cycles, Omar integrates technology, Sam coaches content,
Grace mentors, Luis leads the department. Lena and Omar both say "check for
understanding", and mean different things by it (an exit ticket; a thumbs-up
poll): the divergence the alignment report shows. Sam calls Lena's "exit ticket"
a "ticket out the door". Lena and Sam measure Maya's progress differently, and
Maya's five coaches together meet her more than three times a week. The school
has one initiative, "Literacy across the content areas", which Lena's and Sam's
approaches and Lena's cycle with Maya serve. Omar's and Sam's advice to Maya pull
in different directions (tablets for all practice; paper so students show their
work): Maya has flagged it, and the reflection is open.
"""

from __future__ import annotations

from tandem.accounts.models import User
from tandem.coaching.services import give_suggestion
from tandem.cycles.models import Cycle
from tandem.schools.models import District, Role, School

from . import services
from .models import Initiative, InitiativeCycle
from .services import TermIn

CFU = "Check for understanding"


def build(maple: District) -> None:
    """Write the demo's approaches and initiative. Called at the end of `schools.demo.build`."""
    jefferson = School.objects.get(district=maple, name="Jefferson Middle School")
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(district=maple, email__endswith="@maplevalley.example")
    }
    lena, omar, sam, grace, luis, dana = (
        people[n]
        for n in (
            "lena.brooks",
            "omar.haddad",
            "sam.okafor",
            "grace.kim",
            "luis.ortega",
            "dana.reyes",
        )
    )
    assert jefferson.memberships.filter(user=dana, role=Role.SCHOOL_LEADER).exists()
    literacy = services.create_initiative(
        school=jefferson,
        name="Literacy across the content areas",
        description="Every class reads, writes and talks about text, math and science included.",
        acting_user=dana,
    )
    services.save_approach(
        acting_user=lena,
        model="impact_cycle",
        cycle_weeks=8,
        meetings=1,
        per="week",
        measure="% of exit tickets showing the skill",
        progress="A student measure chosen with the teacher, gathered every week, against "
        "the goal's baseline and target.",
        sharing="Goals and measurements with the teacher's other coaches, as she allows; "
        "nothing with the principal but counts.",
        glossary=[
            TermIn(CFU, "An exit ticket at the end of the lesson, scored against the goal"),
            TermIn("Exit ticket", "A short written task students hand in as they leave"),
            TermIn("Wait time", "Three seconds of silence after a question", "think time"),
        ],
        initiatives=[literacy],
    )
    services.save_approach(
        acting_user=omar,
        model="technology",
        cycle_weeks=4,
        meetings=1,
        per="week",
        measure="Minutes of student-led device use",
        progress="How much of the lesson students use the tools themselves.",
        sharing="Tips and how-tos with anyone on the team.",
        glossary=[
            TermIn(CFU, "A thumbs-up poll during the lesson, on the students' devices"),
            TermIn("Blended station", "A rotation station where students work online"),
        ],
    )
    services.save_approach(
        acting_user=sam,
        model="content",
        cycle_weeks=6,
        meetings=1,
        per="week",
        measure="% of students explaining their reasoning",
        progress="Student work samples against the math practice standards.",
        sharing="Unit plans with the department.",
        glossary=[
            TermIn("Ticket out the door", "A short written task students hand in as they leave"),
            TermIn("Number talk", "A ten-minute mental math discussion"),
        ],
        initiatives=[literacy],
    )
    services.save_approach(
        acting_user=grace,
        model="mentoring",
        meetings=2,
        per="month",
        progress="The new teacher's own reflections, term by term.",
        sharing="Nothing without the teacher's say-so.",
        glossary=[TermIn("Reflection", "A written look back at a lesson, for yourself")],
    )
    services.save_approach(
        acting_user=luis,
        model="other",
        model_other="Department leadership",
        meetings=1,
        per="week",
        measure="Common assessment results",
        sharing="Pacing and common assessments with the department.",
    )
    # Lena's cycle with Maya serves the initiative (the privacy demo's cycle, if there).
    for cycle in Cycle.objects.filter(
        engagement__school=jefferson, engagement__coach=lena, teacher__email__startswith="maya."
    ):
        InitiativeCycle.objects.get_or_create(
            initiative=literacy, cycle=cycle, defaults={"linked_by": lena}
        )
    assert Initiative.objects.filter(school=jefferson).count() == 1
    _conflicting_advice(people["maya.torres"], omar, sam)


def _conflicting_advice(maya: User, omar: User, sam: User) -> None:
    """Omar's and Sam's advice pull in different directions; Maya has flagged it (open)."""
    tablets = give_suggestion(
        coach=omar, teacher=maya, text="Have students use the tablets for all practice"
    )
    paper = give_suggestion(
        coach=sam, teacher=maya, text="Keep practice on paper so students show their work"
    )
    services.raise_flag(
        suggestions=[tablets, paper],
        note="Tablets for all practice, or paper so they show their work? "
        "I'd like to hear you both on fractions practice.",
        acting_user=maya,
    )
