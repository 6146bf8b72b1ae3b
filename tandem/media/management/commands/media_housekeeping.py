from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.media import services


class Command(BaseCommand):
    help = "Apply video retention, expire unfinished uploads, requeue stalled transcodes now."

    def handle(self, *args: Any, **options: Any) -> None:
        for what, count in services.housekeeping().items():
            self.stdout.write(f"{what.replace('_', ' ')}: {count}")
