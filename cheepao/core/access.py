"""One access policy per model, answering per action (after Wagtail's permission policies
and Zulip's single access checker).

Each app that owns records people act on declares a `Policy` for each such model in its
`policies.py` and registers it when the app is ready. A policy answers three questions for
each of its actions (view, verify, certify, export, …):

- `scope(user, action)`: the queryset of objects the user may act on (lists, counts);
- `one(user, action, id)`: the one object, or `errors.NotFound`, the same for an id that
  does not exist and one outside the user's reach, so ids cannot be probed;
- `actors(obj, action)`: the accounts that may act on the object (to route or escalate to).

Views, services and the API ask the policy (`access.one(user, Household, "view", pk)`),
never `Model.objects` with a hand-written filter. `table()` lists every (model, action,
permission) registered: the access sweep is generated from it, so a new action cannot ship
without being swept.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from cheepao.core import errors


def area_prefixes(code: str) -> list[str]:
    """The codes of `code`'s own area and of every area above it, the country ('') first:
    '34010711' → ['', '34', '3401', '340107', '34010711']."""
    return ["", *(code[:n] for n in (2, 4, 6, 8) if len(code) >= n)]


class Policy(abc.ABC):
    """Who may do what to the records of one model. Subclass, set `model` and `actions`
    (action name → the permission of `accounts.roles` it needs), implement `within`."""

    model: type[Model]
    actions: Mapping[str, str]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def permitted(self, user: Any, action: str) -> bool:
        """True when the user's role carries the action's permission at all."""
        if action not in self.actions:
            raise KeyError(f"{self.label} has no action {action!r}")
        return bool(
            getattr(user, "is_authenticated", False)
            and getattr(user, "is_active", False)
            and user.can(self.actions[action])
        )

    @abc.abstractmethod
    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        """`qs` narrowed to the objects inside the user's reach for `action` (area, routing,
        assignment); called only when the role carries the action's permission."""

    @abc.abstractmethod
    def area_of(self, obj: Any) -> str:
        """The area code an object belongs to (for `actors`)."""

    def base(self) -> QuerySet:
        return self.model._default_manager.all()

    def scope(self, user: Any, action: str) -> QuerySet:
        if not self.permitted(user, action):
            return self.base().none()
        return self.within(user, action, self.base())

    def one(self, user: Any, action: str, pk: Any, queryset: QuerySet | None = None) -> Any:
        """The object with primary key `pk` that `user` may act on, else `NotFound`.
        `queryset` (built on this model) may add select_related/prefetch for the page."""
        try:
            key = self.model._meta.pk.to_python(pk)
        except (ValidationError, TypeError, ValueError):
            raise errors.NotFound(errors.NOT_FOUND) from None
        if key is None or (isinstance(key, int) and not -(2**63) <= key < 2**63):
            raise errors.NotFound(errors.NOT_FOUND)
        qs = self.scope(user, action)
        if queryset is not None:
            qs = queryset & qs
        found = qs.filter(pk=key).first()
        if found is None:
            raise errors.NotFound(errors.NOT_FOUND)
        return found

    def allows(self, user: Any, action: str, obj: Any) -> bool:
        return obj is not None and self.scope(user, action).filter(pk=obj.pk).exists()

    def check(self, user: Any, action: str, obj: Any) -> None:
        """Raise unless `user` may do `action` to `obj`: `NotFound` when the user may not
        even see it, `Refused` when they see it but may not act."""
        if self.allows(user, action, obj):
            return
        if "view" in self.actions and action != "view" and self.allows(user, "view", obj):
            raise errors.Refused(errors.DENIED)
        raise errors.NotFound(errors.NOT_FOUND)

    def actors(self, obj: Any, action: str) -> QuerySet:
        """Active accounts whose role carries the permission and whose area covers the
        object. Policies with other reach (assignment, routing) override this."""
        users = get_user_model()
        return users.objects.filter(
            is_active=True,
            role__in=users.roles_with(self.actions[action]),
            area_code__in=area_prefixes(self.area_of(obj)),
        )


class AreaPolicy(Policy):
    """The common case: a user acts on the records inside their own area. `area_lookup` is
    the field path holding the record's area code (at any level, compared by prefix)."""

    area_lookup: str = "area_code"

    def area_q(self, area_code: str) -> Q:
        if not area_code:
            return Q()
        return Q(**{f"{self.area_lookup}__startswith": area_code})

    def within(self, user: Any, action: str, qs: QuerySet) -> QuerySet:
        return qs.filter(self.area_q(user.area_code))

    def area_of(self, obj: Any) -> str:
        value: Any = obj
        for part in self.area_lookup.split("__"):
            value = getattr(value, part)
        return value or ""


_POLICIES: dict[str, Policy] = {}


def register(policy: Policy) -> Policy:
    """Make `policy` the one policy of its model (called from an app's `ready()`)."""
    label = policy.label
    known = _POLICIES.get(label)
    if known is not None and type(known) is not type(policy):
        raise ValueError(f"{label} already has the policy {type(known).__name__}")
    _POLICIES[label] = policy
    return policy


def policy(model: type[Model] | str) -> Policy:
    label = model if isinstance(model, str) else model._meta.label_lower
    try:
        return _POLICIES[label]
    except KeyError:
        raise LookupError(f"no access policy registered for {label}") from None


def policies() -> list[Policy]:
    return [_POLICIES[k] for k in sorted(_POLICIES)]


def table() -> list[tuple[str, str, str]]:
    """(model, action, permission) for every action of every registered policy."""
    return [(p.label, a, perm) for p in policies() for a, perm in sorted(p.actions.items())]


def scope(user: Any, model: type[Model] | str, action: str) -> QuerySet:
    return policy(model).scope(user, action)


def one(
    user: Any, model: type[Model] | str, action: str, pk: Any, queryset: QuerySet | None = None
) -> Any:
    return policy(model).one(user, action, pk, queryset)


def allows(user: Any, action: str, obj: Any) -> bool:
    return policy(type(obj)).allows(user, action, obj)


def check(user: Any, action: str, obj: Any) -> None:
    policy(type(obj)).check(user, action, obj)


def actors(obj: Any, action: str) -> QuerySet:
    return policy(type(obj)).actors(obj, action)


def permitted_actions(user: Any, obj: Any, actions: Iterable[str] | None = None) -> set[str]:
    """The actions of `obj`'s policy the user may take on it (for showing buttons)."""
    p = policy(type(obj))
    return {a for a in (actions or p.actions) if p.allows(user, a, obj)}
