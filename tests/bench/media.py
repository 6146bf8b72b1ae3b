"""Lesson video against DESIGN.md's budgets: upload and stream a 2 GB file with the web
process's memory flat; transcode faster than real time.

`make bench` runs it after the home pages (`python -m tests.bench.media` alone). On a
fresh test database beside DATABASE_URL's, a web process of its own (Django's WSGI
application under wsgiref, one request at a time) receives a 2 GB upload through the
tus endpoint in 256 MB PATCHes, then serves the stored file back whole and in ranges;
its peak resident memory (the kernel's VmHWM) is read after start-up, after the upload
and after the streaming. The file is a short real clip followed by a 2 GB `free` box
(MP4's padding), so FFmpeg's content check passes without making 2 GB of video.
Then a 30-second 1080p clip like a phone's is transcoded to 720p, timed against its
duration. Prints a table; writes bench/media.json; exits 1 over budget.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "media.json"
SIZE = int(os.environ.get("TANDEM_BENCH_VIDEO_BYTES", str(2 * 1024**3)))
PATCH = 256 * 1024 * 1024
FLAT_MB = 50  # peak memory may grow this much over the whole upload and stream
BLOCK = os.urandom(1024 * 1024)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
from wsgiref.simple_server import WSGIRequestHandler, make_server
import django
django.setup()
from tandem.wsgi import application
class Quiet(WSGIRequestHandler):
    def log_message(self, *args): pass
make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=Quiet).serve_forever()
"""


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _body(head: bytes, start: int, length: int) -> Iterator[bytes]:
    """Bytes [start, start + length) of the clip followed by zeros, made on the fly."""
    position, end = start, start + length
    while position < end:
        if position < len(head):
            piece = head[position : min(end, len(head))]
        else:
            piece = BLOCK[: min(len(BLOCK), end - position)]
        position += len(piece)
        yield piece


def _request(
    port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str]
) -> tuple[int, dict[str, str], int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    read = 0
    while piece := response.read(1024 * 1024):
        read += len(piece)
    conn.close()
    return response.status, dict(response.getheaders()), read


def upload_and_stream(folder: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from tandem.accounts.models import ApiToken, User
    from tandem.media import ffmpeg
    from tandem.media.models import Upload, Video, VideoStatus
    from tandem.schools.models import District, Membership, Role, School

    clip = ffmpeg.make_test_video(folder / "clip.mp4", seconds=2, size="320x180", rate=10)
    head = clip.read_bytes()
    head += struct.pack(">I4sQ", 1, b"free", SIZE - len(head))  # a 64-bit 'free' box
    district = District.objects.create(name="Bench", slug="bench-media")
    school = School.objects.create(district=district, name="Bench School")
    teacher = User.objects.create_user(
        email="bench.teacher@bench.example", district=district, display_name="Bench Teacher"
    )
    Membership.objects.create(user=teacher, district=district, school=school, role=Role.TEACHER)
    _token, raw = ApiToken.issue(user=teacher, name="bench")
    auth = {"Authorization": f"Bearer {raw}", "Tus-Resumable": "1.0.0"}

    port = _free_port()
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        # The same server, the test database this run created.
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
        "TANDEM_VAR_DIR": str(folder / "var"),
        "TANDEM_SECRET_KEY": settings.SECRET_KEY,  # so the session made here is valid there
        "TANDEM_UPLOAD_DIR": str(folder / "uploads"),
        "TANDEM_DEBUG": "false",
    }
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, cwd=ROOT)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        status, headers, _n = _request(
            port, "POST", "/videos/uploads/", headers={**auth, "Upload-Length": str(SIZE)}
        )
        assert status == 201, status
        path = "/videos/uploads/" + headers["Location"].rsplit("/", 1)[1]
        _request(port, "HEAD", path, headers=auth)
        start_mb = _peak_mb(server.pid)

        started = time.perf_counter()
        for offset in range(0, SIZE, PATCH):
            length = min(PATCH, SIZE - offset)
            status, headers, _n = _request(
                port,
                "PATCH",
                path,
                body=_body(head, offset, length),
                headers={
                    **auth,
                    "Upload-Offset": str(offset),
                    "Content-Length": str(length),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            assert status == 204, (status, offset)
        upload_seconds = time.perf_counter() - started
        after_upload_mb = _peak_mb(server.pid)

        upload = Upload.objects.get()
        assert upload.offset == SIZE
        video = Video.objects.get()
        # Stand the uploaded file in for the transcoded one (only its bytes matter here).
        name = f"{video.storage_prefix}/lesson.mp4"
        target = folder / "var" / "media" / name  # the server's MEDIA_ROOT
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder / "uploads" / upload.staged_path.name, target)  # the server's folder
        Video.objects.filter(pk=video.pk).update(status=VideoStatus.READY, mp4=name)
        stream = f"/videos/{video.uuid}/stream/"
        # Pages take a signed-in session, as the browser's player sends it.
        from django.test import Client

        client = Client()
        client.force_login(teacher)
        cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
        started = time.perf_counter()
        status, _h, read = _request(port, "GET", stream, headers=cookie)
        stream_seconds = time.perf_counter() - started
        assert (status, read) == (200, SIZE), (status, read)
        for first in (0, SIZE // 2, SIZE - 1024 * 1024):
            status, _h, read = _request(
                port,
                "GET",
                stream,
                headers={**cookie, "Range": f"bytes={first}-{first + 1024 * 1024 - 1}"},
            )
            assert (status, read) == (206, 1024 * 1024)
        after_stream_mb = _peak_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
    return {
        "bytes": SIZE,
        "peak_rss_mb_after_start": round(start_mb, 1),
        "peak_rss_mb_after_upload": round(after_upload_mb, 1),
        "peak_rss_mb_after_stream": round(after_stream_mb, 1),
        "growth_mb": round(after_stream_mb - start_mb, 1),
        "upload_mb_per_s": round(SIZE / 1024**2 / upload_seconds, 1),
        "stream_mb_per_s": round(SIZE / 1024**2 / stream_seconds, 1),
    }


def transcode_speed(folder: Path) -> dict[str, Any]:
    from tandem.media import ffmpeg

    seconds = 30
    source = folder / "1080p.mp4"
    # Like a phone's recording: 1080p30 H.264 at 12 Mbit/s, with a little sensor grain.
    made = subprocess.run(
        [
            ffmpeg.executable(),
            "-hide_banner",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1920x1080:rate=30",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=300:sample_rate=48000",
            "-t",
            str(seconds),
            "-vf",
            "noise=alls=4:allf=t",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-b:v",
            "12M",
            "-maxrate",
            "16M",
            "-bufsize",
            "24M",
            "-c:a",
            "aac",
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode:
        raise SystemExit(made.stderr)
    started = time.perf_counter()
    ffmpeg.transcode(source, folder / "720p.mp4", duration=seconds, on_progress=lambda p: None)
    took = time.perf_counter() - started
    found = ffmpeg.probe(folder / "720p.mp4")
    return {
        "source": "1920x1080, 30 fps, 30 s, 12 Mbit/s (like a phone)",
        "output": f"{found.width}x{found.height}",
        "seconds": round(took, 1),
        "times_real_time": round(seconds / took, 2),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
    }


def run() -> int:
    from django.db import connection

    named = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    folder = Path(tempfile.mkdtemp(prefix="tandem-bench-media-"))
    try:
        print(
            f"media: uploading and streaming {SIZE / 1024**3:.1f} GB through a web process…",
            flush=True,
        )
        memory = upload_and_stream(folder)
        print("media: transcoding 30 s of 1080p…", flush=True)
        speed = transcode_speed(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        connection.creation.destroy_test_db(named, verbosity=0)
    problems = []
    if memory["growth_mb"] > FLAT_MB:
        problems.append(f"the web process grew {memory['growth_mb']} MB (budget {FLAT_MB} MB)")
    if speed["times_real_time"] <= 1:
        problems.append(f"transcoding ran at {speed['times_real_time']}x real time (budget: > 1x)")
    print(
        "\n".join(
            [
                "",
                f"Lesson video — {memory['bytes'] / 1024**3:.1f} GB through one web process",
                f"  peak memory: {memory['peak_rss_mb_after_start']} MB after start-up, "
                f"{memory['peak_rss_mb_after_upload']} MB after the upload, "
                f"{memory['peak_rss_mb_after_stream']} MB after streaming it back "
                f"(+{memory['growth_mb']} MB; budget {FLAT_MB} MB)",
                f"  upload {memory['upload_mb_per_s']} MB/s (tus, {PATCH // 1024**2} MB PATCHes), "
                f"stream {memory['stream_mb_per_s']} MB/s",
                f"  transcode: {speed['source']} → {speed['output']} in {speed['seconds']} s = "
                f"{speed['times_real_time']}x real time on {speed['cpus']} CPUs "
                f"(load average {speed['load_average']})",
                f"Results: {RESULTS.relative_to(ROOT)}",
            ]
        )
    )
    for problem in problems:
        print("OVER BUDGET: " + problem, file=sys.stderr)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "ok": not problems,
                "problems": problems,
                "upload_and_stream": memory,
                "transcode": speed,
            },
            indent=2,
        )
        + "\n"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ["TANDEM_DEBUG"] = "false"
    import django

    django.setup()
    sys.exit(run())
