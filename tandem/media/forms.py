from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import CommentKind, MediaPolicy


class CommentForm(forms.Form):
    at = forms.FloatField(min_value=0, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind of comment"), choices=CommentKind.choices, initial=CommentKind.NOTE
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The video pauses while you type; the comment is tied to this moment."),
    )


class ShareForm(forms.Form):
    coaches = forms.MultipleChoiceField(label=_("Share with"), widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(
        label=_("The students shown in this video are covered by my district's filming policy."),
        required=False,
    )

    def __init__(self, *args: Any, coaches: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coaches"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = coaches


class CaptionsForm(forms.Form):
    file = forms.FileField(
        label=_("Captions file (WebVTT, .vtt)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    language = forms.ChoiceField(label=_("Language of the captions"), choices=settings.LANGUAGES)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = MediaPolicy
        fields = ["consent_policy", "days_after_upload", "days_after_cycle"]
        widgets = {"consent_policy": forms.Textarea(attrs={"rows": 5})}
