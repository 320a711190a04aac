"""Sign-in, first-login password, second factor, and managing the accounts below one's own.

Pages that show a one-time password or backup codes render them in the response to the POST
that made them, marked no-store: they are never kept anywhere to be shown again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cheepao.accounts import selectors, services
from cheepao.accounts.forms import AccountCreateForm, OtpCodeForm, PasswordChoiceForm, SignInForm
from cheepao.accounts.middleware import with_next
from cheepao.accounts.models import User
from cheepao.accounts.roles import CARE, RULES
from cheepao.core import access, errors
from cheepao.core.web import ctx as web_ctx

SETUP_KEY_SESSION = "cheepao_otp_setup_key"
REFRESH_AREAS = "refresh_areas"


def _next_url(request: HttpRequest) -> str:
    """Where to go after a step at the door: the page asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return home_url(request.user)


def home_url(user) -> str:
    """Where an account starts after sign-in: a mentor at "my households" (mentoring, by
    its URL name), everyone else at LOGIN_REDIRECT_URL (the registry)."""
    if getattr(user, "is_authenticated", False) and user.can(CARE):
        return resolve_url("mentoring:mine")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _once(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url(self.request.user)


class SignOutView(auth_views.LogoutView):
    """POST only (Django's rule), so a link elsewhere cannot sign a person out."""


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChoiceForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_changed(
            ctx=web_ctx(request), new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your new password is saved."))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next", ""),
            "forced": request.user.must_change_password,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app. Only for a person with no confirmed second factor yet:
    otherwise a stolen password would be enough to enrol the thief's own phone."""
    user = request.user
    if selectors.confirmed_devices(user):
        if not user.is_verified():
            return redirect(with_next(resolve_url("accounts:otp_verify"), _next_url(request)))
        messages.info(request, _("Two-step sign-in is already set up for your account."))
        return redirect(_next_url(request))
    key = request.session.get(SETUP_KEY_SESSION)
    if not key:
        key = services.totp_new_key()
        request.session[SETUP_KEY_SESSION] = key
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.otp_enrol(ctx=web_ctx(request), key=key, token=form.cleaned_data["code"])
        if result is not None:
            device, codes = result
            from django_otp import login as otp_login

            otp_login(request, device)
            del request.session[SETUP_KEY_SESSION]
            return _once(
                render(
                    request,
                    "accounts/otp_backup_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
            )
        form.add_error(
            "code",
            _(
                "This code does not match. Type the 6 digits the app shows "
                "now (they change every 30 seconds)."
            ),
        )
    device = services.totp_device_unsaved(user, key)
    return _once(
        render(
            request,
            "accounts/otp_setup.html",
            {
                "form": form,
                "qr_svg": selectors.qr_svg(device.config_url),
                "secret": services.totp_secret_text(key),
                "next": request.GET.get("next") or request.POST.get("next", ""),
            },
        )
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.confirmed_devices(user):
        return redirect(with_next(resolve_url("accounts:otp_setup"), _next_url(request)))
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.otp_check(ctx=web_ctx(request), token=form.cleaned_data["code"])
        except services.SecondFactorWait as wait:
            form.add_error("code", wait.message)
        else:
            if device is not None:
                from django_otp import login as otp_login

                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error(
                "code",
                _(
                    "This code is not right, or was already used. Wait for a new "
                    "code in the app, or use an unused backup code."
                ),
            )
    return render(
        request,
        "accounts/otp_verify.html",
        {
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
    )


# ------------------------------------------------------------------ managing accounts


def _managing(request: HttpRequest) -> None:
    if not selectors.can_manage_accounts(request.user):
        raise Http404("no accounts to manage")


def _show_refusal(form, refusal: errors.ServiceError) -> None:
    """A service's refusal on the form: each field's message on its field, the rest above."""
    fields = refusal.field_messages()
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, refusal.message)


@login_required
@require_safe
def account_list(request: HttpRequest) -> HttpResponse:
    _managing(request)
    accounts = list(selectors.accounts_managed_by(request.user))
    locked = selectors.lockouts([a.username for a in accounts])
    for a in accounts:
        a.locked_until = locked.get(a.username.lower())
    bodies = list(selectors.bodies_managed_by(request.user))
    return render(
        request,
        "accounts/account_list.html",
        {
            "accounts": accounts,
            "bodies": bodies,
            "area_name": selectors.area_label(request.user.area_code),
            "creatable": [RULES[r].role for r in selectors.creatable_roles(request.user)],
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    _managing(request)
    if request.method == "POST" and REFRESH_AREAS in request.POST:
        # An area was picked: show the areas inside it (htmx swaps the picker in place;
        # without script, the "show the areas" button posts here). Nothing is checked or
        # created yet, so no error is shown for fields not filled in.
        form = AccountCreateForm(initial=request.POST.dict(), creator=request.user)
        return render(request, "accounts/account_create.html", {"form": form})
    form = AccountCreateForm(request.POST or None, creator=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = services.account_create(
                ctx=web_ctx(request),
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                area_code=data["area_code"],
                body=data.get("body_obj"),
                new_body_name=data.get("new_body_name", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
            )
        except errors.ServiceError as refusal:
            _show_refusal(form, refusal)
        else:
            return _once(
                render(
                    request,
                    "accounts/one_time_password.html",
                    {
                        "account": account,
                        "password": password,
                        "created": True,
                        "area_name": selectors.area_label(account.area_code),
                    },
                )
            )
    return render(request, "accounts/account_create.html", {"form": form})


@login_required
@require_safe
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = access.one(request.user, User, "manage", account_id)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "area_name": selectors.area_label(account.area_code),
            "locked_until": selectors.lockout_until(account),
        },
    )


def _confirm(request: HttpRequest, account, action: str) -> HttpResponse:
    """The page that asks before a step that cannot be taken back by the person concerned."""
    return render(
        request,
        "accounts/account_confirm.html",
        {
            "account": account,
            "action": action,
            "area_name": selectors.area_label(account.area_code),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_deactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET asks (a page, not a script dialog); POST deactivates."""
    account = access.one(request.user, User, "manage", account_id)
    if request.method == "GET":
        return _confirm(request, account, "deactivate")
    services.account_deactivate(ctx=web_ctx(request), account=account)
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": account})
    return redirect("accounts:detail", account_id=account.pk)


@login_required
@require_POST
def account_unlock(request: HttpRequest, account_id: int) -> HttpResponse:
    account = access.one(request.user, User, "manage", account_id)
    try:
        services.account_unlock(ctx=web_ctx(request), account=account)
    except errors.Refused as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(request, _("%(name)s can sign in again now.") % {"name": account})
    return redirect("accounts:detail", account_id=account.pk)


@login_required
@require_POST
def account_reactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    account = access.one(request.user, User, "manage", account_id)
    services.account_reactivate(ctx=web_ctx(request), account=account)
    messages.success(request, _("%(name)s can sign in again.") % {"name": account})
    return redirect("accounts:detail", account_id=account.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_reset_password(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET asks (a page, not a script dialog); POST makes and shows the new password."""
    account = access.one(request.user, User, "manage", account_id)
    if request.method == "GET":
        return _confirm(request, account, "reset_password")
    password = services.account_reset_password(ctx=web_ctx(request), account=account)
    return _once(
        render(
            request,
            "accounts/one_time_password.html",
            {
                "account": account,
                "password": password,
                "created": False,
                "area_name": selectors.area_label(account.area_code),
            },
        )
    )
