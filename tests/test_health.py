from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_liveness_answers_ok_without_touching_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_reports_every_check_ok_on_a_migrated_database(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "task_queue", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readiness_reports_a_lagging_task_queue(client: Client) -> None:
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tandem import health

    DBTaskResult.objects.create(
        task_path="tandem.example.task",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
        run_after=timezone.now() - datetime.timedelta(hours=1),
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - 2 * health.MAX_QUEUE_LAG)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["task_queue"]["ok"] is False


def test_readiness_names_unapplied_migrations_on_a_fresh_database(tmp_path: Path) -> None:
    # A brand-new SQLite file that was never migrated.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/readyz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "TANDEM_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tandem.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["checks"]["migrations"]["ok"] is False
    assert "migrations not applied" in answer["body"]["checks"]["migrations"]["detail"]
