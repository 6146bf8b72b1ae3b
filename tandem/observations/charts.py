"""A session's figures as a table, and its timeline or samples as SVG geometry.

Charts are server-rendered SVG with the table beside them (DESIGN.md): the SVG
is a picture of the table, hidden from screen readers, which read the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from .models import ObservationSession
from .results import Result
from .tools import SPECS, Mode, Tool

WIDTH = 1000  # the SVGs' viewBox width; the page scales them


def clock(ms: int | None) -> str:
    """m:ss (or h:mm:ss) of a duration in milliseconds, rounded to the second."""
    seconds = ((ms or 0) + 500) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def _share(value: Decimal | None) -> str:
    return "—" if value is None else f"{formats.number_format(value, 1)} %"


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else formats.number_format(value, 2)


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def figure_rows(session: ObservationSession, result: Result, labels: dict[str, str]) -> Table:
    """The session's figures as rows of text, in the order a coach reads them."""
    tool = session.tool
    if tool == Tool.QUESTIONS:
        spec = SPECS[tool]
        table = Table([str(d) for d in spec.details.values()] + [_("Count"), _("Share")])
        for kind, label in spec.kinds.items():
            cells = [str(_count(result, f"{kind}.{d}")) for d in spec.details]
            total = result.figure(kind)
            cells += [str(total.count if total else 0), _share(total.percent if total else None)]
            table.rows.append({"label": str(label), "cells": cells})
        return table
    if SPECS[tool].switches:
        table = Table([_("Time"), _("Share"), _("Turns")])
        for f in result.figures:
            cells = [clock(f.ms), _share(f.percent), str(f.count)]
            table.rows.append({"label": labels.get(f.key, f.key), "cells": cells})
        return table
    if tool == Tool.TIME_ON_TASK:
        table = Table([_("At"), _("Engaged"), _("Present"), _("Share")])
        for n, p in enumerate(result.points, start=1):
            table.rows.append(
                {
                    "label": _("Sample %(n)s") % {"n": n},
                    "cells": [clock(p.offset_ms), str(p.value), str(p.total), _share(p.percent)],
                }
            )
        return table
    if tool == Tool.ACHIEVEMENT:
        table = Table([_("Correct"), _("Answered"), _("Share")])
        for f in result.figures:
            table.rows.append(
                {
                    "label": _("Item %(n)s") % {"n": f.key},
                    "cells": [str(f.part or 0), str(f.count), _share(f.percent)],
                }
            )
        return table
    interval = tool == Tool.CUSTOM and session.settings.get("mode") == Mode.INTERVAL
    table = Table([_("Count"), _("Share")] + ([] if interval else [_("Per minute")]))
    for f in result.figures:
        cells = [str(f.count), _share(f.percent)]
        if not interval:
            cells.append(_rate(f.per_minute))
        table.rows.append({"label": labels.get(f.key, f.key), "cells": cells})
    return table


def _count(result: Result, key: str) -> int:
    found = result.figure(key)
    return found.count if found else 0


def _coordinate(value: float) -> str:
    """An SVG coordinate as text: never localized ("400,0" is no length)."""
    return f"{value:.2f}"


def _stretch(start_ms: int, end_ms: int) -> str:
    return f"{clock(start_ms)}-{clock(end_ms)}"


def timeline(result: Result, labels: dict[str, str]) -> dict[str, Any] | None:
    """Rectangles of the talk-time or instructional-time timeline, and its legend."""
    if not result.spans or result.duration_ms <= 0:
        return None
    keys = list(SPECS[result.tool].kinds)
    bars = [
        {
            "x": _coordinate(span.start_ms * WIDTH / result.duration_ms),
            "width": _coordinate((span.end_ms - span.start_ms) * WIDTH / result.duration_ms),
            "tone": keys.index(span.key) if span.key in keys else 0,
            "title": f"{labels.get(span.key, span.key)}: {_stretch(span.start_ms, span.end_ms)}",
        }
        for span in result.spans
    ]
    legend = [{"label": labels.get(k, k), "tone": n} for n, k in enumerate(keys)]
    return {"bars": bars, "legend": legend, "width": WIDTH, "length": clock(result.duration_ms)}


def samples(result: Result) -> dict[str, Any] | None:
    """The share engaged at each sample, as points of a line from 0 to 100 %."""
    if result.tool != Tool.TIME_ON_TASK or not result.points or result.duration_ms <= 0:
        return None
    height = 200
    points = [
        {
            "x": _coordinate(p.offset_ms * WIDTH / result.duration_ms),
            "y": _coordinate(height - float(p.percent or 0) * height / 100),
        }
        for p in result.points
    ]
    line = " ".join(f"{p['x']},{p['y']}" for p in points)
    return {"points": points, "line": line, "width": WIDTH, "height": height}
