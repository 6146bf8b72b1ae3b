"""Writing notes: shared meeting notes, coach-private notes and reflections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.notes.models import Note
from tandem.notes.services import create_note, update_note
from tandem.privacy.categories import Category

from .. import content
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_a_coach_writes_shared_or_private_notes_a_teacher_writes_reflections(cast: Cast) -> None:
    shared = create_note(author=cast.lena, teacher=cast.maya, title="Met", body="…")
    private = create_note(author=cast.lena, teacher=cast.maya, title="Me", body="…", private=True)
    reflection = create_note(author=cast.maya, teacher=cast.maya, title="I", body="…")
    assert [n.category for n in (shared, private, reflection)] == [
        Category.NOTES,
        Category.COACH_PRIVATE,
        Category.NOTES,
    ]
    assert {n.district_id for n in Note.objects.all()} == {cast.maple.pk}
    with pytest.raises(ValidationError):
        create_note(author=cast.maya, teacher=cast.maya, title="I", body="…", private=True)


@pytest.mark.parametrize("outsider", ["nia", "dana", "priya", "henry", "hilda"])
def test_nobody_else_writes_about_her_coaching(cast: Cast, outsider: str) -> None:
    with pytest.raises(PermissionDenied):
        create_note(author=getattr(cast, outsider), teacher=cast.maya, title="x", body="x")


def test_only_those_who_may_change_a_note_change_its_words(cast: Cast) -> None:
    note = content.note(cast, author=cast.lena, engagement=content.cycle(cast, cast.lena))
    with pytest.raises(PermissionDenied):
        update_note(note=note, acting_user=cast.omar, title="x", body="x", met_on=note.met_on)
    update_note(note=note, acting_user=cast.lena, title="New", body="x", met_on=note.met_on)
    assert Note.objects.get().title == "New"
