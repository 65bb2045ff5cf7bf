"""``wargame --screenshot DIR``: play a scripted two-turn game offscreen and save PNGs of
the main views (start screen, curtain, team order screen, adjudication, debrief charts,
world view, projector) for the README.

Runs with a temporary session database and temporary settings, so it never touches the
user's saved sessions or preferences.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

SIZE = (1366, 768)
PROJECTOR_SIZE = (1600, 900)


def _scenario_path() -> Path:
    from wargame.scenario.loader import default_scenario_path

    path = default_scenario_path()
    if path.exists():
        return path
    fixture = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "scenarios" / "mini.yaml"
    return fixture


def _settle(app, rounds: int = 6) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def take_screenshots(out_dir: str | Path, theme: str = "light") -> list[Path]:
    """``theme="dark"`` renders the same tour in the dark palette (for checking contrast)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from wargame.ui.app import make_application

    app = make_application()
    from PySide6.QtGui import QFont, QFontDatabase

    if not QFontDatabase.families():
        raise RuntimeError("no fonts are installed: every glyph would render as a box "
                           "(install fonts-dejavu-core)")
    font = QFont(app.font())
    if font.pointSizeF() > 0 and font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    from wargame.ui import dialogs, settings
    from wargame.ui.palette import apply_app_palette

    tmp = tempfile.TemporaryDirectory(prefix="wargame-shots-")
    settings.use_settings_dir(Path(tmp.name) / "settings")
    dialogs.install_excepthook(quiet=True)
    apply_app_palette(app, theme)
    from wargame.ui.main_window import MainWindow
    from wargame.ui.scripted import ScriptedPrompts, draft_first_legal, wait_until

    scenario_path = _scenario_path()
    window = MainWindow(db_path=Path(tmp.name) / "sessions.sqlite",
                        scenario_path=str(scenario_path), populate=False)

    def setup(dialog):
        teams = list(dialog.controller_boxes)
        for index, team in enumerate(teams):
            dialog.set_controller(team, "human" if index in (1, 2) else "bot")
        dialog.seed.setValue(2025)
        dialog.turn_limit.setValue(4)
        dialog.timer.setValue(15)

    window.prompts = ScriptedPrompts(window, setup=setup)
    if theme == "dark":
        window.act_dark.setChecked(True)
    window.resize(*SIZE)
    window.show()
    window.populate_start()
    wait_until(lambda: window.start_ready)
    saved: list[Path] = []

    def shoot(widget, name: str) -> None:
        _settle(app)
        path = out / name
        widget.grab().save(str(path))
        saved.append(path)

    shoot(window, "01-start-screen.png")
    window.new_exercise(str(scenario_path))
    ctl = window.controller
    _settle(app, 15)

    def play_turn(first: bool) -> None:
        window.console.handover_button.click()
        human_index = 0
        while window.stack.currentWidget() is window.curtain and \
                window.curtain.who != "facilitator":
            if first and human_index == 0:
                shoot(window, "02-curtain.png")
            window.curtain.button.click()
            screen = window.team_screen
            draft_first_legal(screen, ("offtake_deal", "offtake", "build_capacity"))
            draft_first_legal(screen, ("price_floor", "stockpile", "magnet_recycling"))
            if first and human_index == 0:
                screen.undo_stack.undo()
                screen.undo_stack.redo()
                shoot(window, "03-team-orders.png")
            human_index += 1
            screen.confirm_submit = False
            screen.submit_button.click()
        window.curtain.button.click()
        wait_until(lambda: not ctl.busy and ctl.has_proposal)

    # turn 1, with a free-text inject fired by hand
    window.prompts.texts.extend(["Port strike at Tianjin",
                                 "Dock workers strike for a week; magnet shipments wait."])
    window.console.free_button.click()
    play_turn(first=True)
    window.console.commit_button.click()
    window.console.next_turn_button.click()
    # turn 2: adjudication with an override
    play_turn(first=False)
    if window.console.outcomes.rowCount():
        window.console.outcomes.selectRow(0)
        window.prompts.choices.append("rejected")
        window.prompts.texts.append("White cell: the deal cannot close within one quarter.")
        window.console.override_button.click()
        wait_until(lambda: not ctl.busy)
    window.console.outcomes.resizeRowsToContents()
    shoot(window, "04-adjudication.png")
    window.console.commit_button.click()
    _settle(app, 10)
    shoot(window, "05-debrief.png")
    window.console.next_turn_button.click()  # briefing of turn 3: the world view
    window.console.tabs.setCurrentIndex(0)
    shoot(window, "06-world-view.png")
    window.toggle_projector()
    projector = window.projector
    projector.resize(*PROJECTOR_SIZE)
    _settle(app, 10)
    shoot(projector, "07-projector.png")
    projector.close()
    window.close()
    settings.use_settings_dir(None)
    tmp.cleanup()
    return saved
