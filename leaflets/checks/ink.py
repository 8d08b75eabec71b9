"""Preflight on the inks of a print file: no RGB, black that overprints, white that does not,
and no more ink than the paper takes.

The colour audit reads the finished file independently of the code that
separated it (press/separate.py): every content stream (pages, forms,
patterns), every image, shading and transparency group. Total area coverage
is measured on a CMYK rendering by Ghostscript (`tiff32nc`, overprint
simulated), averaged over 1 mm squares as a shop's preflight does, so a
hairline of overprinted black text is not mistaken for a 300 % area.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, Msg, msg
from ..problems import Problem, error, warning

TEXT_SHOW = {"Tj", "TJ", "'", '"'}
RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/RGB"}
CELL_MM = 1.0  # ink is averaged over squares of this side
MAX_PIXELS = 3000  # longest side of the rendering
MAX_DPI = 60  # 2.4 pixels to the millimetre: enough to average over 1 mm squares


@dataclass
class Audit:
    """What the colour audit found in one file."""

    rgb: list[Msg] = field(default_factory=list)  # where RGB was found
    white_overprint: list[int] = field(default_factory=list)  # pages with overprinted white text
    black_knockout: list[int] = field(default_factory=list)  # pages with 100 % K text not overprinting
    rich_black_text: list[int] = field(default_factory=list)  # pages with four-colour black text


def _is_rgb_space(space) -> bool:
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return str(space) in RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0])
        if family == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if family in RGB_SPACES:
            return True
        if family in ("/Indexed", "/I"):
            return _is_rgb_space(space[1])
    return False


def audit(pdf: bytes) -> Audit:
    """Read every colour of a PDF; report RGB anywhere and the overprint of text."""
    import pikepdf

    found = Audit()
    seen: set = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                continue
            for key in ("/ColorSpace", "/CS"):
                space = obj.get(key)
                if space is not None and not isinstance(space, pikepdf.Dictionary) and _is_rgb_space(space):
                    found.rgb.append(msg("object {number} ({key})", number=obj.objgen[0], key=key[1:]))
            spaces = obj.get("/ColorSpace")
            if isinstance(spaces, pikepdf.Dictionary):
                for name, space in spaces.items():
                    if _is_rgb_space(space):
                        found.rgb.append(msg("colour space {name}", name=str(name)))
        for number, page in enumerate(document.pages, start=1):
            _stream(page.obj, page.obj.get("/Resources"), number, found, seen, pikepdf)
    return found


def _stream(owner, resources, page: int, found: Audit, seen: set, pikepdf) -> None:
    key = owner.objgen if owner.objgen != (0, 0) else id(owner)
    if key in seen:
        return
    seen.add(key)
    resources = resources if resources is not None else pikepdf.Dictionary()
    states = resources.get("/ExtGState") or {}
    fill, stroke, op, mode = None, None, False, 0
    stack = []
    for instruction in pikepdf.parse_content_stream(owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operands, name = instruction.operands, str(instruction.operator)
        if name in ("rg", "RG"):
            found.rgb.append(msg("page {page}: {operator} operator", page=page, operator=name))
        elif name == "q":
            stack.append((fill, stroke, op, mode))
        elif name == "Q" and stack:
            fill, stroke, op, mode = stack.pop()
        elif name == "k":
            fill = tuple(float(v) for v in operands)
        elif name == "K":
            stroke = tuple(float(v) for v in operands)
        elif name == "g":
            fill = (0.0, 0.0, 0.0, 1 - float(operands[0]))
        elif name in ("cs", "CS", "sc", "scn", "SC", "SCN"):
            numbers = [float(v) for v in operands if not isinstance(v, pikepdf.Name)] \
                if name not in ("cs", "CS") else []
            if name in ("cs", "CS"):
                space = operands[0]
                named = resources.get("/ColorSpace") or {}
                if isinstance(space, pikepdf.Name) and str(space) in named:
                    space = named[str(space)]
                if _is_rgb_space(space):
                    found.rgb.append(msg("page {page}: {operator} to an RGB space", page=page, operator=name))
            elif len(numbers) == 4:
                if name.islower():
                    fill = tuple(numbers)
                else:
                    stroke = tuple(numbers)
        elif name == "gs":
            state = states.get(str(operands[0]))
            if isinstance(state, pikepdf.Dictionary) and ("/op" in state or "/OP" in state):
                op = bool(state.get("/op", state.get("/OP")))
        elif name == "Tr":
            mode = int(operands[0])
        elif name in TEXT_SHOW and mode % 4 in (0, 2) and fill is not None and len(fill) == 4:
            c, m, y, k = fill
            if max(fill) < 1e-4 and op:
                found.white_overprint.append(page)
            elif k > 0.999 and max(c, m, y) < 1e-4 and not op:
                found.black_knockout.append(page)
            elif k > 0.85 and min(c, m, y) > 0.3 and min(fill) < 0.999:
                # (registration colour, 100 % of every ink, is the slug's outside the bleed)
                found.rich_black_text.append(page)
        elif name == "Do":
            target = (resources.get("/XObject") or {}).get(str(operands[0]))
            if target is not None and target.get("/Subtype") == "/Form":
                _stream(target, target.get("/Resources"), page, found, seen, pikepdf)
            elif target is not None and target.get("/Subtype") == "/Image":
                space = target.get("/ColorSpace")
                if space is not None and _is_rgb_space(space):
                    found.rgb.append(msg("page {page}: an RGB image", page=page))
    for pattern in (resources.get("/Pattern") or {}).values():
        if int(pattern.get("/PatternType", 0)) == 1:
            _stream(pattern, pattern.get("/Resources"), page, found, seen, pikepdf)


def max_ink(pdf: bytes) -> list[float] | None:
    """The highest total ink (C+M+Y+K, %) on each page, over 1 mm squares; None without Ghostscript."""
    import pikepdf
    from PIL import Image, ImageMath

    gs = shutil.which("gs")
    if gs is None:
        return None
    with pikepdf.open(io.BytesIO(pdf)) as document:
        boxes = [[float(v) for v in (page.obj.get("/BleedBox") or page.mediabox)] for page in document.pages]
    longest_in = max(max(b[2] - b[0], b[3] - b[1]) for b in boxes) / 72
    dpi = max(10, min(MAX_DPI, int(MAX_PIXELS / longest_in)))
    cell = max(1, round(CELL_MM / 25.4 * dpi))
    result = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        done = subprocess.run(
            [gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseBleedBox", "-sDEVICE=tiff32nc",
             "-dOverprint=/simulate", f"-r{dpi}", f"-sOutputFile={tmp}/page-%04d.tif", str(source)],
            capture_output=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace").strip()[-300:])
        for path in sorted(Path(tmp).glob("page-*.tif")):
            with Image.open(path) as image:
                # one pixel off each edge: the crop marks start exactly at the bleed's edge
                image = image.crop((1, 1, max(2, image.width - 1), max(2, image.height - 1)))
                c, m, y, k = image.split()
                total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                              c=c, m=m, y=y, k=k)
                width, height = max(1, total.width // cell), max(1, total.height // cell)
                average = total.convert("F").resize((width, height), Image.Resampling.BOX)
                result.append(average.getextrema()[1] * 100 / 255)
    return result


def measure_ink_later(pdf: bytes) -> Callable[[], list[float] | None]:
    """Start `max_ink(pdf)` now, beside whatever comes next; call the result to wait for it.

    Ghostscript's start-up is most of its time on a leaflet; this lets it
    run while the imposed sheet and the job ticket are made.
    """
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = max_ink(pdf)
        except BaseException as exc:  # handed to the caller, who says what failed
            box["error"] = exc

    thread = threading.Thread(target=run, name="ink", daemon=True)
    thread.start()

    def result() -> list[float] | None:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["value"]

    return result


def ink_findings(pdf: bytes, source: Path, name: str, condition,
                 measured: Callable[[], list[float] | None] | None = None) -> list[Problem]:
    """Colour-space, overprint and total-ink findings for one print file.

    `measured` is a measurement started earlier (`measure_ink_later`);
    without it the ink is measured here.
    """
    found = []
    seen = audit(pdf)
    if seen.rgb:
        places = seen.rgb[0]
        for place in seen.rgb[1:3]:
            places = msg("{places}; {place}", places=places, place=place)
        text = N_("{name}: RGB in a print file ({places}…)") if len(seen.rgb) > 3 else \
            N_("{name}: RGB in a print file ({places})")
        found.append(error(source, None, msg(text, name=name, places=places), code="colour-space"))
    for page in sorted(set(seen.white_overprint)):
        found.append(error(source, None, msg("{name}: white text set to overprint on page {page}: it "
                                             "would vanish on press", name=name, page=page),
                           code="overprint", page=page))
    for page in sorted(set(seen.black_knockout)):
        found.append(error(source, None, msg("{name}: 100 % black text that knocks out on page {page}: it "
                                             "must overprint", name=name, page=page),
                           code="overprint", page=page))
    for page in sorted(set(seen.rich_black_text)):
        found.append(error(source, None, msg("{name}: text in four-colour black on page {page}: small text "
                                             "prints in 100 % K only", name=name, page=page),
                           code="overprint", page=page))
    try:
        inks = measured() if measured is not None else max_ink(pdf)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return found + [warning(source, None, msg("{name}: total ink not measured: Ghostscript failed "
                                                  "({error})", name=name, error=str(exc)),
                                code="ink-coverage")]
    if inks is None:
        return found + [warning(source, None, msg("{name}: total ink not measured: install Ghostscript "
                                                  "(gs)", name=name), code="ink-coverage")]
    for page, ink in enumerate(inks, start=1):
        if ink > condition.max_ink + 0.5:
            found.append(error(source, None, msg(
                "{name}: page {page} carries {ink:.0f} % ink in places; {condition} takes at most "
                "{max_ink:g} %: lighten the darkest colours", name=name, page=page, ink=ink,
                condition=condition.name, max_ink=condition.max_ink), code="ink-coverage", page=page))
    return found
