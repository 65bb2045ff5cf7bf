"""The default scenario (scenarios/rare-earth-shock-2025.yaml): it loads, every baseline figure
is sourced, every material balances, and it covers what the exercise needs."""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from wargame.scenario.model import PRIMITIVES, Figure, Scenario

SCENARIO_PATH = Path(__file__).resolve().parents[2] / "scenarios" / "rare-earth-shock-2025.yaml"
TOLERANCE = 0.01

REQUIRED_MATERIALS = {"ndpr", "dytb", "gallium", "germanium", "lithium", "nickel", "cobalt",
                      "graphite"}
REQUIRED_ACTORS = {"CHN", "USA", "EU", "JPN", "AUS", "IDN", "COD", "CHL", "MMR", "MYS", "ROW"}
REQUIRED_TEAMS = {"beijing": "CHN", "washington": "USA", "brussels": "EU", "jakarta": "IDN",
                  "kinshasa": "COD", "santiago": "CHL"}
REQUIRED_SECTORS = {"defence", "ev", "wind", "electronics", "semiconductors"}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    raw = YAML(typ="safe").load(SCENARIO_PATH.read_text(encoding="utf-8"))
    return Scenario.model_validate(raw)


def _world_output(scenario: Scenario, material_id: str) -> list[float]:
    material = scenario.material(material_id)
    totals = [0.0] * len(material.stages)
    for entry in scenario.capacities:
        if entry.material == material_id:
            value = entry.output if entry.output is not None else entry.capacity
            totals[material.stage_index(entry.stage)] += float(value)
    return totals


def _apart(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b))


def test_loads_and_validates(scenario: Scenario) -> None:
    assert scenario.id == "rare-earth-shock-2025"
    assert scenario.turn_length_months == 3
    assert scenario.turns >= 12
    assert len(scenario.content_hash) == 64


def test_cross_references_are_clean(scenario: Scenario) -> None:
    checks = pytest.importorskip("wargame.scenario.checks")
    assert [f"{issue.path}: {issue.message}" for issue in checks.check_scenario(scenario)] == []


def test_loader_accepts_the_file() -> None:
    loader = pytest.importorskip("wargame.scenario.loader")
    loaded = loader.load_scenario(SCENARIO_PATH)
    assert loaded.id == "rare-earth-shock-2025"
    assert Path(loader.default_scenario_path()).resolve() == SCENARIO_PATH


def _baseline_figures(scenario: Scenario):
    for entry in scenario.capacities:
        yield ("capacity", entry.actor, entry.material, entry.stage), entry.capacity
        if entry.output is not None:
            yield ("output", entry.actor, entry.material, entry.stage), entry.output
    for entry in scenario.stocks:
        yield ("stock", entry.actor, entry.material, entry.stage), entry.tonnes or entry.days
    for entry in scenario.demand:
        yield ("demand", entry.actor, entry.sector, entry.material), entry.tonnes_per_year


def test_every_baseline_figure_carries_a_source(scenario: Scenario) -> None:
    unsourced = [where for where, figure in _baseline_figures(scenario)
                 if not isinstance(figure, Figure) or not figure.source]
    assert unsourced == []


def test_every_output_is_explained(scenario: Scenario) -> None:
    """Outputs and demand are derived numbers: each says how in its note."""
    silent = [(e.actor, e.material, e.stage) for e in scenario.capacities
              if e.output is None or not e.output.note]
    silent += [(e.actor, e.sector, e.material) for e in scenario.demand
               if not e.tonnes_per_year.note]
    assert silent == []


def _all_figures(value, path=()):
    from pydantic import BaseModel
    if isinstance(value, Figure):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _all_figures(getattr(value, name), path + (name,))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _all_figures(item, path + (index,))


def test_every_source_key_exists(scenario: Scenario) -> None:
    missing = sorted({f.source for _, f in _all_figures(scenario)
                      if f.source is not None and f.source not in scenario.sources})
    assert missing == []
    assert all(text.strip() for text in scenario.sources.values())


def test_every_listed_source_is_used(scenario: Scenario) -> None:
    text = SCENARIO_PATH.read_text(encoding="utf-8")
    body = text.split("\nsources:", 1)[0]
    unused = [key for key in scenario.sources if key not in body]
    assert unused == []


@pytest.mark.parametrize("material_id", sorted(REQUIRED_MATERIALS))
def test_material_balances(scenario: Scenario, material_id: str) -> None:
    """World output at stage s x yield of s+1 = world output at s+1; last stage = demand."""
    material = scenario.material(material_id)
    out = _world_output(scenario, material_id)
    assert all(total > 0 for total in out), f"{material_id}: a stage has no producer"
    for s in range(len(material.stages) - 1):
        fed = out[s] * float(material.stages[s + 1].yield_)
        assert _apart(fed, out[s + 1]) <= TOLERANCE, (material_id, material.stages[s + 1].id,
                                                     fed, out[s + 1])
    demand = sum(float(d.tonnes_per_year) for d in scenario.demand if d.material == material_id)
    assert _apart(out[-1], demand) <= TOLERANCE, (material_id, out[-1], demand)


def test_balance_lint_is_quiet(scenario: Scenario) -> None:
    checks = pytest.importorskip("wargame.scenario.checks")
    assert checks.balance_report(scenario, tolerance=TOLERANCE) == []


def test_materials_have_three_stage_chains(scenario: Scenario) -> None:
    assert REQUIRED_MATERIALS <= set(scenario.material_index)
    for material_id in REQUIRED_MATERIALS:
        material = scenario.material(material_id)
        assert len(material.stages) == 3
        assert 0.1 <= float(material.elasticity) <= 0.3
        assert all(float(stage.price) > 0 for stage in material.stages)


def test_required_actors_teams_and_sectors(scenario: Scenario) -> None:
    assert REQUIRED_ACTORS <= set(scenario.actor_index)
    for team_id, actor_id in REQUIRED_TEAMS.items():
        assert scenario.actor(actor_id).team == team_id
        assert scenario.team(team_id).briefing
        assert scenario.team(team_id).objectives
    for actor_id in ("JPN", "AUS", "MMR", "MYS", "ROW"):
        assert scenario.actor(actor_id).team is None
    assert REQUIRED_SECTORS <= set(scenario.sector_index)
    assert scenario.sector("defence").priority == 1
    assert all(2 <= s.priority <= 5 for s in scenario.sectors if s.id != "defence")
    bots = {team.id: team.bot for team in scenario.teams}
    assert bots["beijing"] == "hawk"
    assert bots["washington"] == bots["brussels"] == "builder"
    assert bots["jakarta"] == bots["kinshasa"] == bots["santiago"] == "producer"


def test_every_actor_has_a_map_position(scenario: Scenario) -> None:
    for actor in scenario.actors:
        lon, lat = actor.position
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) != (0.0, 0.0), actor.id


def test_at_least_one_move_per_primitive(scenario: Scenario) -> None:
    used = {effect.primitive for move in scenario.moves for effect in move.effects}
    assert set(PRIMITIVES) - used == set()


def test_every_playing_team_has_moves(scenario: Scenario) -> None:
    for team in scenario.teams:
        assert sum(move.allowed_for(team.id) for move in scenario.moves) >= 5, team.id


def test_levels_and_standing_orders(scenario: Scenario) -> None:
    levels = scenario.level_index
    assert {"licensing", "slow_walk", "partial", "freeze", "ban"} <= set(levels)
    assert levels["licensing"].mean == pytest.approx(0.97)
    assert levels["freeze"].mean == pytest.approx(0.05)
    april = [o for o in scenario.in_force if o.team == "beijing"
             and o.params.get("material") == "dytb"]
    assert april and april[0].params["level"] == "licensing"


def test_injects_fire_within_the_horizon(scenario: Scenario) -> None:
    ids = {inject.id for inject in scenario.injects}
    assert {"october_measures_return", "myanmar_kachin_fighting", "drc_cobalt_quota",
            "taiwan_strait_crisis", "mp_10x_commissioned"} <= ids
    for inject in scenario.injects:
        assert inject.title and inject.text
        assert inject.turn is None or inject.turn <= scenario.turns


def test_trajectories_from_the_article(scenario: Scenario) -> None:
    assert len(scenario.trajectories) == 3
