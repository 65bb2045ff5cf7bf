"""The fixed vocabulary of effect primitives a move type or inject composes.

Each primitive lists its arguments: the kind of value (the same kinds as order parameters),
whether it is required, and its default. A value in a scenario file is a literal or a
reference (``$param``, ``$self``, ``$team``, ``$all``). The validator checks scenario files
against this table and the engine reads arguments through it, so the two never disagree.
``scenarios/README.md`` documents each primitive for designers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# kinds: actor, actors (one actor, a list, or $all = every actor but the first-named one),
# material, stage, stages (one, a list, or "all"), sector, team, number, share, level,
# choice:<a|b>, parameter, move (a move id), inject (an inject id)


@dataclass(frozen=True)
class Arg:
    kind: str
    required: bool = True
    default: Any = None
    help: str = ""


PRIMITIVE_ARGS: dict[str, dict[str, Arg]] = {
    "export_restriction": {
        "exporter": Arg("actor", False, "$self", "who restricts exports"),
        "importers": Arg("actors", False, "$all", "who is restricted"),
        "material": Arg("material"),
        "stages": Arg("stages", False, "all", "stages covered (ids, or all)"),
        "level": Arg("level", help="a restriction level id: licence approvals are drawn around its mean"),
        "leakage_share": Arg("share", False, None, "share of blocked exports that leaves anyway "
                             "(smuggling, transshipment); default: the scenario's market.leakage_share"),
    },
    "extraterritorial_rule": {
        "author": Arg("actor", False, "$self", "whose origin content triggers the rule"),
        "importers": Arg("actors", False, "$all", "destinations the rule protects against"),
        "material": Arg("material"),
        "stages": Arg("stages", False, "all"),
        "threshold": Arg("share", False, 0.001, "de minimis share of author-origin content"),
        "level": Arg("level", False, "freeze"),
    },
    "export_ban": {
        "exporter": Arg("actor", False, "$self"),
        "importers": Arg("actors", False, "$all"),
        "material": Arg("material"),
        "stages": Arg("stages", False, "first", "stages covered; default the first (ore)"),
        "leakage_share": Arg("share", False, None, "share of banned exports that leaves anyway; "
                             "default: the scenario's market.leakage_share"),
    },
    "export_quota": {
        "exporter": Arg("actor", False, "$self"),
        "importers": Arg("actors", False, "$all", "destinations the quota covers"),
        "material": Arg("material", False, None, "the material (or give 'materials')"),
        "materials": Arg("materials", False, None,
                         "several materials (a list, or all) sharing one tonnage, as China's "
                         "rare-earth quota: exporters use it for the dearest first"),
        "stages": Arg("stages", False, "all", "stages whose exports count against the quota"),
        "tonnes_per_year": Arg("number", help="exports allowed per year (in total, or to each destination)"),
        "per": Arg("choice:total|destination", False, "total",
                   "one quota for all covered destinations, or the same quota for each"),
        "leakage_share": Arg("share", False, None, "share of exports above the quota that leaves "
                             "anyway (smuggling); default: the scenario's market.leakage_share"),
    },
    "export_duty": {
        "exporter": Arg("actor", False, "$self"),
        "importers": Arg("actors", False, "$all"),
        "material": Arg("material"),
        "stages": Arg("stages", False, "all"),
        "rate": Arg("number", help="ad valorem, 0.25 = 25 %; revenue to the exporter's team"),
    },
    "end_measure": {
        "move": Arg("move", False, None, "end (or amend) measures made by orders of this move"),
        "inject": Arg("inject", False, None, "... or by this inject (give move or inject)"),
        "team": Arg("team", False, None, "only measures ordered by this team"),
        "material": Arg("material", False, None, "only measures on this material"),
        "level": Arg("level", False, None, "amend instead of ending: restrictions continue at this level"),
        "scale": Arg("number", False, None, "amend instead of ending: quotas, duties and tariffs "
                     "continue with their tonnes or rate x this"),
    },
    "invest_capacity": {
        "actor": Arg("actor", False, "$self"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "tonnes_per_year": Arg("number"),
        "lead_time_years": Arg("number", False, None, "default: the stage's lead time"),
        "delay_probability": Arg("share", False, None, "default: the scenario's"),
    },
    "equity_stake": {
        "investor": Arg("actor", False, "$self"),
        "host": Arg("actor"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "tonnes_per_year": Arg("number", False, 0.0, "new capacity financed at the host"),
        "reserved_share": Arg("share", False, 0.5, "share of the host's output at this stage reserved for the investor"),
        "lead_time_years": Arg("number", False, None),
        "reserves": Arg("choice:existing|new", False, "existing",
                        "existing: the share of the host's whole output is reserved at once; "
                        "new: only the new capacity's output, as it arrives and ramps up"),
    },
    "offtake": {
        "buyer": Arg("actor", False, "$self"),
        "seller": Arg("actor"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "share": Arg("share", help="share of the seller's output reserved for the buyer"),
    },
    "price_floor": {
        "payer": Arg("team", False, "$team"),
        "producer": Arg("actor"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "floor": Arg("number", help="USD/kg guaranteed to the producer"),
    },
    "stockpile": {
        "actor": Arg("actor", False, "$self"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "action": Arg("choice:build|release"),
        "tonnes": Arg("number", help="tonnes per turn bought into (build) or sold out of (release) the strategic stock"),
    },
    "recycling": {
        "actor": Arg("actor", False, "$self"),
        "material": Arg("material"),
        "stage": Arg("stage"),
        "tonnes_per_year": Arg("number"),
        "lead_time_years": Arg("number", False, 2.0),
    },
    "substitution": {
        "actor": Arg("actor", False, "$self"),
        "sector": Arg("sector"),
        "material": Arg("material"),
        "share": Arg("share", help="share of the sector's demand for the material removed"),
        "lag_turns": Arg("number", False, 2, "turns before it starts; it then ramps up over as many turns"),
    },
    "tariff": {
        "importer": Arg("actor", False, "$self"),
        "exporters": Arg("actors"),
        "material": Arg("material"),
        "stages": Arg("stages", False, "all"),
        "rate": Arg("number", help="ad valorem, 0.25 = 25 %"),
    },
    "tech_export_control": {
        "author": Arg("actor", False, "$self"),
        "target": Arg("actor"),
        "sector": Arg("sector"),
        "severity": Arg("share", help="share of the target sector's output that cannot be made"),
    },
    "set_parameter": {
        "parameter": Arg("parameter"),
        "op": Arg("choice:set|scale|add", False, "scale"),
        "value": Arg("number"),
        "actor": Arg("actor", False, None),
        "material": Arg("material", False, None),
        "stage": Arg("stage", False, None),
        "sector": Arg("sector", False, None),
        "team": Arg("team", False, None),
    },
}

# What set_parameter may touch, and which selectors each needs.
SETTABLE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "capacity": ("actor", "material", "stage"),
    "utilisation": ("actor", "material", "stage"),
    "stock": ("actor", "material", "stage"),
    "stock_cover_days": ("actor", "material", "stage"),
    "demand": ("actor", "sector", "material"),
    "price": ("material", "stage"),  # actor optional: all actors when absent
    "budget": ("team",),
    "political_capital": ("team",),
    "delay_probability": (),
}

# an effect may name several materials or sectors at once where its primitive takes one:
# it acts as one measure per material (sector). export_quota's own ``materials`` instead
# shares one tonnage between them.
SPREAD_ARGUMENTS = {"materials": "material", "sectors": "sector"}

PERMANENT_PRIMITIVES = frozenset({"invest_capacity", "equity_stake", "recycling"})
# act once, when they start, on other measures in force
ONE_OFF_PRIMITIVES = frozenset({"end_measure"})
