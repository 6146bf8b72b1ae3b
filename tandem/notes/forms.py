from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.forms import ForTeacherForm


class NoteFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    met_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.CharField(
        label=_("Note"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text."),
    )


class NoteCreateForm(ForTeacherForm, NoteFieldsForm):
    """A coach's meeting note (shared with the teacher) or private note; a teacher's reflection."""

    KIND_SHARED = "shared"
    KIND_PRIVATE = "private"

    def __init__(self, *args: Any, is_coach: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_coach:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Who reads it"),
                choices=[
                    (
                        self.KIND_SHARED,
                        _("A meeting note: the teacher reads it, and whoever she shares it with"),
                    ),
                    (
                        self.KIND_PRIVATE,
                        _("A private note about my own coaching: no one else reads it, ever"),
                    ),
                ],
                initial=self.KIND_SHARED,
                widget=forms.RadioSelect,
                help_text=_(
                    "The teacher is told how many private notes you keep, never what they say. "
                    "A note you write about yourself is a reflection, and it is always yours."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        teacher = data.get("teacher")
        if teacher is not None and teacher.pk == self.author.pk:
            data["kind"] = self.KIND_SHARED  # her own reflection
        return data

    @property
    def private(self) -> bool:
        return self.cleaned_data.get("kind") == self.KIND_PRIVATE
