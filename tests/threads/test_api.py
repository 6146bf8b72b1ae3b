"""The coaches' thread in the API: messages after a cursor, escaping, 404s, resources."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User
from tandem.threads import services
from tandem.threads.models import Message, Thread

from ..cast import Cast

API = "/api/v1"


@pytest.fixture
def api_for(db: None) -> Callable[[User], Client]:
    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


@pytest.fixture
def thread(cast: Cast) -> Thread:
    return services.team_thread(school=cast.jefferson, acting_user=cast.lena)


def test_a_script_tag_comes_back_as_text_and_escaped_html(
    cast: Cast, thread: Thread, api_for: Callable[[User], Client]
) -> None:
    lena = api_for(cast.lena)
    made = lena.post(
        f"{API}/threads/{thread.uuid}/messages",
        {"text": "<script>alert(1)</script>"},
        content_type="application/json",
    )
    assert made.status_code == 201
    listed = api_for(cast.omar).get(f"{API}/threads/{thread.uuid}/messages").json()
    assert listed[0]["text"] == "<script>alert(1)</script>"
    assert listed[0]["html"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_messages_after_a_cursor_and_marking_read(
    cast: Cast, thread: Thread, api_for: Callable[[User], Client]
) -> None:
    services.join(thread=thread, acting_user=cast.omar)
    first = services.post_message(thread=thread, acting_user=cast.lena, text="one")
    services.post_message(thread=thread, acting_user=cast.lena, text="two")
    omar = api_for(cast.omar)
    after = omar.get(f"{API}/threads/{thread.uuid}/messages", {"after": first.pk}).json()
    assert [m["text"] for m in after] == ["two"]
    read = omar.post(
        f"{API}/threads/{thread.uuid}/read", {"up_to": first.pk}, content_type="application/json"
    )
    assert read.json() == {"unread": 1}
    school = omar.get(f"{API}/threads/schools/{cast.jefferson.uuid}").json()
    assert school["uuid"] == str(thread.uuid)
    assert school["unread"] == 1


@pytest.mark.parametrize("outsider", ["henry", "maya", "priya"])
def test_outsiders_get_404_in_the_api(
    cast: Cast, thread: Thread, api_for: Callable[[User], Client], outsider: str
) -> None:
    client = api_for(getattr(cast, outsider))
    assert client.get(f"{API}/threads/{thread.uuid}/messages").status_code == 404
    posted = client.post(
        f"{API}/threads/{thread.uuid}/messages", {"text": "hi"}, content_type="application/json"
    )
    assert posted.status_code == 404
    assert client.get(f"{API}/threads/schools/{cast.jefferson.uuid}/resources").status_code == 404
    assert not Message.objects.exists()


def test_a_resource_with_a_bad_link_is_a_400_and_saves_nothing(
    cast: Cast, thread: Thread, api_for: Callable[[User], Client]
) -> None:
    sam = api_for(cast.sam)
    url = f"{API}/threads/schools/{cast.jefferson.uuid}/resources"
    bad = sam.post(url, {"title": "x", "url": "ftp://x"}, content_type="application/json")
    assert bad.status_code == 400
    assert "detail" in bad.json()
    good = sam.post(
        url,
        {"title": "Number talks", "url": "https://e.org/nt", "tags": ["Math"]},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert [r["tags"] for r in sam.get(url, {"tag": "math"}).json()] == [["math"]]
    assert sam.get(url, {"tag": "art"}).json() == []
