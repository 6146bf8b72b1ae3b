"""The hourly housekeeping run: it schedules itself once, sweeps orphan files, and the
demo's videos are real, watchable and commented."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tandem.media import files, schedule, services, tasks
from tandem.media.models import TimedComment, Video

from ..cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for() -> Callable[..., Client]:
    from tandem.accounts.models import ApiToken

    def client(user: Any) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


def test_housekeeping_is_scheduled_once_and_reschedules_itself() -> None:
    assert schedule.ensure_scheduled() is True
    assert schedule.ensure_scheduled() is False
    waiting = DBTaskResult.objects.get(task_path=schedule.TASK_PATH)
    assert waiting.run_after > waiting.enqueued_at
    DBTaskResult.objects.all().delete()
    result = tasks.housekeeping.call()
    assert set(result) == {"deleted_by_retention", "expired_uploads", "requeued", "orphans"}
    assert DBTaskResult.objects.filter(task_path=schedule.TASK_PATH).count() == 1


def test_files_no_video_accounts_for_are_swept(cast: Cast, settings: Any) -> None:
    store = files.storage()
    store.save("videos/0123456789abcdef/lesson.mp4", ContentFile(b"left by a crash"))
    kept = services.start_upload(teacher=cast.maya, length=10)
    assert services.sweep_orphans() == 1
    assert not store.exists("videos/0123456789abcdef/lesson.mp4")
    assert kept.staged_path.exists()


def test_the_management_command_runs_it_now() -> None:
    out = StringIO()
    call_command("media_housekeeping", stdout=out)
    assert "deleted by retention: 0" in out.getvalue()


def test_the_demo_has_videos_to_watch_with_comments(
    client_for: Callable[..., Client], settings: Any
) -> None:
    from tandem.accounts.models import User
    from tandem.schools import demo

    demo.build("small")
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    lena = User.objects.get(email="lena.brooks@maplevalley.example")
    assert Video.objects.filter(teacher=maya).count() == 2
    assert list(Video.objects.visible_to(lena).values_list("title", flat=True)) == [
        "Fractions on a number line, 3rd period"
    ]
    shared = Video.objects.visible_to(lena).get()
    assert TimedComment.objects.filter(video=shared).count() == 4
    response = client_for(lena).get(f"/videos/{shared.uuid}/stream/", HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert b"ftyp" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_api_lists_videos_and_adds_a_comment_at_a_moment(
    cast: Cast, ready_video: Callable[..., Video], api_for: Callable[..., Client]
) -> None:
    video = ready_video(cast.maya)
    services.share_video(video=video, coaches=[cast.lena], consent=True, acting_user=cast.maya)
    lena = api_for(cast.lena)
    listed = lena.get("/api/v1/videos").json()
    assert [v["uuid"] for v in listed["items"]] == [str(video.uuid)]
    added = lena.post(
        f"/api/v1/videos/{video.uuid}/comments",
        data=json.dumps({"at_seconds": 1.5, "kind": "question", "body": "Why here?"}),
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["at_seconds"] == 1.5
    detail = api_for(cast.maya).get(f"/api/v1/videos/{video.uuid}").json()
    assert [s["display_name"] for s in detail["who_can_see"]] == ["Maya Torres", "Lena Brooks"]
    assert "deletes_on" in detail
    assert api_for(cast.omar).get(f"/api/v1/videos/{video.uuid}").status_code == 404
    late = lena.post(
        f"/api/v1/videos/{video.uuid}/comments",
        data=json.dumps({"at_seconds": 500, "kind": "note", "body": "Late"}),
        content_type="application/json",
    )
    assert late.status_code == 400
