"""Background work for coaching sessions (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminders() -> int:
    """Remind the participants of sessions starting soon, once each; then the next run."""
    from . import schedule, services

    try:
        return services.send_reminders()
    finally:
        schedule.ensure_scheduled()
