"""Issue 8, item 11: ``simulate --json`` carries what a designer needs to check a
calibration without Python: per-turn flows with their unit, prices by actor and stage,
dependency by origin per material, stocks and tonnage quotas with what was left unfilled."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_simulate_json_has_flows_prices_dependency_stocks_and_quotas(tmp_path):
    out = tmp_path / "run.json"
    subprocess.run([sys.executable, "-m", "wargame", "simulate",
                    str(SCENARIOS / "senkaku-2010.yaml"),
                    "--orders", str(SCENARIOS / "orders" / "senkaku-2010-historical.yaml"),
                    "--json", str(out)], check=True, capture_output=True, timeout=300)
    turns = json.loads(out.read_text())["turns"]
    first = turns[0]
    row = next(r for r in first["flows"] if r["exporter"] == "CHN" and r["importer"] == "JPN")
    assert {"exporter", "importer", "material", "stage", "tonnes_per_turn",
            "tonnes_per_year", "unit"} <= set(row) and row["unit"] == "t REO"
    assert first["price_by_actor_usd_per_kg"]["ndpr"]["separate"]["JPN"] > 0
    assert first["dependency_share_by_material"]["ndpr"]["JPN"]["CHN"] > 0.9
    assert first["stocks_tonnes"]["JPN"]["light"] > 0
    quota = first["quotas"][0]
    assert quota["materials"] == ["ndpr", "dy", "light"]
    assert quota["quota_tonnes_per_year"] == 27908
    assert quota["used_tonnes_per_year"] + quota["unfilled_tonnes_per_year"] == \
        quota["quota_tonnes_per_year"]
