"""Numbers with their sources on hover: a scenario figure's citation (``cite``) and a
number wrapped so that its source shows when the pointer rests on it (``sourced``: an HTML
``title``, which Qt's rich text keeps as the text's tooltip; ``ui.text_views`` shows it)."""
from __future__ import annotations

import html
from typing import Any


def cite(scenario: Any, figure: Any) -> str:
    """'source: <full citation>' for a scenario ``Figure`` (its note too), or 'no source
    given'."""
    key = getattr(figure, "source", None)
    text = f"source: {scenario.sources.get(key, key)}" if key else "no source given"
    note = getattr(figure, "note", None)
    return text + (f" ({note})" if note else "")


def sourced(text: str, source: str) -> str:
    """``text`` (escaped) that shows ``source`` on hover."""
    return f"<span title=\"{html.escape(source, quote=True)}\">{html.escape(text)}</span>"


__all__ = ["cite", "sourced"]
