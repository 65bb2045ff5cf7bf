"""An 'actors' parameter (issue 8, item 9) is a list with a check box per actor the team
may name; the order's value is the list of checked ids."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QFormLayout, QListWidget, QWidget  # noqa: E402
from test_designer_primitives import scenario  # noqa: E402

from wargame.ui.team_screen import ParamEditor  # noqa: E402


def test_actors_parameter_is_a_checkable_list(qtbot):
    sc = scenario()
    host = QWidget()
    qtbot.addWidget(host)
    form = QFormLayout(host)
    changes = []
    editor = ParamEditor(sc, sc.move_index["multi_freeze"], "beijing", form,
                         lambda: changes.append(1))
    box = editor.widgets["targets"]
    assert isinstance(box, QListWidget)
    ids = [box.item(n).data(Qt.ItemDataRole.UserRole) for n in range(box.count())]
    assert "CHN" not in ids and "USA" in ids  # scope: other teams' actors
    assert editor.values()["targets"] == ["USA"]  # the default
    box.item(ids.index("EU")).setCheckState(Qt.CheckState.Checked)
    assert sorted(editor.values()["targets"]) == ["EU", "USA"] and changes
