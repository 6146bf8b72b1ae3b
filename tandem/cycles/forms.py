from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.library.models import FrameworkTag
from tandem.privacy.forms import ForTeacherForm
from tandem.schools.models import CoachingAssignment

from .models import GoalStatus, MeasureKind
from .peers import CRITERIA


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


# --- Impact Cycles: starting one, the identifying conversation, the PEERS goal, evidence ----


def _framework_field(district_id: int | None) -> forms.ModelMultipleChoiceField | None:
    """Framework tags as checkboxes, when the district has a framework; None otherwise."""
    if district_id is None:
        return None
    tags = FrameworkTag.objects.filter(district_id=district_id)
    if not tags.exists():
        return None
    return forms.ModelMultipleChoiceField(
        label=_("Framework"),
        queryset=tags,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the parts of your district's teaching framework this is about."),
    )


class PartnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class CycleCreateForm(forms.Form):
    """A coach starts a cycle with a teacher she coaches now; a teacher, with one of her coaches."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = CoachingAssignment.objects.active().filter(district_id=user.district_id or 0)
        partners = User.objects.filter(
            Q(pk__in=active.filter(coach=user).values("teacher_id"))
            | Q(pk__in=active.filter(teacher=user).values("coach_id"))
        ).order_by("display_name")
        self.fields["partner"] = PartnerField(
            label=_("With whom"),
            queryset=partners,
            empty_label=None,
            help_text=_("A teacher you coach now, or one of your coaches."),
        )
        self.fields["title"] = forms.CharField(
            label=_("A short title"),
            max_length=200,
            required=False,
            help_text=_("For example: Reasoning in math talks. You can leave it for now."),
        )


class ConversationForm(forms.Form):
    lesson_rating = forms.TypedChoiceField(
        label=_("On a scale of 1 to 10, how close was the lesson to what you hope for?"),
        choices=[(n, str(n)) for n in range(1, 11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "scale"}),
        help_text=_("1: far from it; 10: just what you hope for. There is no wrong answer."),
    )
    closer_to_ideal = forms.CharField(
        label=_("What would make it a little closer to your ideal?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    students_differently = forms.CharField(
        label=_("What would you like your students to be doing differently?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your answer becomes the starting point of the goal."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CycleGoalForm(forms.Form):
    statement = forms.CharField(
        label=_("The goal"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What will students do, and how much? For example: 80% of students explain "
            "their reasoning in writing on the exit ticket."
        ),
    )
    peers = forms.MultipleChoiceField(
        label=_("Is it a PEERS goal?"),
        choices=[(name, f"{label}: {prompt}") for name, label, prompt in CRITERIA],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each one you both agree it is. It is a guide, not a test."),
    )
    measure_kind = forms.ChoiceField(
        label=_("Kind of student measure"), choices=MeasureKind.choices
    )
    scale_max = forms.DecimalField(
        label=_("Highest possible score"),
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=_("For a score only: the top of the scale, for example 4 on a rubric."),
    )
    measure = forms.CharField(
        label=_("How it is measured"),
        max_length=300,
        required=False,
        help_text=_("For example: the share of exit tickets with the reasoning written out."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline: where students are now"), max_digits=8, decimal_places=2, required=False
    )
    target = forms.DecimalField(
        label=_("Target: where you want them to be"), max_digits=8, decimal_places=2, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, district_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tags = _framework_field(district_id)
        if tags is not None:
            self.fields["framework_tags"] = tags

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        baseline, target = data.get("baseline"), data.get("target")
        if baseline is not None and target is not None and baseline == target:
            self.add_error("target", _("The target should differ from the baseline."))
        if data.get("measure_kind") == MeasureKind.SCORE and data.get("scale_max") is None:
            self.add_error("scale_max", _("Give the highest possible score."))
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evidence"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A reflection, what students said, or a note about the file."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, PNG, JPEG, plain text, Word (.docx) or OpenDocument text (.odt)."),
    )
    item = forms.ChoiceField(
        label=_("Video or observation"),
        required=False,
        help_text=_("For a lesson video or observation data: choose it from the teacher's."),
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        items: list[tuple[str, list[tuple[str, str]]]],
        district_id: int | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["item"].choices = [("", _("None")), *items]  # type: ignore[attr-defined]
        self.fields["upload"].help_text = _(
            "PDF, PNG, JPEG, plain text, Word (.docx) or OpenDocument text (.odt), "
            "at most %(mb)s MB."
        ) % {"mb": settings.TANDEM_EVIDENCE_MAX_BYTES // (1024 * 1024)}
        tags = _framework_field(district_id)
        if tags is not None:
            self.fields["framework_tags"] = tags
