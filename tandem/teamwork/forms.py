"""Forms of the coaching team's pages; the services check everything again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import CoachingModel, DivergenceKind, Initiative, Per


def _initiative_label(obj: Any) -> str:
    return f"{obj.name} ({obj.school.name})"


class ApproachForm(forms.Form):
    model = forms.ChoiceField(
        label=_("The coaching model you use"),
        choices=[("", _("Not chosen yet")), *CoachingModel.choices],
        required=False,
    )
    model_other = forms.CharField(
        label=_("If “Other”: the model, in your words"), max_length=120, required=False
    )
    cycle_weeks = forms.IntegerField(
        label=_("A typical cycle lasts (weeks)"), min_value=1, max_value=52, required=False
    )
    meetings = forms.IntegerField(
        label=_("Meetings with each teacher"),
        min_value=0,
        max_value=31,
        required=False,
        help_text=_("How often you usually meet one teacher."),
    )
    per = forms.ChoiceField(label=_("Counted per"), choices=Per.choices, initial=Per.WEEK)
    measure = forms.CharField(
        label=_("Your progress measure, in a few words"),
        max_length=120,
        required=False,
        help_text=_("For example: % of students on task."),
    )
    progress = forms.CharField(
        label=_("How you measure progress"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sharing = forms.CharField(
        label=_("What you share with whom"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: goals with the teacher's other coaches, with her consent."),
    )
    initiatives = forms.ModelMultipleChoiceField(
        label=_("School initiatives your coaching serves"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, initiatives: QuerySet[Initiative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = initiatives
        field.label_from_instance = _initiative_label  # type: ignore[method-assign]


class TermForm(forms.Form):
    term = forms.CharField(label=_("Term"), max_length=100, required=False)
    meaning = forms.CharField(
        label=_("What it means"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    synonyms = forms.CharField(
        label=_("Other words for it"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("term", "").strip() and not data.get("meaning", "").strip():
            self.add_error("meaning", _("Say what the term means."))
        if data.get("meaning", "").strip() and not data.get("term", "").strip():
            self.add_error("term", _("Name the term."))
        return data


GlossaryFormSet = forms.formset_factory(TermForm, extra=2, max_num=60, validate_max=True)


class InitiativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What it is about"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InitiativeEditForm(InitiativeForm):
    active = forms.BooleanField(label=_("Active: coaching should serve it now"), required=False)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(choices=DivergenceKind.choices, widget=forms.HiddenInput)
    key = forms.CharField(max_length=300, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("What you agreed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagForm(forms.Form):
    """The note; the suggestions come as checkboxes named "suggestions" (see `posted_uuids`)."""

    note = forms.CharField(
        label=_("What pulls in different directions? A few words to start the conversation."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


def posted_uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among those posted; the service finds only those she may see."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Which advice stands, or how the pieces of advice combine"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("Put it on the coaches' next check-in agenda, without my name"), required=False
    )
