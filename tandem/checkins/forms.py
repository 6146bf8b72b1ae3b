from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.schools.models import School

from .models import Frequency


class SeriesForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("School"))
    title = forms.CharField(label=_("Title"), max_length=120, initial=_("Coaches' check-in"))
    first_date = forms.DateField(
        label=_("First meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=480, initial=45
    )
    frequency = forms.ChoiceField(label=_("Repeats"), choices=Frequency.choices)
    until = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Give a last date or a number of meetings."),
    )
    count = forms.IntegerField(label=_("Number of meetings"), required=False, min_value=1)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    leaders_invited = forms.BooleanField(label=_("Invite the school's leaders"), required=False)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class SeriesEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=5, max_value=480)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    leaders_invited = forms.BooleanField(label=_("Invite the school's leaders"), required=False)


class MoveForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("New time"), widget=forms.TimeInput(attrs={"type": "time"}))


class RecordForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Who came"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action item"), max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Owner"), required=False)
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
