"""Separation: every colour of a rendered PDF made CMYK, black text and rules set to overprint.

WeasyPrint writes what it is given: CSS colours from the palette arrive as
DeviceCMYK already, but SVG drawings and icons, gradients, transparency
groups and images with an alpha channel arrive as RGB. This pass reads
every content stream (pages, forms, tiling patterns) and every object, and:

- turns each RGB or grey colour operator into CMYK (`rg`→`k`, `RG`→`K`,
  `g`→`k`, and `sc`/`scn` in an RGB, grey or Lab space after `cs`), with
  layout/colour.py's rules (palette colours exact, greys on the black plate
  only, the rest through the output profile);
- converts RGB images (the photos were converted before typesetting; what
  is left has transparency), shadings (gradient functions) and the colour
  spaces of transparency groups; soft masks keep their grey;
- sets overprint (`/OP true /op true /OPM 1`) around every object painted in
  100 % black alone (text and rules), and switches it off for everything
  else: black text never knocks out, and white type, which would vanish if
  overprinted, never does.

What it cannot convert (a sampled function, an inline image, an unknown
colour space) raises ContentError: a file is never left partly RGB.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from ..i18n import msg
from ..layout.colour import Separation
from ..problems import ContentError, error

OVERPRINT_ON = "/LeafletsOverprint"
OVERPRINT_OFF = "/LeafletsKnockout"
BLACK = (0.0, 0.0, 0.0, 1.0)
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
FILLS = {"f", "F", "f*"}
STROKES = {"S", "s"}
BOTH = {"B", "B*", "b", "b*"}


def is_black(colour) -> bool:
    return colour is not None and all(abs(a - b) < 1e-4 for a, b in zip(colour, BLACK, strict=True))


@dataclass
class _State:
    fill_space: str = "gray"  # the kind of the current space: gray, rgb, cmyk, lab, pattern, other
    stroke_space: str = "gray"
    fill: tuple | None = BLACK
    stroke: tuple | None = BLACK
    render_mode: int = 0
    overprint: bool | None = None  # None: not known in this stream

    def copy(self) -> _State:
        return _State(self.fill_space, self.stroke_space, self.fill, self.stroke, self.render_mode,
                      self.overprint)


@dataclass
class _Pass:
    pikepdf: object
    pdf: object
    separation: Separation
    done: set = field(default_factory=set)
    masks: set = field(default_factory=set)  # forms used as soft masks: they stay grey
    states: tuple = ()
    names: dict = field(default_factory=dict)  # image resource name -> one made from its content

    # -- colour spaces ---------------------------------------------------------

    def kind(self, space, resources) -> str:
        """What a colour space is: gray, rgb, cmyk, lab, pattern, indexed-rgb, or other."""
        pikepdf = self.pikepdf
        if isinstance(space, pikepdf.Name):
            name = str(space)
            device = {"/DeviceRGB": "rgb", "/DeviceGray": "gray", "/DeviceCMYK": "cmyk",
                      "/Pattern": "pattern", "/RGB": "rgb", "/G": "gray", "/CMYK": "cmyk"}
            if name in device:
                return device[name]
            named = (resources.get("/ColorSpace") or {}) if resources is not None else {}
            if name in named:
                return self.kind(named[name], None)
            return "other"
        if isinstance(space, pikepdf.Array) and len(space):
            family = str(space[0])
            if family == "/ICCBased":
                n = int(space[1].get("/N", 0))
                return {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other")
            if family == "/CalRGB":
                return "rgb"
            if family == "/CalGray":
                return "gray"
            if family == "/Lab":
                return "lab"
            if family == "/Pattern":
                return "pattern"
            if family in ("/Indexed", "/I"):
                return "indexed-" + self.kind(space[1], resources)
            if family in ("/Separation", "/DeviceN"):
                return "spot"
        return "other"

    def to_cmyk(self, kind: str, values, mask: bool = False):
        """CMYK (or, in a soft mask, grey) components for colour values in a space of `kind`."""
        values = [float(v) for v in values]
        if kind == "rgb":
            if mask:
                return [round(0.2126 * values[0] + 0.7152 * values[1] + 0.0722 * values[2], 4)]
            return list(self.separation.vector(tuple(values[:3])))
        if kind == "gray":
            return values if mask else list(self.separation.grey(values[0]))
        if kind == "lab":
            return list(self.separation.vector(_lab_to_srgb(values)))
        return values

    # -- content streams -----------------------------------------------------------

    def stream(self, owner, resources, mask: bool = False, page: bool = False) -> None:
        """Rewrite the content of a page, form or tiling pattern (once each).

        A page starts in black, set here as 100 % K; a form or pattern starts
        in whatever colour it is painted with, so its colour is unknown until
        it sets one.
        """
        pikepdf = self.pikepdf
        key = owner.objgen if hasattr(owner, "objgen") and owner.objgen != (0, 0) else id(owner)
        if key in self.done:
            return
        self.done.add(key)
        if resources is None:
            resources = pikepdf.Dictionary()
            owner.Resources = resources
        self.resources(resources)
        Op, Name = pikepdf.Operator, pikepdf.Name
        out = []
        state, stack = _State(), []
        if page and not mask:
            out += [(list(BLACK), Op("k")), (list(BLACK), Op("K"))]
            state.fill_space = state.stroke_space = "cmyk"
        elif not page:
            state.fill = state.stroke = None
            state.fill_space = state.stroke_space = "other"
        for instruction in pikepdf.parse_content_stream(owner):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                raise ContentError([error(None, None, msg("an inline image in the rendered PDF: cannot "
                                                          "make it CMYK (please report it)"))])
            operands, op = list(instruction.operands), str(instruction.operator)
            if op == "q":
                stack.append(state.copy())
            elif op == "Q" and stack:
                state = stack.pop()
            elif op in ("rg", "RG", "g", "G"):
                kind = "rgb" if op.lower() == "rg" else "gray"
                values = self.to_cmyk(kind, operands, mask)
                stroke = op.isupper()
                if mask:
                    op = "G" if stroke else "g"
                else:
                    op = "K" if stroke else "k"
                    if stroke:
                        state.stroke_space, state.stroke = "cmyk", tuple(values)
                    else:
                        state.fill_space, state.fill = "cmyk", tuple(values)
                operands = values
            elif op in ("k", "K"):
                if op == "K":
                    state.stroke_space, state.stroke = "cmyk", tuple(float(v) for v in operands)
                else:
                    state.fill_space, state.fill = "cmyk", tuple(float(v) for v in operands)
            elif op in ("cs", "CS"):
                kind = self.kind(operands[0], resources)
                stroke = op == "CS"
                if kind in ("rgb", "gray", "lab"):
                    operands = [Name("/DeviceGray" if mask else "/DeviceCMYK")]
                elif kind not in ("cmyk", "pattern", "spot") and not kind.startswith("indexed-"):
                    raise ContentError([error(None, None, msg(
                        "colour space {space} ({kind}) in the rendered PDF cannot be made CMYK",
                        space=str(operands[0]), kind=kind))])
                start = BLACK if kind in ("rgb", "gray", "lab", "cmyk") else None
                if stroke:
                    state.stroke_space, state.stroke = kind, start
                else:
                    state.fill_space, state.fill = kind, start
            elif op in ("sc", "scn", "SC", "SCN"):
                stroke = op.isupper()
                kind = state.stroke_space if stroke else state.fill_space
                numbers = [v for v in operands if not isinstance(v, pikepdf.Name)]
                if kind in ("rgb", "gray", "lab"):
                    operands = self.to_cmyk(kind, numbers, mask)
                    colour = tuple(operands)
                elif kind == "cmyk":
                    colour = tuple(float(v) for v in numbers)
                else:
                    colour = None
                if stroke:
                    state.stroke = colour
                else:
                    state.fill = colour
            elif op == "Tr":
                state.render_mode = int(operands[0])
            elif op == "Do" and str(operands[0]) in self.names:
                operands = [Name(self.names[str(operands[0])])]
            if not mask and op in TEXT_SHOW | FILLS | STROKES | BOTH | {"sh", "Do"}:
                wanted = _overprints(op, state)
                if wanted != state.overprint:
                    out.append(([Name(OVERPRINT_ON if wanted else OVERPRINT_OFF)], Op("gs")))
                    state.overprint = wanted
            out.append((operands, Op(op)))
        data = pikepdf.unparse_content_stream(out)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:
            owner.Contents = self.pdf.make_stream(data)

    def resources(self, resources) -> None:
        """Overprint states, colour spaces, then every form and pattern the resources name."""
        pikepdf = self.pikepdf
        states = resources.get("/ExtGState")
        if states is None:
            states = resources.ExtGState = pikepdf.Dictionary()
        on, off = self.states
        states[OVERPRINT_ON], states[OVERPRINT_OFF] = on, off
        masks = []
        for state in states.values():
            soft = state.get("/SMask") if isinstance(state, pikepdf.Dictionary) else None
            if isinstance(soft, pikepdf.Dictionary) and "/G" in soft:
                self.masks.add(soft.G.objgen)
                masks.append(soft.G)
        spaces = resources.get("/ColorSpace")
        if spaces is not None:
            for name in list(spaces.keys()):
                kind = self.kind(spaces[name], None)
                if kind in ("rgb", "gray", "lab"):
                    spaces[name] = pikepdf.Name.DeviceCMYK
                elif kind == "indexed-rgb":
                    spaces[name] = self.indexed(spaces[name])
        xobjects = resources.get("/XObject") or {}
        for name in list(xobjects.keys()):
            obj = xobjects[name]
            if obj.get("/Subtype") == "/Form":
                self.form(obj)
            elif obj.get("/Subtype") == "/Image":
                self.image(obj)
                # WeasyPrint names an image after the hash of its URL, which holds the
                # project's folder: a name from the image's bytes makes the file the
                # same wherever it is built.
                if name not in self.names:
                    self.names[name] = "/Im" + hashlib.sha256(obj.read_raw_bytes()).hexdigest()[:16]
                if self.names[name] != name:
                    del xobjects[name]
                    xobjects[self.names[name]] = obj
        for mask in masks:
            self.form(mask)
        for obj in (resources.get("/Pattern") or {}).values():
            if int(obj.get("/PatternType", 0)) == 1:
                self.stream(obj, obj.get("/Resources"))
            else:
                self.shading(obj.Shading)
        for obj in (resources.get("/Shading") or {}).values():
            self.shading(obj)

    def form(self, form) -> None:
        mask = form.objgen in self.masks
        group = form.get("/Group")
        if isinstance(group, self.pikepdf.Dictionary) and "/CS" in group:
            group.CS = self.pikepdf.Name("/DeviceGray" if mask else "/DeviceCMYK")
        self.stream(form, form.get("/Resources"), mask)

    # -- objects ---------------------------------------------------------------------

    def image(self, image) -> None:
        pikepdf = self.pikepdf
        if image.objgen in self.done or image.get("/ImageMask", False):
            return
        self.done.add(image.objgen)
        kind = self.kind(image.get("/ColorSpace", pikepdf.Name.DeviceGray), None)
        if kind == "indexed-rgb":
            image.ColorSpace = self.indexed(image.ColorSpace)
        elif kind in ("rgb", "lab"):
            picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
            cmyk = self.separation.image(picture)
            buffer = io.BytesIO()
            cmyk.save(buffer, format="JPEG", quality=92, subsampling=0)
            image.write(buffer.getvalue(), filter=pikepdf.Name.DCTDecode)
            image.ColorSpace = pikepdf.Name.DeviceCMYK
            image.Decode = pikepdf.Array([1, 0, 1, 0, 1, 0, 1, 0])  # Adobe's inverted CMYK JPEG
            image.BitsPerComponent = 8
            for key in ("/DecodeParms", "/SMaskInData"):
                if key in image:
                    del image[key]
        elif kind not in ("gray", "cmyk", "indexed-gray", "indexed-cmyk"):
            raise ContentError([error(None, None, msg("an image in colour space {kind}: cannot make it CMYK",
                                                      kind=kind))])

    def indexed(self, space):
        pikepdf = self.pikepdf
        table = space[3]
        data = table.read_bytes() if isinstance(table, pikepdf.Stream) else bytes(table)
        out = bytearray()
        for i in range(0, len(data) - 2, 3):
            cmyk = self.separation.vector(tuple(v / 255 for v in data[i:i + 3]))
            out += bytes(round(v * 255) for v in cmyk)
        return pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceCMYK, space[2],
                              pikepdf.String(bytes(out))])

    def shading(self, shading) -> None:
        pikepdf = self.pikepdf
        if shading.objgen in self.done and shading.objgen != (0, 0):
            return
        self.done.add(shading.objgen)
        kind = self.kind(shading.get("/ColorSpace", pikepdf.Name.DeviceGray), None)
        if kind in ("cmyk", "pattern"):
            return
        if kind == "gray" and shading.objgen in self.masks:
            return
        if kind not in ("rgb", "gray"):
            raise ContentError([error(None, None, msg("a gradient in colour space {kind}: cannot make it "
                                                      "CMYK", kind=kind))])
        shading.ColorSpace = pikepdf.Name.DeviceCMYK
        if "/Background" in shading:
            shading.Background = pikepdf.Array(self.to_cmyk(kind, list(shading.Background)))
        shading.Function = self.function(shading.Function, kind)

    def function(self, function, kind):
        pikepdf = self.pikepdf
        if isinstance(function, pikepdf.Array):
            raise ContentError([error(None, None, msg("a gradient with one function per colour channel: "
                                                      "cannot make it CMYK"))])
        kind_of = int(function.get("/FunctionType", -1))
        if kind_of == 2:
            for key in ("/C0", "/C1"):
                default = [0.0] if kind == "gray" else [0.0, 0.0, 0.0]
                if key == "/C1":
                    default = [1.0] * len(default)
                values = list(function.get(key, default))
                function[key] = pikepdf.Array(self.to_cmyk(kind, values))
            return function
        if kind_of == 3:
            function.Functions = pikepdf.Array([self.function(f, kind) for f in function.Functions])
            return function
        raise ContentError([error(None, None, msg("a gradient with a function of type {kind}: cannot "
                                                  "make it CMYK", kind=kind_of))])


def _overprints(op: str, state: _State) -> bool:
    """Whether this painting operation is 100 % black alone, which overprints."""
    if op in TEXT_SHOW:
        mode = state.render_mode % 4
        if mode == 3:
            return False
        fill_ok = mode in (1,) or is_black(state.fill)
        stroke_ok = mode in (0,) or is_black(state.stroke)
        return fill_ok and stroke_ok
    if op in FILLS:
        return is_black(state.fill)
    if op in STROKES:
        return is_black(state.stroke)
    if op in BOTH:
        return is_black(state.fill) and is_black(state.stroke)
    return False


def _lab_to_srgb(values) -> tuple[float, float, float]:
    """An approximate sRGB (0..1) for a CIE Lab colour (D50), for the rare Lab colour in a PDF."""
    lightness, a, b = values[:3]
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def inverse(t):
        return t ** 3 if t ** 3 > 0.008856 else (t - 16 / 116) / 7.787

    x, y, z = 0.9642 * inverse(fx), inverse(fy), 0.8249 * inverse(fz)
    r = 3.1338561 * x - 1.6168667 * y - 0.4906146 * z
    g = -0.9787684 * x + 1.9161415 * y + 0.0334540 * z
    bl = 0.0719453 * x - 0.2289914 * y + 1.4052427 * z

    def encode(c):
        c = min(max(c, 0.0), 1.0)
        return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055

    return encode(r), encode(g), encode(bl)


def separate(pdf: bytes, separation: Separation) -> bytes:
    """The PDF with every colour in CMYK for `separation`'s output condition."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        states = (
            document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True,
                                                      OPM=1)),
            document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False, op=False)),
        )
        work = _Pass(pikepdf, document, separation, states=states)
        for page in document.pages:
            group = page.obj.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and "/CS" in group:
                group.CS = pikepdf.Name.DeviceCMYK
            work.stream(page.obj, page.obj.get("/Resources"), page=True)
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
