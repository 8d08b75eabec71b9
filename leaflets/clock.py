"""The build's one clock: today, or the date SOURCE_DATE_EPOCH names (reproducible builds)."""

from __future__ import annotations

import datetime as dt
import os


def build_date() -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH names (for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()
