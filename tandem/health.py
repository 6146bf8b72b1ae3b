"""Liveness and readiness for load balancers and orchestrators, as JSON."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

# A queue whose oldest waiting task is older than this is reported as lagging.
MAX_QUEUE_LAG = datetime.timedelta(minutes=5)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; nothing else is checked."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable and migrated, queue moving, storage writable."""
    checks = {
        "database": _database(),
        "migrations": _migrations(),
        "task_queue": _task_queue(),
        "storage": _storage(),
    }
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"ok": False, "detail": f"database unreachable: {error.__class__.__name__}"}
    return {"ok": True}


def _migrations() -> dict:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return {"ok": False, "detail": "cannot read the migration history"}
    if pending:
        return {
            "ok": False,
            "detail": f"{len(pending)} migrations not applied",
            "pending": len(pending),
        }
    return {"ok": True}


def _task_queue() -> dict:
    from django.db.models import Case, F, When
    from django.db.models.functions import Greatest
    from django_tasks_db.models import DBTaskResult, get_date_max

    try:
        # A task enqueued to run later (the hourly video housekeeping) is waiting from
        # its run_after on, not from when it was enqueued.
        oldest = (
            DBTaskResult.objects.ready()
            .annotate(
                due=Case(
                    When(run_after=get_date_max(), then=F("enqueued_at")),
                    default=Greatest("enqueued_at", "run_after"),
                )
            )
            .order_by("due")
            .values_list("due", flat=True)
            .first()
        )
    except DatabaseError:
        return {"ok": False, "detail": "cannot read the task queue"}
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"ok": lag <= MAX_QUEUE_LAG.total_seconds(), "lag_seconds": round(lag, 1)}


def _storage() -> dict:
    try:
        name = default_storage.save(".readyz/probe", ContentFile(b"ok"))
        default_storage.delete(name)
    except Exception as error:  # any storage backend's failure means "not ready"
        return {"ok": False, "detail": f"storage not writable: {error.__class__.__name__}"}
    return {"ok": True}
