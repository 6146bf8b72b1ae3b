"""PEERS: the five criteria of a good goal, and a gentle check that a goal is about students.

`about_teacher(statement)` is a small heuristic, not a rule: a statement that
starts the way a promise about the teacher's own behaviour starts ("I will use
more wait time", "The teacher will…", "Voy a…", "El docente…") and never
mentions students gets a gentle prompt to refocus on what students will do.
The goal is saved either way: it is the teacher's goal, not Tandem's.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

# The five criteria, each with the question that helps decide it.
CRITERIA = [
    ("powerful", _("Powerful"), _("Will hitting it make a real difference for students?")),
    ("easy", _("Easy"), _("Is it simple to understand and to measure?")),
    (
        "emotionally_compelling",
        _("Emotionally compelling"),
        _("Does it matter to you? Would you be glad to reach it?"),
    ),
    ("reachable", _("Reachable"), _("Can it be reached in a few weeks, with a clear measure?")),
    (
        "student_focused",
        _("Student-focused"),
        _("Is it about what students will do, rather than what the teacher will do?"),
    ),
]

# Openings of a statement about the teacher's own behaviour, English and Spanish
# (accents removed before matching).
_TEACHER_OPENINGS = re.compile(
    r"^(i\s+will|i'll|i\s+am\s+going\s+to|i\s+want\s+to|i\s+plan\s+to|"
    r"the\s+teacher|teacher\s+will|my\s+teaching|"
    r"voy\s+a|quiero|yo\s+voy|el\s+docente|la\s+docente|el\s+maestro|la\s+maestra|"
    r"el\s+profesor|la\s+profesora|mi\s+ensenanza)\b"
)
# Words that put students in the statement.
_STUDENT_WORDS = re.compile(
    r"\b(students?|learners?|pupils?|class|classes|kids|children|everyone|"
    r"estudiantes?|alumnos?|alumnas?|ninos|ninas|clase|grupo|todos)\b"
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def about_teacher(statement: str) -> bool:
    """True when the statement reads as the teacher's behaviour, with no student in it."""
    plain = _plain(statement)
    return bool(_TEACHER_OPENINGS.match(plain)) and not _STUDENT_WORDS.search(plain)
