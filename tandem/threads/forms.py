"""Forms of the coaches' thread pages; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind
from .services import MAX_TEXT


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text. Mention someone with @ and their name; paste links as they are."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of post"),
        choices=[(Kind.MESSAGE, _("A message")), (Kind.SUCCESS, _("A success story"))],
        initial=Kind.MESSAGE,
        widget=forms.RadioSelect,
        help_text=_(
            "A success story goes on the next check-in's agenda, with your role and "
            "without your name: leave teachers' names out of it."
        ),
    )


class NormsForm(forms.Form):
    norms = forms.CharField(
        label=_("The team's norms"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("How you talk with each other here. Pinned at the top of the thread."),
    )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=400, required=False, help_text=_("Separated by commas.")
    )
    note = forms.CharField(
        label=_("A note for the thread"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Posted with the resource in the team's thread."),
    )
