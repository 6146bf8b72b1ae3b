"""Contradiction flags: two coaches' advice set side by side, thought through together."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.coaching.models import Suggestion
from tandem.coaching.services import give_suggestion
from tandem.notifications.models import Notification
from tandem.privacy.models import ItemShare, SharingChange
from tandem.privacy.services import share_category
from tandem.schools.services import end_assignment
from tandem.teamwork import services
from tandem.teamwork.agenda import flags_for_agenda, open_flag_count
from tandem.teamwork.models import ContradictionFlag, FlagReply

from ..cast import Cast

pytestmark = pytest.mark.django_db

SignIn = Callable[..., Client]

TABLETS = "Have students use the tablets for all practice"
PAPER = "Keep practice on paper so students show their work"


def advice(cast: Cast) -> tuple[Suggestion, Suggestion]:
    tablets = give_suggestion(coach=cast.omar, teacher=cast.maya, text=TABLETS)
    paper = give_suggestion(coach=cast.sam, teacher=cast.maya, text=PAPER)
    return tablets, paper


def flag(cast: Cast) -> ContradictionFlag:
    return services.raise_flag(
        suggestions=list(advice(cast)), note="Tablets or paper?", acting_user=cast.maya
    )


def since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=14)


def test_the_teacher_flags_two_coaches_advice_and_both_coaches_see_the_reflection(
    cast: Cast, client_for: SignIn
) -> None:
    tablets, paper = advice(cast)
    response = client_for(cast.maya).post(
        reverse("teacher_advice", args=[cast.maya.uuid]),
        {"suggestions": [str(tablets.uuid), str(paper.uuid)], "note": "Tablets or paper?"},
    )
    raised = ContradictionFlag.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("flag_detail", args=[raised.uuid])
    assert raised.category == "suggestions"
    assert {p.user_id for p in raised.participants.all()} == {
        cast.maya.pk,
        cast.omar.pk,
        cast.sam.pk,
    }
    for coach in (cast.omar, cast.sam):
        page = client_for(coach).get(raised.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert TABLETS in text
        assert PAPER in text
        assert "pull in different directions" in text
    audited = SharingChange.objects.filter(action="share_item", teacher=cast.maya)
    assert audited.count() == ItemShare.objects.filter(teacher=cast.maya).count() == 4
    told = Notification.objects.filter(user__in=[cast.omar, cast.sam])
    assert told.count() == 2
    assert all(TABLETS not in n.text and "Tablets" not in n.text for n in told)


def test_a_flag_on_suggestions_from_a_single_coach_is_refused_and_nothing_is_saved(
    cast: Cast, client_for: SignIn
) -> None:
    one = give_suggestion(coach=cast.omar, teacher=cast.maya, text=TABLETS)
    two = give_suggestion(coach=cast.omar, teacher=cast.maya, text="Try the quiz app")
    response = client_for(cast.maya).post(
        reverse("teacher_advice", args=[cast.maya.uuid]),
        {"suggestions": [str(one.uuid), str(two.uuid)], "note": "Hmm"},
    )
    assert response.status_code == 200
    assert "all come from one coach" in response.content.decode()
    assert not ContradictionFlag.objects.exists()
    assert not ItemShare.objects.exists()
    assert not Notification.objects.exists()


def test_a_flag_needs_two_suggestions_and_a_note(cast: Cast) -> None:
    tablets, paper = advice(cast)
    with pytest.raises(ValidationError):
        services.raise_flag(suggestions=[tablets], note="Why?", acting_user=cast.maya)
    with pytest.raises(ValidationError):
        services.raise_flag(suggestions=[tablets, paper], note="   ", acting_user=cast.maya)
    assert not ContradictionFlag.objects.exists()


def test_a_coach_not_on_the_flag_gets_404_even_with_suggestions_shared(
    cast: Cast, client_for: SignIn
) -> None:
    raised = flag(cast)
    share_category(
        teacher=cast.maya, coach=cast.lena, category="suggestions", acting_user=cast.maya
    )
    assert ContradictionFlag.objects.visible_to(cast.lena).count() == 0
    for user in (cast.lena, cast.nia, cast.dana, cast.priya, cast.henry, cast.otto):
        assert client_for(user).get(raised.get_absolute_url()).status_code == 404
        assert (
            client_for(user)
            .post(reverse("flag_reply", args=[raised.uuid]), {"text": "Me too"})
            .status_code
            == 404
        )
    assert not FlagReply.objects.exists()


def test_a_leader_never_sees_the_flag(cast: Cast, client_for: SignIn) -> None:
    raised = flag(cast)
    assert ContradictionFlag.objects.visible_to(cast.dana).count() == 0
    assert client_for(cast.dana).get(raised.get_absolute_url()).status_code == 404
    assert (
        client_for(cast.dana).get(reverse("teacher_team", args=[cast.maya.uuid])).status_code == 404
    )


def test_another_districts_people_get_404_on_the_team_page_and_the_flag(
    cast: Cast, client_for: SignIn
) -> None:
    raised = flag(cast)
    for user in (cast.henry, cast.hilda, cast.otto):
        client = client_for(user)
        assert client.get(raised.get_absolute_url()).status_code == 404
        assert client.get(reverse("teacher_team", args=[cast.maya.uuid])).status_code == 404
        assert client.get(reverse("teacher_advice", args=[cast.maya.uuid])).status_code == 404


def test_a_coach_whose_assignment_ends_no_longer_sees_the_flag(cast: Cast) -> None:
    raised = flag(cast)
    assignment = cast.maya.coached_assignments.get(coach=cast.omar)
    end_assignment(assignment=assignment, acting_user=cast.maya)
    assert not ContradictionFlag.objects.visible_to(cast.omar).filter(pk=raised.pk).exists()
    assert ContradictionFlag.objects.visible_to(cast.sam).filter(pk=raised.pk).exists()


def test_the_coaches_reply_and_resolve_and_it_shows_on_both_suggestions(
    cast: Cast, client_for: SignIn
) -> None:
    raised = flag(cast)
    omar = client_for(cast.omar)
    omar.post(
        reverse("flag_reply", args=[raised.uuid]),
        {"text": "Tablets for practice, paper for work shown?"},
    )
    client_for(cast.sam).post(
        reverse("flag_resolve", args=[raised.uuid]),
        {"resolution": "Paper for multi-step problems; tablets for fluency practice."},
    )
    raised.refresh_from_db()
    assert raised.is_resolved
    assert raised.resolved_by == cast.sam
    assert FlagReply.objects.filter(flag=raised).count() == 1
    for suggestion in raised.suggestions.all():
        for user in (cast.maya, cast.omar, cast.sam):
            page = client_for(user).get(suggestion.get_absolute_url()).content.decode()
            assert "Paper for multi-step problems" in page


def test_a_blank_resolution_is_refused_and_nothing_changes(cast: Cast, client_for: SignIn) -> None:
    raised = flag(cast)
    client_for(cast.sam).post(reverse("flag_resolve", args=[raised.uuid]), {"resolution": " "})
    raised.refresh_from_db()
    assert not raised.is_resolved


def test_only_the_teacher_consents_and_revoking_removes_it_from_the_agenda(
    cast: Cast, client_for: SignIn
) -> None:
    raised = flag(cast)
    assert flags_for_agenda(school=cast.jefferson, since=since()) == []
    with pytest.raises(PermissionDenied):
        services.set_agenda_consent(flag=raised, consent=True, acting_user=cast.omar)
    client_for(cast.maya).post(reverse("flag_consent", args=[raised.uuid]), {"consent": "on"})
    shown = flags_for_agenda(school=cast.jefferson, since=since())
    assert len(shown) == 1
    assert open_flag_count(school=cast.jefferson) == 1
    assert shown[0].resolution == "Open"
    assert shown[0].roles == ["Content specialist", "Technology coach"]
    assert "Maya" not in repr(shown)
    assert "Tablets" not in repr(shown)
    assert flags_for_agenda(school=cast.lincoln, since=since()) == []
    client_for(cast.maya).post(reverse("flag_consent", args=[raised.uuid]), {})
    assert flags_for_agenda(school=cast.jefferson, since=since()) == []
    assert open_flag_count(school=cast.jefferson) == 0


def test_a_resolved_flag_shows_its_resolution_on_the_agenda(cast: Cast) -> None:
    raised = flag(cast)
    services.set_agenda_consent(flag=raised, consent=True, acting_user=cast.maya)
    services.resolve_flag(flag=raised, resolution="Both, by task", acting_user=cast.omar)
    shown = flags_for_agenda(school=cast.jefferson, since=since())
    assert [(a.resolution, a.resolved) for a in shown] == [("Both, by task", True)]
    assert open_flag_count(school=cast.jefferson) == 0
    assert flags_for_agenda(school=cast.jefferson, since=timezone.now()) == []


def test_a_coach_may_flag_advice_she_sees_and_shares_none_of_the_teachers(cast: Cast) -> None:
    tablets, paper = advice(cast)
    share_category(
        teacher=cast.maya, coach=cast.lena, category="suggestions", acting_user=cast.maya
    )
    raised = services.raise_flag(
        suggestions=[tablets, paper], note="These two differ", acting_user=cast.lena
    )
    assert {p.user_id for p in raised.participants.all()} == {
        cast.maya.pk,
        cast.omar.pk,
        cast.sam.pk,
        cast.lena.pk,
    }
    # Only the flag is shared: Sam does not see Omar's suggestion through a coach's flag.
    assert not Suggestion.objects.visible_to(cast.sam).filter(pk=tablets.pk).exists()


def test_a_suggestion_she_may_not_see_cannot_be_flagged(cast: Cast) -> None:
    tablets, paper = advice(cast)
    with pytest.raises(Http404):
        services.raise_flag(suggestions=[tablets, paper], note="x", acting_user=cast.nia)
    assert not ContradictionFlag.objects.exists()


def test_the_team_page_lists_her_coaches_and_one_timeline_in_constant_queries(
    cast: Cast, client_for: SignIn, django_assert_max_num_queries: Callable[..., object]
) -> None:
    flag(cast)
    client = client_for(cast.maya)
    url = reverse("teacher_team", args=[cast.maya.uuid])
    with django_assert_max_num_queries(20) as counted:  # type: ignore[attr-defined]
        first = client.get(url)
    for n in range(6):
        give_suggestion(coach=cast.grace, teacher=cast.maya, text=f"Idea {n}")
    with django_assert_max_num_queries(len(counted.captured_queries)):  # type: ignore[attr-defined]
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    text = second.content.decode()
    for name in ("Lena Brooks", "Omar Haddad", "Sam Okafor", "Grace Kim", "Technology coach"):
        assert name in text
    assert text.index("Idea 5") < text.index(TABLETS)


def test_a_coach_sees_on_the_team_page_only_what_she_may_see(
    cast: Cast, client_for: SignIn
) -> None:
    give_suggestion(coach=cast.grace, teacher=cast.maya, text="Grace's private-ish idea")
    omar = client_for(cast.omar).get(reverse("teacher_team", args=[cast.maya.uuid]))
    assert omar.status_code == 200
    assert "Grace&#x27;s private-ish idea" not in omar.content.decode()
    assert (
        client_for(cast.nia).get(reverse("teacher_team", args=[cast.maya.uuid])).status_code == 404
    )


def test_advice_side_by_side_groups_every_coach_with_role(cast: Cast, client_for: SignIn) -> None:
    advice(cast)
    page = client_for(cast.maya).get(reverse("teacher_advice", args=[cast.maya.uuid]))
    text = page.content.decode()
    assert "Technology coach" in text
    assert "Content specialist (Mathematics)" in text
    assert TABLETS in text
    assert PAPER in text


def test_team_me_goes_to_her_own_team_page(cast: Cast, client_for: SignIn) -> None:
    response = client_for(cast.maya).get(reverse("team_me"))
    assert response["Location"] == reverse("teacher_team", args=[cast.maya.uuid])


def test_the_alignment_report_counts_consented_flags_by_roles_and_names_no_one(
    cast: Cast, client_for: SignIn
) -> None:
    raised = flag(cast)
    url = reverse("alignment_report", args=[cast.jefferson.uuid])
    assert (
        "Content specialist + Technology coach"
        not in client_for(cast.dana).get(url).content.decode()
    )
    services.set_agenda_consent(flag=raised, consent=True, acting_user=cast.maya)
    for viewer in (cast.dana, cast.lena):
        page = client_for(viewer).get(url).content.decode()
        assert "Content specialist + Technology coach" in page
        assert "Tablets or paper?" not in page
        assert TABLETS not in page
