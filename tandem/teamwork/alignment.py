"""The alignment report's rules: where a school's coaches diverge, each rule a pure function.

The rules read plain values (no database), so each is tested on a fixture of its
own. Terms, meanings and measures are compared `normalise`d: case, accents'
composed forms, runs of white space and trailing punctuation do not make a
difference. A divergence is something for the coaches to talk about, not an error.

- `same_term_different_meanings`: one term (normalised) that coaches define in
  different ways (normalised meanings that differ). One meaning = no divergence.
- `different_terms_one_idea`: two different terms of two coaches for one idea —
  a coach declares the other's term a synonym of hers, or their meanings are
  identical once normalised.
- `different_measures`: two coaches of one teacher who measure progress differently.
- `cadence_overload`: a teacher whose coaches' meetings with her add up to more
  than `limit` a week.

Every divergence has a `key` that stays the same while the divergence does, so
agreements the coaches record on it are found again on the next report.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

_TRAILING = ".,;:!?¡¿\"'\u201c\u201d\u2018\u2019 "  # and curly quotes


def normalise(text: str) -> str:
    """The form two texts are compared in: composed, case-folded, single-spaced, unpunctuated."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split()).strip(_TRAILING)


@dataclass(frozen=True)
class Term:
    """One glossary entry of one coach."""

    coach_id: int
    term: str
    meaning: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meaning:
    coach_id: int
    term: str  # as the coach wrote it
    meaning: str


@dataclass(frozen=True)
class MeaningsDiverge:
    """One term that coaches mean different things by."""

    key: str  # the normalised term
    meanings: tuple[Meaning, ...]  # by coach, in the order given


def same_term_different_meanings(terms: Iterable[Term]) -> list[MeaningsDiverge]:
    """Terms that two or more coaches use with meanings that differ (once normalised)."""
    by_term: dict[str, list[Term]] = defaultdict(list)
    for t in terms:
        by_term[normalise(t.term)].append(t)
    found = []
    for key in sorted(by_term):
        entries = by_term[key]
        if len({normalise(t.meaning) for t in entries}) > 1:
            found.append(
                MeaningsDiverge(key, tuple(Meaning(t.coach_id, t.term, t.meaning) for t in entries))
            )
    return found


@dataclass(frozen=True)
class TermsDiverge:
    """Two coaches' different terms for one idea, and why the rule thinks so."""

    key: str  # the two normalised terms, sorted, joined by " | "
    first: Term
    second: Term
    declared: bool  # one of them declared the other's term a synonym
    same_meaning: bool  # their meanings are identical once normalised


def different_terms_one_idea(terms: Iterable[Term]) -> list[TermsDiverge]:
    """Pairs of different terms of different coaches that name one idea."""
    entries = list(terms)
    found: dict[str, TermsDiverge] = {}
    for i, a in enumerate(entries):
        for b in entries[i + 1 :]:
            if a.coach_id == b.coach_id:
                continue
            ka, kb = normalise(a.term), normalise(b.term)
            if ka == kb:
                continue  # the same term: the first rule's business
            declared = kb in {normalise(s) for s in a.synonyms} or ka in {
                normalise(s) for s in b.synonyms
            }
            same_meaning = bool(normalise(a.meaning)) and normalise(a.meaning) == normalise(
                b.meaning
            )
            if not (declared or same_meaning):
                continue
            first, second = (a, b) if ka < kb else (b, a)
            key = f"{min(ka, kb)} | {max(ka, kb)}"
            if key not in found:
                found[key] = TermsDiverge(key, first, second, declared, same_meaning)
    return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class MeasuresDiverge:
    """A teacher whose coaches measure her progress in different ways."""

    teacher_id: int
    measures: tuple[tuple[int, str], ...]  # (coach, measure), coaches who said one


def different_measures(
    measures: Mapping[int, str], teams: Mapping[int, Sequence[int]]
) -> list[MeasuresDiverge]:
    """Teachers with two or more coaches whose stated measures differ (a coach with none is
    left out). `measures`: coach → measure; `teams`: teacher → her coaches."""
    found = []
    for teacher_id in sorted(teams):
        stated = [
            (c, measures[c]) for c in teams[teacher_id] if normalise(measures.get(c, "") or "")
        ]
        if len({normalise(m) for _c, m in stated}) > 1:
            found.append(MeasuresDiverge(teacher_id, tuple(stated)))
    return found


@dataclass(frozen=True)
class Overload:
    """A teacher whose coaches together meet her more often a week than the limit."""

    teacher_id: int
    per_week: Fraction
    cadences: tuple[tuple[int, Fraction], ...]  # (coach, meetings a week)


def cadence_overload(
    cadence: Mapping[int, Fraction | None],
    teams: Mapping[int, Sequence[int]],
    *,
    limit: Fraction | int,
) -> list[Overload]:
    """Teachers whose coaches' meetings a week add up to more than `limit` (a coach who did
    not say her cadence counts nothing)."""
    found = []
    for teacher_id in sorted(teams):
        known = [(c, cadence[c]) for c in teams[teacher_id] if cadence.get(c) is not None]
        total = sum((per for _c, per in known if per is not None), Fraction(0))
        if total > limit:
            found.append(Overload(teacher_id, total, tuple((c, p) for c, p in known if p)))
    return found


@dataclass(frozen=True)
class Served:
    """Which coaching work serves which initiative."""

    by_initiative: dict[int, list[int]]  # initiative → the work that serves it
    none: list[int]  # work that serves no initiative


def served_by(work: Mapping[int, Iterable[int]], initiatives: Iterable[int]) -> Served:
    """`work`: a piece of coaching work (an approach, a cycle) → the initiatives it serves.
    Links to initiatives not listed (inactive, another school's) do not count."""
    listed = list(initiatives)
    by_initiative: dict[int, list[int]] = {i: [] for i in listed}
    none = []
    for item, serves in work.items():
        hits = [i for i in serves if i in by_initiative]
        for i in hits:
            by_initiative[i].append(item)
        if not hits:
            none.append(item)
    return Served(by_initiative, none)


def per_week_label(per_week: Fraction) -> str:
    """1, 1.5, 0.23: a cadence in at most two decimals, for reading."""
    rounded = round(float(per_week), 2)
    return f"{rounded:g}"
