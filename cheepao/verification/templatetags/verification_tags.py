"""What other apps' pages offer for form ศจพ.1, decided by the verification service itself,
so that a page outside this app never shows a button the form would then refuse.

    {% load verification_tags %}
    {% verification_action request.user household as action %}

(The registry's own pages get theirs through the sections this app registers with them,
`verification/extensions.py`, which ask the same function.)
"""

from __future__ import annotations

from typing import Any

from django import template

from cheepao.verification import extensions

register = template.Library()


@register.simple_tag
def verification_action(user: Any, household: Any) -> str:
    """ "edit" or "verify" when `user` may record ศจพ.1 for `household` now (with or
    without a recorded one), "see" when there is one to read but not change, else ""."""
    return extensions.action(user, household)
