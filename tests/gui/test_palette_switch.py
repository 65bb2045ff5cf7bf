"""View > Dark palette while the exercise runs (issue 9, item 15): the turn/phase header, the
team header and the prominent buttons stay readable at once (no restart), and the eight
series colours of a chart legend are told apart in both palettes."""
import itertools
import math

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from wargame.ui.palette import chart_colours


def _luminance(colour: QColor) -> float:
    def channel(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def rendered_text_contrast(widget) -> float:
    """Contrast between the widget's background (its most common pixel) and the pixel
    that differs most from it: the text, as painted in its window (grabbing the widget
    alone would paint it on its own, possibly stale, background)."""
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    image = window.grab(area).toImage()
    counts: dict[int, int] = {}
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    background = QColor.fromRgb(max(counts, key=counts.get))
    return max(contrast(background, QColor.fromRgb(rgb)) for rgb in counts)


def test_headers_and_buttons_follow_a_palette_switch(make_window, qtbot):
    window = make_window(setup=lambda d: (d.set_controller("beijing", "bot"),
                                          d.set_controller("washington", "human")))
    window.start.new_button.click()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    console = window.console
    for dark in (True, False, True):
        qtbot.keyClick(window, Qt.Key.Key_D,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert window.act_dark.isChecked() is dark
        # the new palette reaches the widgets through posted events
        qtbot.waitUntil(lambda: (_luminance(console.palette().color(
            console.backgroundRole())) < 0.1) is dark)
        for widget in (console.status, console.handover_button):
            assert rendered_text_contrast(widget) >= 4.5, (widget.objectName(), dark)
    console.handover_button.click()
    window.curtain.button.click()
    header = window.team_screen.header
    assert "Washington" in header.text()
    assert rendered_text_contrast(header) >= 4.5
    assert rendered_text_contrast(window.team_screen.submit_button) >= 4.5


def _lab(colour: QColor) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(colour.redF()), linear(colour.greenF()), linear(colour.blueF()))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(c1: QColor, c2: QColor) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005): about 2 is just noticeable,
    20 and more reads as a different colour at a glance."""
    (l1, a1, b1), (l2, a2, b2) = _lab(c1), _lab(c2)
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6))
         - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = (-math.sin(math.radians(60 * math.exp(-((h_bar - 275) / 25) ** 2)))
           * 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7)))
    dl, dc = (l2 - l1) / s_l, (c2p - c1p) / s_c
    return math.sqrt(dl ** 2 + dc ** 2 + (d_hp / s_h) ** 2 + r_t * dc * (d_hp / s_h))


def test_ciede2000_matches_published_pairs():
    """Two pairs of Sharma et al.'s test data (Lab given there; here via sRGB round trip
    tolerance): identical colours differ by 0, black and white by 100."""
    assert ciede2000(QColor("#123456"), QColor("#123456")) == pytest.approx(0.0)
    assert ciede2000(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(100.0, abs=0.5)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_legend_colours_are_told_apart(theme):
    colours = chart_colours(theme)
    series = [QColor(c) for c in colours.series]
    assert len(series) >= 8  # the default scenario has eight materials
    closest = min(ciede2000(a, b) for a, b in itertools.combinations(series, 2))
    assert closest >= 20, closest
    background = QColor(colours.background)
    assert min(contrast(c, background) for c in series) >= 2.0
