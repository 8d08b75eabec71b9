"""The build's one clock: SOURCE_DATE_EPOCH, else the piece's date, else today.

Everything a print file says about time (its slug, its creation date, its
metadata) comes from `stamp()`, so that the same inputs make the same bytes
on any day: set SOURCE_DATE_EPOCH, or give the piece a `date`.
"""

from __future__ import annotations

import datetime as dt
import os


def _epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return None


def epoch_date() -> dt.date | None:
    """The date SOURCE_DATE_EPOCH names, or None when it is not set."""
    epoch = _epoch()
    return epoch.date() if epoch else None


def build_date() -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = _epoch()
    return epoch.date() if epoch else dt.date.today()


def stamp(piece_date: dt.date | None = None) -> dt.datetime:
    """The moment a print file is dated: SOURCE_DATE_EPOCH, else the piece's date, else today (UTC)."""
    epoch = _epoch()
    if epoch is not None:
        return epoch
    day = piece_date or dt.date.today()
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
