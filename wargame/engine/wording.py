"""Pure text helpers for the sentences the engine writes: names read aloud inside a sentence,
and the narration of what happened that is not a headline number (restrictive licence
draws, investments that slipped or arrived). No rules live here."""
from __future__ import annotations

from typing import Any

from wargame.engine.draws import LicenceDraw
from wargame.engine.measures import PipelineEntry
from wargame.engine.orders import FACILITATOR
from wargame.scenario.model import Scenario

_TAKES_THE = ("United ", "European ", "Rest of", "Democratic ", "Republic ", "Philippines",
              "Netherlands", "Gulf ")
ROUTINE_APPROVAL = 0.9  # licence draws at or above this are routine, not news


def country(name: str) -> str:
    """'United States' -> 'the United States', for names read aloud inside a sentence."""
    return f"the {name}" if name.startswith(_TAKES_THE) else name


def possessive(name: str) -> str:
    """'Beijing' -> "Beijing's", 'the United States' -> "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def team_label(sc: Scenario, team: str | None) -> str:
    """A team's name; the facilitator is 'the white cell'."""
    if team == FACILITATOR:
        return "the white cell"
    return sc.team(team).name if team in sc.team_index else (team or "")


def level_name(sc: Scenario, level: Any) -> str:
    """A restriction level's name in lower case ('licence freeze'), or the id spelt out."""
    found = sc.level_index.get(str(level))
    return found.name.lower() if found else str(level).replace("_", " ")


def join(labels: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def pct(share: float) -> str:
    return f"{100 * share:.0f} %"


def licence_sentence(sc: Scenario, draw: LicenceDraw) -> str | None:
    """A licence draw worth reading out (some approvals below the routine level), or None."""
    approved = draw.approved_share_by_importer
    if not approved or min(approved.values()) >= ROUTINE_APPROVAL:
        return None
    exporter = country(sc.actor(draw.exporter).name)
    material = sc.material(draw.material).name
    values = list(approved.values())
    level = level_name(sc, draw.level)
    if len(values) == 1:
        target = country(sc.actor(next(iter(approved))).name)
        return (f"Licences for {material} from {exporter} to {target}: "
                f"{pct(values[0])} of requests approved ({level}).")
    return (f"Licences for {material} from {exporter}: {pct(min(values))} to "
            f"{pct(max(values))} of requests approved ({level}).")


SLIP_SENTENCE = "An investment slipped by one turn (permitting, financing or construction)."


def arrival_sentence(sc: Scenario, entry: PipelineEntry) -> str:
    """'New capacity came on line: 3,000 t/yr of Gallium (refined) in Japan, from ...'."""
    kind = "recycling capacity" if entry.recycled else "capacity"
    return (f"New {kind} came on line: {entry.tonnes_per_year:,.0f} t/yr of "
            f"{sc.material(entry.material).name} ({entry.stage}) in "
            f"{country(sc.actor(entry.actor).name)}, from {entry.label}.")


def inject_sentence(title: str, text: str) -> str:
    return f"Inject: {title}." + (f" {text}" if text else "")
