"""A goal's progress: the merged series of its measurements, and the chart drawn from it.

Measurements are typed in (`Measurement` rows) or come from observation sessions
linked to the goal (`observations.measurements.for_goal`, only those the viewer
may see): one series, oldest first. The chart is server-rendered SVG with a
title and a description, and the page puts the same values in a table beside it
(DESIGN.md: charts as accessible SVG with a data table).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from tandem.observations import measurements as observed

from .models import Goal, Measurement

TYPED, OBSERVATION = "typed", "observation"
WIDTH, HEIGHT = 640, 300  # the SVG's viewBox; the page scales it
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 20, 44  # room for the axes' labels


@dataclass(frozen=True)
class Point:
    """One measurement of the goal, whichever way it came."""

    taken_on: datetime.date
    value: Decimal
    source: str  # TYPED or OBSERVATION
    label: str  # the note typed with it, or what the observation measured
    url: str = ""  # the observation session's page
    session_uuid: uuid.UUID | None = None
    unit: str = ""
    author: str = ""

    @property
    def observed(self) -> bool:
        return self.source == OBSERVATION


def series(goal: Goal, viewer: Any) -> list[Point]:
    """Every measurement of the goal the viewer may see, oldest first (three queries)."""
    typed = [
        Point(
            taken_on=m.taken_on,
            value=m.value,
            source=TYPED,
            label=m.note,
            author=m.author.display_name,
        )
        for m in Measurement.objects.filter(goal=goal).select_related("author")
    ]
    sessions = [
        Point(
            taken_on=o.taken_on,
            value=o.value,
            source=OBSERVATION,
            label=o.label,
            url=o.url,
            session_uuid=o.session_uuid,
            unit=o.unit,
        )
        for o in observed.for_goal(goal, viewer)
    ]
    # Stable: on one day, typed values before observed ones, each in its own order.
    return sorted(typed + sessions, key=lambda p: p.taken_on)


def proposes_met(goal: Goal | None, points: list[Point]) -> bool:
    """Tandem proposes that the goal is met when the latest measurement reaches the target
    in the goal's direction."""
    return goal is not None and bool(points) and goal.reached_by(points[-1].value)


def number(value: Decimal | None) -> str:
    """A value as the reader writes numbers ("52.5", "52,5"); no trailing zeros."""
    if value is None:
        return "—"
    return formats.number_format(value.normalize() if value == value.to_integral() else value)


def _c(value: float) -> str:
    """An SVG coordinate as text: never localized ("400,0" is no length)."""
    return f"{value:.1f}"


def chart(goal: Goal, points: list[Point]) -> dict[str, Any] | None:
    """The geometry of the progress chart: baseline and target lines, one mark per point."""
    if goal.baseline is None and goal.target is None and not points:
        return None
    low, high = goal.value_range()
    values = [p.value for p in points] + [v for v in (goal.baseline, goal.target) if v is not None]
    top = high if high is not None else max(values or [Decimal(1)]) * Decimal("1.15")
    if top <= low:
        top = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + plot_h - float((value - low) / (top - low)) * plot_h

    days = [p.taken_on for p in points]
    first, last = (min(days), max(days)) if days else (None, None)
    span = (last - first).days if first and last else 0

    def x(day: datetime.date, index: int) -> float:
        if span == 0:  # all on one day (or one point): spread them evenly
            return LEFT + plot_w * (index + 1) / (len(points) + 1)
        assert first is not None
        return LEFT + plot_w * (day - first).days / span

    marks = []
    for n, p in enumerate(points):
        px, py = x(p.taken_on, n), y(p.value)
        marks.append(
            {
                "x": _c(px),
                "y": _c(py),
                "diamond": f"{_c(px)},{_c(py - 8)} {_c(px + 8)},{_c(py)} "
                f"{_c(px)},{_c(py + 8)} {_c(px - 8)},{_c(py)}",
                "observed": p.observed,
                "url": p.url,
                "title": _("%(date)s: %(value)s (%(source)s)")
                % {
                    "date": formats.date_format(p.taken_on, "SHORT_DATE_FORMAT"),
                    "value": number(p.value),
                    "source": _("from an observation") if p.observed else _("typed in"),
                },
            }
        )
    ticks = [low + (top - low) * k / 4 for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": TOP + plot_h,
        "label_x": LEFT - 8,
        "date_y": TOP + plot_h + 24,
        "baseline": _line(goal.baseline, y),
        "target": _line(goal.target, y),
        "line": " ".join(f"{m['x']},{m['y']}" for m in marks),
        "marks": marks,
        "ticks": [{"y": _c(y(t)), "label": number(t.quantize(Decimal("0.1")))} for t in ticks],
        "first": formats.date_format(first, "SHORT_DATE_FORMAT") if first else "",
        "last": formats.date_format(last, "SHORT_DATE_FORMAT") if last and span else "",
        "description": describe(goal, points),
    }


def _line(value: Decimal | None, y: Any) -> dict[str, str] | None:
    if value is None:
        return None
    return {"y": _c(y(value)), "label_y": _c(y(value) - 6), "value": number(value)}


def describe(goal: Goal, points: list[Point]) -> str:
    """The chart in one or two sentences, for its <desc> (the table has every value)."""
    parts = [
        _("Baseline %(baseline)s, target %(target)s.")
        % {"baseline": number(goal.baseline), "target": number(goal.target)}
    ]
    if len(points) == 1:
        parts.append(
            _("One measurement, on %(first)s: %(latest)s.")
            % {
                "first": formats.date_format(points[0].taken_on, "DATE_FORMAT"),
                "latest": number(points[0].value),
            }
        )
    elif points:
        parts.append(
            _("%(n)s measurements from %(first)s to %(last)s; the latest is %(latest)s.")
            % {
                "n": len(points),
                "first": formats.date_format(points[0].taken_on, "DATE_FORMAT"),
                "last": formats.date_format(points[-1].taken_on, "DATE_FORMAT"),
                "latest": number(points[-1].value),
            }
        )
    else:
        parts.append(_("No measurements yet."))
    return " ".join(parts)
