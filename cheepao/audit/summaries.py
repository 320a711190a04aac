"""Audit summaries as messages: written once, read in the reader's language (ADR 0012).

A service describes what it did as an English template marked for translation and its
arguments, e.g.

    say(gettext_noop("Form ศจพ.1 recorded for household %(household)s: %(result)s"),
        household=h.hh_id, result=label(Verification.Result.ALL_CORRECT.label, code="all_correct"))

and `audit_record(summary=...)` keeps both forms of it on the row:

- `AuditEvent.summary`: the sentence in English with the codes as they are ("... :
  all_correct"), fixed at the time of writing, for searching the log and for scripts;
- `AuditEvent.message`: the template and its arguments, which `render` turns into the
  reader's language whenever the row is shown (folder history, audit search, its CSV):
  labels instead of codes, area names instead of DOPA codes, Thai by default.

Arguments are plain text or numbers (shown as they are), `label(...)` (a word the
catalogues translate, e.g. a choice's label), `area(code)` (an area's name), `pair(label,
value)` (a field and its value) or a list of those. A summary written as a plain string (older rows, or a caller not converted yet) is
shown as it was written, translated only if it is itself a message of the catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext


@dataclass(frozen=True)
class Summary:
    text: str
    args: dict[str, Any] = field(default_factory=dict)

    def message(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text}
        if self.args:
            out["args"] = {k: _plain(v) for k, v in self.args.items()}
        return out


def say(text: str, /, **args: Any) -> Summary:
    """A summary: `text` is an English template (mark it with `gettext_noop` so the
    catalogues carry its Thai), `args` fill its %(name)s places."""
    return Summary(str(text), args)


def label(text: Any, *, code: str | None = None, context: str = "") -> dict[str, str]:
    """A word the catalogues translate: a lazy label (a choice's `.label`) or an English
    msgid. `code` is what the English summary shows instead (the stored value)."""
    if isinstance(text, Promise):
        with translation.override(None):
            text = str(text)
    out = {"t": str(text)}
    if context:
        out["c"] = context
    if code is not None:
        out["raw"] = str(code)
    return out


def area(code: str) -> dict[str, str]:
    """An area (any level, '' the country), shown by its name."""
    return {"area": str(code)}


def pair(name: dict[str, str], value: Any) -> dict[str, Any]:
    """'name=value' in English ('pin=1-xxxx…'), 'name: value' in words ('เลขประจำตัว…: …');
    `name` is a `label`."""
    return {"pair": [name, _plain(value)]}


def _plain(value: Any) -> Any:
    """An argument as JSON: lazy labels become `label`s, lists stay lists."""
    if isinstance(value, Promise):
        return label(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _arg(value: Any, raw: bool) -> str:
    if isinstance(value, list):
        return ", ".join(_arg(v, raw) for v in value)
    if isinstance(value, dict):
        if "pair" in value:
            name, inner = value["pair"]
            return f"{_arg(name, raw)}{'=' if raw else ': '}{_arg(inner, raw)}"
        if "area" in value:
            if raw:
                return value["area"]
            from cheepao.geo.selectors import area_label

            return area_label(value["area"])
        if "t" in value:
            if raw:
                return value.get("raw", value["t"])
            return pgettext(value["c"], value["t"]) if value.get("c") else gettext(value["t"])
        return ", ".join(f"{k}={_arg(v, raw)}" for k, v in value.items())
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def render(message: dict[str, Any], *, raw: bool = False) -> str:
    """The message as a sentence: in the active language with labels (raw=False), or in
    English with the codes as stored (raw=True). A translation that does not fit its
    arguments falls back to the English template rather than failing the page."""
    text = message.get("text", "")
    if not text:
        return ""
    args = {k: _arg(v, raw) for k, v in (message.get("args") or {}).items()}
    template = text if raw else gettext(text)
    if not args:
        return template
    try:
        return template % args
    except (KeyError, ValueError, TypeError):
        try:
            return text % args
        except (KeyError, ValueError, TypeError):
            return text


def summary_text(summary: str, message: dict[str, Any] | None) -> str:
    """What a reader sees for one audit row, in the active language."""
    if message:
        return render(message)
    return gettext(summary) if summary else ""
