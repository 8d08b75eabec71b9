"""How each fixed slot uses its panel's height, as declared in `layout.toml`.

Two settings per slot: `align` (top, center, bottom, spread: where the
slot's blocks sit when they do not fill the panel) and `min_fill` (the least
share of the panel's height the content should take, 0 to 1; under it the
slot is `underfull`, a warning). Each is looked up, most particular first:

1. the piece's front matter, for `align` only (`align: {inside-1: spread}`);
2. the layout's `[vertical]` table, per slot (`cover = { align = "center", min_fill = 0 }`),
   also the way to reach a booklet's cover pages;
3. the panel's own keys in `[[sides]]` (`{ slot = "cover", …, align = "center" }`);
4. the layout's top-level `align` and `min_fill`;
5. top, and 0.7.

The flowing slot of a booklet has no fixed height: it is neither aligned
nor measured. render/fill.py measures the fill and moves the blocks.
"""

from __future__ import annotations

from pathlib import Path

from ..content.pieces import ALIGNS
from ..content.schema import f
from ..i18n import N_, Msg, msg
from ..problems import Problem, error
from .geometry import MIN_FILL, Vertical


def _share(value) -> Msg | None:
    return None if 0 <= value <= 1 else msg("a share of the panel's height, from 0 to 1 (e.g. 0.7)")


# Keys a panel in [[sides]] and the layout itself may have (load.py adds them to its schema).
KEYS = {
    "align": f(str, default=None, choices=ALIGNS,
               doc=N_("where the slot's blocks sit in the panel's height: top, center, bottom, spread")),
    "min_fill": f(float, default=None, check=_share,
                  doc=N_("the least share of the panel's height its content should take (0 to 1)")),
}
TABLE = f(dict, default={}, open=True,
          doc=N_("slot = { align = …, min_fill = … }: how each fixed slot uses its panel's height"))


def settings(v: dict, slots: list[str], path: Path, lines: dict,
             problems: list[Problem]) -> dict[str, Vertical]:
    """Every fixed slot's Vertical, from the checked layout.toml values `v`."""
    panels = {p["slot"]: p for side in (v.get("sides") or []) for p in side["panels"]}
    table = v.get("vertical") or {}
    for slot, entry in table.items():
        line = lines.get(("vertical", slot)) or lines.get(("vertical",))
        if slot not in slots:
            problems.append(error(path, line, msg("vertical: {slot!r} is not a slot of this layout "
                                                  "(its slots: {known})", slot=slot, known=", ".join(slots))))
        elif not isinstance(entry, dict) or set(entry) - set(KEYS):
            problems.append(error(path, line, msg("vertical.{slot}: write {{ align = \"center\", "
                                                  "min_fill = 0.5 }} (keys: align, min_fill)", slot=slot)))
        else:
            _check_entry(entry, f"vertical.{slot}", path, line, problems)
    out = {}
    for slot in slots:
        entry = table.get(slot) if isinstance(table.get(slot), dict) else {}
        panel = panels.get(slot, {})

        def pick(key, last, entry=entry, panel=panel):
            for source in (entry, panel, v):
                if source.get(key) is not None:
                    return source[key]
            return last
        out[slot] = Vertical(align=pick("align", "top"), min_fill=float(pick("min_fill", MIN_FILL)))
    return out


def _check_entry(entry: dict, where: str, path: Path, line: int | None, problems: list[Problem]) -> None:
    align, share = entry.get("align"), entry.get("min_fill")
    if align is not None and align not in ALIGNS:
        problems.append(error(path, line, msg("{where}.align: {value!r} is not one of: {allowed}",
                                              where=where, value=str(align), allowed=", ".join(ALIGNS))))
    if share is not None and (isinstance(share, bool) or not isinstance(share, int | float) or _share(share)):
        problems.append(error(path, line, msg("{where}.min_fill: give a share of the panel's height "
                                              "from 0 to 1 (e.g. 0.7)", where=where)))
