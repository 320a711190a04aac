"""The kinds of notification, defined by the apps that send them (like households.history).

`define("routing.referral_new", gettext_noop("A problem of household %(household)s was
referred to %(agency)s."))` in the sending app's module, imported by its `AppConfig.ready()`;
the sentence is an English msgid whose Thai is in that app's catalogue, shown in the
reader's language with the arguments kept on the notification.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext


@dataclass(frozen=True)
class Kind:
    code: str
    sentence: str


KINDS: dict[str, Kind] = {}


def define(code: str, sentence: str, /) -> str:
    """Register a kind of notification and return its code. One code, one sentence."""
    known = KINDS.get(code)
    if known is not None and known.sentence != sentence:
        raise ValueError(f"notification kind {code!r} is already defined otherwise")
    KINDS[code] = Kind(code, sentence)
    return code


def text(code: str, args: dict) -> str:
    """The notification's sentence in the current language."""
    kind = KINDS.get(code)
    if kind is None:
        return code
    try:
        return gettext(kind.sentence) % {k: str(v) for k, v in (args or {}).items()}
    except (KeyError, ValueError, TypeError):
        return gettext(kind.sentence)
