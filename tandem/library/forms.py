from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import FrameworkTag, Strategy


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class StrategyForm(forms.Form):
    """A district's own strategy; the checklist one move per line, resources one per line."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=services.NAME_LENGTH)
    summary = forms.CharField(
        label=gettext_lazy("In one sentence"),
        max_length=services.SUMMARY_LENGTH,
        help_text=gettext_lazy("What the strategy is, as a teacher would say it."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=services.DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("What it is, why it helps students, and when to use it."),
    )
    checklist = forms.CharField(
        label=gettext_lazy("Checklist"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=gettext_lazy("One move per line, each something an observer could see."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Separated by commas, for example: engagement, questioning."),
    )
    resources = forms.CharField(
        label=gettext_lazy("Resources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line: a title, a vertical bar, then the address. For example: "
            "Our planning guide | https://example.org/guide"
        ),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        max_length=services.SOURCE_LENGTH,
        help_text=gettext_lazy("Where the strategy comes from: a book, a program, a colleague."),
    )

    @staticmethod
    def initial_for(strategy: Strategy) -> dict[str, Any]:
        return {
            "name": strategy.name,
            "summary": strategy.summary,
            "description": strategy.description,
            "checklist": "\n".join(strategy.checklist),
            "tags": ", ".join(strategy.tags),
            "resources": "\n".join(f"{r['title']} | {r['url']}" for r in strategy.resources),
            "source": strategy.source,
        }

    def clean_checklist(self) -> list[str]:
        return services.clean_checklist(lines(self.cleaned_data["checklist"]))

    def clean_tags(self) -> list[str]:
        return services.clean_tags(self.cleaned_data["tags"].split(","))

    def clean_resources(self) -> list[dict[str, str]]:
        resources = []
        for line in lines(self.cleaned_data["resources"]):
            title, bar, url = line.rpartition("|")
            resources.append({"title": title.strip(), "url": url.strip()} if bar else {"url": line})
        return services.clean_resources(resources)


class FrameworkForm(forms.Form):
    framework = forms.CharField(
        label=gettext_lazy("The framework's name"),
        required=False,
        max_length=services.FRAMEWORK_LENGTH,
        help_text=gettext_lazy("For example: Maple Valley Framework for Teaching."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Its tags"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "One per line: a short code, a vertical bar, then the label. For example: "
            "1 | Planning and preparation"
        ),
    )

    @staticmethod
    def initial_for(tags: list[FrameworkTag]) -> dict[str, Any]:
        return {
            "framework": tags[0].framework if tags else "",
            "tags": "\n".join(f"{t.code} | {t.label}" for t in tags),
        }

    def clean_tags(self) -> list[tuple[str, str]]:
        pairs = []
        for number, line in enumerate(lines(self.cleaned_data["tags"]), start=1):
            code, bar, label = line.partition("|")
            if not bar or not code.strip() or not label.strip():
                raise ValidationError(
                    _("Line %(number)d: write a code, a vertical bar and a label (“1 | Planning”).")
                    % {"number": number}
                )
            pairs.append((code.strip(), label.strip()))
        return services.clean_framework_tags(pairs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tags") and not (data.get("framework") or "").strip():
            self.add_error("framework", _("Name the framework these tags belong to."))
        return data
