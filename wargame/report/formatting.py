"""How the report prints numbers, in one place: the HTML and PDF use these, and the tests
use them to find the store's numbers in the report."""
from __future__ import annotations

import math


def number(value: float | None, digits: int = 2) -> str:
    """'1,234.57'; a dash for a missing value."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.{digits}f}"


def share(value: float | None) -> str:
    """A 0..1 share as a whole per cent: '87 %'."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{100 * value:.0f} %"


def price(value: float | None) -> str:
    """USD/kg with sensible precision: '1,234', '56.7', '0.563'."""
    if value is None or not math.isfinite(value):
        return "–"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def signed(value: float | None, digits: int = 2) -> str:
    """'+0.25' / '−0.10' for differences and contributions."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:+,.{digits}f}"
    return text.replace("-", "−")


def figure(value: float) -> str:
    """A stated baseline figure as written: '60,000', '0.92', '1.5'."""
    if not math.isfinite(value):
        return "–"
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def b64(text: str) -> str:
    """Base64 of a text (for an SVG data URI)."""
    import base64

    return base64.b64encode(text.encode()).decode()


def timestamp(iso: str) -> str:
    """'2026-11-30 12:55 UTC' from an ISO timestamp (as stored)."""
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


FILTERS = {"number": number, "share": share, "price": price, "signed": signed,
           "timestamp": timestamp, "figure": figure, "b64": b64}
