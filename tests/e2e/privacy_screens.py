"""The goal, note and privacy pages as screens for test_pages.py.

Each opener may run once per language: it builds Maya's items only once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.privacy import services as privacy
from tandem.privacy.categories import Category

from ..cast import Cast
from ..content import cycle, goal, note
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _maya_goal(cast: Cast) -> Goal:
    found = Goal.objects.filter(teacher=cast.maya).first()
    if found is None:
        found = goal(cast, engagement=cycle(cast, cast.lena))
        privacy.share_category(
            teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
        )
        privacy.record_access(viewer=cast.omar, items=[found], path="/goals/")
    return found


def _maya_note(cast: Cast) -> Note:
    found = Note.objects.filter(teacher=cast.maya, author=cast.lena).first()
    return found or note(cast, author=cast.lena, engagement=cycle(cast, cast.lena))


def _goal(path: str) -> Opener:
    def open_goal(site: Site, cast: Cast) -> None:
        site.goto(path.format(uuid=_maya_goal(cast).uuid))

    return open_goal


def _note(path: str) -> Opener:
    def open_note(site: Site, cast: Cast) -> None:
        site.goto(path.format(uuid=_maya_note(cast).uuid))

    return open_note


def _with_goal(path: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _maya_goal(cast)
        site.goto(path)

    return open_page


def _agreement(site: Site, cast: Cast) -> None:
    site.goto(reverse("school_agreement", args=[cast.jefferson.uuid]))


SCREENS: dict[str, tuple[str | None, Opener]] = {
    "goals-teacher": ("maya", _with_goal("/goals/")),
    "goals-coach": ("lena", _with_goal("/goals/")),
    "goal-new": ("maya", _with_goal("/goals/new/")),
    "goal-teacher": ("maya", _goal("/goals/{uuid}/")),
    "goal-coach": ("omar", _goal("/goals/{uuid}/")),
    "goal-edit": ("maya", _goal("/goals/{uuid}/edit/")),
    "notes-teacher": ("maya", _with_goal("/notes/")),
    "note-new-coach": ("lena", _with_goal("/notes/new/")),
    "note-coach": ("lena", _note("/notes/{uuid}/")),
    "note-edit": ("lena", _note("/notes/{uuid}/edit/")),
    "my-privacy": ("maya", _with_goal("/privacy/")),
    "who-looked": ("maya", _with_goal("/privacy/who-looked/")),
    "school-agreement": ("dana", _agreement),
}
SHOWN_BY = {
    "goal_list": "goals-teacher",
    "goal_create": "goal-new",
    "goal_detail": "goal-teacher",
    "goal_edit": "goal-edit",
    "note_list": "notes-teacher",
    "note_create": "note-new-coach",
    "note_detail": "note-coach",
    "note_edit": "note-edit",
    "privacy": "my-privacy",
    "who_looked": "who-looked",
    "school_agreement": "school-agreement",
}
# Form posts and htmx toggles, shown on the pages above.
NOT_PAGES = {
    "item_share",
    "item_hold_back",
    "privacy_share_category",
    "privacy_narrow",
    "school_agreement_set",
}
