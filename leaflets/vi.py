"""Vietnamese formats for numbers, money and dates (Decree 30/2020, PRINT-SPEC §5)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

NBSP = "\u00a0"


def number(value: int | float, decimals: int = 0) -> str:
    """1234567 -> '1.234.567'; 2.5 with decimals=1 -> '2,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def decimal(value: float) -> str:
    """A number with only the decimals it needs: 29.7 -> '29,7', 21.0 -> '21'."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return number(int(whole)) + ("," + frac if frac else "")


def money(value: int) -> str:
    return f"{number(value)}{NBSP}đồng"


def date(value: dt.date) -> str:
    """'ngày 08 tháng 9 năm 2022': days under 10 and months under 3 zero-padded."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def short_date(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def size_cm(width_mm: float, height_mm: float) -> str:
    """A trim size in centimetres as an imprint states it: '29,7 × 21 cm'."""
    return f"{decimal(width_mm / 10)}{NBSP}×{NBSP}{decimal(height_mm / 10)}{NBSP}cm"


def slug(text: str) -> str:
    """An ASCII identifier from Vietnamese text: 'Gương thoát nghèo' -> 'guong-thoat-ngheo'."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section"
