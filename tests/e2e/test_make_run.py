"""`make run` for real: it serves the demo, refuses a second copy, and Ctrl-C stops it all.

This drives the Makefile as a person would, on a fresh var/ folder and a free
port, with the demo password from `tandem/schools/demo.py`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tandem.schools.demo import DEMO_PASSWORD

from .browser import ConsoleWatch, Site

STARTUP_SECONDS = 90
AS_FOREGROUND_JOB = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


class Run:
    """One `make run` in its own process group, its output collected as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            # Like a terminal's foreground job: SIGINT not ignored (even when this
            # test itself runs in the background), in a process group of its own
            # that Ctrl-C signals as a whole.
            [sys.executable, "-c", AS_FOREGROUND_JOB, "make", "--no-print-directory", "run"],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output:
                return
            if self.process.poll() is not None:
                self._reader.join(timeout=5)
                pytest.fail(f"make run exited ({self.process.returncode}):\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"no {text!r} within {seconds} s:\n{self.output}")

    def interrupt(self) -> None:
        """Ctrl-C in its terminal."""
        os.killpg(self.process.pid, signal.SIGINT)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def sign_in_to_the_demo(site: Site) -> None:
    """As Maya, with the password the README prints.

    `make run` serves with Django's autoreloader, which restarts the server when
    a source file changes; a restart in mid-request resets the connection, so a
    sign-in that never reached the server is tried again (a wrong page is not).
    """
    page = site.page
    for attempt in range(3):
        try:
            site.goto("/accounts/login/")
            page.get_by_label("Email").fill("maya.torres@maplevalley.example")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        except PlaywrightError:
            pass
        if page.url.startswith(site.base_url):
            return
        site.console.errors.clear()  # the browser's own "connection reset" page
        time.sleep(1 + attempt)
    pytest.fail(f"could not reach {site.base_url} to sign in (now at {page.url})")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def processes_using(var_dir: Path) -> list[str]:
    """Every live process started for this var/ folder (make, serve, runserver, db_worker)."""
    marker = f"TANDEM_VAR_DIR={var_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if state != "Z":
            found.append(f"{proc.name}: {command}")
    return found


def refuses_connections(port: int) -> bool:
    with socket.socket() as client:
        client.settimeout(2)
        return client.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def run_env(tmp_path: Path) -> Generator[dict[str, str], None, None]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TANDEM_", "PYTEST_"))
    }
    env.update(
        TANDEM_VAR_DIR=str(tmp_path / "var"),
        TANDEM_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    yield env
    for line in processes_using(tmp_path / "var"):  # never leave a server behind
        os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)


def test_make_run_serves_the_demo_refuses_a_second_copy_and_stops_on_ctrl_c(
    run_env: dict[str, str], page: Page, console: ConsoleWatch
) -> None:
    port = int(run_env["TANDEM_PORT"])
    first = Run(run_env)
    try:
        first.wait_for("Tandem is serving on", STARTUP_SECONDS)
        url = f"http://127.0.0.1:{port}"
        assert f"Tandem is serving on {url}/" in first.output

        site = Site(page=page, base_url=url, console=console)
        sign_in_to_the_demo(site)
        team = page.get_by_role("region", name="My coaching team")
        expect(team.get_by_role("heading", name="Lena Brooks")).to_be_visible()
        site.assert_accessible()

        started = time.monotonic()
        second = subprocess.run(
            ["make", "--no-print-directory", "run"],
            cwd=settings.BASE_DIR,
            env=run_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode != 0
        assert "already running" in second.stdout + second.stderr
        assert time.monotonic() - started < 15, "the second copy should give up at once"
        assert first.process.poll() is None, "the first copy must keep serving"

        children = processes_using(Path(run_env["TANDEM_VAR_DIR"]))
        assert any("runserver" in line for line in children), children
        assert any("db_worker" in line for line in children), children

        first.interrupt()
        first.process.wait(timeout=30)
        first._reader.join(timeout=5)
        assert "Stopping Tandem…" in first.output
        assert "Stopped." in first.output
        assert refuses_connections(port), f"port {port} still answers"
        with socket.socket() as again:  # a new server could listen there now
            again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            again.bind(("127.0.0.1", port))
        assert processes_using(Path(run_env["TANDEM_VAR_DIR"])) == []
    finally:
        first.stop()
