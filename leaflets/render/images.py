"""Raster images: checked, resampled once to the resolution the layout needs, cached.

A photo for a 5 m banner may have 40 million pixels; the banner, seen from
ten metres, needs 40 ppi. So each raster image is resampled to the layout's
target resolution at its placed size (never enlarged), converted to a mode
WeasyPrint embeds as it is (RGB or grey JPEG, PNG with alpha), and written
to `dist/.cache/images/` under the hash of the original's bytes and the
target size, so a rebuild reuses it without decoding the original again.

Pillow's decompression-bomb guard stays on, and stricter: an image over
Pillow's limit (about 89 million pixels) is refused, not just warned about.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..i18n import Msg, msg

RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff"}
EMBEDDABLE_MODES = {"RGB", "L", "RGBA", "LA"}
JPEG_QUALITY = 90
CACHE_VERSION = "3"  # bump when the resampling changes, to invalidate old files


class ImageError(ValueError):
    """An image that cannot be used; the message says why (`str()` in the current language)."""

    def __init__(self, message: Msg):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int  # pixels
    height: int
    format: str
    mode: str
    warnings: tuple[str, ...] = ()  # what Pillow said while reading it


@dataclass(frozen=True)
class Prepared:
    """An image ready to embed."""

    data: bytes
    mime: str
    width: int
    height: int
    cached: bool  # True when it came from the cache without decoding the original
    path: Path  # the file in the cache
    warnings: tuple[str, ...] = ()  # what Pillow said while decoding the original


def is_raster(path: Path) -> bool:
    return path.suffix.lower() in RASTER_SUFFIXES


# The first bytes of the raster formats Pillow (and so WeasyPrint) would decode.
RASTER_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM",
                b"\x00\x00\x00\x0cjP", b"\x00\x00\x01\x00")


def sniff_raster(data: bytes) -> bool:
    """True when `data` starts like a raster image file (PNG, JPEG, GIF, TIFF, BMP, WebP, …)."""
    return data.startswith(RASTER_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


@contextlib.contextmanager
def _said_by_pillow(sink: list[str]):
    """Pillow's warnings (a corrupt EXIF block, an odd palette) kept as messages, not printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for item in caught:
        text = " ".join(str(item.message).split())
        if text not in sink:
            sink.append(text)


def _open(path: Path):
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageError(_bomb_message(path)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(msg("cannot read the image ({error}); is the file complete and really an "
                             "image?", error=str(exc))) from None


def _bomb_message(path: Path) -> Msg:
    from PIL import Image

    return msg("the image has more pixels than the {limit:.0f} megapixel safety limit "
               "(a decompression bomb, or a scan far larger than print needs): reduce it",
               limit=Image.MAX_IMAGE_PIXELS / 1e6)


def inspect(path: Path) -> ImageInfo:
    """Size and kind of an image, from its header only (cheap, and bomb-checked)."""
    said: list[str] = []
    with _said_by_pillow(said):
        info = _inspect(path)
    return dataclasses.replace(info, warnings=tuple(said))


def _inspect(path: Path) -> ImageInfo:
    image = _open(path)
    with image:
        width, height = image.size
        try:
            orientation = image.getexif().get(0x0112, 1)
        except Exception:  # unreadable EXIF: take the pixels as they are
            orientation = 1
        if orientation in (5, 6, 7, 8):  # stored on its side: laid out turned upright
            width, height = height, width
        return ImageInfo(path, width, height, image.format or "?", image.mode)


def placeholder(info: ImageInfo) -> bytes:
    """An empty SVG with the image's intrinsic size, for a layout pass that only measures."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{info.width}" '
            f'height="{info.height}" viewBox="0 0 {info.width} {info.height}"/>').encode()


def target_size(info: ImageInfo, placed_in: tuple[float, float], ppi: float) -> tuple[int, int]:
    """Pixels for `placed_in` inches at `ppi`, same aspect ratio, never more than the original."""
    want = max(placed_in[0] * ppi / info.width, placed_in[1] * ppi / info.height)
    factor = min(1.0, want)
    return max(1, math.ceil(info.width * factor)), max(1, math.ceil(info.height * factor))


def effective_ppi(info: ImageInfo, placed_in: tuple[float, float]) -> float:
    """The original's resolution at its placed size (the lower of the two directions)."""
    w, h = placed_in
    return min(info.width / w if w else math.inf, info.height / h if h else math.inf)


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()[:40]


def _cached(cache_dir: Path, key: str) -> Prepared | None:
    """A verified cache entry for `key`, or None. Entries that fail verification are removed.

    An entry's name carries the hash of its own bytes (`<key>.<sha256>.jpg`):
    a file truncated, swapped or damaged in the cache no longer matches its
    name and is made anew from the original, never embedded.
    """
    for suffix, mime in ((".jpg", "image/jpeg"), (".png", "image/png")):
        for entry in sorted(cache_dir.glob(f"{key}.*{suffix}")):
            try:
                data = entry.read_bytes()
            except OSError:
                continue
            if entry.name == f"{key}.{hashlib.sha256(data).hexdigest()[:32]}{suffix}":
                return Prepared(data, mime, 0, 0, True, entry)
            try:
                entry.unlink()
            except OSError:
                pass
    return None


def prepare(info: ImageInfo, size: tuple[int, int], cache_dir: Path, separation=None) -> Prepared:
    """The image at `size` pixels, from the cache (verified) or made now (and cached).

    With a `separation` (a print build), a photo is also converted to the CMYK
    of its output condition (layout/colour.py); grey stays grey, and an image
    with transparency is left to the separation of the finished PDF.
    """
    from ..atomic import write_atomic

    key = f"{_digest(info.path)}-{size[0]}x{size[1]}-v{CACHE_VERSION}"
    if separation is not None:
        key += f"-cmyk{separation.profile_hash[:16]}"
    cached = _cached(cache_dir, key) if cache_dir.is_dir() else None
    if cached is not None:
        return Prepared(cached.data, cached.mime, size[0], size[1], True, cached.path)
    data, mime, said = _resample(info, size, separation)
    suffix = ".jpg" if mime == "image/jpeg" else ".png"
    target = cache_dir / f"{key}.{hashlib.sha256(data).hexdigest()[:32]}{suffix}"
    write_atomic(target, data)
    return Prepared(data, mime, size[0], size[1], False, target, said)


def _to_8_bit(image):
    """A greyscale image of 16-bit integers (I;16…, I) or floats (F) as 8-bit L, values scaled.

    Pillow's own convert("L") clips every value over 255 to white, so a
    16-bit scan would print almost white: the range is scaled instead.
    """
    if image.mode != "F":
        image = image.convert("I")
    low, high = image.getextrema()
    if image.mode == "F" and high <= 1.0:
        image = image.point(lambda v: v * 255)  # floats from 0 to 1
    elif high > 255:
        image = image.point(lambda v: v / 257)  # 16-bit: 65535 -> 255
    return image.convert("L")


def embeddable(image):
    """`image` in a mode WeasyPrint embeds as it is: L, RGB, or RGBA where it is transparent.

    Every Pillow mode is converted by what it means, not by its bytes: 16-bit
    and float greyscale keep their tones, 1-bit becomes black and white,
    palette and LA images keep their transparency, CMYK (with Adobe's
    inverted JPEGs, which Pillow undoes when decoding) becomes RGB.
    """
    mode = image.mode
    transparent = mode in ("RGBA", "RGBa", "LA", "La", "PA") or \
        (mode in ("P", "L", "RGB", "1") and "transparency" in image.info)
    if transparent:
        return image.convert("RGBA")
    if mode in ("RGB", "L"):
        return image
    if mode.startswith("I") or mode == "F":
        return _to_8_bit(image)
    if mode == "1":
        return image.convert("L")
    if mode == "LAB":
        from PIL import ImageCms

        transform = ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"),
                                            "LAB", "RGB")
        return ImageCms.applyTransform(image, transform)
    return image.convert("RGB")  # P, CMYK, YCbCr, HSV, RGBX


@contextlib.contextmanager
def _strict_decoding():
    """WeasyPrint sets Pillow to accept truncated files (process-wide); a print job must not."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _resample(info: ImageInfo, size: tuple[int, int], separation=None) -> tuple[bytes, str, tuple[str, ...]]:
    said: list[str] = []
    with _strict_decoding(), _said_by_pillow(said):
        data, mime = _resample_strictly(info, size, separation)
    return data, mime, tuple(said)


def _resample_strictly(info: ImageInfo, size: tuple[int, int], separation) -> tuple[bytes, str]:
    from PIL import Image, ImageOps

    image = _open(info.path)
    try:
        with image:
            if image.format == "JPEG":
                # Decode at a reduced scale straight from the DCT data: a 40 MP
                # photo needed at 2,400 px wide never exists in memory full size.
                image.draft("RGB" if image.mode != "L" else "L", size)
            image.load()
            image = ImageOps.exif_transpose(image)
            # A CMYK photo in a print build keeps its separations as the photographer
            # or the agency made them: no round trip through RGB.
            if not (separation is not None and image.mode == "CMYK"):
                image = embeddable(image)
            transparent = image.mode == "RGBA"
            if image.size != size:
                image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            if separation is not None and image.mode == "RGB":
                image = separation.image(image)  # CMYK, saved the Adobe way (WeasyPrint knows it)
            buffer = io.BytesIO()
            if transparent:
                image.save(buffer, format="PNG", optimize=True)
                return buffer.getvalue(), "image/png"
            image.save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
            return buffer.getvalue(), "image/jpeg"
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(msg("cannot decode the image ({error}); the file may be truncated or "
                             "damaged", error=str(exc))) from None
