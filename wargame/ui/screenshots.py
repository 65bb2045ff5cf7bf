"""``wargame --screenshot DIR``: play a scripted exercise offscreen (the facilitator and two
human teams, four bots, on the default scenario) and save PNGs of every main view, at
1024x640 and 1920x1080, in the light and the dark palette: the start screen, the baseline
briefing, the curtain, both teams' order screens, adjudication and the facilitator's
override dialog, the debrief, the world view, the projector, "Was it luck?" (re-runs of the
played turns), branches side by side (a fork of turn 2 with an inject fired by hand), and
the guide.

``DIR`` gets the README's set (light, 1024x640; also the pictures of Help > How to run an
exercise) and one sub-folder per other variant (``dark-1024x640``, ``light-1920x1080``,
``dark-1920x1080``). Runs with a temporary session database and temporary settings, so it
never touches the user's saved sessions or preferences.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


@dataclass(frozen=True)
class Variant:
    theme: str
    window: tuple[int, int]
    projector: tuple[int, int]

    @property
    def name(self) -> str:
        return f"{self.theme}-{self.window[0]}x{self.window[1]}"


README = Variant("light", (1024, 640), (1280, 720))
VARIANTS = (README, Variant("dark", (1024, 640), (1280, 720)),
            Variant("light", (1920, 1080), (1920, 1080)),
            Variant("dark", (1920, 1080), (1920, 1080)))
SHOTS = ("01-start-screen.png", "02-curtain.png", "03-team-orders.png",
         "04-adjudication.png", "05-debrief.png", "06-world-view.png", "07-projector.png",
         "08-projector-orders.png", "09-second-team-orders.png", "10-guide.png",
         "11-baseline-briefing.png", "12-override-dialog.png", "13-was-it-luck.png",
         "14-branches.png")
# dialogs: their own size (the analysis windows are sized like the main window)
DIALOG_SHOTS = ("10-guide.png", "12-override-dialog.png")
LUCK_RUNS = 40  # the luck view's re-runs in the tour: enough for a band, a few seconds


def _scenario_path() -> Path:
    from wargame.resources import default_scenario_path

    return default_scenario_path()


def _settle(app, rounds: int = 6) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def take_all(out_dir: str | Path) -> list[Path]:
    """Every variant: the README's set in ``out_dir``, the others in sub-folders."""
    out = Path(out_dir)
    saved: list[Path] = []
    for variant in VARIANTS:
        target = out if variant == README else out / variant.name
        saved += take_screenshots(target, variant)
    return saved


def take_screenshots(out_dir: str | Path, variant: Variant = README) -> list[Path]:
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
    apply_app_palette(app, variant.theme)
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
    window.ask_before_quit = False
    if variant.theme == "dark":
        window.act_dark.setChecked(True)
    window.resize(*variant.window)
    window.show()
    window.populate_start()
    wait_until(lambda: window.start_ready)
    saved: list[Path] = []

    def shoot(widget, name: str) -> None:
        _settle(app)
        path = out / name
        widget.grab().save(str(path))
        saved.append(path)

    window.new_exercise(str(scenario_path))
    ctl = window.controller
    _settle(app, 15)
    window.console.tabs.setCurrentIndex(0)  # turn 1's briefing: the baseline world
    shoot(window, SHOTS[10])

    def play_turn(first: bool) -> None:
        window.console.handover_button.click()
        human_index = 0
        while window.stack.currentWidget() is window.curtain and \
                window.curtain.who != "facilitator":
            if first and human_index == 0:
                shoot(window, SHOTS[1])
            window.curtain.button.click()
            screen = window.team_screen
            draft_first_legal(screen, ("offtake_deal", "offtake", "build_capacity"))
            draft_first_legal(screen, ("price_floor", "stockpile", "magnet_recycling"))
            if first and human_index == 0:
                screen.undo_stack.undo()
                screen.undo_stack.redo()
                shoot(window, SHOTS[2])
            if first and human_index == 1:
                shoot(window, SHOTS[8])
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

        def rule(dialog) -> bool:
            """The real override dialog, filled in as a facilitator would, then shot."""
            if dialog.scale_option.isEnabled():
                dialog.scale_option.setChecked(True)
            else:
                dialog.reject_option.setChecked(True)
            dialog.reason.setPlainText("White cell: only half of the deal can close "
                                       "within one quarter.")
            dialog.show()
            shoot(dialog, SHOTS[11])
            return True

        window.prompts.override_fn = rule
        window.console.override_button.click()
        window.prompts.override_fn = None
        wait_until(lambda: not ctl.busy)
    window.console.outcomes.resizeRowsToContents()
    shoot(window, SHOTS[3])
    window.console.commit_button.click()
    _settle(app, 10)
    shoot(window, SHOTS[4])
    window.toggle_projector()
    projector = window.projector
    projector.resize(*variant.projector)
    _settle(app, 10)
    shoot(projector, SHOTS[6])
    luck = window.open_luck()  # "was it luck?" on the two turns played
    luck.resize(*variant.window)
    luck.runs.setValue(LUCK_RUNS)
    luck.run_button.click()
    wait_until(lambda: not luck.running, timeout=300)
    shoot(luck, SHOTS[12])
    luck.close()
    window.console.next_turn_button.click()  # briefing of turn 3: the world view
    window.console.tabs.setCurrentIndex(0)
    shoot(window, SHOTS[5])
    # turn 3: the first team has submitted, the room waits for the second
    window.console.handover_button.click()
    window.curtain.button.click()
    draft_first_legal(window.team_screen)
    window.team_screen.confirm_submit = False
    window.team_screen.submit_button.click()
    _settle(app, 10)
    shoot(projector, SHOTS[7])
    projector.close()
    window.prompts.pins.append("")
    window.facilitator_entry()
    shoot_branches(window, variant, shoot)
    window.go_home()  # the start screen, with the session and its fork listed
    window.start.sessions.selectRow(0)
    shoot(window, SHOTS[0])
    window.show_guide()
    window.guide.resize(min(900, variant.window[0]), variant.window[1] - 40)
    _settle(app, 10)
    shoot(window.guide, SHOTS[9])
    window.guide.close()
    window.close()
    settings.use_settings_dir(None)
    tmp.cleanup()
    return saved


def shoot_branches(window, variant: Variant, shoot) -> None:
    """A fork from the start of turn 2 in which the facilitator fires by hand the first
    deck inject not due anyway, played to its debrief, then the branches side by side."""
    from wargame.ui.scripted import play_hot_seat_turn, wait_until

    window.prompts.choices.append("2")
    window.act_fork.trigger()
    console = window.console
    due = window.controller.inject_marks()  # scheduled or drawn this turn: not those
    combo = console.inject_combo
    combo.setCurrentIndex(next((i for i in range(combo.count())
                                if "this turn" not in due.get(combo.itemData(i), "")), 0))
    console.fire_button.click()
    play_hot_seat_turn(window)
    console.commit_button.click()
    branches = window.open_branches()
    branches.resize(*variant.window)
    wait_until(lambda: not branches.loading, timeout=120)
    shoot(branches, SHOTS[13])
    branches.close()
