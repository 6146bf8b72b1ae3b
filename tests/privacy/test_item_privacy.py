""" "Who can see this" on every goal and note, and the teacher's controls for one item:
share it with one coach, hold it back, release it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import ItemShare, SharingChange

from .. import content
from ..cast import Cast

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _panel(page: str) -> str:
    return page[page.index('id="who-can-see"') :]


def test_teacher_sees_everyone_who_can_see_her_goal_and_why(cast: Cast, client_for) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    privacy.share_category(
        teacher=cast.maya, coach=cast.omar, category=Category.GOALS, acting_user=cast.maya
    )
    privacy.share_item(item=goal, coach=cast.grace, acting_user=cast.maya)
    panel = _panel(client_for(cast.maya).get(goal.get_absolute_url()).content.decode())
    assert "<strong>You</strong>" in panel
    assert re.search(
        r"Omar Haddad</strong>, <span class=\"role\">Technology coach</span>\s*"
        r"<span class=\"why\"> — you shared goals and plans with them on \d+ \w+</span>",
        panel,
    )
    assert 'Lena Brooks</strong>, <span class="role">Instructional coach</span>' in panel
    assert "it belongs to the work you do together" in panel
    assert 'Grace Kim</strong>, <span class="role">Mentor</span>' in panel
    assert "you shared this item with them on" in panel
    for nobody in ("Sam Okafor</strong>", "Nia", "Dana", "Priya"):
        assert nobody not in panel.split('<h3 id="share-one-heading">')[0]


def test_a_coach_sees_who_else_can_see_it_but_not_the_teachers_reasons(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    privacy.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    panel = _panel(client_for(cast.omar).get(goal.get_absolute_url()).content.decode())
    assert 'Maya Torres</strong>, <span class="role">Teacher</span>' in panel
    assert "Lena Brooks</strong>" in panel
    assert "<strong>You</strong>" in panel
    assert "you shared" not in panel
    assert "Maya Torres decides who sees her coaching." in panel
    assert "Share this with" not in panel  # no controls for a coach
    assert "Hold it back" not in panel


def test_teacher_shares_one_goal_with_one_coach_and_the_panel_updates(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast)
    omar = client_for(cast.omar)
    assert omar.get(goal.get_absolute_url()).status_code == 404
    url = reverse("item_share", args=["goal", goal.uuid])
    answer = (
        client_for(cast.maya)
        .post(url, {"coach": str(cast.omar.uuid), "shared": "1"}, **HTMX)
        .content.decode()
    )
    assert answer.lstrip().startswith('<section class="panel privacy-panel" id="who-can-see"')
    assert re.search(
        r'aria-pressed="true"><span class="toggle-box" aria-hidden="true"></span> '
        r"Share this with Omar Haddad",
        answer,
    )
    assert "You shared this with Omar Haddad." in answer
    assert "Omar Haddad</strong>" in answer.split('<h3 id="share-one-heading">')[0]
    assert omar.get(goal.get_absolute_url()).status_code == 200
    # Stop sharing: his very next request is a 404.
    client_for(cast.maya).post(url, {"coach": str(cast.omar.uuid), "shared": "0"})
    assert not ItemShare.objects.exists()
    assert omar.get(goal.get_absolute_url()).status_code == 404


def test_sharing_one_item_works_without_javascript_too(cast: Cast, client_for) -> None:
    note = content.note(cast)
    response = client_for(cast.maya).post(
        reverse("item_share", args=["note", note.uuid]),
        {"coach": str(cast.sam.uuid), "shared": "1"},
        follow=True,
    )
    assert response.redirect_chain == [(note.get_absolute_url() + "#who-can-see", 302)]
    assert "You shared this with Sam Okafor." in response.content.decode()
    assert client_for(cast.sam).get(note.get_absolute_url()).status_code == 200


def test_holding_back_hides_it_from_the_cycles_coach_at_once_and_releasing_restores_it(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    lena = client_for(cast.lena)
    maya = client_for(cast.maya)
    url = reverse("item_hold_back", args=["goal", goal.uuid])
    assert lena.get(goal.get_absolute_url()).status_code == 200
    answer = maya.post(url, {"held": "1"}, **HTMX).content.decode()
    assert "Held back: only you can see this now." in answer
    assert "Release it to the coaches it is shared with" in answer
    assert lena.get(goal.get_absolute_url()).status_code == 404
    maya.post(url, {"held": "0"})
    assert lena.get(goal.get_absolute_url()).status_code == 200
    assert list(SharingChange.objects.order_by("id").values_list("action", flat=True)) == [
        "hold_back",
        "release",
    ]


def test_teacher_cannot_hold_back_what_her_coach_wrote_and_is_told_why(
    cast: Cast, client_for
) -> None:
    note = content.note(cast, author=cast.lena)
    page = client_for(cast.maya).get(note.get_absolute_url()).content.decode()
    assert "Hold it back" not in page
    assert "Lena Brooks wrote this, so it stays visible to them while they coach you." in page
    response = client_for(cast.maya).post(
        reverse("item_hold_back", args=["note", note.uuid]), {"held": "1"}, follow=True
    )
    assert "You can hold back only what you created or uploaded." in response.content.decode()
    note.refresh_from_db()
    assert not note.held_back


def test_only_the_teacher_changes_who_sees_an_item_others_who_see_it_get_403(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    lena = client_for(cast.lena)
    share = reverse("item_share", args=["goal", goal.uuid])
    hold = reverse("item_hold_back", args=["goal", goal.uuid])
    assert lena.post(share, {"coach": str(cast.omar.uuid), "shared": "1"}).status_code == 403
    assert lena.post(hold, {"held": "1"}).status_code == 403
    # Someone who cannot see it at all: it does not exist.
    assert client_for(cast.omar).post(hold, {"held": "1"}).status_code == 404
    assert not ItemShare.objects.exists()


def test_an_unknown_kind_of_content_is_a_404(cast: Cast, client_for) -> None:
    goal = content.goal(cast)
    url = reverse("item_share", args=["assignment", goal.uuid])
    assert client_for(cast.maya).post(url, {"coach": str(cast.omar.uuid)}).status_code == 404


def test_sharing_an_item_with_someone_who_is_not_her_coach_is_refused(
    cast: Cast, client_for
) -> None:
    goal = content.goal(cast)
    response = client_for(cast.maya).post(
        reverse("item_share", args=["goal", goal.uuid]),
        {"coach": str(cast.nia.uuid), "shared": "1"},
        **HTMX,
    )
    assert "That person is not one of your coaches right now." in response.content.decode()
    assert not ItemShare.objects.exists()
