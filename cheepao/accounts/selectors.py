"""Reads for account management: whom a user manages, which areas and bodies they may pick.

"Manages" is one rule, read from `roles.RULES`: an account (or body) is managed by a user when
its area lies inside the user's area and its role is one the user's role may create. For
accounts the rule is the `manage` action of their access policy (accounts.policies): every
page that takes an account id asks `access.one(user, User, "manage", id)`, so an id outside
that set gets the same 404 as an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from cheepao.accounts.models import Body, User
from cheepao.accounts.roles import MANAGE_ACCOUNTS, RULES
from cheepao.core import access
from cheepao.geo import selectors as geo

VILLAGE_LENGTH = 8


def creatable_roles(user: Any) -> tuple[str, ...]:
    """The roles this user may create; none for superusers and accounts without a role, who
    manage accounts with manage.py instead of through the pages."""
    if not getattr(user, "is_authenticated", False) or not user.can(MANAGE_ACCOUNTS):
        return ()
    return RULES[user.role].creates


def can_manage_accounts(user: Any) -> bool:
    return bool(creatable_roles(user))


def accounts_managed_by(user: Any) -> QuerySet[User]:
    """The accounts the user manages (the `manage` scope of accounts.policies)."""
    return (
        access.scope(user, User, "manage")
        .select_related("body")
        .order_by("area_code", "role", "username")
    )


def manages(user: Any, account: Any) -> bool:
    """True when `user` may act on `account` (its policy's `manage`)."""
    return getattr(account, "pk", None) is not None and access.allows(user, "manage", account)


def body_kinds_for_roles(roles: tuple[str, ...]) -> list[str]:
    return [RULES[r].body_kind for r in roles]


def bodies_managed_by(user: Any) -> QuerySet[Body]:
    """Bodies inside the user's area of the kinds the user's creatable roles belong to."""
    roles = creatable_roles(user)
    if not roles:
        return Body.objects.none()
    return Body.objects.filter(
        area_code__startswith=user.area_code, kind__in=body_kinds_for_roles(roles)
    ).annotate(accounts=Count("members"))


def body_fits(body: Body, *, role: str, area_code: str) -> bool:
    """A body can hold an account when it is of the role's kind and the account's area lies
    inside the body's area (a mentor of village 34010105 may belong to the team of 340101)."""
    return body.kind == RULES[role].body_kind and area_code.startswith(body.area_code)


@dataclass(frozen=True)
class AreaChoice:
    code: str
    label: str


def area_label(code: str) -> str:
    """'จังหวัดอุบลราชธานี', 'หมู่ที่ 5 ตำบลในเมือง', or the code itself when unknown."""
    return geo.area_label(code)


def area_exists(code: str) -> bool:
    """A real area: the country, a province/district/subdistrict known to the geography, or
    a village number 01-99 of a known subdistrict."""
    if code == "":
        return True
    if not code.isdigit():
        return False
    if len(code) == VILLAGE_LENGTH:
        return int(code[6:]) > 0 and geo.area_get(code[:6]) is not None
    return geo.area_get(code) is not None


# The levels an area picker offers, by code length (villages: subdistrict + 2 digits).
AREA_LEVELS = (("province", 2), ("district", 4), ("subdistrict", 6), ("village", 8))
# Villages have no table of names: the picker offers the numbers up to the highest one the
# registry knows in the subdistrict, and at least this many.
MIN_VILLAGE_NUMBERS = 30


def picker_levels(user: Any) -> list[tuple[str, int]]:
    """The levels below the user's own area down to the deepest one any role the user may
    create can hold: a district centre picks a subdistrict and a village, a province centre
    a district and a subdistrict (agencies), the national team a province down to a
    subdistrict."""
    base = len(user.area_code)
    deepest = max(
        (n for r in creatable_roles(user) for n in RULES[r].area_lengths if n >= base),
        default=base,
    )
    return [(name, n) for name, n in AREA_LEVELS if base < n <= deepest]


def area_options(parent: str) -> list[AreaChoice]:
    """The areas one level below `parent` ('' the country), in DOPA code order."""
    if len(parent) == 6:
        known = [int(code[6:]) for code in villages_with_households(parent)]
        last = max([MIN_VILLAGE_NUMBERS, *known])
        return [AreaChoice(f"{parent}{n:02d}", geo.village_label(n)) for n in range(1, last + 1)]
    children = geo.area_children(parent or None)
    return [AreaChoice(a.code, a.full_name) for a in sorted(children, key=lambda a: a.code)]


# Which areas hold households is the registry's to say, and accounts sit below the registry
# (an import contract forbids accounts to import it): the registry registers its count here
# from `HouseholdsConfig.ready()`. `counter(parent_code)` returns {child area code: number
# of households} one level below `parent_code` (aggregates only, no personal data).
_household_counters: list[Callable[[str], dict[str, int]]] = []


def register_household_counter(counter: Callable[[str], dict[str, int]]) -> None:
    if counter not in _household_counters:
        _household_counters.append(counter)


def _households_below(parent_code: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for counter in _household_counters:
        for code, n in counter(parent_code).items():
            counts[code] = counts.get(code, 0) + n
    return counts


def _busiest_first(counts: dict[str, int]) -> list[str]:
    return [code for code, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if _n]


def villages_with_households(subdistrict_code: str) -> list[str]:
    """Village codes of a subdistrict that hold households in the loaded registry, most
    households first."""
    return _busiest_first(_households_below(subdistrict_code))


def busiest_subdistrict(district_code: str) -> str | None:
    """The subdistrict of a district with the most households in the loaded registry."""
    found = _busiest_first(_households_below(district_code))
    return found[0] if found else None


def lockouts(usernames: list[str]) -> dict[str, datetime]:
    """When the sign-in lockout (django-axes) of each locked-out username ends, lower-cased.

    Axes locks a username and address pair once its failures reach the limit within the
    cool-off time; the lock ends a cool-off time after the last failure."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off()
    if not usernames or cool_off is None:
        return {}
    wanted = {u.lower() for u in usernames}
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .annotate(name=Lower("username"))
        .filter(name__in=wanted)
        .values("name", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    out: dict[str, datetime] = {}
    for row in rows:
        name = row["name"]
        if row["failures"] >= settings.AXES_FAILURE_LIMIT:
            until = row["last"] + cool_off
            out[name] = max(out.get(name, until), until)
    return out


def lockout_until(account: Any) -> datetime | None:
    """When this account's sign-in lockout ends, or None when it is not locked out."""
    return lockouts([account.username]).get(account.username.lower())


def confirmed_devices(user: Any) -> list:
    """The person's confirmed second factors (authenticator app, backup codes)."""
    from django_otp import devices_for_user

    return list(devices_for_user(user, confirmed=True))


def qr_svg(data: str) -> str:
    """`data` as an inline SVG QR code, drawn on the server: no script, and no third-party
    image service ever sees the secret it carries."""
    import qrcode
    import qrcode.image.svg
    from django.utils.safestring import mark_safe

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):  # the SVG is embedded in HTML: no XML declaration
        svg = svg.split("?>", 1)[1]
    return mark_safe(svg)  # our own otpauth:// address, not user input
