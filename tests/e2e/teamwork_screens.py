"""The coaching team's pages as screens for test_pages.py: my approach, the school's
approaches, the alignment report (a coach's and the principal's), initiatives, linking
a cycle. Each opener may run once per language: it builds what it needs only once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.teamwork.models import Initiative, InitiativeCycle
from tandem.teamwork.services import create_initiative

from ..cast import Cast
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


SCREENS: dict[str, tuple[str, Opener]] = {
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
}
# Recording an agreement is a form post from the report.
NOT_PAGES = {"agreement_record"}
