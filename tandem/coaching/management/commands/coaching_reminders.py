from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.coaching import services


class Command(BaseCommand):
    help = "Send the reminders of coaching sessions that start soon, now (each one only once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.send_reminders()
        self.stdout.write(f"sessions reminded: {sent}")
