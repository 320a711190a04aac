"""A photo as evidence of an act of help (seed 000), kept as the family folder keeps its
photos (folders.images): checked by its content, not its name (a JPEG, PNG or WebP image,
at most 10 MB), re-encoded without any metadata (no EXIF, no GPS), long side at most
1600 px, with a thumbnail. Stored through Django's default storage under `logbook/`; the
entry keeps the stored name. Never a public media URL: the Logbook's `photo` view checks
access, records the read and streams the file.
"""

from __future__ import annotations

import uuid
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cheepao.core.errors import Invalid
from cheepao.folders import images
from cheepao.logbook import errors

PREFIX = "logbook/"


def thumb_name(name: str) -> str:
    return f"{name.removesuffix('.jpg')}-thumb.jpg"


def evidence_check(upload: IO[bytes]) -> images.Processed:
    """The photo re-encoded, or `Invalid` (field `photo`) with nothing stored."""
    size = getattr(upload, "size", None)
    data = None if size is not None and size > images.MAX_BYTES else images.read_limited(upload)
    if data is None:
        raise Invalid(errors.PHOTO_TOO_BIG, fields={"photo": errors.PHOTO_TOO_BIG})
    try:
        return images.process(data)
    except images.NotAnImage:
        raise Invalid(errors.NOT_AN_IMAGE, fields={"photo": errors.NOT_AN_IMAGE}) from None


def evidence_store(processed: images.Processed) -> str:
    """Store a checked photo and its thumbnail; the name to keep on the entry."""
    name = default_storage.save(f"{PREFIX}{uuid.uuid4().hex}.jpg", ContentFile(processed.image))
    try:
        default_storage.save(thumb_name(name), ContentFile(processed.thumb))
    except BaseException:
        default_storage.delete(name)
        raise
    return name


def evidence_delete(name: str) -> None:
    """Remove a stored photo whose entry was not written (the verb refused it)."""
    for path in (name, thumb_name(name)):
        if default_storage.exists(path):
            default_storage.delete(path)


def evidence_open(name: str, size: str):
    """The stored file (`full` or `thumb`) of an entry's photo, opened for reading."""
    if not name.startswith(PREFIX):
        raise FileNotFoundError(name)
    return default_storage.open(name if size == "full" else thumb_name(name), "rb")
