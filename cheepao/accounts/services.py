"""Writes to accounts: create, deactivate, reactivate, reset, change password, second factor.

Each is one transaction with its audit row. The rules (who may create whom, where) are
checked here as well as in the form, so a caller that skips the form (a script, a future
API) still cannot create an account outside its reach. Every verb takes its caller as
`ctx` (core.context); a refusal raises a core.errors exception with a code of
accounts/errors.py and writes nothing.

One-time passwords are returned to the caller to be shown once and are never stored in
clear: only Django's password hash is kept.
"""

from __future__ import annotations

import math
import secrets
from binascii import unhexlify
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from cheepao.accounts import errors as account_errors
from cheepao.accounts import selectors
from cheepao.accounts.models import Body, Sector, User
from cheepao.accounts.roles import RULES, Role
from cheepao.audit.models import AuditEvent
from cheepao.audit.services import audit_record
from cheepao.audit.summaries import area, label, say
from cheepao.core import errors
from cheepao.core.context import Channel, Context

# No 0/O, 1/l/I: the password is read off a screen and typed or dictated once.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 4
BACKUP_CODES = 10
BACKUP_DEVICE_NAME = "backup"
TOTP_DEVICE_NAME = "authenticator"


# The platform's own callers: a verb that needs no signed-in actor accepts only these.
COMMAND_LINE = (Channel.CLI, Channel.SYSTEM)


class SecondFactorWait(errors.Limited):
    """Too many wrong codes: the second factor is not checked for `seconds` more seconds.
    The code typed was not used (a backup code stays valid)."""

    def __init__(self, seconds: int):
        super().__init__(account_errors.SECOND_FACTOR_WAIT, seconds=seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        # The registered message says "seconds"; the person reads the right number form.
        return ngettext(
            "After several wrong codes, codes are not checked for a moment. Please "
            "wait %(n)s second, then type your code again: the code you typed was "
            "not checked and, if it is a backup code, it still works.",
            "After several wrong codes, codes are not checked for a moment. Please "
            "wait %(n)s seconds, then type your code again: the code you typed was "
            "not checked and, if it is a backup code, it still works.",
            self.seconds,
        ) % {"n": self.seconds}


def _own(ctx: Context) -> User:
    """The signed-in person acting on their own account, or refuse."""
    if ctx.user is None:
        raise errors.Refused(account_errors.OWN_ACCOUNT_ONLY)
    return ctx.user


def _command_line(ctx: Context) -> None:
    """Refuse unless the caller is the command line or the platform itself."""
    if ctx.channel not in COMMAND_LINE:
        raise errors.Refused(account_errors.COMMAND_LINE_ONLY)


def check_manages(actor: Any, account: Any) -> None:
    """Refuse (`accounts.not_managed`) unless `actor` manages `account` (its policy's
    `manage`: its area lies inside the actor's and its role is one the actor may create).
    Every verb that acts on another person's account asks this itself, so no caller (the
    command line, the API) can skip it."""
    if not selectors.manages(actor, account):
        raise errors.Refused(account_errors.NOT_MANAGED)


def one_time_password(user: User | None = None) -> str:
    """16 random characters in four groups (about 92 bits), e.g. 'k7Qm-x2Rt-9bWd-Hs4p';
    drawn again in the unlikely case the validators refuse it."""
    while True:
        password = "-".join(
            "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
            for _ in range(PASSWORD_GROUPS)
        )
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _split_name(full_name: str) -> tuple[str, str]:
    first, _sep, last = " ".join(full_name.split()).partition(" ")
    return first, last


def check_may_create(creator: Any, *, role: str, area_code: str) -> None:
    """Refuse (a code of accounts/errors.py) unless `creator` may create an account of
    `role` in `area_code`."""
    if role not in selectors.creatable_roles(creator):
        raise errors.Refused(account_errors.ROLE_NOT_CREATABLE)
    if len(area_code) not in RULES[role].area_lengths:
        raise errors.Invalid(account_errors.AREA_LEVEL)
    if not area_code.startswith(creator.area_code):
        raise errors.Refused(account_errors.AREA_OUTSIDE)
    if not selectors.area_exists(area_code):
        raise errors.Invalid(account_errors.NO_SUCH_AREA)


def account_create(
    *,
    ctx: Context,
    username: str,
    full_name: str,
    role: str,
    area_code: str,
    body: Body | None = None,
    new_body_name: str = "",
    phone: str = "",
    email: str = "",
) -> tuple[User, str]:
    """Create an account (and its body when a new one is named) for the creator `ctx.user`;
    return it with the one-time password, which must be changed at first sign-in."""
    creator = ctx.user
    check_may_create(creator, role=role, area_code=area_code)
    if body is not None and not (
        body.area_code.startswith(creator.area_code)
        and selectors.body_fits(body, role=role, area_code=area_code)
    ):
        raise errors.Invalid(
            account_errors.BODY_DOES_NOT_FIT, fields={"body": account_errors.BODY_DOES_NOT_FIT}
        )
    if body is None and not new_body_name.strip():
        raise errors.Invalid(
            account_errors.CHOOSE_BODY, fields={"new_body_name": account_errors.CHOOSE_BODY}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise errors.Invalid(
            account_errors.USERNAME_TAKEN, fields={"username": account_errors.USERNAME_TAKEN}
        )
    with transaction.atomic():
        if body is None:
            body = Body.objects.create(
                name=new_body_name.strip(), kind=RULES[role].body_kind, area_code=area_code
            )
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.CREATE,
                obj=body,
                summary=say(
                    gettext_noop("body %(name)s (%(kind)s) %(area)s"),
                    name=body.name,
                    kind=label(Body.Kind(body.kind).label, code=body.kind),
                    area=area(area_code),
                ),
                changes={"name": body.name, "kind": body.kind, "area_code": area_code},
            )
        first, last = _split_name(full_name)
        account = User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            area_code=area_code,
            body=body,
            phone=phone,
            email=email,
            must_change_password=True,
            created_by=creator if getattr(creator, "pk", None) else None,
        )
        password = one_time_password(account)
        account.set_password(password)
        account.save()
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE,
            obj=account,
            summary=say(
                gettext_noop("account %(username)s (%(role)s) %(area)s"),
                username=username,
                role=label(Role(role).label, code=role),
                area=area(area_code),
            ),
            changes={"username": username, "role": role, "area_code": area_code, "body": body.pk},
        )
    return account, password


def _set_active(*, ctx: Context, account: User, active: bool) -> User:
    check_manages(ctx.user, account)
    if account.is_active == active:
        return account
    with transaction.atomic():
        account.is_active = active
        account.save(update_fields=["is_active"])
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=account,
            summary=say(
                gettext_noop("account %(username)s reactivated")
                if active
                else gettext_noop("account %(username)s deactivated"),
                username=account.username,
            ),
            changes={"is_active": [not active, active]},
        )
    return account


def account_deactivate(*, ctx: Context, account: User) -> User:
    """Deactivating also ends the person's sessions: Django refuses inactive users on
    every request."""
    return _set_active(ctx=ctx, account=account, active=False)


def account_reactivate(*, ctx: Context, account: User) -> User:
    return _set_active(ctx=ctx, account=account, active=True)


def account_reset_password(*, ctx: Context, account: User) -> str:
    """A new one-time password for a person who lost theirs. Their open sessions end (the
    session hash changes with the password), and the second factor is kept, so whoever
    reads the password on the manager's screen still cannot sign in as a national or
    province user."""
    check_manages(ctx.user, account)
    with transaction.atomic():
        password = one_time_password(account)
        account.set_password(password)
        account.must_change_password = True
        account.save(update_fields=["password", "must_change_password"])
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=account,
            summary=say(
                gettext_noop("account %(username)s password reset"), username=account.username
            ),
            changes={"password": "reset", "must_change_password": True},
        )
    return password


def account_unlock(*, ctx: Context, account: User) -> int:
    """End the sign-in lockout of a person who typed a wrong password too often (django-axes
    locks a username and address for a while): their failed attempts are forgotten, so they
    can try again at once. Returns how many attempt records were cleared."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    check_manages(ctx.user, account)
    until = selectors.lockout_until(account)
    if until is None:
        raise errors.Refused(account_errors.NOT_LOCKED_OUT)
    with transaction.atomic():
        typed = set(
            AccessAttempt.objects.filter(username__iexact=account.username).values_list(
                "username", flat=True
            )
        )
        cleared = sum(reset(username=name) for name in typed)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=account,
            summary=say(
                gettext_noop("account %(username)s sign-in unlocked"), username=account.username
            ),
            changes={"unlocked": True, "locked_until": until.isoformat(), "attempts": cleared},
        )
    return cleared


def password_changed(*, ctx: Context, new_password: str) -> User:
    """The person signed in (`ctx.user`) chose their own password (validated by the form)."""
    user = _own(ctx)
    with transaction.atomic():
        was_forced = user.must_change_password
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            summary=say(
                gettext_noop("account %(username)s password changed (first sign-in)")
                if was_forced
                else gettext_noop("account %(username)s password changed"),
                username=user.username,
            ),
            changes={"password": "changed", "must_change_password": False},
        )
    return user


# ------------------------------------------------------------------ second factor


def totp_new_key() -> str:
    from django_otp.util import random_hex

    return random_hex(20)


def totp_device_unsaved(user: User, key: str):
    """A device object for showing the QR code and checking the first code; saved only when
    the person proves their app holds the key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice(user=user, key=key, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_secret_text(key: str) -> str:
    """The key in base32, grouped by four, as authenticator apps ask for it."""
    from base64 import b32encode

    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _backup_codes(user: User):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset(commit=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return device, codes


def otp_enrol(*, ctx: Context, key: str, token: str):
    """Confirm a new authenticator of the person signed in (`ctx.user`) with its first code;
    return (totp_device, backup codes) or None when the code does not match (nothing is
    written then)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _own(ctx)
    if selectors.confirmed_devices(user):
        raise errors.Refused(account_errors.SECOND_FACTOR_SET)
    digits = "".join(ch for ch in token if ch.isdigit())
    unsaved = totp_device_unsaved(user, key)
    totp = TOTP(unsaved.bin_key, unsaved.step, unsaved.t0, unsaved.digits, unsaved.drift)
    if not digits or not totp.verify(int(digits), unsaved.tolerance):
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.create(
            user=user, key=key, name=TOTP_DEVICE_NAME, confirmed=True, last_t=totp.t()
        )
        _static, codes = _backup_codes(user)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE,
            obj=user,
            summary=say(
                gettext_noop("account %(username)s second factor set up (%(n)s backup codes)"),
                username=user.username,
                n=BACKUP_CODES,
            ),
            changes={"second_factor": "totp", "backup_codes": BACKUP_CODES},
        )
    return device, codes


def backup_codes_issue(*, ctx: Context, user: User) -> list[str]:
    """A fresh set of backup codes (the old set stops working), e.g. for the demo accounts.
    Without an actor only the command line may (manage.py demo_accounts); an actor other
    than the person must manage their account."""
    actor = ctx.user
    if actor is None:
        _command_line(ctx)
    elif actor.pk != user.pk:
        check_manages(actor, user)
    with transaction.atomic():
        _device, codes = _backup_codes(user)
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.UPDATE,
            obj=user,
            summary=say(
                gettext_noop("account %(username)s %(n)s new backup codes"),
                username=user.username,
                n=BACKUP_CODES,
            ),
            changes={"backup_codes": BACKUP_CODES},
        )
    return codes


def normalise_code(token: str) -> str:
    """Backup codes are stored in lower case; people type them with spaces or capitals."""
    return "".join(token.split()).replace("-", "").lower()


def _device_kind(device: Any) -> Any:
    """A second factor in words, for the audit summary."""
    if device.__class__.__name__ == "TOTPDevice":
        return gettext_lazy("authenticator app")
    return gettext_lazy("backup code")


def otp_check(*, ctx: Context, token: str):
    """Try the code of the person signing in (`ctx.user`) on every confirmed device (authenticator, then backup codes); return the
    device that accepted it or None.

    Devices throttle repeated failures themselves (1, 2, 4 … seconds): a throttled device
    does not look at the code at all. When no device accepted the code and one of them was
    throttled, the person is told honestly how long to wait (`SecondFactorWait`) instead
    of that their code is wrong: it may well be right, and a backup code is not used up."""
    from django_otp import devices_for_user

    user = _own(ctx)
    code = normalise_code(token)
    wait_until = None
    with transaction.atomic():
        device = None
        if code:
            for candidate in devices_for_user(user, confirmed=True, for_verify=True):
                allowed, info = candidate.verify_is_allowed()
                if not allowed:
                    until = (info or {}).get("locked_until")
                    if until is not None and (wait_until is None or until > wait_until):
                        wait_until = until
                    continue
                if candidate.verify_token(code):
                    device = candidate
                    break
        seconds = 0
        if device is None and wait_until is not None:
            seconds = max(1, math.ceil((wait_until - timezone.now()).total_seconds()))
        if seconds:
            summary = say(
                gettext_noop("%(username)s second factor not checked: wait %(n)s s"),
                username=user.username,
                n=seconds,
            )
        elif device:
            summary = say(
                gettext_noop("%(username)s second factor passed (%(device)s)"),
                username=user.username,
                device=label(_device_kind(device), code=device.__class__.__name__),
            )
        else:
            summary = say(
                gettext_noop("%(username)s second factor refused"), username=user.username
            )
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.LOGIN if device else AuditEvent.Action.LOGIN_FAILED,
            obj=user,
            summary=summary,
            changes={"wait_seconds": seconds} if seconds else None,
        )
    if seconds:
        raise SecondFactorWait(seconds)
    return device


def demo_account_ensure(
    *,
    ctx: Context,
    username: str,
    full_name: str,
    role: str,
    area_code: str,
    body_name: str,
    first_login: bool = False,
) -> tuple[User, str, bool]:
    """Create or refresh one demo account (manage.py demo_accounts): a body of the role's
    kind in the area, the account in it, and a new random password every time, so a
    password printed by an earlier run stops working. Returns (account, password, created).
    The command line's only (`ctx` a CLI or system context)."""
    _command_line(ctx)
    with transaction.atomic():
        body, _ = Body.objects.get_or_create(
            kind=RULES[role].body_kind, area_code=area_code, name=body_name
        )
        account = User.objects.filter(username=username).first()
        created = account is None
        if created:
            account = User(username=username)
        account.first_name, account.last_name = _split_name(full_name)
        account.role, account.area_code, account.body = role, area_code, body
        account.is_active = True
        account.must_change_password = first_login
        password = one_time_password(account)
        account.set_password(password)
        account.save()
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=account,
            summary=say(
                gettext_noop("demo account %(username)s (%(role)s) %(area)s created")
                if created
                else gettext_noop("demo account %(username)s (%(role)s) %(area)s new password"),
                username=username,
                role=label(Role(role).label, code=role),
                area=area(area_code),
            ),
            changes={"role": role, "area_code": area_code, "body": body.pk, "demo": True},
        )
    return account, password, created


def account_bootstrap_national(
    *, ctx: Context, username: str, full_name: str, body_name: str
) -> tuple[User, str]:
    """The first national account of a new installation, made from the command line.

    Every other account is created down the hierarchy in the web app, so this refuses once
    an active national account exists: it cannot become a side door. The command line's
    only (`ctx` a CLI or system context)."""
    _command_line(ctx)
    if User.objects.filter(role="national", is_active=True).exists():
        raise errors.Refused(account_errors.NATIONAL_EXISTS)
    if not username.strip() or not body_name.strip():
        raise errors.Invalid(account_errors.BOOTSTRAP_INCOMPLETE)
    if User.objects.filter(username__iexact=username).exists():
        raise errors.Invalid(
            account_errors.USERNAME_TAKEN, fields={"username": account_errors.USERNAME_TAKEN}
        )
    with transaction.atomic():
        body = Body.objects.create(
            name=body_name.strip(), kind=RULES["national"].body_kind, area_code=""
        )
        first, last = _split_name(full_name)
        account = User(
            username=username.strip(),
            first_name=first,
            last_name=last,
            role="national",
            area_code="",
            body=body,
            must_change_password=True,
        )
        password = one_time_password(account)
        account.set_password(password)
        account.save()
        audit_record(
            ctx=ctx,
            action=AuditEvent.Action.CREATE,
            obj=account,
            summary=say(
                gettext_noop(
                    "first national account %(username)s (manage.py create_first_account)"
                ),
                username=account.username,
            ),
            changes={"username": account.username, "role": "national", "body": body.pk},
        )
    return account, password


def agency_body_ensure(
    *, ctx: Context, name: str, area_code: str, ministry: str = "", sector: str = "government"
) -> Body:
    """Create or describe an agency office (the command line: demo data, set-up): found by
    name and area, its ministry (as the routing catalogue names lead ministries) and its
    sector (a body outside government needs a household's consent to be shared with)."""
    _command_line(ctx)
    if sector not in Sector.values:
        raise ValueError(f"unknown sector {sector!r}")
    with transaction.atomic():
        body, created = Body.objects.get_or_create(
            kind=Body.Kind.AGENCY,
            area_code=area_code,
            name=name,
            defaults={"ministry": ministry, "sector": sector},
        )
        if created or (body.ministry, body.sector) != (ministry, sector):
            body.ministry, body.sector = ministry, sector
            body.save(update_fields=["ministry", "sector"])
            audit_record(
                ctx=ctx,
                action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                obj=body,
                summary=say(
                    gettext_noop("agency office %(name)s (%(ministry)s) %(area)s recorded"),
                    name=name,
                    ministry=ministry or sector,
                    area=area(area_code),
                ),
                changes={"ministry": ministry, "sector": sector},
            )
    return body
