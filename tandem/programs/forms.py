from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.library.models import Strategy
from tandem.schools.models import School
from tandem.teamwork.models import Initiative

from .models import AdoptionDecision, AdoptionInput, Preference, Program, ProgramStatus


def parse_materials(text: str) -> list[dict[str, str]]:
    """One material a line: a title, then its web address ("Sample lesson https://…")."""
    materials = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        title, _sep, url = line.rpartition(" ")
        materials.append({"title": title.strip(), "url": url})
    return materials


def materials_text(materials: list[dict[str, str]]) -> str:
    return "\n".join(f"{m['title']} {m['url']}".strip() for m in materials)


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What it is"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    school = forms.ModelChoiceField(
        label=_("For"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("The whole district"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgramStatus.choices)
    materials = forms.CharField(
        label=_("Materials and sample lessons"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: a title, then its web address."),
    )

    initiatives = forms.ModelMultipleChoiceField(
        label=_("School goals and initiatives it serves"),
        queryset=Initiative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, schools: Any, initiatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if initiatives is not None:
            self.fields["initiatives"].queryset = initiatives  # type: ignore[attr-defined]
        self.fields["initiatives"].label_from_instance = (  # type: ignore[attr-defined]
            lambda i: f"{i.name} ({i.school.name})"
        )


class ComponentForm(forms.Form):
    strategy = forms.ModelChoiceField(
        label=_("Strategy from the library"), queryset=Strategy.objects.none(), required=False
    )
    name = forms.CharField(label=_("Name in this program"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, strategies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if strategies is not None:
            self.fields["strategy"].queryset = strategies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("strategy"):
            self.add_error("strategy", _("Choose the strategy this component uses."))
        if data.get("strategy") and not data.get("name"):
            data["name"] = str(data["strategy"])
        return data


ComponentFormSet = forms.formset_factory(ComponentForm, extra=2, max_num=20, validate_max=True)


class DecisionForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("Who is asked"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("Every teacher of the district"),
        help_text=_("Every teacher of the school you choose is invited to give input."),
    )
    question = forms.CharField(
        label=_("The question"),
        max_length=300,
        help_text=_("For example: Which math program should grade 7 use next year?"),
    )
    deadline = forms.DateTimeField(
        label=_("Input is open until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your district's time zone."),
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidate programs"),
        queryset=Program.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, schools: Any, programs: Any, district_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        school.queryset = schools  # type: ignore[attr-defined]
        school.required = not district_wide
        if not district_wide:
            school.empty_label = None  # type: ignore[attr-defined]
        self.fields["candidates"].queryset = programs  # type: ignore[attr-defined]


ANONYMITY = [
    ("named", _("With my name")),
    ("anonymous", _("Anonymously: my name is not stored with it")),
]


class InputForm(forms.Form):
    """A teacher's input; the choice among candidates is a ranking, or a preference for one."""

    helps = forms.CharField(
        label=_("What would help my students"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concerns = forms.CharField(
        label=_("My concerns"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support = forms.CharField(
        label=_("Support I would need"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label=_("Anything else"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymity = forms.ChoiceField(
        label=_("How to give it"), choices=ANONYMITY, widget=forms.RadioSelect, initial="named"
    )

    def __init__(
        self, *args: Any, candidates: list[Program], small_group: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.small_group = small_group
        if len(candidates) == 1:
            self.fields["preference"] = forms.ChoiceField(
                label=_("Would you like this program adopted?"),
                choices=Preference.choices,
                widget=forms.RadioSelect,
            )
        else:
            places = [(str(n), str(n)) for n in range(1, len(candidates) + 1)]
            for program in candidates:
                self.fields[f"rank_{program.uuid}"] = forms.ChoiceField(
                    label=_("Your rank for %(name)s") % {"name": program.name},
                    choices=[("", "—"), *places],
                )
        if small_group:
            self.fields["understood"] = forms.BooleanField(
                label=_(
                    "I understand that with so few teachers asked, "
                    "my anonymous input could tell who I am."
                ),
                required=False,
            )

    @property
    def rank_fields(self) -> list[forms.BoundField]:
        return [self[f"rank_{p.uuid}"] for p in self.candidates if len(self.candidates) > 1]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if len(self.candidates) > 1:
            places = {p.uuid: data.get(f"rank_{p.uuid}") for p in self.candidates}
            if all(places.values()):
                if len(set(places.values())) != len(places):
                    raise forms.ValidationError(_("Give each candidate a different rank."))
                data["ranking"] = [
                    u for u, _n in sorted(places.items(), key=lambda kv: int(str(kv[1])))
                ]
        return data


def input_label(given: AdoptionInput) -> str:
    """How a leader cites an input: by its words; by its teacher only if she signed it."""
    words = given.helps or given.concerns or given.support or given.comment or "—"
    words = words if len(words) <= 120 else words[:119] + "…"
    if given.attributed_to is not None:
        return f"{given.attributed_to.display_name}: “{words}”"
    return f"{_('Anonymous')}: “{words}”"


class CitedInputs(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return input_label(obj)


class RecordForm(forms.Form):
    chosen = forms.ModelChoiceField(
        label=_("The decision"),
        queryset=Program.objects.none(),
        required=False,
        empty_label=_("None of the candidates"),
    )
    rationale = forms.CharField(
        label=_("Why"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    how_input_shaped = forms.CharField(
        label=_("How teacher input shaped it"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Teachers in scope will read this. Quote what they wrote, not who wrote it."),
    )
    cited = CitedInputs(
        label=_("Inputs you cite"),
        queryset=AdoptionInput.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, decision: AdoptionDecision, inputs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = decision.candidates.all()  # type: ignore[attr-defined]
        if inputs is None:
            del self.fields["cited"]
        else:
            self.fields["cited"].queryset = inputs  # type: ignore[attr-defined]
