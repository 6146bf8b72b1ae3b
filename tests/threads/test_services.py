"""The coaches' thread services: mentions, unread counts, resources, and the check-in agenda."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tandem.notifications.models import Notification
from tandem.threads import agenda, services
from tandem.threads.models import Kind, Message, Resource, Thread

from ..cast import Cast


@pytest.fixture
def thread(cast: Cast) -> Thread:
    return services.team_thread(school=cast.jefferson, acting_user=cast.lena)


def test_one_team_thread_per_school(cast: Cast, thread: Thread) -> None:
    assert services.team_thread(school=cast.jefferson, acting_user=cast.dana) == thread
    assert Thread.objects.filter(school=cast.jefferson).count() == 1


def test_teachers_and_other_schools_and_districts_have_no_team_thread(cast: Cast) -> None:
    for outsider in (cast.maya, cast.ruth, cast.henry, cast.priya):
        with pytest.raises(Http404):
            services.team_thread(school=cast.jefferson, acting_user=outsider)


def test_a_mention_notifies_once_in_the_app_and_by_email_without_content(
    cast: Cast, thread: Thread, django_capture_on_commit_callbacks: object
) -> None:
    services.join(thread=thread, acting_user=cast.omar)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.post_message(
            thread=thread,
            acting_user=cast.lena,
            text="@Omar Haddad the tablets for Maya's class are ready, thanks @omar!",
        )
    notes = Notification.objects.filter(user=cast.omar)
    assert notes.count() == 1
    assert (
        notes.get().text
        == "Lena Brooks mentioned you in the Jefferson Middle School coaches' thread"
    )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [cast.omar.email]
    assert "tablets" not in sent.body
    assert "Maya" not in sent.body
    assert "tablets" not in sent.subject
    assert f"/threads/{thread.uuid}/" in sent.body


def test_a_coach_who_has_not_joined_is_not_told_of_a_mention(cast: Cast, thread: Thread) -> None:
    services.post_message(thread=thread, acting_user=cast.lena, text="@Nia Patel hello")
    assert not Notification.objects.filter(user=cast.nia).exists()
    assert not mail.outbox


def test_a_teacher_mentioned_by_name_is_not_told(cast: Cast, thread: Thread) -> None:
    services.post_message(thread=thread, acting_user=cast.lena, text="@Maya Torres did well")
    assert not Notification.objects.filter(user=cast.maya).exists()


def test_unread_counts_follow_each_persons_last_read_marker(cast: Cast, thread: Thread) -> None:
    services.join(thread=thread, acting_user=cast.omar)
    services.post_message(thread=thread, acting_user=cast.lena, text="one")
    last = services.post_message(thread=thread, acting_user=cast.lena, text="two")
    assert services.unread_count(thread=thread, user=cast.omar) == 2
    assert services.unread_count(thread=thread, user=cast.lena) == 0
    assert services.mark_read(thread=thread, acting_user=cast.omar, up_to=last.pk - 1) == 1
    assert services.mark_read(thread=thread, acting_user=cast.omar) == 0


def test_an_empty_message_is_refused_and_nothing_is_saved(cast: Cast, thread: Thread) -> None:
    with pytest.raises(ValidationError):
        services.post_message(thread=thread, acting_user=cast.lena, text="   ")
    assert not Message.objects.exists()


def test_a_resource_needs_a_web_address_and_is_shared_in_the_thread(
    cast: Cast, thread: Thread
) -> None:
    with pytest.raises(ValidationError):
        services.add_resource(
            school=cast.jefferson, acting_user=cast.sam, title="x", url="javascript:alert(1)"
        )
    assert not Resource.objects.exists()
    resource = services.add_resource(
        school=cast.jefferson,
        acting_user=cast.sam,
        title="Number talks",
        url="https://example.org/number-talks",
        tags="Math, fluency, math",
    )
    assert resource.tag_list() == ["math", "fluency"]
    assert thread.messages.get().resource == resource


def test_success_stories_reach_the_agenda_with_a_role_and_no_name(
    cast: Cast, thread: Thread
) -> None:
    since = timezone.now() - datetime.timedelta(minutes=1)
    services.post_message(thread=thread, acting_user=cast.lena, text="Exit tickets: 80% today")
    services.post_message(thread=thread, acting_user=cast.omar, text="A story", kind=Kind.SUCCESS)
    services.post_message(thread=thread, acting_user=cast.dana, text="Another", kind=Kind.SUCCESS)
    stories = agenda.success_stories(school=cast.jefferson, since=since)
    assert [(s.text, s.role) for s in stories] == [
        ("A story", "Technology coach"),
        ("Another", "School leader"),
    ]
    assert "Omar" not in repr(stories)
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert agenda.success_stories(school=cast.jefferson, since=later) == []
    assert agenda.success_stories(school=cast.lincoln, since=since) == []


def test_resources_shared_reach_the_agenda(cast: Cast, thread: Thread) -> None:
    since = timezone.now() - datetime.timedelta(minutes=1)
    services.add_resource(
        school=cast.jefferson,
        acting_user=cast.sam,
        title="Number talks",
        url="https://example.org/nt",
        tags="math",
    )
    shared = agenda.resources_shared(school=cast.jefferson, since=since)
    assert [(r.title, r.url, r.tags, r.shared_by) for r in shared] == [
        ("Number talks", "https://example.org/nt", ["math"], "Sam Okafor")
    ]
    assert agenda.resources_shared(school=cast.ridgeway, since=since) == []
