"""Issue 7 in the browser: the teacher uploads, watches, shares with one coach; the coach
comments at 0:42; the teacher clicks the comment and the player seeks to 0:42."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tandem.media import ffmpeg, transcode
from tandem.media.models import TimedComment, Upload, Video, VideoStatus

from ..cast import Cast
from .browser import Site


def _until(site: Site, condition: str, timeout: float = 10) -> None:
    """Poll a JavaScript condition from outside the page (its CSP forbids eval inside)."""
    deadline = time.monotonic() + timeout
    while not site.page.evaluate(condition):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {condition}"
        time.sleep(0.05)


def _current_time(site: Site) -> float:
    return float(site.page.evaluate("document.getElementById('lesson-video').currentTime"))


def test_teacher_uploads_watches_shares_and_a_coach_comment_seeks_the_player(
    site: Site, cast: Cast, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the live server runs in this process
    settings.TANDEM_UPLOAD_DIR = tmp_path / "uploads"
    clip = ffmpeg.make_test_video(tmp_path / "lesson.mp4", seconds=45, size="160x90", rate=10)
    page = site.page

    # Maya uploads from the upload page (tus-js-client against the tus endpoint).
    site.sign_in(cast.maya)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Videos").click()
    page.get_by_role("link", name="Upload or record a video").click()
    page.get_by_label("Title").fill("Fractions on a number line")
    page.get_by_label("Video file").set_input_files(clip)
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/videos/*-*/")
    video = Video.objects.get()
    assert video.held_back
    expect(page.get_by_text("Tandem is preparing the video")).to_be_visible()

    # The worker's task (run here), then the page notices by itself (htmx polling).
    assert transcode.run(video.pk) == "ready"
    player = page.locator("video#lesson-video")
    expect(player).to_be_visible(timeout=10_000)
    _until(site, "document.getElementById('lesson-video').readyState >= 1")
    assert page.evaluate("document.getElementById('lesson-video').duration") > 44
    expect(page.get_by_text("Only you can see this video.")).to_be_visible()

    # She shares it with Lena alone, confirming the students are covered by the policy.
    page.get_by_label("Lena Brooks — Instructional coach").check()
    page.get_by_label("The students shown in this video are covered").check()
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Shared with Lena Brooks")
    site.assert_accessible()
    site.sign_out()

    # Lena watches, pauses at 0:42 and asks a question there.
    site.sign_in(cast.lena)
    page.goto(site.url(video.get_absolute_url()))
    _until(site, "document.getElementById('lesson-video').readyState >= 1")
    page.evaluate("document.getElementById('lesson-video').currentTime = 42")
    _until(site, "Math.abs(document.getElementById('lesson-video').currentTime - 42) < 0.2")
    page.get_by_label("Your comment").click()
    expect(page.get_by_text("At 0:42 in the video")).to_be_visible()
    page.get_by_label("Kind of comment").select_option(label="Question")
    page.get_by_label("Your comment").fill("What did the group by the window say here?")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_role("button", name="Play from 0:42")).to_be_visible()
    comment = TimedComment.objects.get()
    assert (comment.author_id, comment.kind, comment.at_ms // 1000) == (
        cast.lena.pk,
        "question",
        42,
    )
    site.assert_accessible()
    site.sign_out()

    # Maya reads it and clicks its time: the player jumps to 0:42.
    site.sign_in(cast.maya)
    page.goto(site.url(video.get_absolute_url()))
    _until(site, "document.getElementById('lesson-video').readyState >= 1")
    assert _current_time(site) == 0
    page.get_by_role("button", name="Play from 0:42").click()
    _until(site, "Math.abs(document.getElementById('lesson-video').currentTime - 42) < 0.5")
    assert abs(_current_time(site) - 42) < 0.5
    expect(page.get_by_text("What did the group by the window say here?")).to_be_visible()
    assert Video.objects.get().status == VideoStatus.READY


def test_an_upload_cut_off_midway_continues_after_a_reload_with_the_same_file(
    site: Site, cast: Cast, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TANDEM_UPLOAD_DIR = tmp_path / "uploads"
    clip = ffmpeg.make_test_video(tmp_path / "lesson.mp4", seconds=8, size="320x180", rate=10)
    size = clip.stat().st_size
    chunk = 64 * 1024
    page = site.page
    site.sign_in(cast.maya)
    page.goto(site.url("/videos/upload/"))

    # The connection drops after two pieces: every later PATCH fails as a dead Wi-Fi would.
    sent = []

    def patches(route: Any) -> None:
        if route.request.method == "PATCH":
            sent.append(1)
            if len(sent) > 2:
                route.abort()
                return
        route.continue_()

    page.route("**/videos/uploads/**", patches)
    page.evaluate(f"document.getElementById('video-upload').dataset.chunkBytes = {chunk}")
    page.get_by_label("Title").fill("Group work, cut off")
    page.get_by_label("Video file").set_input_files(clip)
    page.get_by_role("button", name="Upload", exact=True).click()
    _until(site, "document.getElementById('upload-bar').value > 0")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    upload = Upload.objects.get()
    assert 0 < upload.offset < size

    # She comes back later, reloads the page and picks the same file: it continues.
    page.unroute("**/videos/uploads/**")
    page.reload()
    page.evaluate(f"document.getElementById('video-upload').dataset.chunkBytes = {chunk}")
    page.get_by_label("Video file").set_input_files(clip)
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/videos/*-*/")
    upload.refresh_from_db()
    assert (Upload.objects.count(), Video.objects.count()) == (1, 1)
    assert upload.offset == size
    assert upload.received <= size + chunk
    assert upload.staged_path.read_bytes() == clip.read_bytes()
