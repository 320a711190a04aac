"""Search and register filter forms. They only check and normalise what was typed; the
queries themselves are in selectors/ (register.py)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.households import extensions
from cheepao.households.models import Household, Source
from cheepao.households.selectors import RegisterFilters, SearchQuery

# Above this many villages a drop-down is no help (a province has thousands): type the code.
VILLAGE_SELECT_MAX = 400
ANY = [("", _("all"))]


class SearchForm(forms.Form):
    pin = forms.CharField(
        label=_("National ID (13 digits)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    house_no = forms.CharField(label=_("House number"), required=False, max_length=40)
    village = forms.CharField(label=_("Village"), required=False, max_length=8)

    def __init__(self, *args: Any, villages: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        villages = villages or []
        if len(villages) <= VILLAGE_SELECT_MAX:
            self.fields["village"] = forms.ChoiceField(
                label=_("Village"), required=False, choices=ANY + villages
            )
        else:
            self.fields["village"].help_text = _("8-digit village code, e.g. 34010507")
            self.fields["village"].widget.attrs["inputmode"] = "numeric"

    def clean_pin(self) -> str:
        pin = re.sub(r"[\s\-]", "", self.cleaned_data["pin"])
        if pin and not (len(pin) == 13 and pin.isdigit()):
            raise forms.ValidationError(_("A national ID has 13 digits."))
        return pin

    def clean_village(self) -> str:
        code = self.cleaned_data["village"].strip()
        if code and not re.fullmatch(r"\d{8}", code):
            raise forms.ValidationError(_("A village code has 8 digits."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("first_name", "last_name", "house_no"):
            if name in data:
                data[name] = " ".join(data[name].split())
        if not self.errors and self.query().is_empty:
            raise forms.ValidationError(_("Fill in at least one of the search fields."))
        return data

    def query(self) -> SearchQuery:
        d = self.cleaned_data
        return SearchQuery(
            pin=d.get("pin", ""),
            first_name=d.get("first_name", ""),
            last_name=d.get("last_name", ""),
            house_no=d.get("house_no", ""),
            village=d.get("village", ""),
        )


class RegisterFilterForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Failing dimension"), required=False)
    indicator = forms.ChoiceField(label=_("Failing indicator"), required=False)
    critical = forms.ChoiceField(
        label=_("Critical"),
        required=False,
        choices=[*ANY, ("yes", _("critical only")), ("no", _("not critical"))],
    )
    source = forms.ChoiceField(label=_("Source"), required=False, choices=ANY + Source.choices)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + Household.Status.choices
    )
    # ... then the filters feature apps registered (extensions.register_filters).

    def __init__(self, *args: Any, dimensions=(), indicators=(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = ANY + list(dimensions)
        self.fields["indicator"].choices = ANY + list(indicators)
        self.extra = [f.key for f in extensions.register_filters.all() if f.key not in self.fields]
        for key in self.extra:
            self.fields[key] = extensions.register_filters.get(key).field()

    def filters(self) -> RegisterFilters:
        """The filters that were valid; a value that was not is dropped (and its error shown)."""
        self.is_valid()
        d = self.cleaned_data
        return RegisterFilters(
            **{name: d.get(name) or "" for name in self.fields if name not in self.extra},
            extra={name: d.get(name) or "" for name in self.extra},
        )
