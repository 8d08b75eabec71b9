"""The job ticket (phiếu yêu cầu in): one A4 page for the print shop, and its JSON twin.

It says what the files are (with their SHA-256, so the shop can check it
received exactly them), what to print them on and how many, how to finish
them, when, for whom, under which licence. Everything comes from the
piece's front matter, the layout and site data: nothing is typed twice.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..vi import number, short_date
from .marks import PT_PER_MM, font_name
from .words import copies, fold_label, mm, side_label

REQUIRED = ("quantity", "paper", "colours")  # and licence, for offset work


@dataclass(frozen=True)
class TicketFile:
    name: str
    kind: str  # "print" | "imposed"
    pages: int
    trim_mm: tuple[float, float]
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Ticket:
    piece: str  # the job's name: <piece>, or <piece>--<variant> for one commune's or household's file
    title: str  # the piece's title, with the commune or household a variant is for
    revision: str
    date: str  # ISO date of the ticket (the build's clock)
    office: dict[str, str]
    quantity: int | None
    trim_mm: tuple[float, float]
    bleed_mm: float
    scale: int
    pages: int
    colours: str
    paper: str
    condition: str
    profile: str
    max_ink: float
    finishing: list[str]
    delivery: str
    licence: str
    printer: str
    notes: str
    files: list[TicketFile] = field(default_factory=list)
    sample_data: list[str] = field(default_factory=list)  # files of invented data it is made with
    variant: str = ""  # the commune or household this file is for ("Phường Trung Tâm"); "" for none
    quantity_per: str = "piece"  # "piece": the whole job; "variant": this variant's copies
    run_quantity: int | None = None  # copies of every variant of the piece together
    run_variants: int = 0  # how many variants the piece is made in
    tool: str = ""  # "leaflets 0.4.0": the version that made the files (leaflets/__init__.py)

    def json(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def missing_fields(piece, large_format: bool) -> list[str]:
    """The print details the ticket needs that the piece's front matter lacks."""
    details = piece.print
    missing = [key for key in REQUIRED if not getattr(details, key)]
    if not large_format and not details.licence:
        missing.append("licence")
    return missing


def finishing_lines(piece, layout) -> list[str]:
    """What the finisher does, from the front matter and the layout's geometry."""
    lines = [piece.print.finishing] if piece.print.finishing else []
    if layout.booklet:
        lines.append("Đóng ghim giữa: in theo tệp bình trang, gấp đôi, lồng tờ, "
                     "đóng 2 ghim, xén 3 mặt" if layout.booklet.binding == "saddle-stitch"
                     else "Tờ rời")
    elif layout.folded:
        fold = fold_label(layout.fold)
        for side in layout.sides:
            widths = " | ".join(mm(p.width) for p in side.panels)
            lines.append(f"{fold}: {side_label(side)}, các tấm từ trái sang phải {widths} mm")
    if layout.finishing.hem:
        lines.append(f"May viền {mm(layout.finishing.hem)} mm mỗi cạnh")
    if layout.finishing.grommet_spacing:
        lines.append(f"Đóng khoen: {len(layout.grommets())} khoen, cách nhau tối đa "
                     f"{mm(layout.finishing.grommet_spacing)} mm, tâm cách mép "
                     f"{mm(layout.finishing.grommet_inset)} mm")
    if layout.scale != 1:
        lines.append(f"Tệp dàn trang tỷ lệ 1:{layout.scale}: in phóng {layout.scale} lần")
    return lines


def quantity_line(t: Ticket) -> str:
    """How many: the job's copies, and for a variant whose they are and the whole run's total."""
    if not t.quantity:
        return "—"
    if not t.variant:
        return copies(t.quantity)
    line = f"{copies(t.quantity)} cho riêng phiên bản này ({t.variant})"
    if t.run_quantity:
        line += (f"; cả đợt in: {copies(t.run_quantity)} cho {t.run_variants} phiên bản "
                 "(mỗi phiên bản một phiếu)")
    return line


def _day(text: str) -> str:
    """An ISO date as 10/10/2026; other text ("theo thỏa thuận") as it is."""
    try:
        return short_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


def _size(t: Ticket) -> str:
    line = f"{mm(t.trim_mm[0])} × {mm(t.trim_mm[1])} mm"
    if t.scale != 1:
        line += f" (tệp tỷ lệ 1:{t.scale}: {mm(t.trim_mm[0] / t.scale)} × {mm(t.trim_mm[1] / t.scale)} mm)"
    return line + f"; chừa xén {mm(t.bleed_mm)} mm mỗi cạnh"


ROWS = (
    ("Ấn phẩm", lambda t: f"{t.title} ({t.piece}), lần {t.revision}"),
    ("Phiên bản", lambda t: t.variant and f"{t.variant}: tệp riêng, in riêng"),
    ("Đơn vị đặt in", lambda t: "; ".join(v for v in (t.office.get("name"), t.office.get("address"),
                                                      t.office.get("phone"), t.office.get("email")) if v)),
    ("Số lượng", quantity_line),
    ("Khổ thành phẩm", _size),
    ("Số trang", lambda t: str(t.pages)),
    ("Màu in", lambda t: t.colours),
    ("Giấy", lambda t: t.paper or "—"),
    ("Điều kiện in", lambda t: f"{t.condition}; hồ sơ màu {t.profile} (đã nhúng trong tệp PDF/X-4); "
                               f"tổng mực tối đa {mm(t.max_ink)} %"),
    ("Gia công", lambda t: "; ".join(t.finishing) or "—"),
    ("Ngày giao", lambda t: _day(t.delivery)),
    ("Giấy phép xuất bản", lambda t: t.licence or "—"),
    ("Nơi in", lambda t: t.printer or "—"),
    ("Ghi chú", lambda t: t.notes or "—"),
    # Only when there is some: invented hotlines must not reach the press unnoticed.
    ("DỮ LIỆU MẪU", lambda t: t.sample_data and (
        "Tệp có dữ liệu mẫu (tên, địa chỉ, số điện thoại tự đặt, không phải thật): "
        + "; ".join(t.sample_data) + ". Đề nghị nhà in chưa in và liên hệ đơn vị đặt in để xác nhận.")),
)


def ticket_pdf(ticket: Ticket, regular: Path, bold: Path) -> bytes:
    """The ticket as one A4 page (reportlab, bundled fonts, reproducible)."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    light, heavy = font_name(regular), font_name(bold)
    width, height = 210 * PT_PER_MM, 297 * PT_PER_MM
    margin = 18 * PT_PER_MM
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1, invariant=1,
                      initialFontName=light)
    c.setTitle(f"Phiếu yêu cầu in – {ticket.title}")
    c.setFillColorCMYK(0, 0, 0, 1)
    y = height - margin
    c.setFont(heavy, 16)
    c.drawString(margin, y - 16, "PHIẾU YÊU CẦU IN")
    c.setFont(light, 9)
    c.drawRightString(width - margin, y - 14, f"Ngày {short_date(dt.date.fromisoformat(ticket.date))}")
    y -= 34
    label_w = 42 * PT_PER_MM
    text_w = width - 2 * margin - label_w
    for label, value in ROWS:
        if not value(ticket):
            continue
        lines = simpleSplit(value(ticket), light, 9.5, text_w)
        c.setFont(heavy, 9.5)
        c.drawString(margin, y, label)
        c.setFont(light, 9.5)
        for line in lines:
            c.drawString(margin + label_w, y, line)
            y -= 13
        y -= 4
        c.setStrokeColorCMYK(0, 0, 0, 0.25)
        c.setLineWidth(0.4)
        c.line(margin, y + 9, width - margin, y + 9)
    y -= 8
    c.setFont(heavy, 11)
    c.drawString(margin, y, "Tệp giao cho nhà in (kiểm tra bằng SHA-256)")
    y -= 16
    for file in ticket.files:
        c.setFont(heavy, 9)
        kind = "bình trang" if file.kind == "imposed" else "từng trang"
        size = f"{mm(file.trim_mm[0])} × {mm(file.trim_mm[1])} mm, {number(file.bytes)} byte"
        c.drawString(margin, y, f"{file.name}  ({kind}, {file.pages} trang, {size})")
        y -= 12
        c.setFont(light, 7.5)
        c.drawString(margin + 8, y, file.sha256)
        y -= 16
    c.setFont(light, 8)
    c.drawString(margin, margin, "Tệp PDF/X-4, CMYK. Mọi thắc mắc xin liên hệ đơn vị đặt in ở trên.")
    if ticket.tool:
        c.drawRightString(width - margin, margin, f"Tạo bằng {ticket.tool}")
    c.showPage()
    c.save()
    return buffer.getvalue()
