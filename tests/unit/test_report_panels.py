"""The Qt-free panels of the debrief, briefing and projector (wargame.report.panels): what
the room reads, as a table of cases, without Qt."""
import subprocess
import sys

import pytest

from wargame.report import panels

REVEALED = {
    "turn": 3,
    "orders": [{"team": "Beijing", "text": "NdPr licence freeze on the United States",
                "status": "accepted"},
               {"team": "Washington", "text": "Price floor <USD 110/kg>", "status": "rejected"}],
    "explanations": ["The NdPr magnet price rose to 2.1x its baseline."],
    "injects": ["Port strike at Tianjin"],
    "overrides": ["Washington's price floor: rejected — not credible this quarter"],
}


@pytest.mark.parametrize("phase,waiting,paused,expected", [
    ("briefing", [], False, "Briefing: orders open when the facilitator hands the laptop over."),
    ("orders", ["Washington"], False, "Waiting for Washington."),
    ("orders", ["Washington", "Brussels"], False, "Waiting for Washington and Brussels."),
    ("orders", ["Beijing", "Washington", "Brussels"], False,
     "Waiting for Beijing, Washington and Brussels."),
    ("orders", [], False, "All orders are in: the facilitator resolves the turn."),
    ("adjudication", [], False, "All orders are in: the facilitator is reviewing the outcomes."),
    ("orders", ["Washington"], True, "Paused: the clock has stopped."),
    ("ended", [], False, "The exercise has ended."),
])
def test_waiting_text(phase, waiting, paused, expected):
    """Rule: the room reads whom it waits for, by name, in one sentence."""
    assert panels.waiting_text(phase, waiting, paused) == expected


def test_debrief_names_turn_events_explanations_orders_and_overrides():
    text = panels.debrief_html(REVEALED)
    assert "<h3>Turn 3: what happened and why</h3>" in text
    assert "Port strike at Tianjin" in text
    assert "rose to 2.1x" in text
    assert "NdPr licence freeze on the United States" in text
    assert "not credible this quarter" in text
    assert "Price floor &lt;USD 110/kg&gt;" in text  # escaped, never raw markup


@pytest.mark.parametrize("revealed,expected", [
    (None, "The debrief appears here once a turn has been committed."),
    ({**REVEALED, "explanations": []}, "No order or event changed anything measurable"),
    ({**REVEALED, "orders": []}, "No team gave an order this turn."),
])
def test_debrief_says_when_there_is_nothing(revealed, expected):
    assert expected in panels.debrief_html(revealed)


def test_events_html():
    assert "No events this turn so far." in panels.events_html([])
    assert "<li>Typhoon</li>" in panels.events_html(["Typhoon"])


def test_panels_import_no_qt():
    """The report and the after-action report build these without a display."""
    code = "import sys, wargame.report.panels; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "False", out.stderr
