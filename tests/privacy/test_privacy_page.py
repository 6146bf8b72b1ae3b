"""Maya's privacy page: her rules in plain words, her grid of coaches by categories, the
school's agreement with her "narrow it for me", and what she holds back.

Every toggle is a real button with aria-pressed; it works by a plain POST and a
redirect, and with htmx by swapping the part that changed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.privacy import services as privacy
from tandem.privacy.categories import SHAREABLE, Category
from tandem.privacy.models import AgreementNarrowing, CategoryShare, SharingChange
from tandem.privacy.services import content_models
from tandem.schools.services import end_assignment

from .. import content
from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _pressed(page: str, name: str) -> str:
    """The aria-pressed value of the button whose accessible name is `name`."""
    match = re.search(
        r'aria-pressed="(true|false)">(?:(?!</button>).)*' + re.escape(name), page, re.S
    )
    assert match, f"no toggle named {name!r}"
    return match.group(1)


def test_teacher_reads_her_rules_in_plain_words(cast: Cast, client_for) -> None:
    page = client_for(cast.maya).get(reverse("privacy")).content.decode()
    for words in [
        "sees what belongs to that work, unless you hold an item back",
        "Your other coaches see only what you share with them",
        "private notes about their own coaching are theirs alone",
        "never see your coaching content. They see only counts over at least 5 teachers",
        "When a coach stops working with you, everything you shared with them ends",
    ]:
        assert words in page


def test_teacher_is_told_how_many_private_notes_each_coach_keeps_never_what_they_say(
    cast: Cast, client_for
) -> None:
    for title in ("First worry", "Second worry"):
        content.note(cast, author=cast.lena, private=True, title=title)
    content.note(cast, author=cast.omar, private=True, title="Omar's")
    content.note(cast, teacher=cast.luis, author=cast.nia, private=True)  # about Luis, not Maya
    page = client_for(cast.maya).get(reverse("privacy")).content.decode()
    assert (
        "Lena Brooks keeps 2 private notes about their own coaching with you; "
        "no one else can read them." in page
    )
    assert "Omar Haddad keeps 1 private note about their own coaching with you" in page
    assert "Nia" not in page
    assert "worry" not in page


def test_the_grid_has_a_row_per_active_coach_and_a_column_per_shareable_category(
    cast: Cast, client_for
) -> None:
    end_assignment(assignment=cast.lena_maya, acting_user=cast.maya)
    page = client_for(cast.maya).get(reverse("privacy")).content.decode()
    for category in SHAREABLE:
        assert f'<th scope="col">{category.label}</th>' in page
    assert "Coach-private notes</th>" not in page
    for coach, role in [
        ("Omar Haddad", "Technology coach"),
        ("Sam Okafor", "Content specialist (Mathematics)"),
        ("Grace Kim", "Mentor"),
        ("Luis Ortega", "Department head (Mathematics)"),
    ]:
        assert f'{coach} <span class="role">{role}</span>' in page
        assert _pressed(page, f"Share lesson video with {coach}") == "false"
    assert "Share lesson video with Lena Brooks" not in page  # no longer her coach
    assert "Nia Patel" not in page


def test_a_cell_shares_by_plain_post_and_redirect_without_javascript(
    cast: Cast, client_for
) -> None:
    client = client_for(cast.maya)
    data = {"coach": str(cast.omar.uuid), "category": Category.VIDEO, "shared": "1"}
    response = client.post(reverse("privacy_share_category"), data, follow=True)
    assert response.redirect_chain == [(reverse("privacy") + "#coaches", 302)]
    page = response.content.decode()
    assert "Omar Haddad can now see your lesson video." in page
    assert _pressed(page, "Share lesson video with Omar Haddad") == "true"
    assert CategoryShare.objects.filter(coach=cast.omar, category=Category.VIDEO).exists()
    assert SharingChange.objects.get().action == SharingChange.Action.SHARE_CATEGORY


def test_a_cell_toggles_with_htmx_and_answers_with_the_grid_and_a_status_line(
    cast: Cast, client_for
) -> None:
    client = client_for(cast.maya)
    data = {"coach": str(cast.sam.uuid), "category": Category.GOALS, "shared": "1"}
    shared = client.post(reverse("privacy_share_category"), data, **HTMX).content.decode()
    assert shared.lstrip().startswith('<div id="share-grid"')
    # One fragment, the legend inside it (a swap must not add a second legend).
    fragment = shared.split('<p id="privacy-status"')[0]
    assert fragment.rstrip().endswith("</div>")
    assert fragment.count('class="legend') == 1
    assert "<html" not in shared
    assert _pressed(shared, "Share goals and plans with Sam Okafor") == "true"
    assert 'id="privacy-status" hx-swap-oob="innerHTML"' in shared
    assert "Sam Okafor can now see your goals and plans." in shared
    unshared = client.post(
        reverse("privacy_share_category"), {**data, "shared": "0"}, **HTMX
    ).content.decode()
    assert _pressed(unshared, "Share goals and plans with Sam Okafor") == "false"
    assert not CategoryShare.objects.exists()


def test_teacher_cannot_share_with_someone_who_is_not_her_coach(cast: Cast, client_for) -> None:
    client = client_for(cast.maya)
    for person in (cast.nia, cast.dana, cast.henry):
        data = {"coach": str(person.uuid), "category": Category.GOALS, "shared": "1"}
        response = client.post(reverse("privacy_share_category"), data, follow=True)
        assert "That person is not one of your coaches right now." in response.content.decode()
    bad_category = {"coach": str(cast.omar.uuid), "category": "coach_private", "shared": "1"}
    response = client.post(reverse("privacy_share_category"), bad_category, follow=True)
    assert "This kind of content cannot be shared." in response.content.decode()
    assert not CategoryShare.objects.exists()


def test_revoking_a_category_takes_effect_on_the_coachs_very_next_request(
    cast: Cast, client_for
) -> None:
    note = content.note(cast, title="My reflection")
    maya, grace = client_for(cast.maya), client_for(cast.grace)
    data = {"coach": str(cast.grace.uuid), "category": Category.NOTES}
    maya.post(reverse("privacy_share_category"), {**data, "shared": "1"}, **HTMX)
    assert grace.get(note.get_absolute_url()).status_code == 200
    maya.post(reverse("privacy_share_category"), {**data, "shared": "0"}, **HTMX)
    assert grace.get(note.get_absolute_url()).status_code == 404


def test_teacher_sees_the_school_agreement_and_narrows_it_for_herself(
    cast: Cast, client_for
) -> None:
    privacy.set_agreement(
        school=cast.jefferson, category=Category.GOALS, shared=True, acting_user=cast.dana
    )
    goal = content.goal(cast)
    sam = client_for(cast.sam)
    assert sam.get(goal.get_absolute_url()).status_code == 200  # through the agreement

    maya = client_for(cast.maya)
    page = maya.get(reverse("privacy")).content.decode()
    assert "Jefferson Middle School" in page
    assert 'aria-pressed="false" aria-label="Narrow it for me: Goals and plans"' in page
    answer = maya.post(
        reverse("privacy_narrow"), {"category": Category.GOALS, "narrowed": "1"}, **HTMX
    ).content.decode()
    assert answer.lstrip().startswith('<div id="agreement-table"')
    assert "Your coaches no longer see your goals and plans through the school" in answer
    assert AgreementNarrowing.objects.filter(teacher=cast.maya, category="goals").exists()
    assert sam.get(goal.get_absolute_url()).status_code == 404  # the very next request

    maya.post(reverse("privacy_narrow"), {"category": Category.GOALS, "narrowed": "0"})
    assert sam.get(goal.get_absolute_url()).status_code == 200


def test_held_back_items_are_listed_and_released_from_the_privacy_page(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, held_back=True, statement="Only mine for now")
    content.goal(cast, statement="Not held back")
    client = client_for(cast.maya)
    page = client.get(reverse("privacy")).content.decode()
    assert "Goal: Only mine for now" in page
    assert "Goal: Not held back" not in page
    response = client.post(
        reverse("item_hold_back", args=["goal", goal.uuid]), {"held": "0", "next": "privacy"}
    )
    assert response["Location"] == reverse("privacy") + "#held-back"
    goal.refresh_from_db()
    assert not goal.held_back


def test_privacy_page_runs_the_same_number_of_queries_for_a_bigger_team_and_more_content(
    cast: Cast, client_for, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.maya)
    client.get(reverse("privacy"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("privacy")).status_code == 200
        return len(queries)

    small = count()
    for _ in range(4):
        coach = f.coach(cast.jefferson)
        f.assign(coach, cast.maya, cast.jefferson)
        privacy.share_category(
            teacher=cast.maya, coach=coach, category=Category.VIDEO, acting_user=cast.maya
        )
        content.note(cast, author=coach, private=True)
        content.goal(cast, held_back=True)
    assert count() == small
    # The session, the person, her roles and time zone, the header's unread count, her
    # team, shares, agreement, narrowings; then per kind of coaching content, private
    # notes counted and held back.
    with django_assert_max_num_queries(9 + 2 * len(content_models())):
        client.get(reverse("privacy"))


def test_pages_carry_no_inline_script_and_no_hx_on(cast: Cast, client_for) -> None:
    goal = content.goal(cast)
    note = content.note(cast)
    client = client_for(cast.maya)
    for url in [
        reverse("privacy"),
        reverse("who_looked"),
        goal.get_absolute_url(),
        note.get_absolute_url(),
        reverse("goal_list"),
        reverse("note_list"),
    ]:
        page = client.get(url).content.decode()
        assert "hx-on" not in page, url
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page)), url
        assert "/static/tandem/privacy.css" in page, url
