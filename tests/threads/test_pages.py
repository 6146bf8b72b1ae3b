"""The coaches' thread pages: escaping, who may read, polling, norms, resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import User
from tandem.privacy.models import SchoolAgreement
from tandem.threads import services
from tandem.threads.models import Kind, Message, Resource, Thread

from ..cast import Cast

SignIn = Callable[[User], Client]
SCRIPT = '<script>alert("x")</script><b>bold</b>'


@pytest.fixture
def thread(cast: Cast) -> Thread:
    return services.team_thread(school=cast.jefferson, acting_user=cast.lena)


def test_a_message_with_a_script_tag_is_shown_as_text(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    client = client_for(cast.lena)
    response = client.post(
        reverse("thread_page", args=[thread.uuid]), {"text": SCRIPT, "kind": "message"}
    )
    assert response.status_code == 302
    page = client_for(cast.omar).get(reverse("thread_page", args=[thread.uuid]))
    body = page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in body
    assert '<script>alert("x")' not in body
    assert "<b>bold</b>" not in body


def test_links_and_mentions_are_made_clickable_and_nothing_else(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    services.post_message(
        thread=thread,
        acting_user=cast.lena,
        text="@Omar Haddad see https://example.org/a?b=1 and javascript:alert(1)",
    )
    body = client_for(cast.sam).get(reverse("thread_page", args=[thread.uuid])).content.decode()
    assert '<strong class="mention">@Omar Haddad</strong>' in body
    assert '<a href="https://example.org/a?b=1" rel="nofollow noopener noreferrer">' in body
    assert 'href="javascript' not in body


@pytest.mark.parametrize("outsider", ["henry", "maya", "hilda", "priya", "ruth"])
def test_outsiders_get_404_on_the_jefferson_thread(
    cast: Cast, thread: Thread, client_for: SignIn, outsider: str
) -> None:
    client = client_for(getattr(cast, outsider))
    for name in ("thread_page", "thread_poll", "thread_norms"):
        assert client.get(reverse(name, args=[thread.uuid])).status_code == 404
    post = client.post(reverse("thread_page", args=[thread.uuid]), {"text": "hi"})
    assert post.status_code == 404
    assert not Message.objects.exists()


def test_a_hillview_coach_gets_404_on_a_maple_valley_thread(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    client = client_for(cast.henry)
    assert client.get(reverse("thread_page", args=[thread.uuid])).status_code == 404
    assert client.get(reverse("school_thread", args=[cast.jefferson.uuid])).status_code == 404
    assert client.get(reverse("resource_list", args=[cast.jefferson.uuid])).status_code == 404


def test_the_poll_returns_only_new_messages(cast: Cast, thread: Thread, client_for: SignIn) -> None:
    first = services.post_message(thread=thread, acting_user=cast.lena, text="old news")
    services.post_message(thread=thread, acting_user=cast.omar, text="fresh news")
    client = client_for(cast.sam)
    body = client.get(
        reverse("thread_poll", args=[thread.uuid]), {"after": first.pk}
    ).content.decode()
    assert "fresh news" in body
    assert "old news" not in body
    assert 'hx-trigger="every 15s"' in body
    assert client.get(reverse("thread_poll", args=[thread.uuid]), {"after": "x"}).status_code == 400


def test_a_poll_costs_the_same_queries_however_many_messages(
    cast: Cast,
    thread: Thread,
    client_for: SignIn,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(cast.sam)
    services.join(thread=thread, acting_user=cast.sam)
    url = reverse("thread_poll", args=[thread.uuid])

    def poll_with(new: int) -> int:
        before = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for i in range(new):
            services.post_message(thread=thread, acting_user=cast.lena, text=f"message {i} @omar")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"after": before}).status_code == 200
        return len(queries)

    one = poll_with(1)
    many = poll_with(30)
    assert one == many
    with django_assert_max_num_queries(one):
        client.get(url, {"after": 0})


def test_the_page_shows_unread_messages_and_marks_them_read(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    services.join(thread=thread, acting_user=cast.omar)
    services.post_message(thread=thread, acting_user=cast.lena, text="one")
    services.post_message(thread=thread, acting_user=cast.lena, text="two")
    client = client_for(cast.omar)
    index = client.get(reverse("thread_index")).content.decode()
    assert "2 unread" in index
    page = client.get(reverse("thread_page", args=[thread.uuid])).content.decode()
    assert "2 new messages since your last visit." in page
    assert services.unread_count(thread=thread, user=cast.omar) == 0
    assert "All read" in client.get(reverse("thread_index")).content.decode()


def test_the_pinned_norms_show_the_school_agreement_and_the_teams_text(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    SchoolAgreement.objects.create(
        district=cast.maple, school=cast.jefferson, category="goals", updated_by=cast.dana
    )
    client = client_for(cast.nia)
    response = client.post(
        reverse("thread_norms", args=[thread.uuid]), {"norms": "Assume good intent."}
    )
    assert response.status_code == 302
    body = client.get(reverse("thread_page", args=[thread.uuid])).content.decode()
    assert "Goals and plans" in body
    assert "Assume good intent." in body
    assert "Share about a teacher only what your school's agreement" in body


def test_a_success_story_is_posted_from_the_composer(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    client_for(cast.grace).post(
        reverse("thread_page", args=[thread.uuid]), {"text": "It worked", "kind": "success"}
    )
    assert Message.objects.get().kind == Kind.SUCCESS


def test_resources_are_added_shared_and_filtered_by_tag(
    cast: Cast, thread: Thread, client_for: SignIn
) -> None:
    client = client_for(cast.sam)
    url = reverse("resource_list", args=[cast.jefferson.uuid])
    bad = client.post(url, {"title": "x", "url": "not a link"})
    assert bad.status_code == 200
    assert not Resource.objects.exists()
    client.post(url, {"title": "Number talks", "url": "https://e.org/nt", "tags": "math"})
    client.post(url, {"title": "Padlet tips", "url": "https://e.org/p", "tags": "tech"})
    filtered = client.get(url, {"tag": "math"}).content.decode()
    assert "Number talks" in filtered
    assert "Padlet tips" not in filtered
    assert thread.messages.filter(kind=Kind.RESOURCE).count() == 2
