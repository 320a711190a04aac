"""Refusals as data: one exception hierarchy with stable codes.

A service refuses by raising one of the classes below with a code (`"verification.sent"`),
optional parameters and, when the data itself is at fault, a code per field. The words a
person reads are looked up from the code in the active language (`define` registers them,
usually in the app's `errors.py`), so:

- a web view shows `error.message` and `error.field_messages()` on the form;
- the API (later) returns `error.as_data()`: code, message, fields, with `error.status`;
- tests assert the code, which does not change when a sentence is reworded.

A refused call has changed nothing: services raise before they write, or inside the
transaction that the exception rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cheepao.core import thai

_MESSAGES: dict[str, Any] = {}


def define(code: str, message: Any) -> str:
    """Register the message (a lazy translation, `%(name)s` places allowed) of `code` and
    return the code. Codes are `app.reason`; one code has one message."""
    known = _MESSAGES.get(code)
    if known is not None and str(known) != str(message):
        raise ValueError(f"error code {code!r} is already defined with another message")
    _MESSAGES[code] = message
    return code


def codes() -> dict[str, Any]:
    """Every code defined so far and its message (for documentation and tests)."""
    return dict(_MESSAGES)


def in_language(value: Any) -> Any:
    """A parameter given in both languages ({"th": …, "en": …}, as the engine's readers
    word a file's problems) in the active one; any other value as it is."""
    if isinstance(value, Mapping) and "th" in value and "en" in value:
        return value["en"] if thai.english() else value["th"]
    return value


def describe(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The message of `code` in the active language, with its parameters filled in (a
    parameter given in both languages, in the active one)."""
    message = _MESSAGES.get(code)
    if message is None:
        return code
    text = str(message)
    if params and "%(" in text:
        values = {k: in_language(v) for k, v in params.items()}
        return text % {
            k: str(v) if not isinstance(v, int | float) else v for k, v in values.items()
        }
    return text


FieldErrors = Mapping[str, "str | tuple[str, Mapping[str, Any]]"]


class ServiceError(Exception):
    """A call a service refused. `code` names why; `params` fill the message; `fields` maps
    form fields to the code (or (code, params)) of what is wrong with each."""

    status = 400

    def __init__(self, code: str, /, *, fields: FieldErrors | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.fields = dict(fields or {})

    @property
    def message(self) -> str:
        return describe(self.code, self.params)

    def field_messages(self) -> dict[str, str]:
        out = {}
        for name, value in self.fields.items():
            code, params = (value, {}) if isinstance(value, str) else value
            out[name] = describe(code, params)
        return out

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            messages = self.field_messages()
            data["fields"] = {
                name: {
                    "code": value if isinstance(value, str) else value[0],
                    "message": messages[name],
                }
                for name, value in self.fields.items()
            }
        return data

    def __str__(self) -> str:
        return self.message


class Invalid(ServiceError):
    """The data given cannot be recorded (see `fields`)."""

    status = 400


class Refused(ServiceError):
    """The actor may not do this, or not in the object's present state."""

    status = 403


class NotFound(ServiceError, Http404):
    """No such object for this actor: missing and outside the actor's reach look the same."""

    status = 404


class Conflict(ServiceError):
    """The object changed since the caller read it (a stale page, an offline edit)."""

    status = 409


class Limited(ServiceError):
    """Too many of these in a short time (e.g. national-ID lookups)."""

    status = 429


class TryAgain(ServiceError):
    """A passing condition (a busy database); the same call may succeed in a moment."""

    status = 503


NOT_FOUND = define("access.not_found", _("There is no such record, or it is outside your area."))
DENIED = define("access.denied", _("Your role does not allow this here."))
