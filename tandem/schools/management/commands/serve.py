"""`make run`: migrate, load the demo if the database is empty, then serve with a worker.

The web server and the background-task worker run as child processes in
their own process groups; Ctrl-C, SIGTERM, or closing the terminal (SIGHUP)
stops both and waits for them. The children do not see the terminal's signals
themselves, so without the SIGHUP handler a closed terminal would leave them
serving, orphaned. A lock file under var/ keeps a second `make run` from
starting beside the first.
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.schools import demo
from tandem.schools.models import District

from .demo import login_lines


class Command(BaseCommand):
    help = "Serve Tandem on http://127.0.0.1:8000 with its task worker (what `make run` does)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("TANDEM_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("TANDEM_PORT", "8000")))
        parser.add_argument(
            "--no-reload", action="store_true", help="Do not restart the server when code changes."
        )

    def handle(self, *args: Any, host: str, port: int, no_reload: bool, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        lock = (settings.VAR_DIR / "run.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommandError(
                f"Tandem is already running from this folder ({lock.name} is held). "
                "Use that one, or stop it with Ctrl-C in its terminal first."
            ) from None
        _check_port_free(host, port)

        call_command("migrate", interactive=False, verbosity=0)
        if not District.objects.exists():
            self.stdout.write("Empty database: loading the demo districts…")
            demo.build("small")

        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_cmd = [*manage, "runserver", f"{host}:{port}"]
        if no_reload:
            web_cmd.append("--noreload")
        children = [
            subprocess.Popen(web_cmd, start_new_session=True),  # noqa: S603
            subprocess.Popen([*manage, "db_worker"], start_new_session=True),  # noqa: S603
        ]

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
        try:
            url = f"http://{host}:{port}/"
            _wait_until_up(url + "healthz", children)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Tandem is serving on {url}"))
            for line in login_lines():
                self.stdout.write(line)
            self.stdout.write("Press Ctrl-C to stop the server and the worker.")
            self.stdout.flush()
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("A Tandem process stopped unexpectedly; see the messages above.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping Tandem…")
        finally:
            # A second Ctrl-C while stopping must not leave the children running.
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
            _stop(children)
            lock.close()
        self.stdout.write("Stopped.")


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise CommandError(
                f"Port {port} on {host} is in use by another program. "
                f"Stop it, or choose another port: make run TANDEM_PORT=8001"
            ) from None


def _wait_until_up(url: str, children: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise CommandError("Tandem could not start; see the messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 — our own loopback URL
                return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"Tandem did not answer on {url} within a minute.")


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
