"""The Logbook's forms, phone first. They only read and show what was typed: every check is
the verb's (services.py), whose codes come back as the fields' Thai messages, so the form
and the API refuse the same things with the same words. Each form carries a `uid` made when
it is shown: a second send of the same form records nothing new (ADR 0021)."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cheepao.logbook.models import Entry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOTE = forms.Textarea(attrs={"rows": 3})


def _text(label, *, widget=None, max_length=None) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=widget, max_length=max_length)


def _select(label, choices) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices))


class EntryForm(forms.Form):
    """The fields every part has: its client id and the date it happened."""

    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    occurred_on = _text(_("date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("uid", str(uuid.uuid4()))
        kwargs["initial"].setdefault("occurred_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)

    def show_errors(self, exc) -> None:
        """Put a refusal's messages on the fields it names (the target for a dimension or
        an indicator), the rest above the form."""
        named = exc.field_messages()
        for name, text in named.items():
            if name in ("dimension", "indicator") and "target" in self.fields:
                name = "target"
            self.add_error(name if name in self.fields else None, text)
        if not named:
            self.add_error(None, exc.message)


class VisitForm(EntryForm):
    giver = _text(_("who"), max_length=200)
    note = _text(_("what was found"), widget=NOTE)


class SummaryForm(EntryForm):
    note = _text(_("how the household's life has changed"), widget=NOTE)


class NeedForm(EntryForm):
    target = _select(_("dimension and indicator"), [])
    source = _select(_("found in"), Entry.Source.choices)
    note = _text(_("the need as told"), widget=NOTE)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.choices = [("", "—"), *targets]


class HelpForm(EntryForm):
    """An act of help in two steps: 1. what (date, dimension and indicator, kind); 2. who
    and how much (agency, programme of that agency for the dimension, value, note, photo)."""

    FIRST = ("occurred_on", "target", "help_kind")
    SECOND = ("agency", "programme", "giver", "value", "note", "photo")

    target = _select(_("dimension and indicator"), [])
    help_kind = _select(_("kind of help"), [("", "—"), *Entry.HelpKind.choices])
    agency = _select(_("agency"), [])
    programme = _select(_("programme"), [])
    giver = _text(_("who gave it (when not the agency)"), max_length=200)
    value = _text(_("value (baht)"))
    note = _text(_("note"), widget=NOTE)
    photo = forms.FileField(
        label=_("photo as evidence"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )

    def __init__(self, *args, targets=(), agencies=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(inputmode="decimal")
        self.fields["target"].widget.choices = [("", "—"), *targets]
        self.fields["agency"].widget.choices = [("", "—"), *[(a.pk, a.name) for a in agencies]]
        self.fields["programme"].widget.choices = [
            ("", "—"),
            *[(p.pk, f"{p.name} ({p.agency.name}, {p.budget_year})") for p in programmes],
        ]


class CorrectForm(EntryForm):
    """A correction: the entry's fields as they should have been (a new entry, never an
    edit), or, with `withdraw`, a withdrawal."""

    target = _select(_("dimension and indicator"), [])
    help_kind = _select(_("kind of help"), [("", "—"), *Entry.HelpKind.choices])
    source = _select(_("found in"), Entry.Source.choices)
    agency = _select(_("agency"), [])
    programme = _select(_("programme"), [])
    giver = _text(_("who"), max_length=200)
    value = _text(_("value (baht)"))
    note = _text(_("note"), widget=NOTE)

    FIELDS: ClassVar[dict[str, tuple[str, ...]]] = {
        Entry.Part.NEED: ("occurred_on", "target", "source", "note"),
        Entry.Part.HELP: (
            "occurred_on",
            "target",
            "help_kind",
            "agency",
            "programme",
            "giver",
            "value",
            "note",
        ),
        Entry.Part.VISIT: ("occurred_on", "giver", "note"),
        Entry.Part.SUMMARY: ("occurred_on", "note"),
    }

    def __init__(self, *args, part, targets=(), agencies=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"uid", *self.FIELDS[part]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "target" in self.fields:
            self.fields["target"].widget.choices = [("", "—"), *targets]
        if "agency" in self.fields:
            self.fields["agency"].widget.choices = [
                ("", "—"),
                *[(a.pk, a.name) for a in agencies],
            ]
            self.fields["programme"].widget.choices = [
                ("", "—"),
                *[(p.pk, f"{p.name} ({p.agency.name}, {p.budget_year})") for p in programmes],
            ]
        if "value" in self.fields:
            self.fields["value"].widget.attrs.update(inputmode="decimal")

    def changes(self) -> dict:
        """What the correction says, as the verb takes it."""
        data = dict(self.cleaned_data)
        data.pop("uid", None)
        target = data.pop("target", None)
        if target is not None:
            dimension, _sep, indicator = target.partition("|")
            data.update(dimension=dimension, indicator=indicator)
        for name in ("agency", "programme"):
            if name in data and data[name] == "":
                data[name] = None
        if "value" in data and data["value"] == "":
            data["value"] = None
        return data


def initial_of(entry: Entry) -> dict:
    """A correction form's starting values: the entry as recorded."""
    out = {
        "occurred_on": entry.occurred_on.isoformat(),
        "target": f"{entry.dimension}|{entry.indicator}",
        "help_kind": entry.help_kind,
        "source": entry.source,
        "agency": entry.agency_id or "",
        "programme": entry.programme_id or "",
        "giver": entry.giver,
        "value": "" if entry.value is None else f"{entry.value}",
        "note": entry.note,
    }
    return out


class ProgrammeForm(forms.Form):
    name = _text(_("programme name"), max_length=300)
    agency = _select(_("agency"), [])
    budget_year = _text(_("budget year (BE)"))
    budget = _text(_("budget (baht)"))
    dimensions = forms.MultipleChoiceField(
        label=_("dimensions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.MultipleChoiceField(
        label=_("indicators"), required=False, widget=forms.SelectMultiple
    )

    def __init__(self, *args, agencies=None, dimensions=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].widget.choices = [
                ("", "—"),
                *[(a.pk, a.name) for a in agencies],
            ]
        self.fields["budget_year"].widget.attrs.update(inputmode="numeric")
        self.fields["budget"].widget.attrs.update(inputmode="decimal")
        self.fields["dimensions"].choices = list(dimensions)
        self.fields["indicators"].choices = list(indicators)

    def show_errors(self, exc) -> None:
        named = exc.field_messages()
        for name, text in named.items():
            self.add_error(name if name in self.fields else None, text)
        if not named:
            self.add_error(None, exc.message)
