"""Who is acting, from where, through which channel.

A service verb never reads a request: the web view, the CLI, a background task and (later)
the API and offline sync each build a `Context` and pass it as `ctx=`. The audit row of the
write takes its actor, client address and channel from it, so the log says how a change
arrived as well as who made it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    OFFLINE = "offline"  # a record made on a phone without a connection, synced later
    CLI = "cli"  # manage.py commands
    TASK = "task"  # a background task started by someone (the actor) or by the system
    SYSTEM = "system"  # the platform itself (migrations, scheduled work), no actor


def client_address(request: Any | None) -> str | None:
    """REMOTE_ADDR as Django sees it. Behind the production proxy, the proxy must set it
    (gunicorn --forwarded-allow-ips); X-Forwarded-For is not trusted here because any
    client can write it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Context:
    """The caller of a service verb. `actor` is an account (or None for the system)."""

    actor: Any = None
    channel: Channel = Channel.SYSTEM
    address: str | None = None
    # Ties together the audit rows and domain events of one request or task.
    correlation: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def web(cls, request: Any) -> Context:
        return cls(
            actor=getattr(request, "user", None),
            channel=Channel.WEB,
            address=client_address(request),
        )

    @classmethod
    def cli(cls, actor: Any = None) -> Context:
        return cls(actor=actor, channel=Channel.CLI)

    @classmethod
    def task(cls, actor: Any = None, correlation: str = "") -> Context:
        return cls(actor=actor, channel=Channel.TASK, correlation=correlation or uuid.uuid4().hex)

    @classmethod
    def system(cls) -> Context:
        return cls(actor=None, channel=Channel.SYSTEM)

    @property
    def user(self) -> Any | None:
        """The actor when it is a signed-in account, else None."""
        return self.actor if getattr(self.actor, "is_authenticated", False) else None
