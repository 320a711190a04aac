"""The kinds of background work, each registered by the app that owns the work.

An app registers a `Kind` from its `AppConfig.ready()`, so this app never imports the apps
whose work it runs (the registry app, list imports and the audit log all sit above it):

    kinds.register(Kind(
        code="imports.list_import",
        label=_("List import"),
        run=run_list_import,             # (job, progress, ctx) -> result dict
        result_url=lambda job: ...,      # where the outcome is shown, if anywhere
        retry_url=lambda job: ...,       # where to start again after a failure
        on_download=audit_the_download,  # (job, ctx): required when the work makes a file
        cleanup=delete_the_upload,       # (job): after the work, whatever its outcome
    ))

`run` does the work in one transaction, or so that running it again is harmless: a job
that fails leaves nothing half-written. It reports progress with `progress(done=, total=,
message=)` and refuses with a `core.errors.ServiceError`, whose code the job keeps as the
reason it failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Runner = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy translation
    run: Runner
    result_url: Callable[[Any], str | None] | None = None
    retry_url: Callable[[Any], str | None] | None = None
    on_download: Callable[[Any, Any], None] | None = None
    cleanup: Callable[[Any], None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    known = _KINDS.get(kind.code)
    if known is not None and known.run is not kind.run:
        raise ValueError(f"job kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"no job kind {code!r} is registered") from None


def known() -> dict[str, Kind]:
    return dict(_KINDS)
