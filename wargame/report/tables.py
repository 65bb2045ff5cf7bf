"""The report as tidy tables: one table per kind of thing, one row per observation, one
column per variable (Wickham's "tidy data"), for a spreadsheet or a statistics package.

Tables: ``indicators`` (every number of ``TurnIndicators`` in long form: turn, indicator,
its unit, the ids it is about, value), ``scores`` (each objective's term per team and turn),
``flows``, ``orders``, ``outcomes``, ``overrides`` (with a scaled ruling's parameter and
factor), ``injects`` (fired, and retracted ones marked), ``explanations``, ``notes`` (current
text, when last edited),
``events`` (the log as the audience may see it), ``hot_wash`` and ``baseline_figures``.

``turn_indicators_from_tables`` rebuilds the engine's typed ``TurnIndicators`` from the
``indicators``, ``scores`` and ``flows`` tables: written to CSV and read back they equal the
store's, number for number (a test checks it), so nothing is lost on the way out.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from wargame.engine import TurnIndicators
from wargame.report.model import AfterActionReport

DIMENSIONS = ("actor", "material", "stage", "sector", "origin", "team")

# TurnIndicators field -> the ids its nested keys are, outer first
NESTED_FIELDS: dict[str, tuple[str, ...]] = {
    "world_price_usd_per_kg": ("material", "stage"),
    "price_by_actor_usd_per_kg": ("material", "stage", "actor"),
    "price_index_vs_baseline": ("material",),
    "supply_met_share": ("actor", "sector"),
    "material_met_share": ("actor", "material"),
    "shortfall_tonnes_per_year": ("actor", "sector"),
    "dependency_share_by_material": ("material", "actor", "origin"),
    "dependency_share_all_materials_by_value": ("actor", "origin"),
    "import_bill_usd_m_per_turn": ("actor",),
    "export_revenue_usd_m_per_turn": ("actor",),
    "revenue_usd_m_per_turn": ("actor",),
    "value_added_usd_m_per_turn": ("actor",),
    "ore_processed_home_share": ("material", "actor"),
    "budget_usd_m": ("team",),
    "political_capital": ("team",),
    "stocks_tonnes": ("actor", "material"),
}
CRMA_FIELDS = ("extraction_share", "processing_share", "recycling_share",
               "largest_third_country_share", "benchmarks_met")
SCORE_TOTAL = "score_total"
# fields carried by their own tables or rows rather than NESTED_FIELDS
OTHER_FIELDS = {"turn", "flows", "quotas", "scores", "crma_benchmarks"}

UNITS = (("usd_per_kg", "USD/kg"), ("usd_m_per_turn", "USD million per turn"),
         ("usd_m", "USD million"), ("tonnes_per_year", "t/yr"), ("tonnes", "t"),
         ("price_index", "ratio to baseline"), ("benchmarks_met", "benchmarks (0-4)"),
         ("share", "share (0-1)"), ("political_capital", "points"), ("score", "points"))


def unit_of(indicator: str) -> str:
    """The unit a field's name carries (``budget_usd_m`` -> 'USD million')."""
    for suffix, unit in UNITS:
        if suffix in indicator:
            return unit
    return ""


@dataclass(frozen=True)
class Column:
    name: str
    type: type  # int, float, str or bool: how a CSV cell is read back


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def dicts(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield dict(zip(self.header, row))


def _cols(spec: str) -> tuple[Column, ...]:
    """'turn:int value:float text' -> columns (no type = str)."""
    types = {"int": int, "float": float, "bool": bool, "str": str}
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        out.append(Column(name, types[kind or "str"]))
    return tuple(out)


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "indicators": _cols("turn:int indicator unit actor material stage sector origin team "
                        "value:float"),
    "scores": _cols("turn:int team position:int label indicator raw_value:float "
                    "weight:float contribution:float"),
    "flows": _cols("turn:int exporter importer material stage tonnes_per_turn:float "
                   "tonnes_per_year:float status"),
    "quotas": _cols("turn:int exporter materials importers stages "
                    "quota_tonnes_per_year:float used_tonnes_per_year:float "
                    "unfilled_tonnes_per_year:float fill_share:float"),
    "orders": _cols("turn:int order_id team move params_json description covert:bool"),
    "outcomes": _cols("turn:int order_id team move status detail"),
    "overrides": _cols("turn:int order_id order_description status reason param "
                       "factor:float"),
    "injects": _cols("turn:int inject_id title how state text reason"),
    "explanations": _cols("turn:int position:int text public:bool groups"),
    "notes": _cols("seq:int turn:int phase created_at text edited_at versions:int"),
    "events": _cols("seq:int turn:int created_at kind summary"),
    "hot_wash": _cols("section position:int text who by_when"),
    "baseline_figures": _cols("topic subject quantity value:float unit source_key source "
                              "note"),
}


def _walk(value: Any, dims: tuple[str, ...], keys: tuple[str, ...] = ()
          ) -> Iterator[tuple[tuple[str, ...], float]]:
    if len(keys) == len(dims):
        yield keys, value
        return
    for key, inner in value.items():
        yield from _walk(inner, dims, keys + (key,))


def _indicator_rows(ind: TurnIndicators) -> Iterator[tuple]:
    for field, dims in NESTED_FIELDS.items():
        for keys, value in _walk(getattr(ind, field), dims):
            where = dict(zip(dims, keys))
            yield (ind.turn, field, unit_of(field), *(where.get(d, "") for d in DIMENSIONS),
                   float(value))
    for row in ind.crma_benchmarks:
        for name in CRMA_FIELDS:
            indicator = f"crma_benchmarks.{name}"
            yield (ind.turn, indicator, unit_of(name), row.actor, row.material, "", "", "",
                   "", float(getattr(row, name)))
    for team, score in ind.scores.items():
        yield (ind.turn, SCORE_TOTAL, unit_of(SCORE_TOTAL), "", "", "", "", "", team,
               float(score.total))


def report_tables(report: AfterActionReport) -> list[Table]:
    """Every table of the report, in a fixed order."""
    committed = report.committed_turns
    ind = report.indicators
    rows: dict[str, Iterable[tuple]] = {
        "indicators": (row for i in ind for row in _indicator_rows(i)),
        "scores": ((i.turn, team, n, t.label, t.indicator, t.raw_value, t.weight,
                    t.contribution)
                   for i in ind for team, score in i.scores.items()
                   for n, t in enumerate(score.terms)),
        "flows": ((i.turn, f.exporter, f.importer, f.material, f.stage, f.tonnes_per_turn,
                   f.tonnes_per_year, str(f.status)) for i in ind for f in i.flows),
        "quotas": ((i.turn, q.exporter, " ".join(q.materials), " ".join(q.importers),
                    " ".join(q.stages), q.quota_tonnes_per_year, q.used_tonnes_per_year,
                    q.unfilled_tonnes_per_year, q.fill_share) for i in ind for q in i.quotas),
        "orders": ((t.turn, o.order_id, o.team, o.move, o.params_json, o.description,
                    o.covert) for t in committed for o in t.orders),
        "outcomes": ((t.turn, o.order_id, o.team, o.move, o.status, o.detail)
                     for t in committed for o in t.orders),
        "overrides": ((t.turn, o.order_id, o.order_description, o.status, o.reason,
                       o.param or "", o.factor) for t in committed for o in t.overrides),
        "injects": _inject_rows(report),
        "explanations": ((t.turn, n, e.text, e.public, " ".join(e.groups))
                         for t in committed for n, e in enumerate(t.explanations)),
        "notes": ((n.seq, n.turn, n.phase, n.created_at, n.text, n.edited_at or "",
                   n.versions) for t in report.turns for n in t.notes),
        "events": ((e.seq, e.turn, e.created_at, e.kind, e.summary) for e in report.log),
        "hot_wash": _hot_wash_rows(report),
        "baseline_figures": ((f.topic, f.subject, f.quantity, f.value, f.unit, f.source_key,
                              f.source, f.note) for f in report.annex),
    }
    return [Table(name, SCHEMAS[name], tuple(rows[name])) for name in SCHEMAS]


def _inject_rows(report: AfterActionReport) -> Iterator[tuple]:
    """Injects that fired, then (state ``retracted``) those fired by hand and taken back
    before the orders opened, which never fired."""
    for t in report.turns:
        for i in t.injects:
            yield (t.turn, i.inject_id, i.title, i.how, "fired", i.text, "")
        for r in t.retracted_injects:
            yield (t.turn, r.inject_id, r.title, "by hand", "retracted", "", r.reason)


def _hot_wash_rows(report: AfterActionReport) -> Iterator[tuple]:
    hw = report.hot_wash
    for n, text in enumerate(hw.went_well):
        yield ("went_well", n, text, "", "")
    for n, text in enumerate(hw.to_improve):
        yield ("to_improve", n, text, "", "")
    for n, action in enumerate(hw.actions):
        yield ("action", n, action.what, action.who, action.by_when)
    for n, (team, names) in enumerate(hw.players.items()):
        yield ("players", n, team, names, "")


# ------------------------------------------------------------------ reading back


def _nest(target: dict, keys: tuple[str, ...], value: float) -> None:
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def turn_indicators_from_tables(tables: dict[str, Table]) -> list[TurnIndicators]:
    """The engine's typed indicators, per turn, rebuilt from the ``indicators``,
    ``scores``, ``flows`` and ``quotas`` tables (as ``report_tables`` made them or as read
    back)."""
    turns: dict[int, dict[str, Any]] = {}

    def turn_of(number: int) -> dict[str, Any]:
        return turns.setdefault(number, {"turn": number, "flows": [], "quotas": [], "scores": {},
                                         "crma_benchmarks": {},
                                         **{f: {} for f in NESTED_FIELDS}})

    for row in tables["indicators"].dicts():
        data = turn_of(row["turn"])
        name = row["indicator"]
        if name in NESTED_FIELDS:
            keys = tuple(row[d] for d in NESTED_FIELDS[name])
            _nest(data[name], keys, row["value"])
        elif name.startswith("crma_benchmarks."):
            entry = data["crma_benchmarks"].setdefault(
                (row["actor"], row["material"]),
                {"actor": row["actor"], "material": row["material"]})
            field = name.split(".", 1)[1]
            entry[field] = int(row["value"]) if field == "benchmarks_met" else row["value"]
        elif name == SCORE_TOTAL:
            data["scores"].setdefault(row["team"], {"terms": []})["total"] = row["value"]
        else:
            raise ValueError(f"indicators table: unknown indicator {name!r}")
    for row in sorted(tables["scores"].dicts(), key=lambda r: (r["turn"], r["position"])):
        data = turn_of(row["turn"])
        data["scores"].setdefault(row["team"], {"terms": []})["terms"].append(
            {k: row[k] for k in ("label", "indicator", "raw_value", "weight", "contribution")})
    for row in tables["flows"].dicts():
        turn_of(row["turn"])["flows"].append({k: v for k, v in row.items() if k != "turn"})
    if "quotas" in tables:  # (folders written before the market rework have none)
        for row in tables["quotas"].dicts():
            entry = {k: v for k, v in row.items() if k != "turn"}
            for name in ("materials", "importers", "stages"):
                entry[name] = tuple(str(entry[name] or "").split())
            turn_of(row["turn"])["quotas"].append(entry)
    out = []
    for number in sorted(turns):
        data = turns[number]
        data["crma_benchmarks"] = list(data["crma_benchmarks"].values())
        out.append(TurnIndicators.model_validate(data))
    return out


def params_of(row: dict[str, Any]) -> dict[str, Any]:
    """An ``orders`` row's parameters back as a dict."""
    return json.loads(row["params_json"])
