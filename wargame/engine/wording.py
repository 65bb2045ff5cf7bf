"""Pure text helpers for the sentences the engine writes: names read aloud inside a sentence
(a country, a material, a stage, a restriction level, a share in per cent), and the
narration of what happened that is not a headline number (restrictive licence draws,
investments that slipped or arrived). No rules live here."""
from __future__ import annotations

import math
import re
from typing import Any

from wargame.engine.draws import LicenceDraw
from wargame.engine.measures import PipelineEntry
from wargame.engine.orders import FACILITATOR
from wargame.scenario.model import Scenario

_TAKES_THE = ("United ", "European ", "Rest of", "Democratic ", "Republic ", "Philippines",
              "Netherlands", "Gulf ")
ROUTINE_APPROVAL = 0.9  # licence draws at or above this are routine, not news


def country(name: str) -> str:
    """'United States' -> 'the United States', 'Rest of world' -> 'the rest of the world',
    for names read aloud inside a sentence."""
    if name.startswith("Rest of "):
        rest = name[len("Rest of "):]
        return f"the rest of {'the ' if rest == 'world' else ''}{rest}"
    return f"the {name}" if name.startswith(_TAKES_THE) else name


def possessive(name: str) -> str:
    """'Beijing' -> "Beijing's", 'the United States' -> "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def team_label(sc: Scenario, team: str | None) -> str:
    """A team's name; the facilitator is 'the white cell'."""
    if team == FACILITATOR:
        return "the white cell"
    return sc.team(team).name if team in sc.team_index else (team or "")


def join(labels: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def pct(share: float) -> str:
    return f"{100 * share:.0f} %"


def finite_number(value: Any) -> float:
    """A number from a bound argument; 0 for anything unreadable or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def percent(share: Any) -> str:
    """0.05 -> '5 %', 0.001 -> '0.1 %' (a share said in per cent, never '0.050')."""
    value = finite_number(share) * 100
    if value == 0 or abs(value) >= 1:
        return f"{value:,.0f} %"
    return f"{value:.2g} %"


# ----------------------------------------------------------------- names inside a sentence

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")


def lower_name(name: str) -> str:
    """'Gallium' -> 'gallium'; 'NdPr' and 'Dy/Tb' keep their capitals (symbols)."""
    if any(ch.isupper() for ch in name[1:]):
        return name
    return name[:1].lower() + name[1:]


def material_word(sc: Scenario, material: Any) -> str:
    """'NdPr (light rare earths)' -> 'NdPr'; 'Gallium' -> 'gallium' (inside a sentence);
    several (an effect over ``materials: [...]``): 'NdPr and Dy/Tb'."""
    if isinstance(material, (list, tuple)):
        return join([material_word(sc, m) for m in material]) if material else "no material"
    if material not in sc.material_index:
        return str(material or "the material")
    return lower_name(_PARENTHESIS.sub("", sc.material(material).name).strip())


def stage_word(sc: Scenario, material: Any, stage: Any, detail: bool = False) -> str:
    """A stage inside a sentence: 'separation', or with ``detail`` 'separation (oxide)'
    (of several materials, the first one's stage of that id)."""
    if isinstance(material, (list, tuple)):
        material = material[0] if material else None
    if material not in sc.material_index:
        return str(stage or "")
    mat = sc.material(material)
    found = next((st for st in mat.stages if st.id == stage), None)
    if found is None:
        return str(stage or "")
    name = found.name if detail else _PARENTHESIS.sub("", found.name).strip()
    return lower_name(name)


def material_stage(sc: Scenario, material: Any, stage: Any, detail: bool = False) -> str:
    """'NdPr separation', 'refined gallium' (a stage named after its material stands alone),
    with ``detail`` 'NdPr separation (oxide)'."""
    words = stage_word(sc, material, stage, detail)
    mat = material_word(sc, material)
    if mat.lower() in words.lower():
        return words
    return f"{mat} {words}".strip()


def level_word(sc: Scenario, level: Any) -> str:
    """'Slow-walked licences' -> 'slow-walked licences'; 'Export quota (about 45 %)' ->
    'export quota'; a bare mean 0.3 -> 'licences at 30 % approval'."""
    if isinstance(level, (int, float)) and not isinstance(level, bool):
        return f"licences at {percent(level)} approval"
    found = sc.level_index.get(str(level))
    name = found.name if found else str(level).replace("_", " ")
    return lower_name(_PARENTHESIS.sub("", name).strip())


def licence_sentence(sc: Scenario, draw: LicenceDraw) -> str | None:
    """A licence draw worth reading out (some approvals below the routine level), or None."""
    approved = draw.approved_share_by_importer
    if not approved or min(approved.values()) >= ROUTINE_APPROVAL:
        return None
    exporter = country(sc.actor(draw.exporter).name)
    material = material_word(sc, draw.material)
    values = list(approved.values())
    level = level_word(sc, draw.level)
    if draw.extraterritorial:
        shares = pct(values[0]) if len(values) == 1 else \
            f"{pct(min(values))} to {pct(max(values))}"
        where = f" to {country(sc.actor(next(iter(approved))).name)}" \
            if len(values) == 1 else ""
        return (f"Licences under {possessive(exporter)} extraterritorial rule for {material} "
                f"with {exporter}-origin content, shipped from third countries{where}: "
                f"{shares} of requests approved ({level}).")
    if len(values) == 1:
        target = country(sc.actor(next(iter(approved))).name)
        return (f"Licences for {material} from {exporter} to {target}: "
                f"{pct(values[0])} of requests approved ({level}).")
    return (f"Licences for {material} from {exporter}: {pct(min(values))} to "
            f"{pct(max(values))} of requests approved ({level}).")


SLIP_SENTENCE = "An investment slipped by one turn (permitting, financing or construction)."


def slip_sentence(sc: Scenario, entry: PipelineEntry) -> str:
    """'Washington's 200 t/yr of new Dy/Tb separation capacity slipped by one turn
    (permitting, financing or construction): it now arrives on turn 10.'"""
    label = entry.label[:1].upper() + entry.label[1:]
    return (f"{label} slipped by one turn (permitting, financing or construction): it now "
            f"arrives on turn {entry.due_turn + 1}.")


def arrival_sentence(sc: Scenario, entry: PipelineEntry) -> str:
    """'New capacity came on line: 3,000 t/yr of refined gallium in Japan, from ...'."""
    kind = "recycling capacity" if entry.recycled else "capacity"
    return (f"New {kind} came on line: {entry.tonnes_per_year:,.0f} t/yr of "
            f"{material_stage(sc, entry.material, entry.stage)} in "
            f"{country(sc.actor(entry.actor).name)}, from {entry.label}.")


def inject_sentence(title: str, text: str) -> str:
    """'Event: <title>. <what happens>' (the room hears events, not 'injects')."""
    title = title.rstrip(".")
    return f"Event: {title}." + (f" {text.strip()}" if text and text.strip() else "")
