"""Forms of the account pages. They validate and explain in Thai; the writes are in services."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cheepao.accounts import selectors
from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import RULES, Role
from cheepao.accounts.services import AccountRefused, check_may_create

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
    area_code = forms.CharField(
        label=_("Area code"),
        max_length=8,
        required=False,
        help_text=_(
            "A DOPA code: 2 digits for a province, 4 for a district, 6 for a subdistrict, "
            "subdistrict + 2-digit village number for a village. Empty means the whole country."
        ),
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
        self.fields["area_code"].widget.attrs.update(
            inputmode="numeric", list="area-suggestions", autocomplete="off"
        )
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

    def clean_area_code(self):
        code = "".join(self.cleaned_data.get("area_code", "").split())
        if code and not code.isdigit():
            raise ValidationError(_("The area code has digits only."))
        return code

    def clean(self):
        data = super().clean()
        role, code = data.get("role"), data.get("area_code")
        if role is None or code is None:
            return data
        try:
            check_may_create(self.creator, role=role, area_code=code)
        except AccountRefused as refusal:
            self.add_error("area_code", str(refusal))
            return data
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
