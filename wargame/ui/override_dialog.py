"""The facilitator's ruling on one order (issue 9, item 5): set it aside, admit it, or,
where the move has numbers, scale one of them ("halve the tonnes"), always with a written
reason. The dialog names the order as a sentence, never its id, and its OK button stays
disabled until a reason is written: an empty reason keeps the dialog open instead of
throwing the ruling away."""
from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class OverrideChoice:
    """What the facilitator ruled: ``status`` accepted / rejected / scaled; for scaled, the
    numeric parameter and the factor it is multiplied by."""

    status: str
    reason: str
    param: str | None = None
    factor: float | None = None


class OverrideDialog(QDialog):
    def __init__(self, scenario, order: dict, outcome: dict,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from wargame.engine import scalable_params
        from wargame.engine.phrases import describe_order
        from wargame.engine.orders import Order

        self.setObjectName("OverrideDialog")
        self.setWindowTitle("Override the outcome")
        move = scenario.move_index.get(order.get("move", ""))
        described = describe_order(scenario, Order.from_dict(order)) if move else \
            str(outcome.get("description", ""))
        layout = QVBoxLayout(self)
        detail = f" ({outcome.get('detail')})" if outcome.get("detail") else ""
        what = QLabel(f"<b>{html.escape(described)}</b><br>The rules say: "
                      f"{html.escape(str(outcome.get('status', '')) + detail)}")
        what.setWordWrap(True)
        what.setAccessibleName("The order and its outcome")
        layout.addWidget(what)

        self.reject_option = QRadioButton("&Set it aside: the order has no effect")
        self.accept_option = QRadioButton("&Admit it although the rules rejected it")
        self.scale_option = QRadioButton("S&cale one of its numbers")
        self.options = QButtonGroup(self)
        for button in (self.reject_option, self.accept_option, self.scale_option):
            self.options.addButton(button)
            layout.addWidget(button)
        rejected = str(outcome.get("status", "")) == "rejected"
        self.accept_option.setEnabled(rejected)
        (self.accept_option if rejected else self.reject_option).setChecked(True)

        form = QFormLayout()
        self.param_combo = QComboBox()
        self.param_combo.setAccessibleName("Number to scale")
        for spec in scalable_params(move) if move else ():
            self.param_combo.addItem(spec.title, spec.name)
        self.factor = QDoubleSpinBox()
        self.factor.setAccessibleName("Scale factor")
        self.factor.setDecimals(2)
        self.factor.setRange(0.05, 10.0)
        self.factor.setSingleStep(0.05)
        self.factor.setValue(0.5)
        self.factor.setToolTip("0.5 halves the number, 2 doubles it")
        form.addRow("&Number:", self.param_combo)
        form.addRow("&Factor (0.5 = half):", self.factor)
        layout.addLayout(form)
        self.scale_option.setEnabled(self.param_combo.count() > 0)
        if self.param_combo.count() == 0:
            self.scale_option.setToolTip("This move has no number to scale")

        reason_label = QLabel("&Reason (shown in the debrief; required):")
        layout.addWidget(reason_label)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the override")
        reason_label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Override")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._sync)
        self.options.buttonToggled.connect(lambda *_: self._sync())
        self._sync()
        self.resize(520, 380)

    def _sync(self) -> None:
        """The scale fields only for scaling; OK only with a reason written."""
        scaling = self.scale_option.isChecked()
        self.param_combo.setEnabled(scaling)
        self.factor.setEnabled(scaling)
        self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))

    def accept(self) -> None:
        if not self.reason.toPlainText().strip():
            return  # stays open: a ruling needs its reason
        super().accept()

    def choice(self) -> OverrideChoice:
        reason = self.reason.toPlainText().strip()
        if self.scale_option.isChecked():
            return OverrideChoice("scaled", reason, self.param_combo.currentData(),
                                  float(self.factor.value()))
        return OverrideChoice("accepted" if self.accept_option.isChecked() else "rejected",
                              reason)


__all__ = ["OverrideChoice", "OverrideDialog"]
