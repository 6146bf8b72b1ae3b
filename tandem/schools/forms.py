from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User

from .models import CoachSpecialty, Role, School, Specialty


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class InviteTeacherForm(forms.Form):
    """A coach asks a teacher at one of her schools to work together."""

    teacher = PersonChoiceField(label=_("Teacher"), queryset=User.objects.none())
    specialty = forms.ChoiceField(label=_("Kind of coaching"))
    focus = forms.CharField(label=_("What you might work on"), max_length=200, required=False)
    message = forms.CharField(
        label=_("A note to the teacher"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, coach: User, school_ids: frozenset[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                memberships__school_id__in=school_ids, memberships__role=Role.TEACHER
            )
            .exclude(pk=coach.pk)
            .distinct()
            .order_by("display_name")
        )
        offered = (
            CoachSpecialty.objects.filter(membership__user=coach)
            .values_list("specialty", flat=True)
            .distinct()
        )
        labels = dict(Specialty.choices)
        self.fields["specialty"].choices = [(s, labels[s]) for s in offered]  # type: ignore[attr-defined]


class ProposeAssignmentForm(forms.Form):
    """A leader proposes a coach for a teacher at a school she manages."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    coach = PersonChoiceField(label=_("Coach"), queryset=User.objects.none())
    teacher = PersonChoiceField(label=_("Teacher"), queryset=User.objects.none())
    specialty = forms.ChoiceField(label=_("Kind of coaching"), choices=Specialty.choices)
    subject = forms.CharField(
        label=_("Subject (content specialists)"), max_length=100, required=False
    )
    focus = forms.CharField(label=_("Focus"), max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, district_id: int, school_ids: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            district_id=district_id, pk__in=school_ids
        )
        people = User.objects.filter(district_id=district_id).order_by("display_name")
        self.fields["coach"].queryset = people.filter(  # type: ignore[attr-defined]
            memberships__role=Role.COACH
        ).distinct()
        self.fields["teacher"].queryset = people.filter(  # type: ignore[attr-defined]
            memberships__role=Role.TEACHER, memberships__school_id__in=school_ids
        ).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date comes before the start date."))
        return data


class StaffInvitationForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Everyone but district administrators works at a school."),
    )
    specialty = forms.ChoiceField(
        label=_("Kind of coaching (coaches)"),
        choices=[("", "—"), *Specialty.choices],
        required=False,
    )
    subject = forms.CharField(
        label=_("Subject (content specialists)"), max_length=100, required=False
    )

    def __init__(self, *args: Any, district_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(  # type: ignore[attr-defined]
            district_id=district_id
        )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type it again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
