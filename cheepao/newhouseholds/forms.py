"""Form ศจพ.2 as Django forms: the household part, and one form per member in a formset.

Labels of the survey questions come from the engine's contract and catalogue (Thai and
English already), so the form asks exactly what the engine reads. Field teams type dates
as they write them on paper, day/month/Buddhist-Era year; they are converted here, once.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as PinError,
)
from stdnum.th import pin as th_pin

from cheepao.core.thai import BE_OFFSET, be_numeric, english
from cheepao.engine.api import contract, money
from cheepao.households import labels
from cheepao.newhouseholds import assessment
from cheepao.newhouseholds.assessment import INCOME_SOURCES, MEMBER_MONEY

EARLIEST_BE = 1880 + BE_OFFSET
DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")

YES_NO = (("1", _("Yes")), ("0", _("No")))
YES_NO_BLANK = (("", "—"), *YES_NO)
RELIGIONS = {
    "buddhism": _("Buddhism"),
    "islam": _("Islam"),
    "christianity": _("Christianity"),
    "other": _("other religion"),
    "none": _("no religion"),
}
TITLES = ("นาย", "นาง", "นางสาว", "เด็กชาย", "เด็กหญิง")


def pick(th: str, en: str) -> str:
    """The engine's own bilingual label in the page's language."""
    return en if english() else th


def parse_be_date(text: str) -> date:
    """'1/3/2528' (day/month/Buddhist-Era year) → date(1985, 3, 1)."""
    m = DATE_RE.match(text or "")
    if not m:
        raise ValidationError(
            _("Write the date as day/month/year in the Buddhist Era, e.g. 1/3/2528."),
            code="format",
        )
    day, month, year = (int(g) for g in m.groups())
    if year < EARLIEST_BE:
        raise ValidationError(
            _("The year must be a Buddhist Era year (พ.ศ.), e.g. 2528, not %(year)s."),
            code="not_be",
            params={"year": year},
        )
    try:
        value = date(year - BE_OFFSET, month, day)
    except ValueError:
        raise ValidationError(_("There is no such day in the calendar."), code="invalid") from None
    if value > date.today():
        raise ValidationError(_("The birth date is in the future."), code="future")
    return value


def asked_hint(q: Any) -> str:
    """When a person question is asked, in words (shown when JavaScript cannot hide it)."""
    if q.where == "disabled":
        return str(_("for members marked disabled"))
    if q.where == "m3_graduate":
        return str(_("if the member finished M.3"))
    if q.where == "newborn":
        return str(_("for a newborn (under 1 year)"))
    if q.age_max is None:
        return str(_("ages %(min)s and over") % {"min": q.age_min})
    return str(_("ages %(min)s to %(max)s") % {"min": q.age_min, "max": q.age_max})


class BEDateField(forms.CharField):
    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "placeholder": "วว/ดด/ปปปป", "autocomplete": "off"}
    )

    def to_python(self, value: Any) -> date | None:
        text = super().to_python(value)
        return parse_be_date(text) if text else None

    def prepare_value(self, value: Any) -> Any:
        return be_numeric(value) if isinstance(value, date) else value


class PinField(forms.CharField):
    """A Thai national ID checked with python-stdnum, kept as its 13 digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            return th_pin.validate(text)
        except InvalidLength:
            raise ValidationError(_("A national ID has 13 digits."), code="length") from None
        except InvalidComponent:
            raise ValidationError(
                _("A national ID never starts with 0 or 9."), code="first_digit"
            ) from None
        except InvalidChecksum:
            raise ValidationError(
                _("The last digit does not match the check digit: the number was mistyped."),
                code="checksum",
            ) from None
        except PinError:
            raise ValidationError(
                _("A national ID is 13 digits, e.g. 1-2345-67890-12-3."), code="format"
            ) from None


def _yes_no(label: str, *, required: bool, radio: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO if radio else YES_NO_BLANK,
        coerce=lambda v: v == "1",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect if radio else forms.Select,
    )


def _money(label: Any, required: bool = False) -> forms.DecimalField:
    """Baht with satang, read as the exact decimal typed (ADR 0015): 37,999.70 + 0.10 + 0.10
    + 0.10 is 38,000.00, never 37,999.99999999999."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=money.MAX,
        max_digits=15,
        decimal_places=money.SCALE,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class HouseholdForm(forms.Form):
    # The form's own id, made when the empty form is first shown and sent with every
    # preview and the save: a save sent twice (a double tap, the back button) is one
    # household (ADR 0021). A phone recording offline makes its own.
    uid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    subdistrict_code = forms.ChoiceField(label=_("Subdistrict"))
    village_no = forms.IntegerField(
        label=_("Village no. (หมู่ที่)"),
        min_value=contract.VILLAGE_NO_MIN,
        max_value=contract.VILLAGE_NO_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    house_no = forms.CharField(label=_("House number"), required=False, max_length=40)
    near_house_no = forms.CharField(
        label=_("No house number: lives near number"), required=False, max_length=40
    )
    house_code = forms.CharField(
        label=_("House code (11 digits, if known)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    land_tenure = forms.ChoiceField(
        label=_("Where the household lives"),
        choices=list(labels.LAND_TENURE.items()),
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    religion = forms.ChoiceField(
        label=_("Religion of the head"),
        required=False,
        choices=[("", "—"), *RELIGIONS.items()],
    )
    vulnerable_tags = forms.MultipleChoiceField(
        label=_("Vulnerable groups in this household"),
        required=False,
        choices=list(labels.VULNERABLE.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    other_problem = forms.CharField(
        label=_("18. Other problems (please specify)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, registry: Any, subdistricts: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.registry = registry
        self.catalogue = registry.catalogue
        self.fields["subdistrict_code"].choices = [(a.code, a.full_name) for a in subdistricts]
        if len(subdistricts) == 1:
            self.fields["subdistrict_code"].initial = subdistricts[0].code
        for col in assessment.household_answer_columns(self.catalogue):
            c = contract.HOUSEHOLDS[col]
            self.fields[f"q_{col}"] = _yes_no(pick(c.th, c.en), required=True, radio=True)
        for col in INCOME_SOURCES:
            c = contract.HOUSEHOLDS[col]
            self.fields[col] = _money(pick(c.th, c.en))

    def questions(self) -> list[dict[str, Any]]:
        """Part 2 of the form: the catalogue's indicators in order, each with its sub-items
        (household questions) or a pointer to the members table (person questions)."""
        out = []
        for no, ind in enumerate(self.catalogue.indicators, start=1):
            fields = [self[f"q_{c}"] for c in ind.answers if f"q_{c}" in self.fields]
            if ind.code == "I3" or "income_per_person" in ind.answers:
                fields = [self[c] for c in INCOME_SOURCES]
            out.append(
                {
                    "no": no,
                    "code": ind.code,
                    "dimension": ind.dimension,
                    "text": pick(ind.th, ind.en),
                    "unit": ind.unit,
                    "income": any(f.name in INCOME_SOURCES for f in fields),
                    "fields": fields,
                }
            )
        return out

    def dimension_groups(self) -> list[dict[str, Any]]:
        groups: list[dict[str, Any]] = []
        for q in self.questions():
            if not groups or groups[-1]["code"] != q["dimension"]:
                d = self.catalogue.dimension(q["dimension"])
                groups.append({"code": d.code, "name": pick(d.th, d.en), "questions": []})
            groups[-1]["questions"].append(q)
        return groups

    def clean_house_code(self) -> str:
        code = re.sub(r"[\s\-]", "", self.cleaned_data.get("house_code") or "")
        if code and not re.fullmatch(r"\d{11}", code):
            raise ValidationError(_("A house code has 11 digits."), code="house_code")
        return code

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and not re.fullmatch(r"[0-9+\-\s]{6,20}", phone):
            raise ValidationError(_("Write the phone number in digits."), code="phone")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not (data.get("house_no") or "").strip()
            and not (data.get("near_house_no") or "").strip()
        ):
            self.add_error(
                "house_no",
                _("Give the house number, or, when the house has none, the number it is near."),
            )
        return data


class MemberForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=30)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    pin = PinField(label=_("National ID (13 digits)"), required=False, max_length=20)
    relation = forms.ChoiceField(label=_("Relation to the head"))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *labels.SEX.items()])
    birth_date = BEDateField(label=_("Birth date (day/month/BE year)"), required=False)
    age = forms.IntegerField(
        label=_("Age (years), if the birth date is not known"),
        required=False,
        min_value=0,
        max_value=contract.AGE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    education = forms.ChoiceField(
        label=_("Highest education"), required=False, choices=[("", "—"), *labels.EDUCATION.items()]
    )
    student_status = forms.ChoiceField(
        label=_("Studying now"), choices=list(labels.STUDENT_STATUS.items()), initial="none"
    )
    occupation = forms.CharField(
        label=_("Occupation (leave empty if none)"), required=False, max_length=100
    )
    income_year = _money(_("Income per year (baht)"))
    debt_formal = _money(_("Formal debt (baht)"))
    debt_informal = _money(_("Informal debt (baht)"))
    savings = _money(_("Savings per year (baht)"))
    disabled = forms.BooleanField(label=_("Disabled"), required=False)
    chronic_illness = forms.BooleanField(label=_("Chronically ill"), required=False)
    dependent = forms.BooleanField(label=_("Cannot care for themselves"), required=False)
    welfare_card = forms.BooleanField(label=_("Holds the state welfare card"), required=False)
    pregnant = forms.BooleanField(label=_("Pregnant"), required=False)

    def __init__(self, *args: Any, catalogue: Any, head: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.head = head
        self.asked = {q.column: q for q in assessment.person_questions(catalogue)}
        relations = [(k, v) for k, v in labels.RELATION.items() if (k == "head") == head]
        self.fields["relation"].choices = relations if head else [("", "—"), *relations]
        if head:
            self.fields["relation"].initial = "head"
            self.fields["pin"].required = True
        for col in self.asked:
            c = contract.MEMBERS[col]
            label = pick(c.th, c.en)
            if c.type == contract.INT:
                self.fields[col] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=int(c.min or 0),
                    max_value=int(c.max or 99999),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            else:
                self.fields[col] = _yes_no(label, required=False, radio=False)

    def answer_fields(self) -> list[tuple[Any, Any, str]]:
        """(bound field, when it is asked, that rule in words) for the person questions."""
        return [(self[col], q, asked_hint(q)) for col, q in self.asked.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("birth_date") is None
            and data.get("age") is None
            and not self.has_error("birth_date")
        ):
            self.add_error("birth_date", _("Give the birth date or the age."))
        return data

    def member_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {
            k: d.get(k)
            for k in (
                "title",
                "first_name",
                "last_name",
                "pin",
                "relation",
                "sex",
                "birth_date",
                "age",
                "education",
                "occupation",
                "student_status",
                "income_year",
                "disabled",
                "chronic_illness",
                "welfare_card",
                *MEMBER_MONEY,
                *self.asked,
            )
        }
        out["self_care"] = not d.get("dependent")
        out["pregnant"] = bool(d.get("pregnant")) or None
        out["pin"] = out["pin"] or None
        return out


class BaseMemberFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, catalogue: Any, **kwargs: Any):
        self.catalogue = catalogue
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"catalogue": self.catalogue, "head": index == 0}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if index == 0:  # the head stays: a household without its head is another household
            form.fields.pop("DELETE", None)

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for i, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            pin = form.cleaned_data.get("pin")
            if pin and pin in seen:
                form.add_error("pin", _("This national ID is already given for another member."))
            elif pin:
                seen[pin] = i

    def _counted(self, form: forms.Form) -> bool:
        """Not removed, and not a row added and left blank."""
        if self._should_delete_form(form):
            return False
        return form.has_changed() or not form.empty_permitted

    def members(self) -> list[dict[str, Any]]:
        return [f.member_data() for f in self.forms if self._counted(f)]

    def member_index(self) -> list[int]:
        """Form index of each member passed to the engine (removed and blank rows skipped)."""
        return [i for i, f in enumerate(self.forms) if self._counted(f)]


def member_formset(rules: dict[str, Any]) -> type[BaseMemberFormSet]:
    return forms.formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=0,
        min_num=1,
        validate_min=True,
        max_num=rules["max_members"],
        validate_max=True,
        can_delete=True,
    )


def household_data(form: HouseholdForm, formset: BaseMemberFormSet) -> dict[str, Any]:
    """The cleaned answers in the shape `assessment.frames` and the service take."""
    d = form.cleaned_data
    answers = {
        name[2:]: value for name, value in d.items() if name.startswith("q_") and value is not None
    }
    return {
        "subdistrict_code": d["subdistrict_code"],
        "village_no": d["village_no"],
        "house_no": (d.get("house_no") or "").strip(),
        "near_house_no": (d.get("near_house_no") or "").strip(),
        "house_code": d.get("house_code") or "",
        "land_tenure": d.get("land_tenure") or "",
        "phone": d.get("phone") or "",
        "religion": d.get("religion") or "",
        "vulnerable_tags": list(d.get("vulnerable_tags") or []),
        "other_problem": (d.get("other_problem") or "").strip(),
        "answers": answers,
        "income": {c: d.get(c) for c in INCOME_SOURCES},
        "members": formset.members(),
    }


class DecisionForm(forms.Form):
    """The holding district's answer to a duplicate check."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("same_person", _("The same person: do not add a new household")),
            ("may_add", _("A different person, or one who has moved: the team may add it")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the record (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
