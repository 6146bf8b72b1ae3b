"""The demo's programs: one adopted with teacher input, one decision still open.

Jefferson chose a math program last month: Dana asked every Jefferson teacher, six
answered (three anonymously), and her rationale quotes their words. This term she
asks again, about a reading routine, and input is open for ten more days — Maya has
not given hers yet. Maya gets support on Bridges from Sam, her math coach: she chose to
visit a colleague, logs what her students did, and adapted the number talk for her
newcomers. Six teachers gave feedback, and Dana answered in "You said, we did".
Everything goes through `services`, as the pages do.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.library.models import Strategy
from tandem.schools.models import District, Role, School

from . import services
from .models import AdoptionDecision, AdoptionInput, Program

STRATEGIES = [
    (
        "program-number-talks",
        "Number talks",
        ["Pose a mental-math problem", "Wait for thumbs up", "Record every strategy"],
    ),
    (
        "program-three-reads",
        "Three reads",
        ["Read for the story", "Read for the quantities", "Read for the question"],
    ),
    (
        "program-exit-tickets",
        "Exit tickets",
        [
            "One question on the lesson goal",
            "Sort into three piles",
            "Plan tomorrow from the piles",
        ],
    ),
    (
        "program-close-reading",
        "Close reading",
        ["Short, rich passage", "Text-dependent questions", "Annotate with a purpose"],
    ),
]

INPUTS = [
    (
        "Visual models for my newcomers; they follow pictures before words.",
        "Pacing in the first unit",
        "Co-planning the first two weeks",
        True,
    ),
    ("Daily number talks — my students love explaining.", "", "A model lesson in my room", False),
    (
        "Fewer worksheets, more talk.",
        "Training days taken from my planning time",
        "Release time to visit a colleague",
        True,
    ),
    (
        "Problems my students can enter at different levels.",
        "The cost of the consumables",
        "",
        False,
    ),
    ("", "Another program change in three years", "Time with the math specialist", True),
    ("Common assessments across grade 7.", "", "Shared unit plans", False),
]


def _strategy(maple: District, slug: str, name: str, checklist: list[str]) -> Strategy:
    found, _created = Strategy.objects.get_or_create(
        district=maple,
        slug=slug,
        defaults={
            "name": name,
            "summary": f"{name}: a short routine.",
            "description": f"{name}, as the program uses it.",
            "checklist": checklist,
        },
    )
    return found


def build(maple: District) -> None:
    """Write the demo's programs and decisions. Called by `schools.demo.build`."""
    dana = User.objects.get(email="dana.reyes@maplevalley.example")
    priya = User.objects.get(email="priya.nair@maplevalley.example")
    jefferson = School.objects.get(district=maple, name="Jefferson Middle School")
    number_talks, three_reads, exit_tickets, close_reading = (
        _strategy(maple, *row) for row in STRATEGIES
    )
    spec = services.ComponentSpec
    bridges = services.save_program(
        acting_user=priya,
        name="Bridges in Mathematics",
        description="A problem-based math program: daily number talks, rich tasks, exit tickets.",
        school=None,
        materials=[
            {
                "title": "Sample lesson: ratio tables",
                "url": "https://example.org/bridges/ratio-tables",
            },
            {"title": "Unit overview, grade 7", "url": "https://example.org/bridges/grade-7"},
        ],
        components=[
            spec(number_talks, "Daily number talk", "Ten minutes at the start of the lesson."),
            spec(three_reads, "Three reads of each task"),
            spec(exit_tickets, "Exit ticket", "Plan the next day from what students did."),
        ],
    )
    open_up = services.save_program(
        acting_user=priya,
        name="Open Up Math",
        description="A free problem-based curriculum with warm-ups and cool-downs.",
        school=None,
        materials=[{"title": "Sample lesson", "url": "https://example.org/open-up/sample"}],
        components=[spec(exit_tickets, "Cool-down")],
    )
    reading = services.save_program(
        acting_user=dana,
        name="Reading Across the Day",
        description="Close reading of short passages in every subject.",
        school=jefferson,
        materials=[
            {
                "title": "Sample lesson: science article",
                "url": "https://example.org/reading/science",
            }
        ],
        components=[spec(close_reading, "Close reading, twice a week")],
    )
    teachers = list(
        User.objects.filter(memberships__school=jefferson, memberships__role=Role.TEACHER)
        .exclude(email="maya.torres@maplevalley.example")
        .order_by("email")
    )
    # Last month's decision: opened, answered, closed, recorded.
    math = services.open_decision(
        acting_user=dana,
        school=jefferson,
        question="Which math program should grade 7 use next year?",
        deadline=timezone.now() + datetime.timedelta(days=1),
        candidates=[bridges, open_up],
    )
    for teacher, (helps, concerns, support, anonymous) in zip(teachers, INPUTS, strict=False):
        services.give_input(
            decision=math,
            teacher=teacher,
            anonymous=anonymous,
            helps=helps,
            concerns=concerns,
            support=support,
            ranking=[bridges.uuid, open_up.uuid],
        )
    AdoptionDecision.objects.filter(pk=math.pk).update(
        deadline=timezone.now() - datetime.timedelta(days=20),
        opened_at=timezone.now() - datetime.timedelta(days=34),
    )
    cited = AdoptionInput.objects.filter(
        decision=math, helps__in=[INPUTS[0][0], INPUTS[1][0]]
    ) | AdoptionInput.objects.filter(decision=math, concerns=INPUTS[4][1])
    services.record_decision(
        decision=math,
        acting_user=dana,
        chosen=bridges,
        rationale=(
            "Most of you ranked Bridges first, for its visual models and daily number talks. "
            "We adopt it for grade 7 next year."
        ),
        how_input_shaped=(
            "You asked for support before anything else: every teacher chooses her support "
            "(a model lesson, co-planning, visiting a colleague), and the first unit is paced "
            "over three weeks instead of two. Worries about another change are heard: we "
            "commit to three years."
        ),
        cited=list(cited),
    )
    # This term's decision: open for ten more days.
    question = services.open_decision(
        acting_user=dana,
        school=jefferson,
        question="Should Jefferson adopt Reading Across the Day?",
        deadline=timezone.now() + datetime.timedelta(days=10),
        candidates=[reading],
    )
    for teacher, anonymous in zip(teachers[:2], [True, False], strict=False):
        services.give_input(
            decision=question,
            teacher=teacher,
            anonymous=anonymous,
            helps="Short passages fit my science lessons.",
            preference="for" if anonymous else "unsure",
        )
    _support(maple, bridges, teachers, dana)


FEEDBACK = [
    (4, 3, 4, "More time to plan the first unit, please."),
    (5, 4, 3, "The number talks work; the planning time is short."),
    (4, 2, 4, "Planning time is the hardest part."),
    (3, 3, 5, ""),
    (4, 4, 4, "Visiting a colleague helped me most."),
    (5, 3, 4, "Sample lessons in Spanish would help my newcomers."),
]


def _support(maple: District, bridges: Program, teachers: list[User], dana: User) -> None:
    """Maya's support on Bridges with Sam; feedback from six teachers; Dana's answer."""
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    sam = User.objects.get(email="sam.okafor@maplevalley.example")
    support = services.start_support(
        acting_user=maya, teacher=maya, coach=sam, program=bridges, kind="modeling"
    )
    services.choose_support(support=support, acting_user=maya, kind="peer_visit")
    talk, three_reads, exit_ticket = list(bridges.components.all())
    today = timezone.localdate()
    services.add_log_entry(
        support=support,
        acting_user=maya,
        day=today - datetime.timedelta(days=6),
        components=[talk, exit_ticket],
        student_measure="17 of 26 students explained a strategy aloud",
        student_work="Most used a ratio table; four newcomers drew pictures but did not speak.",
    )
    services.add_log_entry(
        support=support,
        acting_user=sam,
        day=today - datetime.timedelta(days=2),
        components=[talk, three_reads],
        student_measure="22 of 26 explained a strategy",
        student_work="Pairs rehearsed first; newcomers shared their pictures.",
        decision="Keep pair rehearsal before every number talk this unit.",
        decision_evidence="Five more students explained a strategy than last week.",
    )
    services.modify_component(
        support=support,
        acting_user=maya,
        component=talk,
        what="Students rehearse with a partner, with sentence frames, before sharing.",
        for_whom="My newcomers and English learners",
        reason="They understand the math but need time and words to say it aloud.",
        student_evidence="Four newcomers shared a strategy for the first time.",
    )
    for teacher, (useful, clear, heard, comment) in zip(
        [maya, *teachers[:5]], FEEDBACK, strict=False
    ):
        services.give_feedback(
            program=bridges,
            teacher=teacher,
            about="program",
            useful=useful,
            clear=clear,
            heard=heard,
            comment=comment,
        )
    services.respond(
        program=bridges,
        acting_user=dana,
        heard="Many of you said planning the first unit takes more time than you have.",
        did="Two planning afternoons in March, with the math specialist, for every grade-7 team.",
    )
