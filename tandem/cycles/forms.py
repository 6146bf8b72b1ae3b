from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.privacy.forms import ForTeacherForm

from .models import GoalStatus


class GoalFieldsForm(forms.Form):
    statement = forms.CharField(
        label=_("The goal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Student-focused: what will students do, and how much?"),
    )
    measure = forms.CharField(
        label=_("How it is measured"),
        max_length=300,
        required=False,
        help_text=_("For example: % of students who explain their reasoning in writing."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=8, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=8, decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", _("The target should differ from the baseline."))
        return data


class GoalCreateForm(ForTeacherForm, GoalFieldsForm):
    """A new goal: for the teacher herself, or by a coach for a teacher she coaches."""


class GoalEditForm(GoalFieldsForm):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
