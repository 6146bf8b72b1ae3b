"""Tandem's own strategies (`seed/strategies.json`), written into the shared library.

Called by the data migration (with the historical model) so every install has the
library, not only the demo; idempotent by slug, so running it again updates the text
and keeps each strategy's UUID (cycles that chose one keep pointing at it). A later
change to the seed ships as a new migration that calls `load` again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parent / "seed" / "strategies.json"
FIELDS = ("name", "summary", "description", "checklist", "tags", "resources", "source")


def read() -> list[dict[str, Any]]:
    return json.loads(SEED.read_text(encoding="utf-8"))


def load(strategy_model: Any) -> int:
    """Create or update each seeded strategy in Tandem's library (district empty)."""
    entries = read()
    for entry in entries:
        strategy_model.objects.update_or_create(
            district=None,
            slug=entry["slug"],
            defaults={
                **{name: entry[name] for name in FIELDS},
                "translations": entry.get("translations", {}),
            },
        )
    return len(entries)
