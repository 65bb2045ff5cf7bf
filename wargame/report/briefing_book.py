"""The briefing book of a scenario (``wargame scenario-doc FILE --out DIR``): readable,
printable HTML a facilitator hands out before the exercise.

``DIR/index.html`` is the facilitator's book: the situation and the trajectories, every
team with its briefing and objectives, every move with its effects in plain words, the
measures in force, the inject deck (triggers, conditions, follow-ups), the baseline tables
with the source of every number, and the sources. ``DIR/team-<id>.html`` is each team's
book: the same without the deck, without other teams' briefings and objectives, and
without other teams' covert moves.

Built from the validated ``Scenario`` alone into typed rows (``BookMove``, ``BookInject``,
...), then rendered by Jinja2 with autoescaping (every text from the file is escaped), the
style sheet inlined: one self-contained file per book, no network, no script.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from wargame.scenario.conditions import describe, parse_condition
from wargame.scenario.model import Figure, Scenario
from wargame.scenario.plain_words import (
    condition_in_words, cost_in_words, duration_in_words, effect_in_words, move_in_words,
    quorum_in_words, trigger_in_words, who_may_use,
)

TEMPLATES = Path(__file__).resolve().with_name("templates")
TEMPLATE = "briefing_book.html.j2"
STYLE = "briefing_book.css"

_INDICATOR_WORDS = {
    "supply_met": "supply met of {sector}", "dependency": "dependence on {origin}",
    "price": "the {material} price", "budget": "budget left",
    "political_capital": "political capital left", "revenue": "revenue",
    "value_added": "value added at home", "import_bill": "the import bill",
    "crma": "EU Critical Raw Materials Act benchmarks met",
}


@dataclass(frozen=True)
class BookNumber:
    """A number with where it comes from (``source`` key, its citation, a note)."""

    value: float
    unit: str = ""
    source: str | None = None
    note: str | None = None

    @property
    def shown(self) -> str:
        value = f"{self.value:,.0f}" if abs(self.value) >= 1000 else f"{self.value:g}"
        return f"{value} {self.unit}".strip()


@dataclass(frozen=True)
class BookObjective:
    label: str
    weight: float
    better: str  # "the higher, the better" / "the lower, the better"; "" when the label says it


@dataclass(frozen=True)
class BookTeam:
    id: str
    name: str
    colour: str
    actors: tuple[str, ...]
    budget: BookNumber
    political_capital: BookNumber
    briefing: str
    objectives: tuple[BookObjective, ...]


@dataclass(frozen=True)
class BookParam:
    label: str
    kind: str  # what may be chosen, in words
    default: str


@dataclass(frozen=True)
class BookMove:
    id: str
    name: str
    category: str
    description: str
    who: str
    cost: str
    duration: str
    covert: bool
    coalition: str | None
    params: tuple[BookParam, ...]
    effects: tuple[str, ...]


@dataclass(frozen=True)
class BookInject:
    id: str
    title: str
    text: str
    when: str
    condition: str | None  # canonical form, as written in the file
    follow_ups: tuple[str, ...]
    effects: tuple[str, ...]
    duration: str


@dataclass(frozen=True)
class BookTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[BookNumber | None, ...]], ...]


@dataclass(frozen=True)
class BriefingBook:
    """Everything one book shows (``audience``: "facilitator" or a team id)."""

    audience: str
    audience_name: str
    title: str
    summary: str
    start_date: str
    turns: int
    turn_length_months: int
    trajectories: tuple[tuple[str, str], ...]
    teams: tuple[BookTeam, ...]
    moves: tuple[BookMove, ...]
    in_force: tuple[tuple[str, str], ...]
    injects: tuple[BookInject, ...]
    materials: tuple[tuple[str, BookTable, BookTable, BookTable], ...]  # name, stages, ...
    sources: tuple[tuple[str, str], ...]


# ----------------------------------------------------------------- building the book


def _number(figure: Figure | float, unit: str = "") -> BookNumber:
    if isinstance(figure, Figure):
        return BookNumber(float(figure.value), unit, figure.source, figure.note)
    return BookNumber(float(figure), unit)


def _objective(sc: Scenario, objective: Any) -> BookObjective:
    names = {"sector": sc.sector(objective.sector).name if objective.sector in sc.sector_index
             else objective.sector,
             "origin": sc.actor(objective.origin).name if objective.origin in sc.actor_index
             else objective.origin,
             "material": sc.material(objective.material).name
             if objective.material in sc.material_index else objective.material}
    label = objective.label or _INDICATOR_WORDS[objective.indicator].format(**names)
    better = "the lower, the better" if objective.weight < 0 else "the higher, the better"
    return BookObjective(label[:1].upper() + label[1:], objective.weight,
                         "" if better in label.lower() else better)


def _param(sc: Scenario, spec: Any) -> BookParam:
    if spec.type == "choice":
        kind = "one of " + ", ".join(spec.choices)
    elif spec.type in ("number", "integer"):
        bounds = [f"at least {spec.min:g}" if spec.min is not None else "",
                  f"at most {spec.max:g}" if spec.max is not None else ""]
        kind = ("a whole number" if spec.type == "integer" else "a number") + (
            " (" + ", ".join(b for b in bounds if b) + ")" if any(bounds) else "")
    else:
        kind = {"own": f"one of the team's own {spec.type}s",
                "other": f"another {spec.type}"}.get(spec.scope, f"a {spec.type}")
    default = "" if spec.default is None else _name_of(sc, spec.default)
    return BookParam(spec.title, kind, default)


def _name_of(sc: Scenario, value: Any) -> str:
    """An id's name (an actor, material, sector or team), or the value as written."""
    if isinstance(value, str):
        for index, lookup in ((sc.actor_index, sc.actor), (sc.material_index, sc.material),
                              (sc.sector_index, sc.sector), (sc.team_index, sc.team)):
            if value in index:
                return lookup(value).name
        level = sc.level_index.get(value)
        if level is not None:
            return level.name
    return str(value)


def _move(sc: Scenario, move: Any) -> BookMove:
    return BookMove(
        id=move.id, name=move.name, category=move.category, description=move.description,
        who=who_may_use(sc, move), cost=cost_in_words(move), duration=duration_in_words(move),
        covert=not move.public, coalition=quorum_in_words(sc, move),
        params=tuple(_param(sc, spec) for spec in move.params),
        effects=tuple(move_in_words(sc, move)))


def _inject(sc: Scenario, inject: Any) -> BookInject:
    by_id = {i.id: i for i in sc.injects}
    follow_ups = tuple(
        f"'{by_id[f.inject].title if f.inject in by_id else f.inject}' {f.after_turns} "
        f"turn{'s' if f.after_turns != 1 else ''} later"
        + (f" ({f.probability:.0%} chance)" if f.probability is not None else "")
        for f in inject.follow_ups)
    return BookInject(
        id=inject.id, title=inject.title, text=inject.text,
        when=trigger_in_words(sc, inject),
        condition=describe(parse_condition(inject.condition)) if inject.condition else None,
        follow_ups=follow_ups,
        effects=tuple(effect_in_words(sc, e, inject=inject) for e in inject.effects),
        duration=("permanent" if inject.duration == 0 else
                  f"{inject.duration} turn{'s' if inject.duration != 1 else ''}"))


def _tables(sc: Scenario, material: Any) -> tuple[str, BookTable, BookTable, BookTable]:
    stages = BookTable("Stages", ("price", "yield", "lead time"), tuple(
        (stage.name, (_number(stage.price, "USD/kg"), _number(stage.yield_),
                      _number(stage.lead_time_years, "years")))
        for stage in material.stages))
    actors = [a for a in sc.actors if any(c.actor == a.id and c.material == material.id
                                          for c in sc.capacities)]
    cells = {(c.actor, c.stage): c for c in sc.capacities if c.material == material.id}
    capacity = BookTable(
        "Output per year (t; capacity where it differs)", tuple(s.name for s in material.stages),
        tuple((a.name, tuple(_output(cells.get((a.id, s.id))) for s in material.stages))
              for a in actors))
    sectors = [k for k in sc.sectors if any(d.sector == k.id and d.material == material.id
                                            for d in sc.demand)]
    users = [a for a in sc.actors if any(d.actor == a.id and d.material == material.id
                                         for d in sc.demand)]
    need = {(d.actor, d.sector): d for d in sc.demand if d.material == material.id}
    demand = BookTable("Demand per year (t)", tuple(k.name for k in sectors), tuple(
        (a.name, tuple(_number(need[(a.id, k.id)].tonnes_per_year, "t")
                       if (a.id, k.id) in need else None for k in sectors))
        for a in users))
    return material.name, stages, capacity, demand


def _output(entry: Any) -> BookNumber | None:
    if entry is None:
        return None
    figure = entry.output if entry.output is not None else entry.capacity
    number = _number(figure, "t")
    if entry.output is not None and float(entry.output) != float(entry.capacity):
        note = f"capacity {_number(entry.capacity).shown} t" + (
            f" ({entry.capacity.source})" if entry.capacity.source else "")
        number = BookNumber(number.value, number.unit, number.source,
                            "; ".join(filter(None, [number.note, note])))
    return number


def build_book(sc: Scenario, audience: str = "facilitator") -> BriefingBook:
    """The facilitator's book, or a team's (``audience`` = a team id)."""
    team_view = audience != "facilitator"
    teams = tuple(
        BookTeam(t.id, t.name, t.colour, tuple(sc.actor(a).name for a in sc.team_actors(t.id)),
                 _number(t.budget, "USD m"), _number(t.political_capital),
                 t.briefing if (not team_view or t.id == audience) else "",
                 tuple(_objective(sc, o) for o in t.objectives)
                 if (not team_view or t.id == audience) else ())
        for t in sc.teams)
    moves = tuple(_move(sc, m) for m in sc.moves
                  if not team_view or m.allowed_for(audience) or (m.public and m.teams != ()))
    in_force = tuple(
        (f"{sc.team(o.team).name}: {sc.move_index[o.move].name}", o.note)
        for o in sc.in_force if not team_view or sc.move_index[o.move].public
        or o.team == audience)
    return BriefingBook(
        audience=audience,
        audience_name="Facilitator" if not team_view else sc.team(audience).name,
        title=sc.title, summary=sc.summary, start_date=sc.start_date, turns=sc.turns,
        turn_length_months=sc.turn_length_months,
        trajectories=tuple((t.name, t.text) for t in sc.trajectories),
        teams=teams, moves=moves, in_force=in_force,
        injects=() if team_view else tuple(_inject(sc, i) for i in sc.injects),
        materials=tuple(_tables(sc, m) for m in sc.materials),
        sources=tuple(sorted(sc.sources.items())))


# ----------------------------------------------------------------- rendering


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_book(book: BriefingBook) -> str:
    """One self-contained HTML page (style inlined; every text escaped)."""
    style = (TEMPLATES / STYLE).read_text(encoding="utf-8")
    return _environment().get_template(TEMPLATE).render(book=book, style=style)


def write_books(sc: Scenario, out_dir: Path) -> list[Path]:
    """The facilitator's book (``index.html``) and one per team (``team-<id>.html``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for audience in ["facilitator"] + [t.id for t in sc.teams]:
        name = "index.html" if audience == "facilitator" else f"team-{audience}.html"
        path = out_dir / name
        path.write_text(render_book(build_book(sc, audience)), encoding="utf-8")
        written.append(path)
    return written


__all__ = ["BriefingBook", "build_book", "condition_in_words", "render_book", "write_books"]
