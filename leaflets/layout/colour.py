"""Colour for print: every sRGB colour and photo turned into the CMYK of an output condition.

Three rules, in this order, for a flat colour (text, rules, SVG fills):

1. A palette colour prints as the CMYK the palette declares for it, exactly
   (red is 0/90/85/25 on the plates, not whatever a conversion makes of
   #B3261E).
2. A neutral grey or black prints on the black plate only, at the tone that
   matches its lightness: never a four-colour black for text and rules, and
   no colour cast in greys.
3. Any other colour goes through the output profile, relative colorimetric
   with black point compensation: in-gamut colours keep their appearance
   and out-of-gamut ones are clipped to the nearest printable colour, which
   is what a brand or chart colour wants.

Photos go through the same profile with the perceptual intent: a photo's
saturated colours are compressed together so that their gradations stay
visible, where colorimetric clipping would flatten them into blotches.

LittleCMS (Pillow's ImageCms) does the conversions; each transform is built
once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

NEUTRAL = 2 / 255  # channels this close count as a grey


@cache
def _srgb():
    from PIL import ImageCms

    return ImageCms.createProfile("sRGB")


@cache
def _profile(path: str, digest: str):
    del digest  # part of the cache key: a changed profile is read again
    from PIL import ImageCms

    return ImageCms.getOpenProfile(path)


@cache
def _transform(path: str, digest: str, intent: int, source: str, target: str):
    from PIL import ImageCms

    cmyk = _profile(path, digest)
    lab = ImageCms.createProfile("LAB")
    profiles = {"RGB": _srgb(), "CMYK": cmyk, "LAB": lab}
    return ImageCms.buildTransform(profiles[source], profiles[target], source, target,
                                   renderingIntent=intent,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@dataclass(frozen=True)
class Separation:
    """Conversions from sRGB to the CMYK of one output condition (ICC profile)."""

    profile: Path
    profile_hash: str
    palette: tuple[tuple[str, tuple[float, float, float, float]], ...] = ()  # (#rrggbb, cmyk 0..1)

    @classmethod
    def for_condition(cls, condition, palette=None) -> Separation:
        exact = ()
        if palette is not None:
            exact = tuple((c.rgb.lower(), tuple(v / 100 for v in c.cmyk))
                          for c in palette.colours if c.cmyk is not None)
        return cls(condition.profile, condition.profile_hash, exact)

    def _key(self, intent: int, source: str, target: str):
        return _transform(str(self.profile), self.profile_hash, intent, source, target)

    # -- flat colours -----------------------------------------------------------

    def vector(self, rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
        """CMYK (0..1) for an sRGB colour (0..1) of text, rules or drawings."""
        return _vector(self, tuple(round(min(max(v, 0.0), 1.0) * 255) for v in rgb))

    def grey(self, level: float) -> tuple[float, float, float, float]:
        """CMYK for a DeviceGray level (0 black … 1 white): black plate only."""
        return self._black_only(round(min(max(level, 0.0), 1.0) * 255))

    def _black_only(self, value: int) -> tuple[float, float, float, float]:
        if value >= 255:
            return (0.0, 0.0, 0.0, 0.0)
        if value <= 0:
            return (0.0, 0.0, 0.0, 1.0)
        ramp = _black_ramp(self)
        lightness = _lightness(value)
        darkest = ramp[-1]
        # black point compensation in L*: sRGB black (L* 0) lands on 100 % K
        wanted = darkest + lightness * (100 - darkest) / 100
        k = min(range(256), key=lambda i: abs(ramp[i] - wanted))
        return (0.0, 0.0, 0.0, round(k / 255, 4))

    # -- photos -------------------------------------------------------------------

    def image(self, image):
        """A PIL image (RGB, or RGBA with its alpha kept apart) as CMYK, perceptual intent."""
        from PIL import ImageCms

        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGB")
        rgb = image.convert("RGB")
        return ImageCms.applyTransform(rgb, self._key(ImageCms.Intent.PERCEPTUAL, "RGB", "CMYK"))


@cache
def _vector(separation: Separation, rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
    from PIL import Image, ImageCms

    hexa = "#{:02x}{:02x}{:02x}".format(*rgb)
    for colour, cmyk in separation.palette:
        if colour == hexa:
            return cmyk
    if max(rgb) - min(rgb) <= round(NEUTRAL * 255):
        return separation._black_only(round(sum(rgb) / 3))
    pixel = Image.new("RGB", (1, 1), rgb)
    transform = separation._key(ImageCms.Intent.RELATIVE_COLORIMETRIC, "RGB", "CMYK")
    c, m, y, k = ImageCms.applyTransform(pixel, transform).getpixel((0, 0))
    return tuple(round(v / 255, 4) for v in (c, m, y, k))


@cache
def _black_ramp(separation: Separation) -> tuple[float, ...]:
    """L* (0..100) of 0 % to 100 % black alone (256 steps) on this condition's paper."""
    from PIL import Image, ImageCms

    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    transform = separation._key(ImageCms.Intent.RELATIVE_COLORIMETRIC, "CMYK", "LAB")
    lab = ImageCms.applyTransform(ramp, transform)
    return tuple(lab.getpixel((i, 0))[0] * 100 / 255 for i in range(256))


@cache
def _lightness(value: int) -> float:
    """CIE L* of an sRGB grey level (0..255)."""
    channel = value / 255
    linear = channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
    return 116 * linear ** (1 / 3) - 16 if linear > 0.008856 else 903.3 * linear
