"""Forms of the account pages. They validate and explain in Thai; the writes are in services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cheepao.accounts import selectors
from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import RULES, Role
from cheepao.accounts.services import check_may_create
from cheepao.core import errors

# Django's password validators have no Thai translation; their messages are replaced by
# these, keyed by the validator's error code.
PASSWORD_MESSAGES = {
    "password_too_short": _(
        "This password is too short. It must contain at least %(min_length)d characters."
    ),
    "password_too_common": _("This password is too common: choose one others cannot guess."),
    "password_entirely_numeric": _("This password is entirely numeric: add letters."),
    "password_too_similar": _("This password is too similar to your %(verbose_name)s."),
}
NEW_BODY = "new"
AREA_LABELS = {
    "province": pgettext_lazy("area level", "Province"),
    "district": pgettext_lazy("area level", "District"),
    "subdistrict": pgettext_lazy("area level", "Subdistrict"),
    "village": pgettext_lazy("area level", "Village"),
}
AREA_CHOOSE_ABOVE = {
    "district": _("— choose the province first —"),
    "subdistrict": _("— choose the district first —"),
    "village": _("— choose the subdistrict first —"),
}
AREA_WORDS = {
    0: pgettext_lazy("area level", "the whole country"),
    2: pgettext_lazy("area level", "province"),
    4: pgettext_lazy("area level", "district"),
    6: pgettext_lazy("area level", "subdistrict"),
    8: pgettext_lazy("area level", "village"),
}


def password_errors(password: str, user: Any) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        messages = []
        for item in error.error_list:
            template = PASSWORD_MESSAGES.get(item.code)
            params = item.params or {}
            messages.append(str(template) % params if template else " ".join(item.messages))
        return messages
    return []


class SignInForm(AuthenticationForm):
    error_messages: ClassVar[dict] = {
        "invalid_login": _(
            "The username or password is wrong. Both are case-sensitive. After several wrong "
            "tries the account is locked for a while."
        ),
        "inactive": _("This account has been deactivated. Ask the person who manages it."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")


class PasswordChoiceForm(PasswordChangeForm):
    """Django's form (old password, new twice), with Thai messages; saving is the service's."""

    error_messages: ClassVar[dict] = {
        "password_incorrect": _("The current password is wrong. Please type it again."),
        "password_mismatch": _("The two new passwords are not the same."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password (the one you signed in with)")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters; not a common word, not only digits, not like your name "
            "or username."
        )
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""

    def clean(self):
        # Not SetPasswordForm.clean: Django's validator messages have no Thai translation.
        data = forms.Form.clean(self)
        password1, password2 = data.get("new_password1"), data.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", self.error_messages["password_mismatch"])
        elif password2 and password2 == data.get("old_password"):
            self.add_error("new_password2", _("Choose a password different from the current one."))
        elif password2:
            for message in password_errors(password2, self.user):
                self.add_error("new_password2", message)
        return data


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AccountCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and . @ + - _ only; the person signs in with it."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        error_messages={"invalid_choice": _("You may not create accounts of this role.")},
    )
    body = forms.ChoiceField(
        label=_("Body (office or team)"),
        error_messages={"invalid_choice": _("Choose one of the bodies in the list.")},
    )
    new_body_name = forms.CharField(
        label=_("Name of the new body"),
        max_length=200,
        required=False,
        help_text=_("Only when you chose “a new body” above."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, creator: Any, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.creator = creator
        self.fields["username"].widget.attrs.update(autocapitalize="none", spellcheck="false")
        self._add_area_picker()
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["role"].choices = [
            (r, Role(r).label) for r in selectors.creatable_roles(creator)
        ]
        self.bodies = list(selectors.bodies_managed_by(creator))
        self.fields["body"].choices = [(NEW_BODY, _("A new body (name it below)"))] + [
            (str(b.pk), f"{b.name} · {b.get_kind_display()} · {selectors.area_label(b.area_code)}")
            for b in self.bodies
        ]
        self.initial.setdefault("area_code", creator.area_code)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            raise ValidationError(
                _("Use only letters, digits and . @ + - _ in the username.")
            ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is already taken."))
        return username

    # ------------------------------------------------------------ the area picker

    def _add_area_picker(self) -> None:
        """One select per level below the creator's own area (selectors.picker_levels), each
        listing the areas inside the one chosen above it; an empty choice means the area
        above as a whole, named as such ("all of อำเภอเมือง…"), never a blank that could mean
        the whole country. Nothing is typed: no DOPA codes to know or mistype."""
        data = self.data if self.is_bound else self.initial
        parent: str | None = self.creator.area_code
        self.area_field_names = []
        self.area_field_of_length: dict[int, str] = {}
        for level, length in selectors.picker_levels(self.creator):
            name = f"area_{level}"
            options = selectors.area_options(parent) if parent is not None else []
            if parent is None:
                empty = AREA_CHOOSE_ABOVE[level]
            elif parent == "":
                empty = _("— the whole country —")
            else:
                empty = _("— all of %(area)s —") % {"area": selectors.area_label(parent)}
            self.fields[name] = forms.ChoiceField(
                label=AREA_LABELS[level],
                required=False,
                choices=[("", empty)] + [(o.code, o.label) for o in options],
                error_messages={
                    "invalid_choice": _(
                        "Choose one of the areas in the list: it lists the areas inside the "
                        "one chosen above it."
                    )
                },
            )
            # Picking an area asks the server for the areas inside it (htmx swaps the
            # picker in place); without script, the "show the areas" button does it.
            self.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("accounts:create"),
                    "hx-trigger": "change",
                    "hx-target": "#area-picker",
                    "hx-select": "#area-picker",
                    "hx-swap": "outerHTML",
                    "hx-vals": '{"refresh_areas": "1"}',
                }
            )
            self.area_field_names.append(name)
            self.area_field_of_length[length] = name
            value = str(data.get(name) or "")
            parent = value if any(o.code == value for o in options) else None

    @property
    def creator_area_name(self) -> str:
        return selectors.area_label(self.creator.area_code)

    @property
    def area_fields(self) -> list:
        return [self[name] for name in self.area_field_names]

    def _picked_area(self, data: dict) -> tuple[str, str | None]:
        """The area chosen (the deepest level picked) and the field that comes after it."""
        code = self.creator.area_code
        for name in self.area_field_names:
            value = data.get(name) or ""
            if not value:
                return code, name
            code = value
        return code, None

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role is None or any(name in self.errors for name in self.area_field_names):
            return data
        code, next_field = self._picked_area(data)
        lengths = RULES[role].area_lengths
        if len(code) not in lengths:
            levels = [AREA_WORDS[n] for n in lengths if n >= len(self.creator.area_code)]
            # too shallow: the next level to choose; too deep: the level chosen too far
            where = next_field if len(code) < min(lengths) else None
            where = where or self.area_field_of_length.get(len(code))
            self.add_error(
                where,
                _("This role works in one %(levels)s: choose it in the list.")
                % {"levels": str(_(" or ")).join(str(level) for level in levels)},
            )
            return data
        try:
            check_may_create(self.creator, role=role, area_code=code)
        except errors.ServiceError as refusal:
            self.add_error(None, refusal.message)
            return data
        data["area_code"] = code
        data["area_name"] = selectors.area_label(code)
        choice = data.get("body")
        if choice == NEW_BODY:
            data["body_obj"] = None
            if not data.get("new_body_name", "").strip():
                self.add_error("new_body_name", _("Name the new body, or choose an existing one."))
        elif choice:
            body = next((b for b in self.bodies if str(b.pk) == choice), None)
            if body is None or not selectors.body_fits(body, role=role, area_code=code):
                self.add_error(
                    "body",
                    _(
                        "This body does not fit: it must be a %(kind)s whose area contains "
                        "the account's area."
                    )
                    % {"kind": Body.Kind(RULES[role].body_kind).label},
                )
            else:
                data["body_obj"] = body
        return data
