"""The privacy rules of DESIGN.md, stated again in plain Python, apart from the query code.

The property tests compare `visible_to()` and "who can see this" with this
statement. Keep it simple and literal: it is the specification, not an
optimisation.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Assignment:
    coach: str
    teacher: str
    school: str
    status: str  # "active", "ended", "invited", …
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass(frozen=True)
class Item:
    key: str
    district: str
    teacher: str
    author: str
    category: str
    engagement_coach: str | None
    held_back: bool


@dataclass
class World:
    today: datetime.date
    district_of: dict[str, str]
    assignments: list[Assignment] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    category_shares: set[tuple[str, str, str]] = field(default_factory=set)  # teacher, coach, cat
    item_shares: set[tuple[str, str]] = field(default_factory=set)  # item key, coach
    agreements: set[tuple[str, str]] = field(default_factory=set)  # school, category
    narrowings: set[tuple[str, str]] = field(default_factory=set)  # teacher, category

    def active(self, coach: str, teacher: str) -> list[Assignment]:
        return [
            a
            for a in self.assignments
            if a.coach == coach
            and a.teacher == teacher
            and a.status == "active"
            and a.starts_on <= self.today
            and (a.ends_on is None or a.ends_on >= self.today)
        ]

    def can_see(self, person: str, item: Item) -> bool:
        if self.district_of[person] != item.district:
            return False
        coaching = self.active(person, item.teacher)
        if item.category == "coach_private":
            # Their author's alone, while she coaches the teacher; not even the teacher.
            return item.author == person and bool(coaching)
        if item.teacher == person:
            return True
        if not coaching or item.held_back:
            return False
        if person in (item.author, item.engagement_coach):
            return True
        if (item.key, person) in self.item_shares:
            return True
        if (item.teacher, person, item.category) in self.category_shares:
            return True
        through_agreement = any((a.school, item.category) in self.agreements for a in coaching)
        return through_agreement and (item.teacher, item.category) not in self.narrowings
