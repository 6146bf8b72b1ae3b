"""The periodic reminders run, every 15 minutes.

The same chain as the video housekeeping (tandem/media/schedule.py, which says
why: django-tasks has no scheduler, and the schedulers made for it need Python
3.12): the reminders task enqueues its own next run with `run_after`, and
scheduling or moving a session makes sure one run is waiting. It is a chain of
its own rather than a step of the hourly housekeeping because a reminder is due
to the quarter hour, and a failing video job must never hold reminders back.
`manage.py coaching_reminders` runs it at once (from cron, if an operator
prefers). Running it twice is harmless: each session is claimed before it is
reminded (`services.send_reminders`).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

EVERY = datetime.timedelta(minutes=15)
TASK_PATH = "tandem.coaching.tasks.send_reminders"


def ensure_scheduled(*, soon: bool = False) -> bool:
    """Enqueue the next reminders run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import send_reminders

    if DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists():
        return False
    delay = datetime.timedelta(minutes=1) if soon else EVERY
    send_reminders.using(run_after=timezone.now() + delay).enqueue()
    return True
