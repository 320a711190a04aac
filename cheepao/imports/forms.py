from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import ListKind, ReviewItem


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
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReviewFilterForm(forms.Form):
    """The review page's filters (GET). Choices come from what the reviewer may see, so a
    value outside them is simply not applied."""

    STATUS_ALL = "all"

    list_import = forms.TypedChoiceField(label=_("List"), coerce=int, required=False)
    reason = forms.ChoiceField(label=_("Why it waits"), required=False)
    match = forms.ChoiceField(label=_("Households found"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    assigned = forms.ChoiceField(label=_("Who decides"), required=False)

    def __init__(self, data, *, imports, areas, **kwargs):
        super().__init__(data, **kwargs)
        anything = [("", _("any"))]
        self.fields["list_import"].choices = [("", _("every list")), *imports]
        self.fields["reason"].choices = [*anything, *ReviewItem.Reason.choices]
        self.fields["match"].choices = [
            *anything,
            (selectors.MATCH_PIN, _("the national ID names one household")),
            (selectors.MATCH_CANDIDATES, _("there are households to choose from")),
            (selectors.MATCH_NONE, _("no household matches")),
        ]
        self.fields["area"].choices = [("", _("the whole area")), *areas]
        self.fields["status"].choices = [
            (ReviewItem.Status.OPEN, _("waiting for a decision")),
            (selectors.DECIDED, _("decided")),
            *[(k, v) for k, v in ReviewItem.Status.choices if k != ReviewItem.Status.OPEN],
            (self.STATUS_ALL, _("all")),
        ]
        self.fields["assigned"].choices = [
            *anything,
            (selectors.UNASSIGNED, _("the importing level")),
            (selectors.ASSIGNED, _("handed to a district or subdistrict")),
        ]

    def review_filter(self) -> selectors.ReviewFilter:
        """The filter of the valid fields; a field with a value it does not offer is
        left out (the status then stays 'waiting for a decision')."""
        self.is_valid()
        d = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        status = d.get("status") or ReviewItem.Status.OPEN
        return selectors.ReviewFilter(
            list_import=d.get("list_import") or None,
            reason=d.get("reason", ""),
            match=d.get("match", ""),
            area=d.get("area", ""),
            status="" if status == self.STATUS_ALL else status,
            assigned=d.get("assigned", ""),
        )


class BulkForm(forms.Form):
    """One decision for many rows: the ticked rows of the page, or every open row the
    filter matches (whose number the page showed, `expected`)."""

    LINK_PIN, FIELD_VISIT, REJECT = "link_pin", "field_visit", "reject"
    TO_DISTRICT, TO_SUBDISTRICT, TAKE_BACK = "to_district", "to_subdistrict", "take_back"
    SELECTED, FILTER = "selected", "filter"

    action = forms.ChoiceField(
        label=_("Decision for the rows"),
        widget=forms.RadioSelect,
        choices=(
            (LINK_PIN, _("Link each row to the household its national ID names")),
            (FIELD_VISIT, _("Not in the registry: each needs a ศจพ.2 visit")),
            (REJECT, _("Reject the rows, for the reason below")),
            (TO_DISTRICT, _("Hand each row to the district that holds its village")),
            (TO_SUBDISTRICT, _("Hand each row to the subdistrict that holds its village")),
            (TAKE_BACK, _("Take the rows back to the importing level")),
        ),
    )
    scope = forms.ChoiceField(
        choices=((SELECTED, _("the rows ticked on this page")), (FILTER, _("every open row"))),
        widget=forms.RadioSelect,
        initial=SELECTED,
    )
    note = forms.CharField(label=_("Reason for rejecting"), max_length=500, required=False)
    expected = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def selected_ids(self, data) -> list[int]:
        ids = []
        for value in data.getlist("item"):
            try:
                ids.append(int(value))
            except (TypeError, ValueError):
                continue
        return ids[:1_000]
