"""The ศจพ.1 form on a phone: parsing and messages only; the rules are in the service."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.core.errors import ServiceError
from cheepao.verification import services
from cheepao.verification.models import Mark, Verification
from cheepao.verification.selectors import ProblemRow


class MoneyField(forms.CharField):
    """Baht as people type it on a phone: '40,000', '40000', '1250.50'."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = services.parse_baht(value)
        if amount is None:
            raise forms.ValidationError(_("Give an amount in baht, 0 or more."))
        return amount


def _radio(choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **kwargs)


class VerificationForm(forms.Form):
    # The form's own id and the version of it the page showed (0: none recorded yet): a
    # save from an older reading than the one recorded is refused (ADR 0021).
    uid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    household_status = _radio(
        Verification.HouseholdStatus.choices,
        label=_("Household status"),
        error_messages={"required": _("Choose the household's status.")},
    )
    members_now = forms.IntegerField(
        label=_("People living in the household now"),
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Give the number of people living in the household now."),
            "invalid": _("Give a whole number."),
        },
    )
    income_year = MoneyField(
        label=_("Household income per year (baht)"),
        error_messages={"required": _("Give the household's income per year (0 if none).")},
    )
    debt_formal = MoneyField(label=_("Formal debt (baht)"), required=False)
    debt_informal = MoneyField(label=_("Informal debt (baht)"), required=False)
    savings = MoneyField(label=_("Savings (baht)"), required=False)
    can_repay = _radio(
        Verification.CanRepay.choices, label=_("Ability to repay debt"), required=False
    )
    added = forms.MultipleChoiceField(
        label=_("New problems found"), required=False, widget=forms.CheckboxSelectMultiple
    )
    household_type = _radio(
        Verification.HouseholdType.choices,
        label=_("Household type"),
        error_messages={"required": _("Choose the household type: developable or welfare.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, problems: list[ProblemRow], addable: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = problems
        self.addable = addable
        self.fields["added"].choices = [
            (code, text) for _, _, items in addable for code, text in items
        ]
        for p in problems:
            self.fields[f"mark_{p.code}"] = _radio(
                Mark.choices,
                label=p.text,
                error_messages={"required": _("Mark this problem: confirmed or not found.")},
            )

    def mark_fields(self) -> list[tuple[ProblemRow, forms.BoundField]]:
        return [(p, self[f"mark_{p.code}"]) for p in self.problems]

    def added_groups(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        """The checkboxes of new problems, grouped by dimension, with their checked state."""
        chosen = set(self["added"].value() or [])
        return [
            (dim_text, [(code, text, code in chosen) for code, text in items])
            for _, dim_text, items in self.addable
        ]

    def service_data(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "household_status",
                "members_now",
                "income_year",
                "debt_formal",
                "debt_informal",
                "savings",
                "can_repay",
                "household_type",
                "note",
            )
        }
        data["marks"] = {p.code: self.cleaned_data.get(f"mark_{p.code}") for p in self.problems}
        data["added"] = list(self.cleaned_data.get("added") or [])
        return data

    def add_service_errors(self, exc: ServiceError) -> None:
        """The service's refusal on the form: each field's message at its field, else the
        refusal's message above the form."""
        wrong = exc.field_messages()
        for name, message in wrong.items():
            self.add_error(name if name in self.fields else None, message)
        if not wrong:
            self.add_error(None, exc.message)


def initial_for(household, verification: Verification | None) -> dict[str, Any]:
    """What the form starts with: the recorded verification, else the survey's figures."""
    if verification is not None:
        initial = {
            f: getattr(verification, f)
            for f in (
                "household_status",
                "members_now",
                "income_year",
                "debt_formal",
                "debt_informal",
                "savings",
                "can_repay",
                "household_type",
                "note",
            )
        }
        initial.update({f"mark_{c}": m for c, m in verification.marks.items()})
        initial["added"] = list(verification.added)
        initial.update(uid=verification.uid, version=verification.version)
        return initial
    return {
        "uid": uuid.uuid4(),
        "version": 0,
        "household_status": Verification.HouseholdStatus.LIVES_HERE,
        "members_now": household.n_members or None,
        "income_year": _plain(household.income_total),
        "debt_formal": _plain(household.debt_formal),
        "debt_informal": _plain(household.debt_informal),
        "savings": _plain(household.savings),
    }


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


class BatchStepForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
