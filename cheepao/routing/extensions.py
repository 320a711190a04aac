"""What later apps add to routing, registered instead of imported (like households.extensions).

Routing owns problems, referrals and consent; escalation (clocks, district → province) and
the monthly statistics build on it, so routing must not import them. They register here
from their `AppConfig.ready()`:

- `problem_listeners`: told, inside the verb's transaction, of each change of a problem
  (`opened`, `referred`, `referral_accepted`, `referral_rejected`, `referral_done`,
  `referral_revoked`, `owner_changed`, `solved`, `closed`), e.g. to start or stop a clock.
  A listener may refuse with a core.errors code: the verb's transaction is then undone.
- `problem_panels`: a part of a problem's page (a clock, an "escalate" form), with the
  template's context for one problem and one account, or None when it has nothing to show.
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
class ProblemListener:
    key: str
    order: int
    # (ctx, problem, change, referral or None) -> None
    call: Callable[[Any, Any, str, Any], None]


class ProblemListeners(Registry):
    def register(
        self, key: str, *, order: int, call: Callable[[Any, Any, str, Any], None]
    ) -> ProblemListener:
        return self.add(ProblemListener(key, order, call))

    def tell(self, ctx: Any, problem: Any, change: str, referral: Any = None) -> None:
        if change not in CHANGES:
            raise ValueError(f"unknown problem change {change!r}")
        for listener in self.all():
            listener.call(ctx, problem, change, referral)


problem_listeners = ProblemListeners("problem listener")


@dataclass(frozen=True)
class ProblemPanel:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], Mapping[str, Any] | None]


class ProblemPanels(Registry):
    def register(
        self,
        key: str,
        *,
        order: int,
        template: str,
        context: Callable[[Any, Any], Mapping[str, Any] | None],
    ) -> ProblemPanel:
        return self.add(ProblemPanel(key, order, template, context))

    def shown(self, problem: Any, user: Any) -> list[ShownSection]:
        out = []
        for panel in self.all():
            context = panel.context(problem, user)
            if context is not None:
                out.append(ShownSection(panel.key, panel.template, context))
        return out


problem_panels = ProblemPanels("problem panel")
