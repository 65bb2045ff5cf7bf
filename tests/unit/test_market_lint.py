"""``wargame validate --lint`` (issue 8, item 12): warnings a designer can act on, beside
the stock-days and arrival warnings (tests/unit/test_scenario_checks.py)."""
from __future__ import annotations

from pathlib import Path

from wargame.scenario.checks import lint_report, stability_report
from wargame.scenario.loader import load_scenario

SENKAKU = Path(__file__).resolve().parents[2] / "scenarios" / "senkaku-2010.yaml"


def test_lint_says_where_the_supply_response_is_capped_for_stability():
    """Senkaku asks for a supply elasticity of 0.38 (CITY23); Nd and Dy demand answer with
    0.1, so their producers answer with at most 0.2, and the lint says so."""
    sc = load_scenario(SENKAKU)
    warnings = stability_report(sc)
    assert [w.split(" ")[0] for w in warnings] == ["materials[0]", "materials[1]"]
    assert "elasticity 0.2, not market.supply_elasticity 0.38" in warnings[0]
    assert set(warnings) <= set(lint_report(sc))
