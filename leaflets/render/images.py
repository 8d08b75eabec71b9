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
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

RASTER_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff"}
EMBEDDABLE_MODES = {"RGB", "L", "RGBA", "LA"}
JPEG_QUALITY = 90
CACHE_VERSION = "1"  # bump when the resampling changes, to invalidate old files


class ImageError(ValueError):
    """An image that cannot be used; the message says why."""


@dataclass(frozen=True)
class ImageInfo:
    path: Path
    width: int  # pixels
    height: int
    format: str
    mode: str


@dataclass(frozen=True)
class Prepared:
    """An image ready to embed."""

    data: bytes
    mime: str
    width: int
    height: int
    cached: bool  # True when it came from the cache without decoding the original
    path: Path  # the file in the cache


def is_raster(path: Path) -> bool:
    return path.suffix.lower() in RASTER_SUFFIXES


def _open(path: Path):
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageError(_bomb_message(path)) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"cannot read the image ({exc}); is the file complete and really an "
                         "image?") from None


def _bomb_message(path: Path) -> str:
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS / 1e6
    return (f"the image has more pixels than the {limit:.0f} megapixel safety limit "
            "(a decompression bomb, or a scan far larger than print needs): reduce it")


def inspect(path: Path) -> ImageInfo:
    """Size and kind of an image, from its header only (cheap, and bomb-checked)."""
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


def prepare(info: ImageInfo, size: tuple[int, int], cache_dir: Path) -> Prepared:
    """The image at `size` pixels, from the cache or made now (and cached)."""
    from ..atomic import write_atomic

    key = f"{_digest(info.path)}-{size[0]}x{size[1]}-v{CACHE_VERSION}"
    for suffix, mime in ((".jpg", "image/jpeg"), (".png", "image/png")):
        cached = cache_dir / f"{key}{suffix}"
        if cached.is_file():
            return Prepared(cached.read_bytes(), mime, size[0], size[1], True, cached)
    data, mime = _resample(info, size)
    target = cache_dir / f"{key}{'.jpg' if mime == 'image/jpeg' else '.png'}"
    write_atomic(target, data)
    return Prepared(data, mime, size[0], size[1], False, target)


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


def _resample(info: ImageInfo, size: tuple[int, int]) -> tuple[bytes, str]:
    with _strict_decoding():
        return _resample_strictly(info, size)


def _resample_strictly(info: ImageInfo, size: tuple[int, int]) -> tuple[bytes, str]:
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
            transparent = image.mode in ("RGBA", "LA", "PA") or \
                (image.mode == "P" and "transparency" in image.info)
            if transparent:
                image = image.convert("RGBA")
            elif image.mode not in ("RGB", "L"):
                image = image.convert("RGB")  # CMYK, palette, 16-bit: RGB for the screen-to-print path
            if image.size != size:
                image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            buffer = io.BytesIO()
            if transparent:
                image.save(buffer, format="PNG", optimize=True)
                return buffer.getvalue(), "image/png"
            image.save(buffer, format="JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True)
            return buffer.getvalue(), "image/jpeg"
    except ImageError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"cannot decode the image ({exc}); the file may be truncated or "
                         "damaged") from None
