"""Forms of the mentoring pages. They only read what was typed; the services decide (and
refuse with codes that the views put back on these forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cheepao.mentoring import selectors, services
from cheepao.mentoring.models import TeamMember

#: Member rows on the appoint form (the most a team may have by default).
MEMBER_ROWS = 5
KIND_CHOICES = [("", _("choose…")), *TeamMember.Kind.choices]


class TeamForm(forms.Form):
    """Step 1 of appointing: where, what, by which order."""

    subdistrict_code = forms.ChoiceField(label=_("Subdistrict"))
    name = forms.CharField(label=_("Team name"), max_length=200)
    order_no = forms.CharField(label=_("Order number"), max_length=40, required=False)
    order_date = forms.DateField(
        label=_("Order date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdistrict_code"].choices = [
            ("", _("choose…")),
            *selectors.subdistricts_of(user),
        ]


class MemberForm(forms.Form):
    """One member: an account of the mentor role, or a named person without one."""

    user = forms.ModelChoiceField(
        label=_("Account (if the person signs in)"), queryset=None, required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position or office"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, subdistrict: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = selectors.mentor_accounts(subdistrict)
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        field.empty_label = _("no account")

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(k) for k in ("user", "name", "position", "kind", "phone"))


def member_forms(data: Any, subdistrict: str, rows: int = MEMBER_ROWS) -> list[MemberForm]:
    return [MemberForm(data, prefix=f"m{i}", subdistrict=subdistrict) for i in range(rows)]


class AssignForm(forms.Form):
    village_code = forms.ChoiceField(label=_("Village"))
    cap = forms.IntegerField(
        label=_("Most households per person"),
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, villages: list, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"cap": services.mentor_cap()})
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [
            (
                code,
                _("%(village)s: %(free)s of %(n)s households unassigned")
                % {"village": name, "free": free, "n": n},
            )
            for code, name, n, free in villages
        ]


class HandOverForm(forms.Form):
    from_member = forms.ChoiceField(label=_("Handed over by"))
    to_member = forms.ChoiceField(label=_("Handed over to"))
    note = forms.CharField(
        label=_("Why (kept in each household's history)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cap = forms.IntegerField(
        label=_("Most households per person"),
        min_value=1,
        max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, givers: list, takers: list, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"cap": services.mentor_cap()})
        super().__init__(*args, **kwargs)
        self.fields["from_member"].choices = [
            (str(m.pk), f"{m.name} ({m.n_households})") for m in givers
        ]
        self.fields["to_member"].choices = [
            (str(m.pk), f"{m.name} · {m.team.name}") for m in takers
        ]


class NoContactForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("No contact for"),
        coerce=int,
        required=False,
        empty_value=selectors.NO_CONTACT_DEFAULT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (d, _("%(days)s days") % {"days": d}) for d in selectors.NO_CONTACT_DAYS
        ]

    def chosen_days(self) -> int:
        if self.is_valid() and self.cleaned_data.get("days"):
            return int(self.cleaned_data["days"])
        return selectors.NO_CONTACT_DEFAULT
