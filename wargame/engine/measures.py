"""Measures in force and the investment pipeline: the typed records a ``GameState`` keeps
between turns (what happens to them over a turn is ``lifecycle.py``).

A ``Measure`` is one effect primitive with its arguments bound, from an order, an inject or
a standing order. It stays in the state while active and is re-applied to fresh policy
arrays every turn (``policy.py``), so a lapse needs no undo. Its ``id`` is stable (made from
the order id, the inject id and turn, or the standing order's index: ``planning.py``) because
every random draw it makes is keyed on it (``draws.py``).

A ``PipelineEntry`` is capacity being built: it arrives at the start of ``due_turn`` unless
its seeded delay draw makes it slip a turn.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from pydantic import TypeAdapter

ORDER_GROUP = "order:"  # group prefixes: which order, inject or standing order made a measure
INJECT_GROUP = "inject:"
STANDING_GROUP = "standing:"


@dataclass(frozen=True, slots=True)
class Measure:
    """One active effect. ``group`` names what made it (``order:<order id>``,
    ``inject:<inject id>``, ``standing:<index>``): explanations leave a whole group out.
    ``end_turn`` None = permanent; the measure acts on turns ``start_turn`` up to
    ``end_turn - 1``. ``public`` is False for a covert move (``MoveType.public``): other
    teams do not see it, nor explanations naming it read to the room. ``source`` names the
    move or inject the measure came from (``move:<id>``, ``inject:<id>``): an
    ``end_measure`` finds the measures it ends or amends by it."""

    id: str
    group: str
    label: str  # "Beijing's Export licence regime", read aloud in explanations
    team: str | None  # the team that ordered it (None for a background inject)
    primitive: str
    args: dict[str, Any]
    start_turn: int
    end_turn: int | None
    public: bool = True
    source: str = ""

    # The content that decides the measure's compiled form (``policy.compiled``):
    # primitive, permanence and the arguments, written out once, when the measure is made
    # (every measure in force is compiled every turn). A string keeps its hash, so the
    # lookups every turn makes with it (and ``policy.drawless_policy``'s key) do not walk
    # the arguments again. Equal reprs mean equal content; the rare equal content written
    # differently (arguments bound in another order, ``1`` and ``1.0``) compiles twice.
    compile_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compile_key",
                           repr((self.primitive, self.end_turn is None, self.args)))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "group": self.group, "label": self.label, "team": self.team,
                "primitive": self.primitive, "args": dict(self.args),
                "start_turn": self.start_turn, "end_turn": self.end_turn,
                "public": self.public, "source": self.source}


@dataclass(frozen=True)
class PipelineEntry:
    """Capacity being built (``invest_capacity``, ``equity_stake``, ``recycling``).
    ``tonnes_per_year`` is what was ordered; ``tonnes_per_turn`` what it adds per turn of
    the scenario. It arrives at the start of ``due_turn`` unless it slips."""

    id: str  # the measure's id (its delay draws are keyed on it)
    group: str
    label: str
    team: str | None
    public: bool
    actor: str  # where the capacity is built
    material: str
    stage: str
    tonnes_per_year: float
    tonnes_per_turn: float
    due_turn: int
    recycled: bool = False  # recycling capacity (secondary supply)
    delay_probability: float | None = None  # None: the scenario's (or a set_parameter's)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_MEASURES = TypeAdapter(list[Measure])
_PIPELINE = TypeAdapter(list[PipelineEntry])


def measures_from_json(raw: Iterable[Mapping[str, Any]]) -> list[Measure]:
    """Stored measures back as typed ones (validated). States written before measures
    were typed (``start``/``end`` keys, no ``public``) are read too; their order measures
    are taken as covert, so an old session never shows another team's covert move."""
    items = [dict(item) for item in raw or ()]
    for item in items:
        if "start" in item and "start_turn" not in item:
            item["start_turn"] = item.pop("start")
            item["end_turn"] = item.pop("end", None)
            item.setdefault("public", not str(item.get("group", "")).startswith(ORDER_GROUP))
    return _MEASURES.validate_python(items)


def pipeline_from_json(raw: Iterable[Mapping[str, Any]],
                       turn_length_years: float | None = None) -> list[PipelineEntry]:
    """Stored pipeline entries back as typed ones (validated). Entries written before the
    pipeline was typed (``due``, ``tonnes`` per turn) need the scenario's turn length to
    give what was ordered per year; without it they are refused (``ValueError``)."""
    items = [dict(item) for item in raw or ()]
    for item in items:
        if "due" in item and "due_turn" not in item:
            if not turn_length_years:
                raise ValueError("a pipeline entry stored by an older version needs the "
                                 "scenario's turn length to be read")
            per_turn = float(item.pop("tonnes", 0.0))
            item.update(due_turn=item.pop("due"), tonnes_per_turn=per_turn,
                        tonnes_per_year=per_turn / turn_length_years, team=item.get("team"),
                        public=not str(item.get("group", "")).startswith(ORDER_GROUP))
    return _PIPELINE.validate_python(items)


__all__ = [
    "INJECT_GROUP", "Measure", "ORDER_GROUP", "PipelineEntry", "STANDING_GROUP",
    "measures_from_json", "pipeline_from_json",
]
