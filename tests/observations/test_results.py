"""What each tool's events add up to: worked examples, then properties over any events."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tandem.observations.results import Tap, compute, per_minute, percent, ratio
from tandem.observations.tools import SPECS, Tool

from .cases import random_case, taps_for

MINUTE = 60_000


def test_percent_rounds_half_up_in_tenths_and_is_none_of_nothing() -> None:
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")  # exactly half a tenth: up
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3
    assert percent(0, 5) == Decimal("0.0")
    assert percent(3, 0) is None


def test_rates_and_ratios_round_half_up_in_hundredths() -> None:
    assert per_minute(7, 2 * MINUTE) == Decimal("3.50")
    assert per_minute(1, 3 * MINUTE) == Decimal("0.33")
    assert per_minute(5, 0) is None
    assert ratio(7, 2) == Decimal("3.50")
    assert ratio(1, 8) == Decimal("0.13")  # 0.125 → 0.13
    assert ratio(4, 0) is None


def test_time_on_task_weighs_every_student_present_across_the_samples() -> None:
    taps = [
        Tap(1, 30_000, "sample", value=20, total=25),
        Tap(2, 60_000, "sample", value=5, total=10),
    ]
    result = compute(Tool.TIME_ON_TASK, {"interval_seconds": 30}, taps, 2 * MINUTE)
    assert [p.percent for p in result.points] == [Decimal("80.0"), Decimal("50.0")]
    assert result.headline == Decimal("71.4")  # 25 of 35, not the mean of 80 and 50
    assert result.count == 2


def test_opportunities_to_respond_per_minute_by_type() -> None:
    kinds = ["individual", "group", "group", "written", "group", "individual"]
    taps = [Tap(n, n * 1000, kind) for n, kind in enumerate(kinds, start=1)]
    result = compute(Tool.RESPONSES, {}, taps, 4 * MINUTE)
    assert result.headline == Decimal("1.50")
    group = result.figure("group")
    assert group is not None
    assert (group.count, group.percent, group.per_minute) == (3, Decimal("50.0"), Decimal("0.75"))


def test_praise_ratio_and_no_ratio_without_a_correction() -> None:
    taps = [Tap(n, n, k) for n, k in enumerate(["praise"] * 7 + ["correction"] * 2, start=1)]
    assert compute(Tool.PRAISE, {}, taps, MINUTE).headline == Decimal("3.50")
    only_praise = compute(Tool.PRAISE, {}, taps[:3], MINUTE)
    assert only_praise.headline is None
    assert only_praise.figure("praise").count == 3  # type: ignore[union-attr]


def test_questions_by_kind_and_level_and_the_share_open() -> None:
    asked = [
        ("open", "recall"),
        ("closed", "recall"),
        ("closed", "recall"),
        ("open", "application"),
    ]
    taps = [Tap(n, n, k, detail=d) for n, (k, d) in enumerate(asked, start=1)]
    result = compute(Tool.QUESTIONS, {}, taps, MINUTE)
    assert result.headline == Decimal("50.0")
    assert result.figure("recall").count == 3  # type: ignore[union-attr]
    assert result.figure("closed.recall").count == 2  # type: ignore[union-attr]
    assert result.figure("open.understanding").count == 0  # type: ignore[union-attr]


def test_talk_time_switches_from_each_tap_on_and_ignores_time_before_the_first() -> None:
    taps = [
        Tap(1, 10_000, "teacher"),
        Tap(2, 70_000, "students"),
        Tap(3, 80_000, "students"),  # the same key again: one stretch
        Tap(4, 100_000, "silence"),
        Tap(5, 110_000, "teacher"),
    ]
    result = compute(Tool.TALK_TIME, {}, taps, 130_000)
    assert [(s.key, s.start_ms, s.end_ms) for s in result.spans] == [
        ("teacher", 10_000, 70_000),
        ("students", 70_000, 100_000),
        ("silence", 100_000, 110_000),
        ("teacher", 110_000, 130_000),
    ]
    teacher, students, silence = result.figures
    assert (teacher.ms, teacher.count, teacher.percent) == (80_000, 2, Decimal("66.7"))
    assert (students.ms, students.percent) == (30_000, Decimal("25.0"))
    assert (silence.ms, silence.percent) == (10_000, Decimal("8.3"))
    assert result.headline == Decimal("25.0")
    assert result.extra["counted_ms"] == 120_000


def test_instructional_time_headline_is_the_share_of_instruction() -> None:
    taps = [Tap(1, 0, "transition"), Tap(2, MINUTE, "instruction"), Tap(3, 4 * MINUTE, "other")]
    result = compute(Tool.SEGMENTS, {}, taps, 5 * MINUTE)
    assert result.headline == Decimal("60.0")


def test_student_achievement_per_item_and_overall() -> None:
    answers = [(1, "correct"), (1, "correct"), (1, "incorrect"), (2, "incorrect"), (3, "correct")]
    taps = [Tap(n, n, kind, value=item) for n, (item, kind) in enumerate(answers, start=1)]
    result = compute(Tool.ACHIEVEMENT, {"items": 4}, taps, MINUTE)
    assert [(f.key, f.count, f.part, f.percent) for f in result.figures] == [
        ("1", 3, 2, Decimal("66.7")),
        ("2", 1, 0, Decimal("0.0")),
        ("3", 1, 1, Decimal("100.0")),
        ("4", 0, 0, None),
    ]
    assert result.headline == Decimal("60.0")


def test_custom_tools_count_their_own_labels_and_headline_the_first() -> None:
    tally = {"name": "Turn and talk", "mode": "tally", "labels": ["On topic", "Off topic"]}
    taps = [Tap(n, n, "tally", value=v) for n, v in enumerate([1, 1, 2, 1], start=1)]
    result = compute(Tool.CUSTOM, tally, taps, 2 * MINUTE)
    assert result.headline == Decimal("75.0")
    assert result.figure("1").per_minute == Decimal("1.50")  # type: ignore[union-attr]
    interval = {**tally, "mode": "interval", "interval_seconds": 30}
    marks = compute(Tool.CUSTOM, interval, taps, 2 * MINUTE)
    assert marks.headline == Decimal("75.0")
    assert [p.value for p in marks.points] == [1, 1, 2, 1]
    assert marks.figure("1").per_minute is None  # type: ignore[union-attr]


def test_a_session_with_no_events_has_no_headline_and_empty_figures() -> None:
    for tool in Tool:
        settings = random_case(random.Random(0), tool)["settings"]
        result = compute(tool, settings, [], MINUTE)
        assert result.headline is None or tool == Tool.RESPONSES, tool
        assert result.count == 0


# Properties -------------------------------------------------------------------------


@st.composite
def sessions(draw: st.DrawFn) -> dict:
    tool = draw(st.sampled_from(list(Tool)))
    return random_case(random.Random(draw(st.integers(0, 10**9))), tool)


@given(sessions(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_events_arrive_in(
    case: dict, rng: random.Random
) -> None:
    taps = taps_for(case)
    shuffled = taps[:]
    rng.shuffle(shuffled)
    assert compute(case["tool"], case["settings"], shuffled, case["duration_ms"]) == compute(
        case["tool"], case["settings"], taps, case["duration_ms"]
    )


@given(sessions())
def test_shares_add_up_to_a_hundred_within_rounding(case: dict) -> None:
    result = compute(case["tool"], case["settings"], taps_for(case), case["duration_ms"])
    spec = SPECS[case["tool"]]
    keys = list(spec.kind_labels(case["settings"])) if case["tool"] != Tool.ACHIEVEMENT else []
    shares = [f.percent for f in result.figures if f.key in keys and f.percent is not None]
    if shares:
        assert abs(sum(shares, Decimal(0)) - 100) <= Decimal("0.05") * len(shares)
    for figure in result.figures:
        if figure.percent is not None:
            assert Decimal(0) <= figure.percent <= Decimal(100)


@given(sessions())
def test_stopwatch_stretches_tile_the_counted_time_without_overlap(case: dict) -> None:
    result = compute(case["tool"], case["settings"], taps_for(case), case["duration_ms"])
    if not SPECS[case["tool"]].switches:
        return
    for before, after in zip(result.spans, result.spans[1:], strict=False):
        assert before.end_ms == after.start_ms
        assert before.key != after.key
    if result.spans:
        assert result.spans[-1].end_ms == case["duration_ms"]
    assert sum(f.ms or 0 for f in result.figures) == result.extra["counted_ms"]
