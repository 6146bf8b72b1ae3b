"""Forms of the Learn and Improve stages. The services hold the rules; these parse input."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.coaching.models import LEARNING_KINDS

from .models import AdaptationKind


def learning_choices() -> list[tuple[str, str]]:
    return [(str(kind.value), str(kind.label)) for kind in LEARNING_KINDS]


class VersionForm(forms.Form):
    """The cycle's version when the page was opened: a stale form is told, never saved."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ChecklistAdaptForm(VersionForm):
    text = forms.CharField(
        label=_("The move, in your words"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    removed = forms.BooleanField(label=_("Remove this move from my checklist"), required=False)
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with the change, so you and your coach remember."),
        error_messages={"required": _("Say why you changed it: the reason is kept with it.")},
    )


class ChecklistAddForm(forms.Form):
    text = forms.CharField(
        label=_("Your move"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the move you are adding.")},
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you are adding it: the reason is kept with it.")},
    )


class LearningModeForm(VersionForm):
    mode = forms.ChoiceField(
        label=_("How do you want to learn it?"),
        widget=forms.RadioSelect,
        choices=learning_choices,
        error_messages={"required": _("Choose how you want to learn it.")},
    )


class WhenForm(forms.Form):
    """A day and a time in the district's time zone (the views run in it)."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=5, max_value=600, initial=45
    )

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["day"], data["time"]))


class LearningSessionForm(WhenForm):
    kind = forms.ChoiceField(label=_("Kind of session"), choices=learning_choices)
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("A room, a school, or a link."),
    )


class MeasurementForm(forms.Form):
    taken_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    value = forms.DecimalField(label=_("Value"), max_digits=8, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AdaptationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What changed"), choices=AdaptationKind.choices, widget=forms.RadioSelect
    )
    change = forms.CharField(
        label=_("The change"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why it changed: the reason is kept with it.")},
    )
    made_on = forms.DateField(
        label=_("When"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


class ConversationForm(WhenForm):
    notes = forms.CharField(
        label=_("Notes of the conversation"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].initial = 30

    def steps(self) -> list[str]:
        return [line for line in self.cleaned_data["next_steps"].splitlines() if line.strip()]


class CloseForm(VersionForm):
    reason = forms.CharField(
        label=_("Why does the cycle close?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the cycle closes: the reason is kept with it.")},
    )
