"""Forms of technical support and program feedback; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.coaching.forms import PersonChoiceField, WhenForm, partners
from tandem.coaching.models import CoachingSession, SessionKind
from tandem.privacy.authoring import district_of

from . import services
from .models import FeedbackAbout, Program, ProgramComponent


def support_choices() -> list[tuple[str, Any]]:
    return [(k, SessionKind(k).label) for k in services.SUPPORT_KINDS]


# What each kind of support means, under its card: the teacher picks what helps her.
KIND_HELP = {
    SessionKind.MODELING: _("Your coach teaches a lesson in your class while you watch."),
    SessionKind.CO_TEACHING: _("You and your coach teach a lesson together."),
    SessionKind.PEER_VISIT: _("You visit a colleague who uses the program, and talk after."),
    SessionKind.VIDEO_STUDY: _("You watch a video of the program in a class, together."),
    SessionKind.CONVERSATION: _("You and your coach talk it through: your questions first."),
}


class ComponentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StartForm(forms.Form):
    """A teacher picks a coach and a program; a coach picks a teacher and a program."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        coaches, teachers = partners(user)
        self.coach_ids, self.user = coaches, user
        self.fields["partner"] = PersonChoiceField(
            label=_("With"),
            queryset=User.objects.filter(
                pk__in=coaches | teachers, district_id=district_of(user)
            ).order_by("display_name"),
            help_text=_("One of your coaches, or a teacher you coach."),
        )
        self.fields["program"].queryset = (  # type: ignore[attr-defined]
            Program.objects.filter(district_id=district_of(user))
            .exclude(status="retired")
            .order_by("name")
        )
        self.order_fields(["partner", "program"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner = data.get("partner")
        if partner is not None:
            data["teacher"], data["coach"] = (
                (self.user, partner) if partner.pk in self.coach_ids else (partner, self.user)
            )
        return data


class ChoiceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What support would help you most?"),
        widget=forms.RadioSelect,
        choices=support_choices,
    )


class LogForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    components = ComponentsField(
        label=_("Components used"), queryset=ProgramComponent.objects.none()
    )
    student_measure = forms.CharField(
        label=_("A measure of student learning"),
        max_length=300,
        required=False,
        help_text=_("For example: 18 of 24 students explained a strategy."),
    )
    student_work = forms.CharField(
        label=_("What students did"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.CharField(
        label=_("An implementation decision"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision_evidence = forms.CharField(
        label=_("The student evidence it rests on"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    session = forms.ModelChoiceField(
        label=_("An observation or session"),
        queryset=CoachingSession.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, components: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["components"].queryset = components  # type: ignore[attr-defined]
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["session"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: s.label()
        )


class ModifyForm(forms.Form):
    component = forms.ModelChoiceField(
        label=_("Component"), queryset=ProgramComponent.objects.none()
    )
    what = forms.CharField(
        label=_("What you changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_whom = forms.CharField(label=_("For which students"), max_length=300)
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you adapted it: your reason helps others learn.")},
    )
    student_evidence = forms.CharField(
        label=_("Student evidence"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What your students did that led you to adapt it, or that it changed."),
    )

    def __init__(self, *args: Any, components: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = components  # type: ignore[attr-defined]


SCALE = [(str(n), str(n)) for n in range(1, 6)]


class FeedbackForm(forms.Form):
    about = forms.ChoiceField(
        label=_("Your feedback is on"), choices=FeedbackAbout.choices, widget=forms.RadioSelect
    )
    useful = forms.TypedChoiceField(
        label=_("It is useful for my students (1: not at all, 5: very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    clear = forms.TypedChoiceField(
        label=_("It is clear to use (1: not at all, 5: very)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    heard = forms.TypedChoiceField(
        label=_("My voice is heard (1: not at all, 5: fully)"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(forms.Form):
    heard = forms.CharField(
        label=_("You said (what we heard, in aggregate words, no names)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    did = forms.CharField(
        label=_("We did"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupportSessionForm(WhenForm):
    """When and where; the kind is the one the teacher chose."""
