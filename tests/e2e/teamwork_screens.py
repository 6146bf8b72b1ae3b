"""The coaching team's pages as screens for test_pages.py: my approach, the school's
approaches, the alignment report (a coach's and the principal's), initiatives, linking
a cycle. Each opener may run once per language: it builds what it needs only once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.coaching.services import give_suggestion
from tandem.teamwork.models import ContradictionFlag, Initiative, InitiativeCycle
from tandem.teamwork.services import create_initiative, raise_flag, reply_to_flag, resolve_flag

from ..cast import Cast
from ..coaching.builders import session
from ..teamwork.builders import cycle, planted
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _literacy(cast: Cast) -> Initiative:
    """The planted approaches, the literacy initiative and Lena's cycle with Maya serving it."""
    found = Initiative.objects.filter(school=cast.jefferson).first()
    if found:
        return found
    planted(cast)
    made = create_initiative(
        school=cast.jefferson,
        name="Literacy across the content areas",
        description="Every class reads, writes and talks about text.",
        acting_user=cast.dana,
    )
    InitiativeCycle.objects.create(
        initiative=made, cycle=cycle(cast, cast.lena), linked_by=cast.lena
    )
    return made


def _school_page(name: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _literacy(cast)
        site.goto(reverse(name, args=[cast.jefferson.uuid]))

    return open_page


def _home(site: Site, cast: Cast) -> None:
    _literacy(cast)
    site.goto(reverse("team_home"))


def _approach(site: Site, cast: Cast) -> None:
    _literacy(cast)
    site.goto(reverse("approach_edit"))


def _approach_with_errors(site: Site, cast: Cast) -> None:
    _literacy(cast)
    site.goto(reverse("approach_edit"))
    site.page.locator("#id_model").select_option("other")
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _edit(site: Site, cast: Cast) -> None:
    site.goto(reverse("initiative_edit", args=[_literacy(cast).uuid]))


def _cycles(site: Site, cast: Cast) -> None:
    site.goto(reverse("initiative_cycles", args=[_literacy(cast).uuid]))


TABLETS = "Have students use the tablets for all practice"
PAPER = "Keep practice on paper so students show their work"


def _flag(cast: Cast) -> ContradictionFlag:
    """Omar's and Sam's advice, flagged by Maya; a reply, Lena's cycle and a session ahead."""
    found = ContradictionFlag.objects.filter(teacher=cast.maya).first()
    if found:
        return found
    _literacy(cast)
    session(cast, coach=cast.omar)
    give_suggestion(coach=cast.grace, teacher=cast.maya, text="Keep a reflection journal")
    tablets = give_suggestion(coach=cast.omar, teacher=cast.maya, text=TABLETS)
    paper = give_suggestion(coach=cast.sam, teacher=cast.maya, text=PAPER)
    made = raise_flag(
        suggestions=[tablets, paper],
        note="Omar says tablets for all practice, Sam says paper. Which for fractions?",
        acting_user=cast.maya,
    )
    reply_to_flag(flag=made, text="Could paper be for multi-step work?", acting_user=cast.omar)
    return made


def _resolved(cast: Cast) -> ContradictionFlag:
    made = _flag(cast)
    if not made.is_resolved:
        made = resolve_flag(
            flag=made,
            resolution="Paper for multi-step problems; tablets for fluency practice.",
            acting_user=cast.sam,
        )
    return made


def _team_me(site: Site, cast: Cast) -> None:
    _flag(cast)
    site.goto(reverse("team_me"))


def _teacher_page(name: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _flag(cast)
        site.goto(reverse(name, args=[cast.maya.uuid]))

    return open_page


def _one_coach_only(site: Site, cast: Cast) -> None:
    _flag(cast)
    give_suggestion(coach=cast.omar, teacher=cast.maya, text="Try the quiz app on Fridays")
    site.goto(reverse("teacher_advice", args=[cast.maya.uuid]))
    column = site.page.get_by_role("region", name="Omar Haddad")
    for box in column.get_by_role("checkbox").all()[:2]:
        box.check()
    # By its place, not its words: the screen runs in Spanish too.
    site.page.locator("[aria-labelledby=flag-heading] button[type=submit]").click()
    site.page.wait_for_load_state()


def _flag_page(site: Site, cast: Cast) -> None:
    site.goto(reverse("flag_detail", args=[_resolved(cast).uuid]))


def _resolved_suggestion(site: Site, cast: Cast) -> None:
    made = _resolved(cast)
    site.goto(made.suggestions.get(author=cast.sam).get_absolute_url())


SCREENS: dict[str, tuple[str, Opener]] = {
    "team-teacher-page": ("maya", _team_me),
    "team-teacher-page-coach": ("omar", _teacher_page("teacher_team")),
    "team-advice": ("maya", _teacher_page("teacher_advice")),
    "team-advice-one-coach-refused": ("maya", _one_coach_only),
    "team-flag-teacher": ("maya", _flag_page),
    "team-flag-coach": ("sam", _flag_page),
    "team-suggestion-resolved": ("omar", _resolved_suggestion),
    "team-home-coach": ("lena", _home),
    "team-my-approach": ("lena", _approach),
    "team-my-approach-with-errors": ("omar", _approach_with_errors),
    "team-approaches": ("dana", _school_page("team_approaches")),
    "team-alignment-coach": ("lena", _school_page("alignment_report")),
    "team-alignment-principal": ("dana", _school_page("alignment_report")),
    "team-initiatives": ("dana", _school_page("initiative_list")),
    "team-initiative-edit": ("lena", _edit),
    "team-initiative-cycles": ("lena", _cycles),
}
SHOWN_BY = {
    "team_home": "team-home-coach",
    "approach_edit": "team-my-approach",
    "team_approaches": "team-approaches",
    "alignment_report": "team-alignment-coach",
    "initiative_list": "team-initiatives",
    "initiative_edit": "team-initiative-edit",
    "initiative_cycles": "team-initiative-cycles",
    "teacher_team": "team-teacher-page",
    "teacher_advice": "team-advice",
    "flag_detail": "team-flag-teacher",
}
# Recording an agreement is a form post from the report; so are a flag's reply,
# resolution and consent, from the flag's page. "My team" only sends her to her page.
NOT_PAGES = {"agreement_record", "flag_reply", "flag_resolve", "flag_consent", "team_me"}
