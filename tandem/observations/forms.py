from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .tools import INTERVAL_SECONDS, LABEL_LENGTH, MAX_LABELS, Mode


class CustomToolForm(forms.Form):
    """A tally or interval tool a coach defines: a name, up to eight labels, an interval."""

    name = forms.CharField(
        label=_("Name of the tool"),
        max_length=100,
        help_text=_("For example: Turn and talk, or Hands raised."),
    )
    mode = forms.ChoiceField(
        label=_("How it records"),
        choices=Mode.choices,
        initial=Mode.TALLY,
        widget=forms.RadioSelect,
    )
    interval_seconds = forms.IntegerField(
        label=_("Interval in seconds"),
        min_value=INTERVAL_SECONDS[0],
        max_value=INTERVAL_SECONDS[1],
        required=False,
        help_text=_("For an interval tool: how often you mark what you see (5 to 900)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_LABELS + 1):
            self.fields[f"label_{n}"] = forms.CharField(
                label=_("Label %(n)s") % {"n": n},
                max_length=LABEL_LENGTH,
                required=n == 1,
                help_text=_("Its share is the tool's headline figure.") if n == 1 else "",
            )

    def labels(self) -> list[str]:
        found = [self.cleaned_data.get(f"label_{n}", "") for n in range(1, MAX_LABELS + 1)]
        return [label for label in found if label]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == Mode.INTERVAL and not data.get("interval_seconds"):
            self.add_error("interval_seconds", _("An interval tool needs its interval."))
        if data.get("mode") == Mode.TALLY:
            data["interval_seconds"] = None
        labels = self.labels()
        if len(set(labels)) != len(labels):
            raise forms.ValidationError(_("Give each label a different name."))
        return data
