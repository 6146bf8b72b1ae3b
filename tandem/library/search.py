"""Searching the library in the reader's language: one query for the index, then one page.

The name and summary a reader sees may live in `translations` (JSON), and a tag she sees
may be its translation (`tags.label`); matching those in SQL would differ between SQLite
(which keeps JSON text with escaped accents) and PostgreSQL. A library holds tens to a few
hundred strategies, so the index (id, names, summaries, tags — never descriptions) is read
in one query and matched here, accent- and case-insensitively; the page's rows are a
second query. Two queries, whatever the library's size.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F
from django.db.models.fields.json import KT
from django.utils.translation import get_language

from . import tags as tag_words
from .models import StrategyQuerySet


def fold(text: str) -> str:
    """Lowercase without accents: "Evaluación" and "evaluacion" read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Found:
    ids: list[int]  # matching strategies, by name in the reader's language
    tags: list[tuple[str, str, int]] = field(default_factory=list)  # (tag, label, count) of all


def search(strategies: StrategyQuerySet, *, q: str = "", tag: str = "") -> Found:
    """The strategies whose name, summary or tags (as the reader reads them) hold every word
    of `q`, and that carry `tag` if given; and every tag of `strategies` with its count."""
    language = (get_language() or "en")[:2]
    rows = strategies.annotate(
        local_name=KT(f"translations__{language}__name"),
        local_summary=KT(f"translations__{language}__summary"),
    ).values_list("id", F("name"), F("summary"), "tags", "local_name", "local_summary")
    words = [fold(w) for w in q.split()]
    tag = " ".join(tag.split()).lower()
    counts: Counter[str] = Counter()
    matched: list[tuple[str, int]] = []
    for pk, name, summary, tags, local_name, local_summary in rows:
        tags = [t for t in tags if isinstance(t, str)]
        counts.update(tags)
        if tag and tag not in tags:
            continue
        shown = local_name or name
        haystack = fold(
            " ".join([shown, local_summary or summary, *tags, *(tag_words.label(t) for t in tags)])
        )
        if all(w in haystack for w in words):
            matched.append((fold(shown), pk))
    matched.sort()
    labelled = sorted(
        ((t, tag_words.label(t), n) for t, n in counts.items()), key=lambda x: fold(x[1])
    )
    return Found(ids=[pk for _name, pk in matched], tags=labelled)
