"""Photos as the folder keeps them: checked by their content (not their name), re-encoded
without any metadata (EXIF, GPS, XMP, comments), turned upright, shrunk to at most
`LONG_SIDE` pixels on the long side, with a small thumbnail.

Pillow decodes the file: anything it cannot read as a JPEG, PNG or WebP image, or that
claims absurd dimensions (a decompression bomb), is not a photo. What is stored is a new
JPEG drawn from the pixels only, so nothing the camera wrote (its position above all)
reaches the storage or a reader.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024  # the letters' limit: 10 MB per photo (seed 003)
LONG_SIDE = 1600
THUMB_SIDE = 320
FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 60_000_000  # a 60-megapixel camera at most; beyond it, a bomb
QUALITY = 82


class NotAnImage(ValueError):
    """The bytes are not a photo we keep."""


@dataclass(frozen=True)
class Processed:
    image: bytes
    thumb: bytes
    width: int
    height: int
    sha256: str  # of the uploaded bytes


def read_limited(upload: IO[bytes], limit: int = MAX_BYTES) -> bytes | None:
    """The upload's bytes, or None when it is larger than `limit` (read no further)."""
    data = upload.read(limit + 1)
    return None if len(data) > limit else data


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    # A fresh image of the pixels only: no `exif=`, no `icc_profile`, no info carried over.
    clean = Image.new("RGB", img.size)
    clean.paste(img)
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def process(data: bytes) -> Processed:
    """The stored image and thumbnail of an uploaded photo, or `NotAnImage`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise NotAnImage(probe.format or "unknown")
                if probe.width * probe.height > MAX_PIXELS:
                    raise NotAnImage("too many pixels")
                probe.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                upright = ImageOps.exif_transpose(img)
                if upright.mode not in ("RGB", "L"):
                    background = Image.new("RGB", upright.size, "white")
                    rgba = upright.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    upright = background
                upright = upright.convert("RGB")
                upright.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
                small = upright.copy()
                small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
                return Processed(
                    image=_jpeg(upright),
                    thumb=_jpeg(small),
                    width=upright.width,
                    height=upright.height,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
    except NotAnImage:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as exc:
        raise NotAnImage(str(exc)) from exc
