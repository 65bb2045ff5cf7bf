"""What the windows of batch analysis share: how many re-runs "Was it luck?" makes
(the report's options now; the debrief's luck view too)."""
from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

DEFAULT_RE_RUNS = 50  # "was it luck?" by default: a few seconds
MAX_RE_RUNS = 2000  # the app's bound: a few minutes at most on a laptop


def re_runs_box() -> QSpinBox:
    """How many other seeds "Was it luck?" re-runs the session with."""
    box = QSpinBox()
    box.setRange(5, MAX_RE_RUNS)
    box.setSingleStep(10)
    box.setValue(DEFAULT_RE_RUNS)
    box.setSuffix(" other seeds")
    box.setAccessibleName("Number of re-runs")
    return box


