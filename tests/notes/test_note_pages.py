"""The note pages: meeting notes, reflections and coach-private notes, as the cast sees them.

A coach's meeting note is the teacher's to share; her reflection is hers; a coach's
private note is its author's alone — not even the teacher reads it, though her
privacy page tells her it exists.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.notes.models import Note
from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import AccessEvent

from .. import content
from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def _write(client: Any, **fields: Any) -> Any:
    data = {"title": "Planning", "body": "Text", "met_on": "2026-11-03", **fields}
    return client.post(reverse("note_create"), data)


def test_coach_writes_a_meeting_note_the_teacher_reads(cast: Cast, client_for) -> None:
    cycle = content.cycle(cast, cast.lena)
    response = _write(
        client_for(cast.lena), teacher=cast.maya.pk, engagement=cycle.pk, kind="shared"
    )
    note = Note.objects.get()
    assert response["Location"] == note.get_absolute_url()
    assert (note.teacher, note.author, note.category) == (cast.maya, cast.lena, Category.NOTES)
    assert note.met_on == datetime.date(2026, 11, 3)
    assert client_for(cast.maya).get(note.get_absolute_url()).status_code == 200
    assert client_for(cast.omar).get(note.get_absolute_url()).status_code == 404


def test_coachs_private_note_is_hers_alone_not_even_the_teachers(cast: Cast, client_for) -> None:
    _write(client_for(cast.lena), teacher=cast.maya.pk, kind="private", title="My own reminder")
    note = Note.objects.get()
    assert note.category == Category.COACH_PRIVATE
    lena = client_for(cast.lena).get(note.get_absolute_url()).content.decode()
    assert "Only you: this is your private note" in lena
    for person in (cast.maya, cast.omar, cast.dana, cast.priya):
        assert client_for(person).get(note.get_absolute_url()).status_code == 404
        assert (
            "My own reminder" not in client_for(person).get(reverse("note_list")).content.decode()
        )
    # Maya cannot share it either: for her it does not exist.
    response = client_for(cast.maya).post(
        reverse("item_share", args=["note", note.uuid]), {"coach": cast.omar.uuid, "shared": "1"}
    )
    assert response.status_code == 404


def test_teacher_writes_a_reflection_that_is_hers_until_she_shares_it(
    cast: Cast, client_for
) -> None:
    client = client_for(cast.maya)
    page = client.get(reverse("note_create")).content.decode()
    assert "private note about my own coaching" not in page  # no such choice for a teacher
    _write(client, teacher=cast.maya.pk, kind="private")  # a forged choice is ignored
    note = Note.objects.get()
    assert (note.author, note.category) == (cast.maya, Category.NOTES)
    assert client_for(cast.lena).get(note.get_absolute_url()).status_code == 404


def test_a_note_body_is_plain_text_a_script_is_shown_as_text(cast: Cast, client_for) -> None:
    note = content.note(cast, body="<script>alert('hi')</script>\nSecond line")
    page = client_for(cast.maya).get(note.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;<br>Second line" in page


def test_coach_sees_notes_grouped_by_teacher_with_her_private_ones_marked(
    cast: Cast, client_for
) -> None:
    content.note(cast, author=cast.lena, private=True, title="Private reminder")
    content.note(cast, author=cast.lena, title="Meeting")
    content.note(cast, title="Maya's reflection")
    page = client_for(cast.lena).get(reverse("note_list")).content.decode()
    assert "Maya Torres" in page
    assert "Private reminder" in page
    assert "Private: only you" in page
    assert "Meeting" in page
    assert "Maya&#x27;s reflection" not in page


def test_note_list_runs_the_same_number_of_queries_and_one_insert_for_many_notes(
    cast: Cast, client_for, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.lena)
    content.note(cast, author=cast.lena)
    client.get(reverse("note_list"))

    def run() -> list[dict[str, Any]]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("note_list")).status_code == 200
        return list(queries)

    few = run()
    for _ in range(4):
        teacher = f.teacher(cast.jefferson)
        f.assign(cast.lena, teacher, cast.jefferson)
        for _ in range(5):
            content.note(cast, teacher=teacher, author=cast.lena)
    many = run()
    assert len(few) == len(many)
    assert sum(q["sql"].startswith('INSERT INTO "privacy_accessevent"') for q in many) == 1
    assert AccessEvent.objects.filter(viewer=cast.lena).count() == 1 + 1 + 21
    with django_assert_max_num_queries(9):
        client.get(reverse("note_list"))


def test_teacher_may_edit_her_coachs_meeting_note_a_reader_may_not(cast: Cast, client_for) -> None:
    note = content.note(cast, author=cast.lena)
    privacy.share_item(item=note, coach=cast.sam, acting_user=cast.maya)
    data = {"title": "Better title", "body": "Text", "met_on": "2026-11-04"}
    assert (
        client_for(cast.sam).post(reverse("note_edit", args=[note.uuid]), data).status_code == 403
    )
    assert (
        client_for(cast.maya).post(reverse("note_edit", args=[note.uuid]), data).status_code == 302
    )
    note.refresh_from_db()
    assert note.title == "Better title"
    assert note.category == Category.NOTES  # an edit never makes a note private or shared


def test_a_hidden_note_is_a_404_identical_to_one_that_does_not_exist(
    cast: Cast, client_for
) -> None:
    note = content.note(cast, author=cast.lena, private=True)
    missing = content.random_uuid()
    for person in (cast.maya, cast.omar, cast.nia, cast.dana, cast.henry):
        client = client_for(person)
        for name in ("note_detail", "note_edit"):
            hidden = client.get(reverse(name, args=[note.uuid]))
            nothing = client.get(reverse(name, args=[missing]))
            assert content.same_404(hidden, nothing, note.uuid, missing), (person, name)


def test_each_note_detail_view_by_someone_else_writes_one_access_event(
    cast: Cast, client_for
) -> None:
    note = content.note(cast, author=cast.lena)
    client_for(cast.lena).get(note.get_absolute_url())
    client_for(cast.maya).get(note.get_absolute_url())
    assert list(AccessEvent.objects.values_list("viewer_id", "label")) == [
        (cast.lena.pk, "Note: Planning meeting")
    ]


def test_the_access_log_never_names_a_private_note(cast: Cast, client_for) -> None:
    note = content.note(cast, author=cast.lena, private=True, title="Worried about period 3")
    client_for(cast.lena).get(note.get_absolute_url())
    page = client_for(cast.maya).get(reverse("who_looked")).content.decode()
    assert "Lena Brooks" in page
    assert "A coach&#x27;s private note" in page
    assert "Worried" not in page
