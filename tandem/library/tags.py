"""The words Tandem's own library is tagged with, and how each reads in the reader's language.

Tags are stored as written (lowercase English for Tandem's strategies, whatever a
coach typed for her district's); a known tag is shown translated, any other as typed.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

KNOWN: dict[str, Promise] = {
    "classroom management": pgettext_lazy("strategy tag", "classroom management"),
    "cooperative learning": pgettext_lazy("strategy tag", "cooperative learning"),
    "engagement": pgettext_lazy("strategy tag", "engagement"),
    "explicit instruction": pgettext_lazy("strategy tag", "explicit instruction"),
    "feedback": pgettext_lazy("strategy tag", "feedback"),
    "formative assessment": pgettext_lazy("strategy tag", "formative assessment"),
    "literacy": pgettext_lazy("strategy tag", "literacy"),
    "math discourse": pgettext_lazy("strategy tag", "math discourse"),
    "planning": pgettext_lazy("strategy tag", "planning"),
    "questioning": pgettext_lazy("strategy tag", "questioning"),
    "retention": pgettext_lazy("strategy tag", "retention"),
    "routines": pgettext_lazy("strategy tag", "routines"),
    "student discussion": pgettext_lazy("strategy tag", "student discussion"),
    "vocabulary": pgettext_lazy("strategy tag", "vocabulary"),
}


def label(tag: str) -> str:
    """The tag in the reader's language when Tandem knows it, else as typed."""
    known = KNOWN.get(tag)
    return str(known) if known is not None else tag
