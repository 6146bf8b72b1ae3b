"""FFmpeg, from the imageio-ffmpeg wheel (no system install): probe, transcode, poster.

Every call reads and writes local files only (`-protocol_whitelist file,pipe`,
so a crafted playlist cannot make FFmpeg fetch a URL), never reads standard
input, and runs under a timeout.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

PROBE_TIMEOUT = 30
POSTER_TIMEOUT = 60
SAFE = ["-hide_banner", "-nostdin", "-protocol_whitelist", "file,pipe"]
# Formats FFmpeg reads a single picture with: not a lesson video.
PICTURE_FORMATS = re.compile(r"(_pipe|^image2|^gif|^apng|^webp)")


class ProbeError(Exception):
    """FFmpeg could not read the file as a video; the message says why, for people."""


@dataclass(frozen=True)
class Probe:
    format: str
    duration: float
    width: int
    height: int
    has_audio: bool


@cache
def executable() -> str:
    import imageio_ffmpeg

    return str(os.environ.get("TANDEM_FFMPEG") or imageio_ffmpeg.get_ffmpeg_exe())


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — a fixed executable, no shell, our own arguments
        [executable(), *SAFE, *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )


_INPUT = re.compile(r"^Input #0, ([^,\s]+(?:,[^,\s]+)*), from", re.M)
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #0:\d+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_AUDIO = re.compile(r"Stream #0:\d+.*?: Audio: ")


def probe(path: Path) -> Probe:
    """What the file is, from `ffmpeg -i`'s own report; ProbeError if it is no video."""
    from django.utils.translation import gettext as _

    try:
        result = _run(["-i", str(path)], PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise ProbeError(_("Checking this file took too long; it may be damaged.")) from None
    report = result.stderr
    found = _INPUT.search(report)
    if found is None or "Invalid data found" in report or "moov atom not found" in report:
        raise ProbeError(
            _(
                "This file is not a video Tandem can read, or it is incomplete. "
                "Please choose the video file from your camera or phone."
            )
        )
    fmt = found.group(1)
    video = _VIDEO.search(report)
    duration = _DURATION.search(report)
    if PICTURE_FORMATS.search(fmt) or video is None or duration is None:
        raise ProbeError(_("This file has no moving picture: Tandem keeps lesson videos only."))
    hours, minutes, seconds = duration.groups()
    length = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    if length <= 0:
        raise ProbeError(_("This video is empty."))
    return Probe(
        format=fmt,
        duration=length,
        width=int(video.group(2)),
        height=int(video.group(3)),
        has_audio=bool(_AUDIO.search(report)),
    )


# 720p: the short side at most 720 pixels (a phone held upright stays upright), even sizes.
SCALE = (
    "scale='if(gte(iw,ih),-2,min(720,trunc(iw/2)*2))':'if(gte(iw,ih),min(720,trunc(ih/2)*2),-2)'"
)


def transcode(
    source: Path,
    target: Path,
    *,
    duration: float,
    on_progress: Callable[[int], None],
    timeout: float | None = None,
) -> None:
    """H.264/AAC MP4, 720p, faststart (plays while it downloads). Raises ProbeError."""
    from django.utils.translation import gettext as _

    args = [
        *([executable(), *SAFE]),
        "-y",
        "-v",
        "error",
        "-xerror",
        "-i",
        str(source),
        "-map",
        "0:v:0",
        "-map",
        "0:a:0?",
        "-vf",
        SCALE,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "23",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
        "-progress",
        "pipe:1",
        "-nostats",
        "-f",
        "mp4",
        str(target),
    ]
    limit = timeout or settings.TANDEM_FFMPEG_TIMEOUT
    process = subprocess.Popen(  # noqa: S603 — a fixed executable, no shell, our own arguments
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    import threading
    import time

    errors: list[str] = []
    reader = threading.Thread(
        target=lambda: errors.append(process.stderr.read() if process.stderr else ""),
        daemon=True,
    )
    reader.start()
    started = time.monotonic()
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("out_time_us=") and duration > 0:
                try:
                    done = int(line.split("=", 1)[1]) / 1_000_000
                except ValueError:
                    continue
                on_progress(max(0, min(99, int(done * 100 / duration))))
            if time.monotonic() - started > limit:
                raise subprocess.TimeoutExpired(args, limit)
        process.wait(timeout=max(1.0, limit - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise ProbeError(_("Preparing this video took too long.")) from None
    reader.join(timeout=5)
    if process.returncode != 0:
        raise ProbeError(
            _("This video could not be read to the end; it may be damaged or incomplete.")
        )


def poster(source: Path, target: Path, *, at: float) -> None:
    """One frame as a JPEG, for the player before it starts."""
    result = _run(
        [
            "-y",
            "-v",
            "error",
            "-ss",
            f"{at:.2f}",
            "-i",
            str(source),
            "-frames:v",
            "1",
            "-q:v",
            "4",
            "-f",
            "image2",
            str(target),
        ],
        POSTER_TIMEOUT,
    )
    if result.returncode != 0 or not target.exists():
        raise ProbeError(result.stderr[-300:])


def make_test_video(
    target: Path,
    *,
    seconds: float = 5,
    size: str = "320x180",
    rate: int = 15,
    bitrate: str = "400k",
    faststart: bool = True,
) -> Path:
    """A generated clip (FFmpeg's test pattern and a tone): demo data and tests."""
    args = [
        "-y",
        "-v",
        "error",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size={size}:rate={rate}",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=22050",
        "-t",
        str(seconds),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-b:v",
        bitrate,
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "48k",
        "-shortest",
    ]
    if faststart:
        args += ["-movflags", "+faststart"]
    # lavfi is a filter source, not a protocol: the whitelist still holds.
    result = _run([*args, str(target)], 300)
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return target
