"""The tus 1.0 endpoint: core, creation, termination, expiration, checksum, and its bad input."""

from __future__ import annotations

import base64
import datetime
import hashlib
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.media.models import Upload, UploadStatus, Video, VideoStatus
from tandem.privacy.categories import Category

from .. import factories as f
from ..cast import Cast
from .conftest import TUS, create, patch, upload_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya(cast: Cast, client_for: Any) -> Client:
    return client_for(cast.maya)


def test_options_says_what_the_server_supports_without_credentials(client: Client) -> None:
    response = client.options("/videos/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "termination",
        "expiration",
        "checksum",
    }
    assert int(response["Tus-Max-Size"]) == 5 * 1024**3
    assert "sha1" in response["Tus-Checksum-Algorithm"]


def test_a_teacher_uploads_a_video_that_starts_held_back_and_queued(
    maya: Client, cast: Cast, clips: dict[str, Path]
) -> None:
    response, upload = upload_file(maya, clips["short"], chunk=4096)
    assert response.status_code == 204
    assert response["Upload-Offset"] == str(clips["short"].stat().st_size)
    assert response["Tus-Resumable"] == "1.0.0"
    video = Video.objects.get(upload=upload)
    assert response["Tandem-Video"] == f"/videos/{video.uuid}/"
    assert (video.teacher, video.author, video.category) == (cast.maya, cast.maya, Category.VIDEO)
    assert video.held_back
    assert video.status == VideoStatus.QUEUED
    assert video.title == "Fractions, 3rd period"
    assert video.duration == pytest.approx(2, abs=0.2)
    assert upload.staged_path.read_bytes() == clips["short"].read_bytes()
    assert upload.staged_path.name == f"{upload.uuid.hex}.part"  # the server's name, not hers


def test_head_answers_the_offset_to_resume_from(maya: Client) -> None:
    url = create(maya, 10_000)["Location"]
    patch(maya, url, b"x" * 3000, 0)
    response = maya.head(url, **TUS)
    assert response.status_code == 200
    assert (response["Upload-Offset"], response["Upload-Length"]) == ("3000", "10000")
    assert response["Cache-Control"] == "no-store"
    assert "Upload-Expires" in response


def test_an_offset_that_does_not_match_is_a_conflict(maya: Client) -> None:
    url = create(maya, 10_000)["Location"]
    patch(maya, url, b"x" * 3000, 0)
    response = patch(maya, url, b"y" * 100, 2000)
    assert response.status_code == 409
    assert response["Upload-Offset"] == "3000"
    assert b"3000" in response.content
    assert Upload.objects.get().offset == 3000


def test_bytes_past_the_declared_length_are_refused(maya: Client) -> None:
    url = create(maya, 100)["Location"]
    assert patch(maya, url, b"x" * 101, 0).status_code == 400
    assert Upload.objects.get().offset == 0


def test_a_wrong_content_type_or_missing_version_is_refused(maya: Client) -> None:
    url = create(maya, 100)["Location"]
    wrong = maya.patch(url, b"x", content_type="application/json", HTTP_UPLOAD_OFFSET="0", **TUS)
    assert wrong.status_code == 415
    unversioned = maya.head(url)
    assert unversioned.status_code == 412
    assert unversioned["Tus-Version"] == "1.0.0"


def test_someone_elses_upload_does_not_exist(maya: Client, cast: Cast, client_for: Any) -> None:
    url = create(maya, 1000)["Location"]
    for person in (cast.luis, cast.lena, cast.hilda):
        other = client_for(person)
        assert other.head(url, **TUS).status_code == 404
        assert patch(other, url, b"x" * 10, 0).status_code == 404
        assert other.delete(url, **TUS).status_code == 404
    assert Upload.objects.get().offset == 0


def test_only_teachers_upload(cast: Cast, client_for: Any) -> None:
    for person in (cast.lena, cast.dana, cast.priya):
        assert create(client_for(person), 1000).status_code == 403
    assert not Upload.objects.exists()
    assert not Video.objects.exists()


def test_without_credentials_the_answer_is_401(client: Client) -> None:
    assert create(client, 1000).status_code == 401


def test_a_personal_access_token_works_and_sessions_need_the_csrf_header(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.maya, name="phone")
    token_client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert create(token_client, 1000).status_code == 201
    session = Client(enforce_csrf_checks=True)
    session.force_login(cast.maya)
    assert create(session, 1000).status_code == 403
    bad = Client(HTTP_AUTHORIZATION="Bearer tdm_not-a-token")
    assert create(bad, 1000).status_code == 401


def test_a_zero_byte_file_is_refused_with_a_message(maya: Client) -> None:
    response = create(maya, 0)
    assert response.status_code == 400
    assert b"empty" in response.content
    assert not Video.objects.exists()


def test_a_file_over_the_limit_is_refused_before_a_byte_is_sent(maya: Client) -> None:
    response = create(maya, 6 * 1024**3)
    assert response.status_code == 413
    assert "at most 5.0\xa0GB" in response.content.decode()
    assert not Video.objects.exists()
    assert not Upload.objects.exists()


def test_the_teachers_quota_counts_her_videos_and_uploads(maya: Client, settings: Any) -> None:
    settings.TANDEM_VIDEO_QUOTA_BYTES = 10_000
    assert create(maya, 6000).status_code == 201
    response = create(maya, 6000)
    assert response.status_code == 413
    assert b"does not fit" in response.content


def test_the_size_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TANDEM_VIDEO_MAX_BYTES)"
    )
    env = {
        **__import__("os").environ,
        "TANDEM_VIDEO_MAX_MB": "100",
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(100 * 1024 * 1024)
    env["TANDEM_VIDEO_MAX_MB"] = "lots"
    bad = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert "TANDEM_VIDEO_MAX_MB must be a whole number" in bad.stderr


@pytest.mark.parametrize("clip", ["text", "truncated"])
def test_a_file_that_is_not_a_readable_video_is_rejected_and_nothing_is_left(
    maya: Client, clips: dict[str, Path], clip: str, settings: Any
) -> None:
    response, upload = upload_file(maya, clips[clip])
    assert response.status_code == 422
    assert "not a video Tandem can read" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.REJECTED
    assert not Video.objects.exists()
    assert not any(Path(settings.TANDEM_UPLOAD_DIR).iterdir())
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))
    gone = maya.head(response.wsgi_request.path, **TUS)
    assert gone.status_code == 410


def test_termination_deletes_the_upload_and_its_file(maya: Client) -> None:
    url = create(maya, 10_000)["Location"]
    patch(maya, url, b"x" * 3000, 0)
    staged = Upload.objects.get().staged_path
    assert staged.exists()
    assert maya.delete(url, **TUS).status_code == 204
    assert not staged.exists()
    assert not Upload.objects.exists()
    assert not Video.objects.exists()
    assert maya.head(url, **TUS).status_code == 404


def test_an_expired_upload_is_gone_and_housekeeping_removes_it(maya: Client) -> None:
    from tandem.media import services

    url = create(maya, 10_000)["Location"]
    patch(maya, url, b"x" * 3000, 0)
    Upload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert maya.head(url, **TUS).status_code == 410
    assert patch(maya, url, b"x", 3000).status_code == 410
    staged = Upload.objects.get().staged_path
    assert services.expire_uploads() == 1
    assert not staged.exists()
    assert not Upload.objects.exists()
    assert not Video.objects.exists()


def test_a_chunk_with_a_matching_checksum_is_kept_and_a_wrong_one_is_dropped(
    maya: Client,
) -> None:
    url = create(maya, 10_000)["Location"]
    chunk = b"lesson" * 500
    good = base64.b64encode(hashlib.sha1(chunk).digest()).decode()  # noqa: S324 — tus's own
    assert patch(maya, url, chunk, 0, HTTP_UPLOAD_CHECKSUM=f"sha1 {good}").status_code == 204
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    response = patch(maya, url, chunk, 3000, HTTP_UPLOAD_CHECKSUM=f"sha256 {wrong}")
    assert response.status_code == 460
    upload = Upload.objects.get()
    assert upload.offset == 3000
    assert upload.staged_path.stat().st_size == 3000
    assert patch(maya, url, chunk, 3000, HTTP_UPLOAD_CHECKSUM="crc32 AAAA").status_code == 400


def test_a_second_writer_waits_its_turn(maya: Client) -> None:
    url = create(maya, 10_000)["Location"]
    Upload.objects.update(
        lease_token="someone", lease_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert patch(maya, url, b"x" * 10, 0).status_code == 423
    Upload.objects.update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    assert patch(maya, url, b"x" * 10, 0).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_mid_chunk_keeps_what_arrived(live_server: Any) -> None:
    school = f.make_school()
    teacher = f.teacher(school)
    _token, raw = ApiToken.issue(user=teacher, name="socket")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = create(client, 100_000)["Location"]
    path = urlsplit(url).path
    host, port = urlsplit(live_server.url).netloc.split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            (
                f"PATCH {path} HTTP/1.1\r\nHost: {host}\r\nTus-Resumable: 1.0.0\r\n"
                f"Authorization: Bearer {raw}\r\nUpload-Offset: 0\r\n"
                "Content-Type: application/offset+octet-stream\r\nContent-Length: 50000\r\n\r\n"
            ).encode()
            + b"z" * 20_000
        )
    # The server thread notices the closed connection and saves what it read.
    deadline = time.monotonic() + 10
    while Upload.objects.get().received == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    response = client.head(path, **TUS)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "20000"
    upload = Upload.objects.get()
    assert upload.staged_path.read_bytes() == b"z" * 20_000
    assert not upload.lease_token
