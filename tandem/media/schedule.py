"""The periodic housekeeping run (retention above all).

django-tasks has no scheduler, and the schedulers made for it
(django-crontask, django-periodic-tasks) need Python 3.12 or later; Tandem runs
on 3.11. So the housekeeping task enqueues its own next run, an hour later,
with `run_after`; starting an upload (and building the demo) makes sure one
run is waiting, so the chain exists as soon as there is anything to keep
tidy; and `manage.py media_housekeeping` runs it at once (from cron, if an
operator prefers). Running it twice is harmless: it is idempotent.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

EVERY = datetime.timedelta(hours=1)
TASK_PATH = "tandem.media.tasks.housekeeping"


def ensure_scheduled(*, soon: bool = False) -> bool:
    """Enqueue the next housekeeping run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import housekeeping

    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()
    if waiting:
        return False
    delay = datetime.timedelta(minutes=1) if soon else EVERY
    housekeeping.using(run_after=timezone.now() + delay).enqueue()
    return True
