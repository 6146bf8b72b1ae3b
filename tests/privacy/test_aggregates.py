"""Aggregates for leaders: counts over at least 5 distinct teachers, with complementary
suppression, so no hidden count can be worked out from what is shown.

The property test plays an attacker who knows the suppression algorithm, every shown
number and the shown total, and tries every table that would have been published the
same way: each hidden cell must still have at least two possible values.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tandem.cycles.models import GoalStatus
from tandem.privacy.aggregates import K, goals_by_specialty, suppress
from tandem.schools.models import AssignmentStatus, Specialty

from .. import content
from .. import factories as f
from ..cast import Cast


def test_cells_of_five_or_more_and_their_total_are_shown() -> None:
    assert suppress([5, 9, 12]) == suppress([5, 9, 12], total=26)
    shown = suppress([5, 9, 12])
    assert (shown.cells, shown.total, shown.any_hidden) == ([5, 9, 12], 26, False)


def test_a_cell_under_five_is_hidden_with_the_next_smallest_so_the_total_does_not_reveal_it() -> (
    None
):
    shown = suppress([3, 9, 12])
    assert (shown.cells, shown.total) == ([None, None, 12], 24)


def test_two_small_cells_protect_each_other() -> None:
    assert suppress([3, 2, 12]).cells == [None, None, 12]


def test_hidden_cells_that_add_up_to_nothing_take_another_with_them() -> None:
    # Two zeros alone would be recovered from the total: 12 - 12 = 0 + 0.
    shown = suppress([0, 0, 12])
    assert (shown.cells, shown.total) == ([None, None, None], 12)


def test_a_total_under_five_is_hidden_and_so_is_every_cell() -> None:
    shown = suppress([1, 2, 1])
    assert (shown.cells, shown.total) == ([None, None, None], None)


def test_a_single_small_cell_with_nothing_to_pair_hides_the_total() -> None:
    assert suppress([3]) == suppress([3], total=3)
    assert suppress([3]).total is None
    assert suppress([7]).total == 7


def test_equal_smallest_cells_are_hidden_together_so_the_choice_tells_nothing() -> None:
    assert suppress([4, 6, 6, 9]).cells == [None, None, None, 9]


def test_counts_are_never_negative() -> None:
    with pytest.raises(ValueError, match="never negative"):
        suppress([-1, 6])


def _published(cells: list[Any], k: int) -> tuple[list[int | None], int | None]:
    shown = suppress(cells, k=k)
    return shown.cells, shown.total


def _indistinguishable(
    shown_cells: list[int | None], shown_total: int | None, k: int, bound: int
) -> Any:
    """Every table published exactly like this one, as values of its hidden cells."""
    hidden = [i for i, v in enumerate(shown_cells) if v is None]
    free = hidden[:-1] if shown_total is not None else hidden
    for guess in itertools.product(range(bound + 1), repeat=len(free)):
        candidate: list[Any] = list(shown_cells)
        for i, value in zip(free, guess, strict=True):
            candidate[i] = value
        if shown_total is not None:
            # The last hidden cell is what the shown total leaves.
            rest = shown_total - sum(v for j, v in enumerate(candidate) if j != hidden[-1])
            if rest < 0:
                continue
            candidate[hidden[-1]] = rest
        if _published(candidate, k) == (shown_cells, shown_total):
            yield [candidate[i] for i in hidden]


@given(
    cells=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=4),
    k=st.integers(min_value=2, max_value=6),
)
def test_no_hidden_cell_can_be_recovered_from_the_shown_cells_and_the_shown_total(
    cells: list[int], k: int
) -> None:
    shown_cells, shown_total = _published(cells, k)
    # Nothing under k is ever shown.
    assert all(v is None or v >= k for v in shown_cells)
    assert shown_total is None or shown_total >= k
    hidden = [i for i, v in enumerate(shown_cells) if v is None]
    if not hidden:
        assert shown_total == sum(cells)
        return
    # The attacker knows the algorithm, the shown cells and the shown total, and tries
    # every table that would have been published the same way (with the total hidden,
    # tables up to a bound: finding two values per cell is enough).
    bound = shown_total if shown_total is not None else sum(cells) + k
    possible: list[set[int]] = [set() for _ in hidden]
    for values in _indistinguishable(shown_cells, shown_total, k, bound):
        for seen, value in zip(possible, values, strict=True):
            seen.add(value)
        if all(len(seen) >= 2 for seen in possible):
            break
    for i, seen in zip(hidden, possible, strict=True):
        assert len(seen) >= 2, f"cell {i} of {cells} is recovered from {shown_cells}"


def test_every_small_table_keeps_its_hidden_cells_unknown() -> None:
    """The same attack on every table of up to three cells of 0 to 9, for k from 2 to 5."""
    for n in (1, 2, 3):
        for k in (2, 3, 4, 5):
            for cells in itertools.product(range(10), repeat=n):
                shown_cells, shown_total = _published(list(cells), k)
                hidden = [i for i, v in enumerate(shown_cells) if v is None]
                if not hidden:
                    continue
                bound = shown_total if shown_total is not None else sum(cells) + k
                possible: list[set[int]] = [set() for _ in hidden]
                for values in _indistinguishable(shown_cells, shown_total, k, bound):
                    for seen, value in zip(possible, values, strict=True):
                        seen.add(value)
                assert all(len(seen) >= 2 for seen in possible), (cells, k, shown_cells)


# --- The leader's aggregate, from the database --------------------------------------------


def _working_on_a_goal(cast: Cast, coach: Any, specialty: str, n: int) -> list[Any]:
    teachers = []
    for _ in range(n):
        teacher = f.teacher(cast.jefferson)
        f.assign(coach, teacher, cast.jefferson, specialty)
        content.goal(cast, teacher=teacher, engagement=content.cycle(cast, coach, teacher))
        teachers.append(teacher)
    return teachers


@pytest.mark.django_db
def test_teachers_are_counted_once_per_kind_of_coaching_and_once_in_all(cast: Cast) -> None:
    both = _working_on_a_goal(cast, cast.nia, Specialty.INSTRUCTIONAL, 6)
    for teacher in both[:2]:  # two of them also work on a goal with Omar
        f.assign(cast.omar, teacher, cast.jefferson, Specialty.TECHNOLOGY)
        content.goal(cast, teacher=teacher, engagement=content.cycle(cast, cast.omar, teacher))
        content.goal(cast, teacher=teacher, engagement=content.cycle(cast, cast.nia, teacher))
    _working_on_a_goal(cast, cast.omar, Specialty.TECHNOLOGY, 4)
    _working_on_a_goal(cast, cast.grace, Specialty.MENTOR, 1)
    (row,) = goals_by_specialty([cast.jefferson.pk])
    counts = {line.label: line.count for line in row.lines}
    assert counts["Instructional coach"] == 6
    assert counts["Technology coach"] == 6
    assert row.total == 11
    assert counts["Mentor"] is None  # one teacher: not shown
    assert counts["Program specialist"] is None


@pytest.mark.django_db
def test_when_the_only_small_cells_are_empty_the_smallest_count_is_hidden_too(
    cast: Cast,
) -> None:
    # Five cells of 0 would be known from the total: 5 - 5 = 0. So the 5 goes too.
    _working_on_a_goal(cast, cast.nia, Specialty.INSTRUCTIONAL, 5)
    (row,) = goals_by_specialty([cast.jefferson.pk])
    assert [line.count for line in row.lines] == [None] * 6
    assert row.total == 5


@pytest.mark.django_db
def test_held_back_met_and_ended_work_are_not_counted(cast: Cast) -> None:
    teachers = _working_on_a_goal(cast, cast.nia, Specialty.INSTRUCTIONAL, 5)
    _working_on_a_goal(cast, cast.grace, Specialty.MENTOR, 1)
    (row,) = goals_by_specialty([cast.jefferson.pk])
    assert row.lines[0].count == 5
    from tandem.cycles.models import Goal

    Goal.objects.filter(teacher=teachers[0]).update(held_back=True)
    assert goals_by_specialty([cast.jefferson.pk])[0].lines[0].count is None
    Goal.objects.filter(teacher=teachers[0]).update(held_back=False, status=GoalStatus.MET)
    assert goals_by_specialty([cast.jefferson.pk])[0].lines[0].count is None
    Goal.objects.filter(teacher=teachers[0]).update(status=GoalStatus.ACTIVE)
    teachers[0].coached_assignments.update(status=AssignmentStatus.ENDED)
    assert goals_by_specialty([cast.jefferson.pk])[0].lines[0].count is None


@pytest.mark.django_db
def test_the_principal_sees_counts_only_with_small_groups_not_shown(cast: Cast, client_for) -> None:
    _working_on_a_goal(cast, cast.nia, Specialty.INSTRUCTIONAL, 5)
    content.goal(cast, engagement=content.cycle(cast, cast.lena), statement="Maya's goal")
    content.goal(cast, teacher=cast.maya, engagement=content.cycle(cast, cast.omar))
    page = client_for(cast.dana).get(reverse("home")).content.decode()
    table = page.split('<table class="aggregate">')[1].split("</table>")[0]
    assert "Teachers working on a goal with a coach, by kind of coaching" in table
    assert '<th scope="row">Instructional coach</th><td class="num">6</td>' in table
    assert 'Technology coach</th><td class="num"><span class="suppressed">not shown' in table
    assert '<th scope="row">Any kind of coaching</th><td class="num">6</td>' in table
    assert f"fewer than {K} teachers" in page
    assert "Maya" not in page
    assert "goal</" not in page


@pytest.mark.django_db
def test_nobody_else_sees_the_aggregate(cast: Cast, client_for) -> None:
    _working_on_a_goal(cast, cast.nia, Specialty.INSTRUCTIONAL, 5)
    for person in (cast.maya, cast.lena, cast.priya, cast.otto):
        page = client_for(person).get(reverse("home")).content.decode()
        assert "Teachers working on a goal with a coach" not in page
