"""Colours for the whole UI: light/dark ``QPalette``\\s, colour-blind-safe series colours,
restriction-status styles and colour maps for heat maps.

Usage::

    from wargame.ui import palette
    palette.apply_app_palette(app, "dark")        # QApplication-wide light/dark palette
    colours = palette.chart_colours("dark")       # background, foreground, grid, series ...
    colours.series[i]                             # i-th line colour (Okabe-Ito, reordered)
    palette.series_symbol(i)                      # pyqtgraph marker so lines differ by shape too
    palette.sequential_colour(0.8)                # heat-map colour for 80 % (QColor)
    palette.status_style("frozen", "light")       # (QColor, Qt.PenStyle) for a trade flow

Series colours follow Okabe & Ito (2008), "Color Universal Design"
(https://jfly.uni-koeln.de/color/), safe for the common forms of colour-vision deficiency;
they are reordered per theme so the first colours have good contrast on the background
(yellow comes last on white, dark blue last on black). Every place that uses colour also
varies something else (marker shape, dash pattern, annotated numbers), so colour is never
the only cue. The sequential map is a cividis-like ramp (monotonic lightness, readable in
greyscale), the diverging map runs blue - neutral - orange.

``theme`` arguments accept ``"light"``/``"dark"`` (or anything whose ``str()``/``.name``/
``.value`` is one of those; ``None`` means light).
"""
from __future__ import annotations

from dataclasses import dataclass

from wargame.ui._qt import QtCore, QtGui

Qt = QtCore.Qt

# --------------------------------------------------------------------------- Okabe-Ito

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

# Eight colours for eight materials. The eighth is a neutral grey in both themes: a
# darkened yellow next to orange (light) and a lightened blue next to sky blue (dark) were
# too alike to tell apart in a legend (CIEDE2000 distance 15 and 8; every pair now >= 20,
# tests/gui/test_palette_switch.py).
_SERIES_LIGHT = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                 "#000000", "#7F7F7F")
_SERIES_DARK = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#D55E00",
                "#FFFFFF", "#9E9E9E")

# marker shapes understood by pyqtgraph; cycled with the colours so lines differ by shape too
SERIES_SYMBOLS = ("o", "s", "t", "d", "+", "x", "star", "t1", "p", "h")

# restriction status of a trade flow -> colour (light, dark) and dash pattern
FLOW_STATUSES = ("open", "slowed", "frozen", "banned")
_STATUS_COLOURS = {
    "open": ("#0072B2", "#56B4E9"),
    "slowed": ("#E69F00", "#F0B429"),
    "frozen": ("#CC79A7", "#E3A6C9"),
    "banned": ("#D55E00", "#FF7A2F"),
}
_STATUS_PENS = {
    "open": Qt.PenStyle.SolidLine,
    "slowed": Qt.PenStyle.DashLine,
    "frozen": Qt.PenStyle.DotLine,
    "banned": Qt.PenStyle.DashDotLine,
}
STATUS_LABELS = {
    "open": "open",
    "slowed": "slowed (licences)",
    "frozen": "frozen",
    "banned": "banned",
}

# cividis-like sequential ramp (dark blue -> grey -> yellow), monotonic lightness
_SEQUENTIAL = ((0.0, "#00224E"), (0.25, "#35456C"), (0.5, "#666970"),
               (0.75, "#A59C74"), (1.0, "#FDE737"))
# diverging: blue (low) - near white - orange (high)
_DIVERGING = ((0.0, "#0072B2"), (0.5, "#F2F2F2"), (1.0, "#D55E00"))


def theme_name(theme: object) -> str:
    """Normalise a theme argument to ``"light"`` or ``"dark"``."""
    if theme is None:
        return "light"
    for attr in ("value", "name"):
        inner = getattr(theme, attr, None)
        if isinstance(inner, str):
            theme = inner
            break
    text = str(theme).lower()
    return "dark" if "dark" in text else "light"


@dataclass(frozen=True)
class ChartColours:
    """Everything a chart needs to paint itself in one theme (hex strings)."""

    theme: str
    background: str
    foreground: str  # text, axes
    muted: str  # secondary text, grid labels
    grid: str
    land: str  # flow map: countries
    land_border: str
    water: str
    actor_fill: str
    actor_border: str
    highlight: str  # selected actor / flow
    ghost: str  # last turn's flows that stopped
    missing: str  # heat-map cells without data
    series: tuple[str, ...]


_LIGHT = ChartColours(
    theme="light", background="#FFFFFF", foreground="#1A1A1A", muted="#555555",
    grid="#D0D0D0", land="#E4E1DA", land_border="#B5B0A6", water="#F4F8FB",
    actor_fill="#FFFFFF", actor_border="#1A1A1A", highlight="#000000", ghost="#8C8C8C",
    missing="#E8E8E8", series=_SERIES_LIGHT,
)
_DARK = ChartColours(
    theme="dark", background="#1E1F22", foreground="#ECECEC", muted="#B0B0B0",
    grid="#45474D", land="#3A3C41", land_border="#5C5F66", water="#23262B",
    actor_fill="#2B2D31", actor_border="#ECECEC", highlight="#FFFFFF", ghost="#8A8A8A",
    missing="#34363B", series=_SERIES_DARK,
)


def chart_colours(theme: object = "light") -> ChartColours:
    return _DARK if theme_name(theme) == "dark" else _LIGHT


def series_colour(index: int, theme: object = "light") -> str:
    colours = chart_colours(theme).series
    return colours[index % len(colours)]


def series_symbol(index: int) -> str:
    return SERIES_SYMBOLS[index % len(SERIES_SYMBOLS)]


def status_style(status: str, theme: object = "light") -> tuple[QtGui.QColor, Qt.PenStyle]:
    """Colour and dash pattern of a trade flow with this restriction status."""
    key = status if status in _STATUS_COLOURS else "open"
    light, dark = _STATUS_COLOURS[key]
    colour = dark if theme_name(theme) == "dark" else light
    return QtGui.QColor(colour), _STATUS_PENS[key]


def _ramp(stops: tuple[tuple[float, str], ...], t: float) -> QtGui.QColor:
    if t != t:  # NaN
        t = 0.0
    t = min(1.0, max(0.0, float(t)))
    for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            a, b = QtGui.QColor(c0), QtGui.QColor(c1)
            return QtGui.QColor(
                round(a.red() + (b.red() - a.red()) * f),
                round(a.green() + (b.green() - a.green()) * f),
                round(a.blue() + (b.blue() - a.blue()) * f),
            )
    return QtGui.QColor(stops[-1][1])


def sequential_colour(t: float) -> QtGui.QColor:
    """Colour for a value in 0..1 on the sequential (cividis-like) map."""
    return _ramp(_SEQUENTIAL, t)


def diverging_colour(t: float) -> QtGui.QColor:
    """Colour for a value in 0..1 on the diverging map (0.5 = neutral)."""
    return _ramp(_DIVERGING, t)


def sequential_stops() -> tuple[tuple[float, str], ...]:
    return _SEQUENTIAL


def text_colour_on(background: QtGui.QColor) -> QtGui.QColor:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""

    def channel(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = (0.2126 * channel(background.red()) + 0.7152 * channel(background.green())
           + 0.0722 * channel(background.blue()))
    return QtGui.QColor("#000000") if lum > 0.179 else QtGui.QColor("#FFFFFF")


# --------------------------------------------------------------------------- QPalette


def qpalette(theme: object = "light") -> QtGui.QPalette:
    """A complete application palette for the theme (Fusion style recommended)."""
    dark = theme_name(theme) == "dark"
    pal = QtGui.QPalette()
    R = QtGui.QPalette.ColorRole
    G = QtGui.QPalette.ColorGroup
    if dark:
        roles = {
            R.Window: "#2B2D31", R.WindowText: "#ECECEC", R.Base: "#1E1F22",
            R.AlternateBase: "#26282C", R.ToolTipBase: "#3A3C41", R.ToolTipText: "#F5F5F5",
            R.PlaceholderText: "#9A9A9A", R.Text: "#ECECEC", R.Button: "#35373C",
            R.ButtonText: "#ECECEC", R.BrightText: "#FF7A2F", R.Light: "#4A4D53",
            R.Midlight: "#3F4247", R.Mid: "#2F3136", R.Dark: "#191A1D", R.Shadow: "#000000",
            R.Highlight: "#3A7FC1", R.HighlightedText: "#FFFFFF", R.Link: "#56B4E9",
            R.LinkVisited: "#CC79A7",
        }
        disabled = {R.WindowText: "#7A7A7A", R.Text: "#7A7A7A", R.ButtonText: "#7A7A7A",
                    R.Highlight: "#4A4D53", R.HighlightedText: "#AAAAAA"}
    else:
        roles = {
            R.Window: "#F3F3F3", R.WindowText: "#1A1A1A", R.Base: "#FFFFFF",
            R.AlternateBase: "#F0F0F0", R.ToolTipBase: "#FFFFE8", R.ToolTipText: "#1A1A1A",
            R.PlaceholderText: "#6E6E6E", R.Text: "#1A1A1A", R.Button: "#E8E8E8",
            R.ButtonText: "#1A1A1A", R.BrightText: "#D55E00", R.Light: "#FFFFFF",
            R.Midlight: "#EAEAEA", R.Mid: "#B8B8B8", R.Dark: "#8A8A8A", R.Shadow: "#4A4A4A",
            R.Highlight: "#0072B2", R.HighlightedText: "#FFFFFF", R.Link: "#0060A0",
            R.LinkVisited: "#8E3B74",
        }
        disabled = {R.WindowText: "#8C8C8C", R.Text: "#8C8C8C", R.ButtonText: "#8C8C8C",
                    R.Highlight: "#C8C8C8", R.HighlightedText: "#555555"}
    for role, colour in roles.items():
        pal.setColor(role, QtGui.QColor(colour))
    for role, colour in disabled.items():
        pal.setColor(G.Disabled, role, QtGui.QColor(colour))
    return pal


def apply_app_palette(app, theme: object = "light") -> None:
    """Set the Fusion style (once) and the theme's palette on a ``QApplication``.

    Setting a style deletes the one before it while widgets may still hold it: a palette
    toggle that re-set Fusion crashed the screenshot tour once in a full run. So the style is
    set only when it is not Fusion already, and a toggle changes the palette alone."""
    style = app.style()
    if style is None or style.name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(qpalette(theme))
