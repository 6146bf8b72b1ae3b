"""The demo district's teaching framework: four domains, in our own words."""

from __future__ import annotations

from tandem.library.models import FrameworkTag
from tandem.schools.models import District

FRAMEWORK = "Maple Valley Framework for Teaching"
DOMAINS = [
    ("1", "Planning and preparation"),
    ("2", "A classroom where everyone can learn"),
    ("3", "Instruction that engages every student"),
    ("4", "Growing as a professional"),
]


def build(district: District) -> None:
    """Give the district a small framework, for tagging goals and evidence."""
    FrameworkTag.objects.bulk_create(
        FrameworkTag(district=district, framework=FRAMEWORK, code=code, label=label)
        for code, label in DOMAINS
    )
