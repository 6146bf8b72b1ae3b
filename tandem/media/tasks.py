"""Background work for lesson video (django-tasks, database backend)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def transcode_video(video_id: int) -> str:
    """H.264/AAC MP4 720p with faststart, a poster and the duration; safe to run twice."""
    from . import transcode

    return transcode.run(video_id)


@task()
def housekeeping() -> dict[str, Any]:
    """Retention, expired uploads, stalled transcodes, orphan files; then the next run."""
    from . import schedule, services

    try:
        return services.housekeeping()
    finally:
        schedule.ensure_scheduled()
