"""The family folder's form: the 13 questions of seed 003, in short steps on a phone.

The form only shapes what was typed; `services.folder_clean` is the gate that decides
(codes per field), so the service's field messages are put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.folders.models import FamilyFolder, FolderPhoto

M = FamilyFolder._meta


def _label(name: str) -> Any:
    return M.get_field(name).verbose_name


def _money(name: str) -> forms.CharField:
    return forms.CharField(
        label=_label(name),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _count(name: str) -> forms.CharField:
    return forms.CharField(
        label=_label(name),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _text(name: str, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=_label(name), required=False, widget=widget)


def _one(name: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_label(name), required=False, choices=choices, widget=forms.RadioSelect
    )


def _many(name: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_label(name), required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class FolderForm(forms.Form):
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Step 1: who and where.
    head_name = _text("head_name")
    head_age = _count("head_age")
    address = _text("address")
    occupation = _text("occupation")
    members_male = _count("members_male")
    members_female = _count("members_female")
    members_disabled = _count("members_disabled")
    # Step 2: money.
    income_per_person = _money("income_per_person")
    savings = _money("savings")
    debt_formal = _money("debt_formal")
    debt_informal = _money("debt_informal")
    debt_cause = _text("debt_cause", rows=2)
    # Step 3: type and help.
    household_type = _one("household_type", FamilyFolder.HouseholdType.choices)
    household_type_other = _text("household_type_other")
    wish = _one("wish", FamilyFolder.Wish.choices)
    help_kinds = _many("help_kinds", FamilyFolder.Help.choices)
    help_other = _text("help_other")
    # Step 4: skills, โคก หนอง นา, funds.
    skills = _text("skills", rows=2)
    khok_nong_na = _one("khok_nong_na", FamilyFolder.KhokNongNa.choices)
    khok_budget = _one("khok_budget", FamilyFolder.KhokBudget.choices[1:])
    funds = _many("funds", FamilyFolder.Fund.choices)
    funds_other = _text("funds_other")

    STEPS = (
        (
            _("The household"),
            (
                "head_name",
                "head_age",
                "address",
                "occupation",
                "members_male",
                "members_female",
                "members_disabled",
            ),
        ),
        (
            _("Income, savings and debt"),
            ("income_per_person", "savings", "debt_formal", "debt_informal", "debt_cause"),
        ),
        (
            _("Type and help"),
            ("household_type", "household_type_other", "wish", "help_kinds", "help_other"),
        ),
        (
            _("Skills and community funds"),
            ("skills", "khok_nong_na", "khok_budget", "funds", "funds_other"),
        ),
    )

    def steps(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.STEPS]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("base_version", None)
        return data

    def add_service_errors(self, messages: dict[str, str], message: str) -> None:
        for name, text in messages.items():
            self.add_error(name if name in self.fields else None, text)
        if not messages:
            self.add_error(None, message)


def initial_for(answers: dict[str, Any], base_version: int) -> dict[str, Any]:
    out = {k: ("" if v is None else v) for k, v in answers.items()}
    out["base_version"] = base_version
    return out


class PhotoForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The photo shows"), choices=FolderPhoto.Kind.choices, widget=forms.RadioSelect
    )
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class LocationForm(forms.Form):
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    lat = forms.CharField(
        label=_("latitude"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lng = forms.CharField(
        label=_("longitude"), widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
