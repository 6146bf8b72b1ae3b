"""Issue 7's "done when": the real tus client, killed part-way, resumed by another.

tuspy runs in its own process against the live server, sending the clip in
chunks; it is SIGKILLed once a third of the file is acknowledged. The server's
offset must then be strictly between 0 and the size; a new tuspy process
resumes from it; the staged file is byte-identical to the clip (SHA-256), and
the server read at most the size plus one chunk in all.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tandem.accounts.models import ApiToken
from tandem.media.models import Upload, UploadStatus, VideoStatus

from .. import factories as f

CLIENT = Path(__file__).with_name("tus_client.py")
CHUNK = 256 * 1024


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_tuspy_killed_part_way_resumes_and_the_stored_file_is_byte_identical(
    live_server: Any, clips: dict[str, Path]
) -> None:
    clip = clips["lesson"]
    size = clip.stat().st_size
    assert size > 8 * CHUNK, "the clip must take several chunks"
    school = f.make_school()
    maya = f.teacher(school, "Maya Torres")
    _token, raw = ApiToken.issue(user=maya, name="tuspy")
    endpoint = live_server.url + "/videos/uploads/"

    started = time.monotonic()
    first = subprocess.Popen(
        [sys.executable, str(CLIENT), "start", endpoint, raw, str(clip), str(CHUNK)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert first.stdout is not None
    url = first.stdout.readline().strip()
    acknowledged = 0
    for line in first.stdout:
        acknowledged = int(line)
        if acknowledged >= size // 3:
            break
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL

    head = requests.head(
        url, headers={"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {raw}"}, timeout=10
    )
    assert head.status_code == 200
    offset = int(head.headers["Upload-Offset"])
    assert 0 < offset < size, f"server offset {offset} of {size}"
    assert offset >= acknowledged

    second = subprocess.run(
        [sys.executable, str(CLIENT), "resume", url, raw, str(clip), str(CHUNK)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith(f"resuming at {offset}")
    elapsed = time.monotonic() - started

    upload = Upload.objects.select_related("video").get(uuid=url.rsplit("/", 1)[1])
    assert upload.status == UploadStatus.COMPLETE
    assert upload.offset == upload.length == size
    assert _sha256(upload.staged_path) == _sha256(clip)
    assert upload.received <= size + CHUNK, f"received {upload.received} for {size}"
    assert upload.video is not None
    assert upload.video.status == VideoStatus.QUEUED
    print(
        f"\ntuspy: {size:,} bytes in {CHUNK // 1024} KB chunks; killed at {acknowledged:,} "
        f"acknowledged, server kept {offset:,}; resumed; received {upload.received:,} "
        f"({upload.received - size:+,}); {elapsed:.1f} s"
    )
