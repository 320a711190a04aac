"""What later apps add to routing, registered instead of imported (like households.extensions).

Routing owns cases, referrals and consent; escalation (clocks, district → province) and
the monthly statistics build on it, so routing must not import them. They register here
from their `AppConfig.ready()`:

- `case_listeners`: told, inside the verb's transaction, of each change of a case
  (`opened`, `referred`, `referral_accepted`, `referral_rejected`, `referral_done`,
  `referral_revoked`, `owner_changed`, `solved`, `closed`), e.g. to start or stop a clock.
  A listener may refuse with a core.errors code: the verb's transaction is then undone.
- `case_panels`: a part of a case's page (a clock, an "escalate" form), with the
  template's context for one case and one account, or None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cheepao.households.extensions import Registry, ShownSection

CHANGES = (
    "opened",
    "referred",
    "referral_accepted",
    "referral_rejected",
    "referral_done",
    "referral_revoked",
    "owner_changed",
    "solved",
    "closed",
)


@dataclass(frozen=True)
class CaseListener:
    key: str
    order: int
    # (ctx, case, change, referral or None) -> None
    call: Callable[[Any, Any, str, Any], None]


class CaseListeners(Registry):
    def register(
        self, key: str, *, order: int, call: Callable[[Any, Any, str, Any], None]
    ) -> CaseListener:
        return self.add(CaseListener(key, order, call))

    def tell(self, ctx: Any, case: Any, change: str, referral: Any = None) -> None:
        if change not in CHANGES:
            raise ValueError(f"unknown case change {change!r}")
        for listener in self.all():
            listener.call(ctx, case, change, referral)


case_listeners = CaseListeners("case listener")


@dataclass(frozen=True)
class CasePanel:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], Mapping[str, Any] | None]


class CasePanels(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        template: str,
        context: Callable[[Any, Any], Mapping[str, Any] | None],
    ) -> CasePanel:
        return self.add(CasePanel(key, order, template, context))

    def shown(self, case: Any, user: Any) -> list[ShownSection]:
        out = []
        for panel in self.all():
            context = panel.context(case, user)
            if context is not None:
                out.append(ShownSection(panel.key, panel.template, context))
        return out


case_panels = CasePanels("case panel")
