"""The video pages: watching (ranges, headers, access events), sharing with consent,
comments at a moment, captions, deletion, retention and the district's policy."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.media import services
from tandem.media.models import MediaPolicy, TimedComment, Video
from tandem.privacy.models import AccessEvent
from tandem.schools.models import Engagement, EngagementKind

from ..cast import Cast

pytestmark = pytest.mark.django_db

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nLet's look at the number line.\n"


@pytest.fixture
def video(cast: Cast, ready_video: Callable[..., Video]) -> Video:
    return ready_video(cast.maya)


def _url(name: str, video: Video) -> str:
    return reverse(name, args=[video.uuid])


def _events(video: Video) -> list[tuple[str, str]]:
    ct = ContentType.objects.get_for_model(Video)
    return [
        (e.viewer.display_name, e.path)
        for e in AccessEvent.objects.filter(content_type=ct, object_id=video.pk).order_by("id")
    ]


def _share(video: Video, cast: Cast, *coaches: Any) -> None:
    services.share_video(video=video, coaches=coaches, consent=True, acting_user=cast.maya)


def test_the_teacher_watches_her_new_video_alone(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    maya = client_for(cast.maya)
    page = maya.get(_url("video_detail", video))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Only you can see this video" in html
    assert f'src="{_url("video_stream", video)}"' in html
    assert 'type="video/mp4"' in html
    for person in (cast.lena, cast.omar, cast.nia, cast.dana, cast.priya, cast.henry):
        other = client_for(person)
        for name in ("video_detail", "video_stream", "video_poster", "video_comments"):
            assert other.get(_url(name, video)).status_code == 404, (person, name)
    assert _events(video) == []  # the teacher's own reading is not an access event


def test_the_stream_answers_ranges_with_safe_headers(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    maya = client_for(cast.maya)
    whole = maya.get(_url("video_stream", video))
    assert whole.status_code == 200
    data = b"".join(whole.streaming_content)  # type: ignore[attr-defined]
    size = len(data)
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["X-Content-Type-Options"] == "nosniff"
    assert whole["Content-Disposition"] == 'inline; filename="lesson.mp4"'
    assert whole["Content-Type"] == "video/mp4"
    part = maya.get(_url("video_stream", video), HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert b"".join(part.streaming_content) == data[100:200]  # type: ignore[attr-defined]
    tail = maya.get(_url("video_stream", video), HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == data[-10:]  # type: ignore[attr-defined]
    open_ended = maya.get(_url("video_stream", video), HTTP_RANGE=f"bytes={size - 5}-")
    assert open_ended["Content-Length"] == "5"
    beyond = maya.get(_url("video_stream", video), HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"


def test_production_can_hand_the_bytes_to_nginx_after_the_check(
    cast: Cast, video: Video, client_for: Callable[..., Client], settings: Any
) -> None:
    settings.TANDEM_VIDEO_SERVE = "x-accel"
    response = client_for(cast.maya).get(_url("video_stream", video))
    assert response["X-Accel-Redirect"] == "/protected-media/" + video.mp4
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(cast.lena).get(_url("video_stream", video)).status_code == 404


def test_sharing_needs_the_consent_confirmation_then_lets_that_coach_alone_see_it(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    maya = client_for(cast.maya)
    share = _url("video_share", video)
    refused = maya.post(share, {"coaches": [str(cast.lena.uuid)]}, follow=True)
    assert "confirm that the students" in refused.content.decode()
    assert client_for(cast.lena).get(_url("video_detail", video)).status_code == 404
    done = maya.post(share, {"coaches": [str(cast.lena.uuid)], "consent": "on"}, follow=True)
    assert "Shared with Lena Brooks" in done.content.decode()
    video.refresh_from_db()
    assert not video.held_back
    assert video.consent_confirmed_at is not None
    assert client_for(cast.lena).get(_url("video_detail", video)).status_code == 200
    assert client_for(cast.omar).get(_url("video_detail", video)).status_code == 404
    # Someone who can see it, but it is not hers: 403 on the teacher's actions.
    lena = client_for(cast.lena)
    assert lena.post(share, {"coaches": [str(cast.omar.uuid)], "consent": "on"}).status_code == 403
    assert lena.post(_url("video_delete", video)).status_code == 403
    # She keeps it to herself again: the coach loses it on her next request.
    maya.post(_url("video_keep_private", video))
    assert lena.get(_url("video_stream", video)).status_code == 404


def test_a_coach_comments_at_a_moment_and_the_teacher_sees_it_with_the_time(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    lena = client_for(cast.lena)
    comments = _url("video_comments", video)
    assert lena.post(comments, {"at": "1.2", "kind": "strength", "body": "x"}).status_code == 404
    _share(video, cast, cast.lena)
    response = lena.post(
        comments, {"at": "1.25", "kind": "question", "body": "What did the group say?"}
    )
    assert response.status_code == 302
    comment = TimedComment.objects.get()
    assert (comment.author, comment.at_ms, comment.kind) == (cast.lena, 1250, "question")
    page = client_for(cast.maya).get(_url("video_detail", video)).content.decode()
    assert 'data-seek="1.250"' in page
    assert "What did the group say?" in page
    assert ">0:01<" in page
    # Filtering by kind, as htmx asks for it.
    services.add_comment(video=video, author=cast.maya, at_seconds=0.5, kind="note", body="Me")
    only = lena.get(comments, {"kind": "note"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Me" in only
    assert "What did the group say?" not in only
    # A coach it was not shared with cannot comment; nor past the end of the video.
    assert (
        client_for(cast.omar).post(comments, {"at": "1", "kind": "note", "body": "hi"}).status_code
        == 404
    )
    late = lena.post(comments, {"at": "99", "kind": "note", "body": "late"}, follow=True)
    assert "not in the video" in late.content.decode()


def test_playback_start_is_one_access_event_and_range_requests_are_none(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    _share(video, cast, cast.lena)
    lena = client_for(cast.lena)
    lena.get(_url("video_detail", video))
    for first in (0, 1000, 2000):
        lena.get(_url("video_stream", video), HTTP_RANGE=f"bytes={first}-{first + 999}")
    assert lena.post(_url("video_played", video)).status_code == 204
    assert _events(video) == [
        ("Lena Brooks", _url("video_detail", video)),
        ("Lena Brooks", _url("video_played", video)),
    ]


def test_captions_are_validated_and_served_as_webvtt(
    cast: Cast, video: Video, client_for: Callable[..., Client]
) -> None:
    maya = client_for(cast.maya)
    upload = _url("video_captions_upload", video)
    bad = SimpleUploadedFile("notes.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nSRT, not VTT\n")
    response = maya.post(upload, {"file": bad, "language": "en"}, follow=True)
    assert "must start with the line WEBVTT" in response.content.decode()
    good = SimpleUploadedFile("anything.vtt", VTT)
    response = maya.post(upload, {"file": good, "language": "es"}, follow=True)
    assert "The captions are saved" in response.content.decode()
    video.refresh_from_db()
    assert video.captions == f"{video.storage_prefix}/captions.vtt"
    page = maya.get(_url("video_detail", video)).content.decode()
    assert 'kind="captions"' in page
    assert 'srclang="es"' in page
    served = maya.get(_url("video_captions", video))
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(served.streaming_content) == VTT  # type: ignore[attr-defined]
    assert client_for(cast.lena).get(_url("video_captions", video)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"WEBVTT\n\n", "no captions"),
        (b"WEBVTT\n\n00:01.000 --> soon\nhi\n", "timing"),
        (b"\xff\xfeW\x00", "UTF-8"),
        (b"WEBVTT\n" + b"x" * (1024 * 1024), "at most 1 MB"),
    ],
)
def test_captions_that_are_not_webvtt_are_refused(data: bytes, message: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        services.check_webvtt(data)


def test_the_teacher_deletes_her_video_and_every_file_goes(
    cast: Cast, video: Video, client_for: Callable[..., Client], settings: Any
) -> None:
    _share(video, cast, cast.lena)
    services.add_comment(video=video, author=cast.lena, at_seconds=1, kind="note", body="Nice")
    services.set_captions(video=video, data=VTT, language="en", acting_user=cast.maya)
    assert len(list(Path(settings.MEDIA_ROOT).rglob("*.*"))) == 3
    response = client_for(cast.maya).post(_url("video_delete", video), follow=True)
    assert "is deleted" in response.content.decode()
    assert not Video.objects.exists()
    assert not TimedComment.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    from tandem.privacy.models import ItemShare

    assert not ItemShare.objects.exists()


def test_retention_deletes_videos_on_the_district_day_and_the_teacher_sees_it(
    cast: Cast, video: Video, client_for: Callable[..., Client], settings: Any
) -> None:
    MediaPolicy.objects.create(district=cast.maple, days_after_upload=30, days_after_cycle=7)
    today = timezone.localdate()
    page = client_for(cast.maya).get(_url("video_detail", video)).content.decode()
    day = today + datetime.timedelta(days=30)
    assert f"This video will be deleted on {day.day} {day:%B} {day.year}" in page
    engagement = Engagement.objects.create(
        district=cast.maple,
        school=cast.jefferson,
        teacher=cast.maya,
        coach=cast.lena,
        kind=EngagementKind.IMPACT_CYCLE,
        title="Group work",
        closed_on=today - datetime.timedelta(days=8),
    )
    Video.objects.filter(pk=video.pk).update(engagement=engagement)
    assert services.apply_retention(today) == 1
    assert not Video.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    assert services.apply_retention(today) == 0


def test_the_district_admin_sets_the_filming_and_retention_policy(
    cast: Cast, client_for: Callable[..., Client]
) -> None:
    priya = client_for(cast.priya)
    url = reverse("media_policy")
    assert priya.get(url).status_code == 200
    response = priya.post(
        url,
        {
            "consent_policy": "Families sign the district media form in August.",
            "days_after_upload": "180",
            "days_after_cycle": "30",
        },
    )
    assert response.status_code == 302
    policy = MediaPolicy.objects.get(district=cast.maple)
    assert (policy.days_after_upload, policy.days_after_cycle) == (180, 30)
    for person in (cast.maya, cast.lena, cast.dana, cast.otto):
        if person is not cast.otto:
            assert client_for(person).get(url).status_code == 404
    page = client_for(cast.maya).get(reverse("video_upload")).content.decode()
    assert "Families sign the district media form in August." in page


def test_the_upload_page_records_from_a_phone_camera(
    cast: Cast, client_for: Callable[..., Client]
) -> None:
    page = client_for(cast.maya).get(reverse("video_upload")).content.decode()
    assert 'accept="video/*" capture="environment"' in page
    assert "vendor/tus-js-client/tus.min.js" in page
    assert client_for(cast.lena).get(reverse("video_upload")).status_code == 404


def test_the_list_shows_her_videos_and_those_shared_with_a_coach_in_constant_queries(
    cast: Cast,
    ready_video: Callable[..., Video],
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    first = ready_video(cast.maya, title="Number lines")
    _share(first, cast, cast.lena)
    lena = client_for(cast.lena)
    with django_assert_max_num_queries(12):
        page = lena.get(reverse("video_list")).content.decode()
    assert "Number lines" in page
    assert "Maya Torres" in page
    second = ready_video(cast.maya, title="Exit tickets")
    _share(second, cast, cast.lena)
    with django_assert_max_num_queries(12):
        lena.get(reverse("video_list"))
    mine = client_for(cast.maya).get(reverse("video_list")).content.decode()
    assert "Exit tickets" in mine
    assert "Deleted on" in mine


def test_no_page_releases_a_video_before_the_teacher_confirms_consent(
    cast: Cast, video: Video
) -> None:
    from django.core.exceptions import ValidationError

    from tandem.privacy import services as privacy

    with pytest.raises(ValidationError, match="filming policy"):
        privacy.hold_back(item=video, acting_user=cast.maya, held=False)
    video.refresh_from_db()
    assert video.held_back
    _share(video, cast, cast.lena)
    privacy.hold_back(item=video, acting_user=cast.maya, held=True)
    privacy.hold_back(item=video, acting_user=cast.maya, held=False)  # confirmed once: fine
