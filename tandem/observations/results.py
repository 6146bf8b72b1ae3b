"""What a session's events add up to, tool by tool: pure functions, no database.

Results are never stored: the events are the record, and these functions are
the one reading of them (`static/observations/results.js` is the same reading
for the result screen on a phone with no network; the tests hold both to the
same cases). Arithmetic is on integers, rounded half up, so Python and
JavaScript agree to the last digit: shares in tenths of a percent, rates in
hundredths.

Rules where a reader might hesitate:
- Time on task: the share engaged is all engaged over all present, across the
  samples (a sample of 30 weighs more than a sample of 10).
- Talk time and instructional time: a tap switches from then on; consecutive
  taps on the same key are one stretch; the time before the first tap is not
  counted, and shares are of the time counted.
- Praise and correction: praise per correction; with no correction there is no
  ratio (the counts still show).
- A custom tool's headline is the share of its first label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from .tools import SPECS, Mode, Tool


@dataclass(frozen=True)
class Tap:
    """One event as recorded: its order, its time from the start, and what was tapped."""

    seq: int
    offset_ms: int
    kind: str
    detail: str = ""
    value: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class Figure:
    """A count (and, for the timed tools, a time) for one key, with its share and rate."""

    key: str
    count: int = 0
    part: int | None = None  # of `count`: engaged of present, correct of answered
    ms: int | None = None
    percent: Decimal | None = None
    per_minute: Decimal | None = None


@dataclass(frozen=True)
class Span:
    """A stretch of the timeline: who talked, or what the class did, from start to end."""

    key: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Point:
    """One sample of time on task (engaged of present), or one interval of a custom tool."""

    offset_ms: int
    value: int
    total: int
    percent: Decimal | None


@dataclass(frozen=True)
class Result:
    tool: str
    duration_ms: int
    count: int  # events counted
    headline: Decimal | None  # the figure that becomes a measurement of a goal
    figures: tuple[Figure, ...] = ()
    spans: tuple[Span, ...] = ()
    points: tuple[Point, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: decimals as numbers."""
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage in tenths, rounded half up; None of nothing."""
    if whole <= 0:
        return None
    tenths = (2 * part * 1000 + whole) // (2 * whole)
    return Decimal(tenths).scaleb(-1)


def per_minute(count: int, duration_ms: int) -> Decimal | None:
    """count per minute of `duration_ms`, in hundredths, rounded half up."""
    if duration_ms <= 0:
        return None
    hundredths = (2 * count * 6_000_000 + duration_ms) // (2 * duration_ms)
    return Decimal(hundredths).scaleb(-2)


def ratio(part: int, whole: int) -> Decimal | None:
    """part for each one of whole, in hundredths, rounded half up; None when whole is 0."""
    if whole <= 0:
        return None
    return Decimal((2 * part * 100 + whole) // (2 * whole)).scaleb(-2)


def compute(tool: str, settings: dict[str, Any], taps: Iterable[Tap], duration_ms: int) -> Result:
    """The result of one session of `tool`, from its events in any order."""
    ordered = sorted(taps, key=lambda t: t.seq)
    if tool == Tool.TIME_ON_TASK:
        return _time_on_task(ordered, duration_ms)
    if tool in (Tool.TALK_TIME, Tool.SEGMENTS):
        return _stopwatch(tool, ordered, duration_ms)
    if tool == Tool.ACHIEVEMENT:
        return _achievement(ordered, duration_ms, int(settings.get("items") or 0))
    if tool == Tool.QUESTIONS:
        return _questions(ordered, duration_ms)
    if tool == Tool.CUSTOM:
        keys = [str(n) for n in range(1, len(settings.get("labels") or []) + 1)]
        interval = settings.get("mode") == Mode.INTERVAL
        return _tally(tool, ordered, duration_ms, keys, headline="share", interval=interval)
    if tool == Tool.PRAISE:
        return _tally(tool, ordered, duration_ms, list(SPECS[tool].kinds), headline="ratio")
    if tool == Tool.RESPONSES:
        return _tally(tool, ordered, duration_ms, list(SPECS[tool].kinds), headline="rate")
    raise ValueError(f"unknown tool {tool!r}")


def _tally(
    tool: str,
    taps: Sequence[Tap],
    duration_ms: int,
    keys: list[str],
    *,
    headline: str,
    interval: bool = False,
) -> Result:
    counts = dict.fromkeys(keys, 0)
    for tap in taps:
        key = str(tap.value) if tool == Tool.CUSTOM else tap.kind
        if key in counts:
            counts[key] += 1
    total = sum(counts.values())
    figures = tuple(
        Figure(
            key=key,
            count=n,
            percent=percent(n, total),
            per_minute=None if interval else per_minute(n, duration_ms),
        )
        for key, n in counts.items()
    )
    if headline == "rate":
        value = per_minute(total, duration_ms)
    elif headline == "ratio":
        value = ratio(counts.get("praise", 0), counts.get("correction", 0))
    else:
        value = figures[0].percent if figures else None
    points: tuple[Point, ...] = ()
    if interval:
        points = tuple(
            Point(t.offset_ms, t.value or 0, len(keys), None)
            for t in taps
            if str(t.value) in counts
        )
    return Result(
        tool=tool,
        duration_ms=duration_ms,
        count=total,
        headline=value,
        figures=figures,
        points=points,
        extra={"per_minute": None if interval else per_minute(total, duration_ms)},
    )


def _questions(taps: Sequence[Tap], duration_ms: int) -> Result:
    spec = SPECS[Tool.QUESTIONS]
    keys = [*spec.kinds, *spec.details, *(f"{k}.{d}" for k in spec.kinds for d in spec.details)]
    counts = dict.fromkeys(keys, 0)
    for tap in taps:
        if tap.kind in spec.kinds:
            counts[tap.kind] += 1
            if tap.detail in spec.details:
                counts[tap.detail] += 1
                counts[f"{tap.kind}.{tap.detail}"] += 1
    total = sum(counts[k] for k in spec.kinds)
    figures = tuple(
        Figure(
            key=key,
            count=n,
            percent=percent(n, total),
            per_minute=per_minute(n, duration_ms) if "." not in key else None,
        )
        for key, n in counts.items()
    )
    return Result(
        tool=Tool.QUESTIONS,
        duration_ms=duration_ms,
        count=total,
        headline=percent(counts["open"], total),
        figures=figures,
        extra={"per_minute": per_minute(total, duration_ms)},
    )


def _time_on_task(taps: Sequence[Tap], duration_ms: int) -> Result:
    points = tuple(
        Point(t.offset_ms, t.value or 0, t.total or 0, percent(t.value or 0, t.total or 0))
        for t in taps
        if t.kind == "sample"
    )
    engaged = sum(p.value for p in points)
    present = sum(p.total for p in points)
    share = percent(engaged, present)
    return Result(
        tool=Tool.TIME_ON_TASK,
        duration_ms=duration_ms,
        count=len(points),
        headline=share,
        figures=(Figure(key="engaged", count=present, part=engaged, percent=share),),
        points=points,
    )


def _stopwatch(tool: str, taps: Sequence[Tap], duration_ms: int) -> Result:
    keys = list(SPECS[tool].kinds)
    spans: list[Span] = []
    turns = dict.fromkeys(keys, 0)
    for tap in taps:
        if tap.kind not in turns:
            continue
        start = min(max(tap.offset_ms, 0), duration_ms)
        if spans and spans[-1].key == tap.kind:
            continue  # the same key again: one stretch goes on
        if spans:
            spans[-1] = Span(spans[-1].key, spans[-1].start_ms, start)
        turns[tap.kind] += 1
        spans.append(Span(tap.kind, start, duration_ms))
    spans = [s for s in spans if s.end_ms > s.start_ms]
    times = dict.fromkeys(keys, 0)
    for span in spans:
        times[span.key] += span.end_ms - span.start_ms
    counted = sum(times.values())
    figures = tuple(
        Figure(key=key, count=turns[key], ms=times[key], percent=percent(times[key], counted))
        for key in keys
    )
    headline_key = SPECS[tool].headline_key
    return Result(
        tool=tool,
        duration_ms=duration_ms,
        count=sum(turns.values()),
        headline=percent(times[headline_key], counted),
        figures=figures,
        spans=tuple(spans),
        extra={"counted_ms": counted},
    )


def _achievement(taps: Sequence[Tap], duration_ms: int, items: int) -> Result:
    answered = dict.fromkeys(range(1, items + 1), 0)
    correct = dict.fromkeys(range(1, items + 1), 0)
    for tap in taps:
        item = tap.value
        if item in answered and tap.kind in ("correct", "incorrect"):
            answered[item] += 1
            correct[item] += tap.kind == "correct"
    figures = tuple(
        Figure(
            key=str(item),
            count=answered[item],
            part=correct[item],
            percent=percent(correct[item], n),
        )
        for item, n in answered.items()
    )
    total, right = sum(answered.values()), sum(correct.values())
    return Result(
        tool=Tool.ACHIEVEMENT,
        duration_ms=duration_ms,
        count=total,
        headline=percent(right, total),
        figures=figures,
        extra={"correct": right},
    )
