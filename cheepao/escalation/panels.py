"""The clock panel escalation adds to routing's case page (routing.extensions.case_panels)."""

from __future__ import annotations

from typing import Any

from cheepao.routing.extensions import case_panels


def _context(case: Any, user: Any) -> dict | None:
    from cheepao.escalation import selectors

    return selectors.panel(case, user)


def register() -> None:
    case_panels.register(
        "escalation.clock", order=20, template="escalation/_panel.html", context=_context
    )
