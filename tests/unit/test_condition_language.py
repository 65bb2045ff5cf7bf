"""The deck's condition language: what it reads, what it refuses (hostile texts with bounded
work and a clear message), how it evaluates, and when it can never hold."""
from __future__ import annotations

import math

import pytest

from wargame.scenario.conditions import (
    ALWAYS, INDICATORS, MAX_CONDITION_CHARS, MAX_CONDITION_DEPTH, MAYBE, NEVER,
    ConditionSyntaxError, can_hold, check_condition_text, describe, evaluate, lookback,
    parse_condition, structure_problems,
)


@pytest.mark.parametrize("text, canonical, back", [
    ("supply_met(USA, defence) < 80 % for 2 turns",
     "(supply_met(USA, defence) < 0.8) for 2 turns", 2),
    ("price_index(ndpr) > 3", "price_index(ndpr) > 3", 1),
    ("restriction(CHN,JPN,ndpr)>=frozen or turn >= 6",
     "(restriction(CHN, JPN, ndpr) >= frozen) or (turn >= 6)", 1),
    ("not fired(summit) > 0 and turn > 2", "not (fired(summit) > 0) and (turn > 2)", 0),
    ("a_1(X) + 2 * -b(Y) / 4 <= .5e1", "(a_1(X) + ((2 * -b(Y)) / 4)) <= 5", 1),
    ("(stock(USA, ree) > 10 for 2 turns) for 3 turns",
     "((stock(USA, ree) > 10) for 2 turns) for 3 turns", 4),
    ("supply_met(USA, def-ence) < 1 for 1 turn", "(supply_met(USA, def-ence) < 1) for 1 turn", 1),
])
def test_a_condition_reads_as_written(text, canonical, back):
    """Rule: precedence is or < and < not < 'for N turns' < comparison < + - < * / < unary
    minus; '80 %' is 0.8; ids may hold '-'; 'for N turns' reaches N turns back."""
    expr = parse_condition(text)
    assert describe(expr) == canonical
    assert lookback(expr) == back


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("   ", "is empty"),
    ("price_index(ndpr) >", "ends too early"),
    ("1 + > 2", "unexpected '>' at character 5"),
    ("x @ 2", "'@' is not allowed here at character 3"),
    ("__import__('os').system('rm -rf /') > 0", "is not allowed here"),
    ("price_index(ndpr) ** 2 > 1", "unexpected '*'"),
    ("1e999 > 1", "the number 1e999 is too large"),
    ("9" * 400 + " > 1", "is too large"),
    ("2000000000000.5 > 1", "is too large"),
    ("x > 1" + " " * MAX_CONDITION_CHARS, f"is too long ({MAX_CONDITION_CHARS + 5} characters"),
    ("(" * 100_000 + "1", "is too long"),
    ("(" * (MAX_CONDITION_DEPTH + 1) + "1" + ")" * (MAX_CONDITION_DEPTH + 1) + " > 0",
     f"nested more than {MAX_CONDITION_DEPTH} levels"),
    ("-" * 200 + "1 > 0", f"nested more than {MAX_CONDITION_DEPTH} levels"),
    ("not " * 100 + "turn > 1", f"nested more than {MAX_CONDITION_DEPTH} levels"),
    ("turn > 1 for 0 turns", "a whole number of turns from 1 to 20"),
    ("turn > 1 for 2.5 turns", "a whole number of turns"),
    ("turn > 1 for 99 turns", "a whole number of turns from 1 to 20"),
])
def test_hostile_or_broken_text_is_refused_with_where_and_what(text, message):
    """Rule: nothing is evaluated by Python; a text too long, too deep, with a number too
    large or a character outside the language is refused at once, saying where."""
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("text, message", [
    ("price_index(ndpr)", "is a number, not a condition"),
    ("suply_met(USA, ev) < 1", "unknown indicator 'suply_met' (did you mean 'supply_met'?)"),
    ("supply_met(USA) < 1", "supply_met takes (actor, sector)"),
    ("price(ndpr) > 1", "price takes (material, stage[, actor])"),
    ("supply_met > 1", "'supply_met' needs its arguments: supply_met(actor, sector)"),
    ("trun > 3", "unknown name 'trun' (did you mean 'turn'?)"),
    ("turn-1 > 3", "write spaces around '-' to subtract"),
    ("not turn", "'not' needs a condition"),
    ("turn for 2 turns", "'for ... turns' needs a condition"),
    ("turn > 1 and 3", "'and' joins conditions; this is a number"),
    ("(turn > 1) + 1 > 0", "'+' needs numbers on both sides"),
])
def test_a_condition_that_makes_no_sense_says_why(text, message):
    problems = structure_problems(parse_condition(text))
    assert any(message in p.text() for p in problems), [p.text() for p in problems]
    with pytest.raises(ValueError, match="condition"):
        check_condition_text(text)


def test_every_indicator_has_a_meaning_a_unit_and_a_range():
    for name, spec in INDICATORS.items():
        assert spec.meaning and spec.unit and spec.low < spec.high, name


VALUES = {("supply_met(USA,defence)", 0): 0.7, ("supply_met(USA,defence)", 1): 0.75,
          ("supply_met(USA,defence)", 2): 0.95, ("price_index(ndpr)", 0): 3.5,
          ("fired(summit)", 0): 1.0}


def value_of(call, ago):
    return VALUES.get((call.key, ago if call.name != "fired" else 0), math.nan)


@pytest.mark.parametrize("text, holds", [
    ("supply_met(USA, defence) < 80 %", True),
    ("supply_met(USA, defence) < 80 % for 2 turns", True),
    ("supply_met(USA, defence) < 80 % for 3 turns", False),
    ("price_index(ndpr) > 3 and supply_met(USA, defence) < 0.8", True),
    ("price_index(ndpr) > 4 or fired(summit) >= 1", True),
    ("not price_index(ndpr) > 3", False),
    ("price_index(ndpr) * 2 - 1 == 6", True),
    ("price_index(ndpr) / 0 > 1", False),  # a division by zero is not known: false
    ("price_index(ndpr) / 0 < 1", False),
    ("stock(USA, ndpr) > 0", False),  # a figure never recorded: false
    ("stock(USA, ndpr) <= 0", False),
    ("turn == 5 and turn - 1 == 4", True),
    ("(turn >= 4) for 2 turns", True),  # turn counts back too: 5 and 4
    ("(turn >= 4) for 3 turns", False),
    ("restriction(CHN, USA, ndpr) >= frozen", False),
    ("banned > frozen and frozen > slowed and slowed > open", True),
])
def test_evaluation_table(text, holds):
    """Rule: comparisons read recorded figures ('for N turns' each of the last N), 'turn'
    is the turn about to be played, and an unknown figure makes a comparison false."""
    assert evaluate(parse_condition(text), value_of, turn=5) is holds


def test_evaluation_of_the_deepest_allowed_condition_is_iterative():
    text = "(" * (MAX_CONDITION_DEPTH - 2) + "turn > 1" + ")" * (MAX_CONDITION_DEPTH - 2)
    assert evaluate(parse_condition(text), value_of, turn=2)


RANGES = {"supply_met(USA,defence)": (0.0, 1.0), "price_index(ndpr)": (0.3, 15.0),
          "stock(USA,ndpr)": (0.0, math.inf)}


@pytest.mark.parametrize("text, verdict", [
    ("supply_met(USA, defence) > 1.2", NEVER),
    ("supply_met(USA, defence) < 0", NEVER),
    ("supply_met(USA, defence) <= 1", ALWAYS),
    ("supply_met(USA, defence) < 0.8", MAYBE),
    ("price_index(ndpr) > 20", NEVER),
    ("price_index(ndpr) * 2 > 20", MAYBE),
    ("stock(USA, ndpr) < -1", NEVER),
    ("turn > 12", NEVER),
    ("turn > 12 or price_index(ndpr) > 2", MAYBE),
    ("turn > 12 and price_index(ndpr) > 2", NEVER),
    ("not supply_met(USA, defence) <= 1", NEVER),
    ("supply_met(USA, defence) == 2", NEVER),
    ("supply_met(USA, defence) != 2", ALWAYS),
    ("price_index(ndpr) / supply_met(USA, defence) > 100", MAYBE),  # x / [0, 1] is unbounded
])
def test_can_hold_by_interval_arithmetic(text, verdict):
    """Rule: 'never' only when no values in the indicators' ranges (and turns 1..12) make
    the condition hold; it is conservative otherwise."""
    assert can_hold(parse_condition(text), lambda call: RANGES[call.key], (1.0, 12.0)) \
        == verdict
