from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]
        labels = {"display_name": _("Your name as colleagues see it")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [  # type: ignore[attr-defined]
            ("", _("The language my browser asks for")),
            *settings.LANGUAGES,
        ]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is this token for?"),
        max_length=100,
        help_text=_("For example “grade-book sync”. You can revoke it at any time."),
    )
