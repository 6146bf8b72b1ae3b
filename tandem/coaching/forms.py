"""Forms of the coaching log and suggestions; the services check everything again."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.privacy.authoring import district_of
from tandem.privacy.forms import EngagementChoiceField
from tandem.schools.models import CoachingAssignment, Engagement

from .models import SessionKind, SuggestionStatus


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def partners(user: User) -> tuple[set[int], set[int]]:
    """Her active coaches and the teachers she actively coaches, as two sets of ids."""
    coaches, teachers = set(), set()
    for coach_id, teacher_id in (
        CoachingAssignment.objects.active()
        .filter(Q(coach=user) | Q(teacher=user))
        .values_list("coach_id", "teacher_id")
    ):
        if teacher_id == user.pk:
            coaches.add(coach_id)
        else:
            teachers.add(teacher_id)
    return coaches, teachers


def open_engagements(user: User) -> Any:
    """Open coaching work she is part of, as its coach or its teacher."""
    return (
        Engagement.objects.filter(Q(coach=user) | Q(teacher=user), district_id=district_of(user))
        .filter(closed_on__isnull=True)
        .select_related("teacher", "coach")
        .order_by("teacher__display_name", "-started_on")
    )


class WhenForm(forms.Form):
    """Date and time in the district's time zone (the page runs in it), length and place."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=600, initial=45
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("A room, or a link to a video call. It appears in calendar invitations."),
    )

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        naive = datetime.datetime.combine(data["day"], data["time"])
        return timezone.make_aware(naive, timezone.get_current_timezone())


class SessionForm(WhenForm):
    """Plan a session: a teacher with one of her coaches, a coach with one of her teachers."""

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
        self.fields["engagement"] = EngagementChoiceField(
            label=_("Part of this coaching work"),
            queryset=open_engagements(user),
            required=False,
            help_text=_("Optional. Only open work of the two of you."),
        )
        self.fields["kind"] = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
        self.order_fields(["partner", "engagement", "kind"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        partner, engagement = data.get("partner"), data.get("engagement")
        if partner is not None:
            data["teacher"], data["coach"] = (
                (self.user, partner) if partner.pk in self.coach_ids else (partner, self.user)
            )
            if engagement is not None and (
                engagement.teacher_id != data["teacher"].pk
                or engagement.coach_id != data["coach"].pk
            ):
                self.add_error("engagement", _("That coaching work is not the two of yours."))
        return data


class SessionEditForm(WhenForm):
    """Reschedule: a new time, length or place."""


class HeldForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you talked about and agreed. Your teacher's privacy choices apply."),
    )


class SuggestionForm(forms.Form):
    text = forms.CharField(
        label=_("Suggestion or next step"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, coach: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _coaches, teachers = partners(coach)
        self.coach = coach
        self.fields["teacher"] = PersonChoiceField(
            label=_("For"),
            queryset=User.objects.filter(pk__in=teachers, district_id=district_of(coach)).order_by(
                "display_name"
            ),
        )
        self.fields["engagement"] = EngagementChoiceField(
            label=_("Part of this coaching work"),
            queryset=open_engagements(coach).filter(coach=coach),
            required=False,
        )
        self.order_fields(["teacher", "engagement", "text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        teacher, engagement = data.get("teacher"), data.get("engagement")
        if teacher is not None and engagement is not None and engagement.teacher_id != teacher.pk:
            self.add_error("engagement", _("That coaching work is not this teacher's."))
        return data


class SuggestionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Where you are with it"), choices=SuggestionStatus.choices)


class LogFilterForm(forms.Form):
    """The coaching log's filters: one teacher, one kind, and the period of "time by kind"."""

    teacher = forms.UUIDField(required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *SessionKind.choices], required=False
    )
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("month", _("This month")), ("year", _("This school year"))],
        required=False,
    )
