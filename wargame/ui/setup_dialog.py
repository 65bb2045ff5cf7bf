"""Set-up of a new exercise: who plays each team (human, or a bot in the scenario's style or
with a posture), optional PINs, the seed
(random by default, and shown so it can be written down), the turn limit and the timer."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wargame.store.records import BOT_POSTURES


@dataclass
class ExerciseSetup:
    controllers: dict[str, str]  # team id -> "human" | "bot"
    postures: dict[str, str] = field(default_factory=dict)  # bot team id -> posture
    pins: dict[str, str] = field(default_factory=dict)  # team id -> PIN (only those set)
    facilitator_pin: str | None = None
    seed: int = 0
    turn_limit: int = 1
    timer_seconds: int = 0


# what each bot does (wargame/engine/posture_bots.py), where the facilitator chooses it
_STYLE_TIP = ("Plays the style the scenario gives this team: at most one order a turn, "
              "from the moves the designer listed for it.")
_POSTURE_TIPS = {
    "hawkish": "Pursues the team's objectives with its leverage (export controls, tariffs) "
               "and retaliates against a team whose coercive order hit it.",
    "balanced": "Weighs leverage against resilience: coerces less than a hawk, answers a "
                "rival's coercion, and builds supply where the team is short.",
    "dovish": "Never coerces: builds resilience (investment, stockpiles, offtakes, "
              "recycling) where the team is short.",
}


class SetupDialog(QDialog):
    def __init__(self, scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        self.setWindowTitle(f"Set up: {scenario.title}")
        layout = QVBoxLayout(self)
        intro = QLabel(f"<b>{scenario.title}</b><br>{len(scenario.teams)} teams, up to "
                       f"{scenario.turns} turns of {scenario.turn_length_months} months.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(len(scenario.teams), 3)
        self.table.setAccessibleName("Teams")
        self.table.setHorizontalHeaderLabels(["Team", "Played by", "PIN (optional)"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.controller_boxes: dict[str, QComboBox] = {}
        self.pin_edits: dict[str, QLineEdit] = {}
        for row, team in enumerate(scenario.teams):
            item = QTableWidgetItem(team.name)
            item.setToolTip(team.briefing or team.name)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem("Human players", "human")
            combo.addItem(f"Bot, the scenario's {team.bot} style", "bot")
            combo.setItemData(1, _STYLE_TIP, Qt.ItemDataRole.ToolTipRole)
            for posture in BOT_POSTURES:
                combo.addItem(f"Bot, {posture}", f"bot:{posture}")
                combo.setItemData(combo.count() - 1, _POSTURE_TIPS[posture],
                                  Qt.ItemDataRole.ToolTipRole)
            combo.setAccessibleName(f"{team.name} played by")
            self.table.setCellWidget(row, 1, combo)
            self.controller_boxes[team.id] = combo
            pin = QLineEdit()
            pin.setEchoMode(QLineEdit.EchoMode.Password)
            pin.setAccessibleName(f"PIN for {team.name}")
            pin.setPlaceholderText("none")
            self.table.setCellWidget(row, 2, pin)
            self.pin_edits[team.id] = pin
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)

        form = QFormLayout()
        self.facilitator_pin = QLineEdit()
        self.facilitator_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.facilitator_pin.setPlaceholderText("none")
        self.facilitator_pin.setAccessibleName("Facilitator PIN")
        form.addRow("&Facilitator PIN:", self.facilitator_pin)
        # the session layer's advice, beside the field (not only when it is too late)
        self.pin_advice = QLabel()
        self.pin_advice.setObjectName("pinAdvice")
        self.pin_advice.setWordWrap(True)
        self.pin_advice.setAccessibleName("Advice on the facilitator PIN")
        self.facilitator_pin.textChanged.connect(self._advise_pin)
        form.addRow("", self.pin_advice)
        self._advise_pin("")
        seed_row = QHBoxLayout()
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(secrets.randbelow(1_000_000))
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("The random seed: the same seed and orders replay the same game")
        seed_row.addWidget(self.seed, 1)
        reroll = QPushButton("&Random")
        reroll.setAccessibleName("New random seed")
        reroll.clicked.connect(lambda: self.seed.setValue(secrets.randbelow(1_000_000)))
        default = QPushButton(f"Scenario &default ({scenario.default_seed})")
        default.setAccessibleName("Use the scenario's default seed")
        default.clicked.connect(lambda: self.seed.setValue(scenario.default_seed))
        seed_row.addWidget(reroll)
        seed_row.addWidget(default)
        # a row whose field is a layout has no buddy by itself: without one the label would
        # show its ampersand ("&Seed:") instead of underlining the S
        seed_label = QLabel("&Seed:")
        seed_label.setBuddy(self.seed)
        form.addRow(seed_label, seed_row)
        self.turn_limit = QSpinBox()
        self.turn_limit.setRange(1, 200)
        self.turn_limit.setValue(scenario.turns)
        self.turn_limit.setAccessibleName("Turn limit")
        form.addRow("&Turn limit:", self.turn_limit)
        self.timer = QSpinBox()
        self.timer.setRange(0, 240)
        self.timer.setSuffix(" min")
        self.timer.setSpecialValueText("no timer")
        self.timer.setAccessibleName("Per-turn timer in minutes")
        form.addRow("Per-turn ti&mer:", self.timer)
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start exercise")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 320 + 30 * len(scenario.teams))

    def _advise_pin(self, pin: str) -> None:
        """A facilitator PIN of 6 or more digits is recommended (``pin_advice``): said while
        it is typed; without a PIN, what a PIN would guard."""
        from wargame.session.pin_guard import pin_advice

        if not pin:
            self.pin_advice.setText("Without a facilitator PIN anyone at the laptop can act "
                                    "as the facilitator; 6 or more digits are recommended.")
            return
        advice = pin_advice(pin, facilitator=True)
        self.pin_advice.setText(advice[:1].upper() + advice[1:] + "." if advice
                                else "A good length: it guards every facilitator action.")

    def set_controller(self, team_id: str, controller: str) -> None:
        combo = self.controller_boxes[team_id]
        combo.setCurrentIndex(combo.findData(controller))

    def result_setup(self) -> ExerciseSetup:
        chosen = {t: str(c.currentData()) for t, c in self.controller_boxes.items()}
        return ExerciseSetup(
            controllers={t: kind.partition(":")[0] for t, kind in chosen.items()},
            postures={t: kind.partition(":")[2] for t, kind in chosen.items()
                      if kind.partition(":")[2]},
            pins={t: e.text() for t, e in self.pin_edits.items() if e.text()},
            facilitator_pin=self.facilitator_pin.text() or None,
            seed=int(self.seed.value()),
            turn_limit=int(self.turn_limit.value()),
            timer_seconds=int(self.timer.value()) * 60,
        )
