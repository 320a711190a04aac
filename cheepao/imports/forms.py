from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ListKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of list"), choices=ListKind.choices)
    name = forms.CharField(
        label=_("Name of the list"),
        max_length=200,
        required=False,
        help_text=_("For example: ThaiQM 2568, Ubon Ratchathani. Empty: the file name."),
    )
    file = forms.FileField(
        allow_empty_file=True,  # the reader says why an empty file is refused
        label=_("File (CSV UTF-8 or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,text/csv"}),
    )


class DecisionForm(forms.Form):
    LINK, FIELD_VISIT, REJECT = "link", "field_visit", "reject"
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=(
            (LINK, _("It is this registry household")),
            (FIELD_VISIT, _("Not in the registry: needs a ศจพ.2 visit")),
            (REJECT, _("Reject the row")),
        ),
    )
    household = forms.CharField(label=_("Household"), required=False)
    hh_id = forms.CharField(
        label=_("or another household id (hh_id)"), max_length=40, required=False
    )
    note = forms.CharField(label=_("Reason for rejecting"), max_length=500, required=False)
