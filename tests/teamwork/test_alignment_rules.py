"""Each rule of the alignment report on a fixture of its own (no database, no demo)."""

from __future__ import annotations

from fractions import Fraction

from tandem.teamwork.alignment import (
    Term,
    cadence_overload,
    different_measures,
    different_terms_one_idea,
    normalise,
    same_term_different_meanings,
    served_by,
)

ANA, BEA, CY = 1, 2, 3  # three coaches
TESS, UMA = 10, 11  # two teachers


def test_normalise_ignores_case_spacing_and_trailing_punctuation() -> None:
    assert normalise("  Check   for\tUnderstanding. ") == "check for understanding"
    assert normalise("ÉXIT Ticket!") == normalise("éxit ticket")


def test_one_term_with_two_meanings_is_a_divergence() -> None:
    found = same_term_different_meanings(
        [
            Term(ANA, "Check for understanding", "An exit ticket at the end of the lesson"),
            Term(BEA, "check for  understanding", "A thumbs-up poll during the lesson"),
        ]
    )
    assert [d.key for d in found] == ["check for understanding"]
    assert {m.coach_id for m in found[0].meanings} == {ANA, BEA}


def test_one_term_with_the_same_meaning_is_not_a_divergence() -> None:
    assert not same_term_different_meanings(
        [
            Term(ANA, "Exit ticket", "A short task at the end of the lesson."),
            Term(BEA, "EXIT TICKET", "a short task at the end of the lesson"),
        ]
    )


def test_different_terms_are_not_one_term() -> None:
    assert not same_term_different_meanings(
        [Term(ANA, "Exit ticket", "A task"), Term(BEA, "Wait time", "A pause")]
    )


def test_a_declared_synonym_of_another_coachs_term_is_two_words_for_one_idea() -> None:
    found = different_terms_one_idea(
        [
            Term(ANA, "Exit ticket", "A short task at the end", ("Ticket out the door",)),
            Term(BEA, "ticket out the door", "What students hand in as they leave"),
        ]
    )
    assert [d.key for d in found] == ["exit ticket | ticket out the door"]
    assert found[0].declared
    assert not found[0].same_meaning


def test_two_terms_with_the_same_meaning_are_two_words_for_one_idea() -> None:
    found = different_terms_one_idea(
        [
            Term(ANA, "Wait time", "Pausing three seconds after a question."),
            Term(BEA, "Think time", "pausing three seconds  after a question"),
        ]
    )
    assert len(found) == 1
    assert found[0].same_meaning
    assert not found[0].declared


def test_a_coachs_own_synonyms_and_unrelated_terms_are_not_divergences() -> None:
    assert not different_terms_one_idea(
        [
            Term(ANA, "Exit ticket", "A task", ("Exit slip",)),
            Term(ANA, "Exit slip", "A task, on paper"),  # her own two words
            Term(BEA, "Wait time", "A pause"),
            Term(CY, "exit ticket", "A task"),  # the same term: not two words
        ]
    )


def test_two_coaches_of_one_teacher_with_different_measures_diverge() -> None:
    measures = {ANA: "% of students on task", BEA: "Exit-ticket scores", CY: ""}
    found = different_measures(measures, {TESS: [ANA, BEA, CY], UMA: [ANA]})
    assert [d.teacher_id for d in found] == [TESS]
    assert dict(found[0].measures) == {ANA: "% of students on task", BEA: "Exit-ticket scores"}


def test_the_same_measure_written_differently_or_an_unsaid_one_is_not_a_divergence() -> None:
    measures = {ANA: "% of students on task", BEA: "  % OF STUDENTS ON TASK.", CY: ""}
    assert not different_measures(measures, {TESS: [ANA, BEA, CY]})
    assert not different_measures({ANA: "a", BEA: "b"}, {TESS: [ANA], UMA: [BEA]})


def test_a_teacher_meeting_four_coaches_a_week_is_over_a_limit_of_three() -> None:
    weekly = dict.fromkeys([ANA, BEA, CY, 4], Fraction(1))
    found = cadence_overload(weekly, {TESS: [ANA, BEA, CY, 4], UMA: [ANA, BEA]}, limit=3)
    assert [(o.teacher_id, o.per_week) for o in found] == [(TESS, 4)]


def test_exactly_the_limit_and_unsaid_cadences_are_not_overload() -> None:
    weekly = {ANA: Fraction(2), BEA: Fraction(1), CY: None}
    assert not cadence_overload(weekly, {TESS: [ANA, BEA, CY]}, limit=3)
    monthly = {ANA: Fraction(2), BEA: Fraction(4) * 12 / 52}  # four a month ≈ 0.92 a week
    assert not cadence_overload(monthly, {TESS: [ANA, BEA]}, limit=3)
    assert cadence_overload(monthly, {TESS: [ANA, BEA]}, limit=2)


def test_work_serving_no_listed_initiative_serves_none() -> None:
    served = served_by({ANA: [100], BEA: [], CY: [999]}, [100, 101])
    assert served.by_initiative == {100: [ANA], 101: []}
    assert served.none == [BEA, CY]
