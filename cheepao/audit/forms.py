from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.audit.models import AuditEvent
from cheepao.audit.selectors import AuditFilter
from cheepao.audit.selectors import object_types as object_types_in_log
from cheepao.core.thai import BE_OFFSET


def object_label(object_type: str) -> str:
    return AuditEvent(object_type=object_type).object_label


class DateInput(forms.DateField):
    """ISO dates (what <input type="date"> sends); a year above 2400 is read as Buddhist
    Era, because Thai users often type the year they know."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def to_python(self, value):
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value)
            if m and int(m.group(1)) > 2400:
                y, mo, d = (int(g) for g in m.groups())
                try:
                    return date(y - BE_OFFSET, mo, d)
                except ValueError:
                    raise forms.ValidationError(_("Enter a valid date.")) from None
        return super().to_python(value)


class SearchForm(forms.Form):
    username = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *AuditEvent.Action.choices]
    )
    object_type = forms.CharField(label=_("Object type"), max_length=40, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    area_prefix = forms.RegexField(
        label=_("Area code starts with"),
        regex=r"^\d{0,8}$",
        max_length=8,
        required=False,
        error_messages={"invalid": _("An area code is up to 8 digits.")},
    )
    date_from = DateInput(label=_("From"), required=False)
    date_to = DateInput(label=_("To"), required=False)

    def __init__(self, *args, object_types: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds of object in the log, by name ("ครัวเรือน"), not by their code.
        types = object_types if object_types is not None else object_types_in_log()
        self.fields["object_type"] = forms.ChoiceField(
            label=_("Object type"),
            required=False,
            choices=[
                ("", _("any")),
                *sorted(((t, object_label(t)) for t in types), key=lambda c: c[1]),
            ],
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def audit_filter(self) -> AuditFilter:
        d = self.cleaned_data
        return AuditFilter(
            username=d["username"].strip(),
            action=d["action"],
            object_type=d["object_type"].strip(),
            object_id=d["object_id"].strip(),
            area_prefix=d["area_prefix"],
            date_from=d["date_from"],
            date_to=d["date_to"],
        )
