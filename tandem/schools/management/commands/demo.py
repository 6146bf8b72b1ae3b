from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.schools import demo
from tandem.schools.models import District


class Command(BaseCommand):
    help = "Load the demo districts (Maple Valley and Hillview) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=["small", "large"],
            default="small",
            help="small: the cast and ~30 teachers; large: 60 schools, "
            "3,000 teachers, 150 coaches (for benchmarks).",
        )

    def handle(self, *args: Any, size: str, **options: Any) -> None:
        if District.objects.exists():
            raise CommandError(
                "The database already holds districts; the demo loads only into an empty one. "
                "Remove var/tandem.sqlite3 (or use a fresh DATABASE_URL) to start over."
            )
        demo.build(size)
        self.stdout.write(self.style.SUCCESS(f"Loaded the {size} demo districts."))
        for line in login_lines():
            self.stdout.write(line)


def login_lines() -> list[str]:
    lines = [f"Demo logins (password for all: {demo.DEMO_PASSWORD}):"]
    width = max(len(email) for email, _n, _r in demo.LOGINS)
    for email, name, role in demo.LOGINS:
        lines.append(f"  {email.ljust(width)}  {name}, {role}")
    return lines
