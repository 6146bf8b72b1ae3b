"""The eight data-gathering tools: what a tap on each records, and its limits.

One table, read by the sync service (which events a tool accepts), the results
(which figures it adds up to), the pages (button labels) and the browser
script (through the page's JSON). Keys are stored; labels are translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Tool(models.TextChoices):
    TIME_ON_TASK = "time_on_task", _("Time on task")
    RESPONSES = "responses", _("Opportunities to respond")
    PRAISE = "praise", _("Praise and correction")
    QUESTIONS = "questions", _("Questions")
    TALK_TIME = "talk_time", _("Talk time")
    SEGMENTS = "segments", _("Instructional time")
    ACHIEVEMENT = "achievement", _("Student achievement")
    CUSTOM = "custom", _("Custom tool")


class Mode(models.TextChoices):
    """How a custom tool records: a tap per thing seen, or one mark per interval."""

    TALLY = "tally", _("Tally: tap each time you see it")
    INTERVAL = "interval", _("Interval: mark what you see every few seconds")


# Limits of one session, checked by the API's schema or the sync service.
MAX_EVENTS = 10_000  # a tap every half second for 80 minutes
MAX_DURATION_MS = 6 * 3600 * 1000  # a school day
MAX_PRESENT = 500  # students present at one sample
MAX_ITEMS = 100  # items of an exit ticket or quiz
MAX_LABELS = 8
LABEL_LENGTH = 40
INTERVAL_SECONDS = (5, 900)  # the shortest and longest interval


@dataclass(frozen=True)
class Spec:
    """One tool: the keys a tap records, and how its events are shaped."""

    tool: Tool
    kinds: dict[str, Promise] = field(default_factory=dict)
    # A second key on each tap (the questions' level); empty when the tool has none.
    details: dict[str, Promise] = field(default_factory=dict)
    # The stopwatch tools: a tap switches who talks (or what the class does) from then on.
    switches: bool = False
    # The tool whose share is its headline figure (students' talk, instruction).
    headline_key: str = ""
    headline: Promise | str = ""
    unit: str = "%"
    hint: Promise | str = ""

    def kind_labels(self, settings: dict[str, Any] | None = None) -> dict[str, str]:
        """Each key a tap may record, with its label (a custom tool's own labels)."""
        if self.tool == Tool.CUSTOM:
            labels = (settings or {}).get("labels") or []
            return {str(n): str(label) for n, label in enumerate(labels, start=1)}
        return {key: str(label) for key, label in self.kinds.items()}


SPECS: dict[str, Spec] = {
    Tool.TIME_ON_TASK: Spec(
        Tool.TIME_ON_TASK,
        kinds={"sample": _("Sample")},
        headline=_("Students engaged"),
        hint=_(
            "Every few seconds, count the students present and those engaged: "
            "the share engaged over the lesson."
        ),
    ),
    Tool.RESPONSES: Spec(
        Tool.RESPONSES,
        kinds={
            "individual": _("Individual"),
            "group": _("Group (choral)"),
            "written": _("Written"),
        },
        headline=_("Opportunities to respond per minute"),
        unit="/min",
        hint=_("Tap each time students are asked to respond: responses per minute, by type."),
    ),
    Tool.PRAISE: Spec(
        Tool.PRAISE,
        kinds={"praise": _("Praise"), "correction": _("Correction")},
        headline=_("Praise for each correction"),
        unit=":1",
        hint=_("Tap each praise and each correction: the ratio between them."),
    ),
    Tool.QUESTIONS: Spec(
        Tool.QUESTIONS,
        kinds={"open": _("Open"), "closed": _("Closed")},
        details={
            "recall": _("Recall"),
            "understanding": _("Understanding"),
            "application": _("Application"),
        },
        headline_key="open",
        headline=_("Open questions"),
        hint=_("Tap each question the teacher asks, by kind and level: how many are open."),
    ),
    Tool.TALK_TIME: Spec(
        Tool.TALK_TIME,
        kinds={"teacher": _("Teacher"), "students": _("Students"), "silence": _("Silence")},
        switches=True,
        headline_key="students",
        headline=_("Students' share of the talk"),
        hint=_("Tap who is talking whenever it changes: shares of the time and a timeline."),
    ),
    Tool.SEGMENTS: Spec(
        Tool.SEGMENTS,
        kinds={
            "instruction": _("Instruction"),
            "transition": _("Transition"),
            "management": _("Management"),
            "other": _("Other"),
        },
        switches=True,
        headline_key="instruction",
        headline=_("Time spent on instruction"),
        hint=_("Tap what the class is doing whenever it changes: a timeline of the lesson."),
    ),
    Tool.ACHIEVEMENT: Spec(
        Tool.ACHIEVEMENT,
        kinds={"correct": _("Correct"), "incorrect": _("Not correct")},
        headline=_("Answers correct"),
        hint=_("For each item of an exit ticket or quiz, tap each answer: % correct per item."),
    ),
    Tool.CUSTOM: Spec(
        Tool.CUSTOM,
        headline_key="1",
        headline=_("Share of the first label"),
        hint=_("Your own labels, tallied or marked at intervals."),
    ),
}

# The tools with a page of their own (the custom tools each have theirs).
BUILT_IN = [tool for tool in Tool if tool != Tool.CUSTOM]
