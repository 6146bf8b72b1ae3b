"""Form pieces shared by every kind of coaching content: for whom, and in which coaching work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, Engagement

from .authoring import district_of


class TeacherChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, author: User, **kwargs: Any) -> None:
        self.author = author
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(_("Myself")) if obj.pk == self.author.pk else str(obj.display_name)


class EngagementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(title)s (%(teacher)s with %(coach)s)") % {
            "title": obj.title,
            "teacher": obj.teacher.display_name,
            "coach": obj.coach.display_name,
        }


class ForTeacherForm(forms.Form):
    """Whose coaching a new item belongs to, and optionally in which coaching work.

    A teacher writes for herself; a coach for a teacher she actively coaches,
    within coaching work she leads. The service checks the same again.
    """

    def __init__(self, *args: Any, author: User, is_teacher: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_id = district_of(author)
        coached = CoachingAssignment.objects.active().filter(coach=author).values("teacher_id")
        whom = Q(pk__in=coached)
        if is_teacher:
            whom |= Q(pk=author.pk)
        teachers = User.objects.filter(whom, district_id=district_id).order_by("display_name")
        led_or_hers = Q(coach=author) | Q(teacher=author) if is_teacher else Q(coach=author)
        engagements = (
            Engagement.objects.filter(led_or_hers, district_id=district_id)
            .filter(closed_on__isnull=True)
            .select_related("teacher", "coach")
            .order_by("teacher__display_name", "-started_on")
        )
        self.fields["teacher"] = TeacherChoiceField(
            label=_("Whose coaching"),
            queryset=teachers,
            author=author,
            initial=author.pk if is_teacher else None,
        )
        self.fields["engagement"] = EngagementChoiceField(
            label=_("Part of this coaching work"),
            queryset=engagements,
            required=False,
            help_text=_("The coach who leads that work sees it, unless the teacher holds it back."),
        )
        self.author = author
        # The two go first in the form, whatever fields the subclass declares.
        self.order_fields(["teacher", "engagement"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        teacher, engagement = data.get("teacher"), data.get("engagement")
        if teacher is not None and engagement is not None:
            if engagement.teacher_id != teacher.pk:
                self.add_error("engagement", _("That coaching work is not this teacher's."))
            elif teacher.pk != self.author.pk and engagement.coach_id != self.author.pk:
                self.add_error("engagement", _("You can add only to coaching work you lead."))
        return data
