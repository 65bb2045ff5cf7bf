"""The condition language of the inject deck: a small, safe expression language.

A conditional inject fires when its ``condition`` holds, for example::

    supply_met(USA, defence) < 80 % for 2 turns
    price_index(ndpr) > 3 and not fired(g7_summit)
    restriction(CHN, JPN, ndpr) >= frozen or turn >= 6

Grammar (lowest precedence first; ``scenarios/README.md`` section 9 is the designers'
version)::

    condition  := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | held
    held       := comparison ["for" WHOLE ("turn" | "turns")]
    comparison := sum [("<" | "<=" | ">" | ">=" | "==" | "!=") sum]
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER ["%"] | NAME "(" NAME ("," NAME)* ")" | NAME | "(" or_expr ")"

Names are the indicators of ``INDICATORS`` (with their arguments: ids from the scenario)
and the bare names of ``BARE_NAMES``. ``80 %`` is 0.8. ``X for 2 turns`` holds when X held
at the end of each of the last two turns.

Why it is safe: the text is parsed by Lark's LALR parser (iterative, linear in the text)
into frozen nodes, never evaluated by Python; the text is at most
``MAX_CONDITION_CHARS`` long and nested at most ``MAX_CONDITION_DEPTH`` deep; every
number literal is finite and at most ``MAX_MAGNITUDE``; there is no power operator, so no
expression can compute more than a few hundred additions and comparisons. Evaluation
(``wargame.engine.conditions``) reads values the engine recorded; a division by zero or a
value that is not known makes a comparison false.

This module is pure (no YAML, no engine): the model validates the syntax and structure
(``structure_problems``), ``checks.py`` the ids (``reference_problems``), the lint asks
whether a condition can ever hold (``can_hold``), and the engine evaluates it.
"""
from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Union

from wargame.limits import MAX_MAGNITUDE

MAX_CONDITION_CHARS = 500  # a condition is a line or two of text
MAX_CONDITION_DEPTH = 24  # nested brackets, 'not's and operators
MAX_HELD_TURNS = 20  # 'for N turns': N at most this

# ----------------------------------------------------------------- the named indicators


@dataclass(frozen=True)
class IndicatorSpec:
    """A named indicator: the kinds of its arguments (the last ``optional`` ones may be
    left out), what it measures, its unit, and its range on any scenario (``low``/``high``;
    ``range_of`` narrows it for a given scenario and arguments)."""

    args: tuple[str, ...]
    meaning: str
    unit: str
    low: float = 0.0
    high: float = math.inf
    optional: int = 0
    whole: bool = False  # takes whole-number values only


# argument kinds: actor, sector, material, stage (of the material argument), team, inject
INDICATORS: dict[str, IndicatorSpec] = {
    "supply_met": IndicatorSpec(
        ("actor", "sector"), "share of the sector's demand met at the end of the turn "
        "(1 when the actor has no demand in that sector)", "share 0..1", 0.0, 1.0),
    "material_met": IndicatorSpec(
        ("actor", "material"), "share of the actor's need for the material's final product "
        "met", "share 0..1", 0.0, 1.0),
    "shortfall": IndicatorSpec(
        ("actor", "sector"), "sector demand not met, as an annual rate", "t per year"),
    "price_index": IndicatorSpec(
        ("material",), "the material's world price at its headline stage divided by the "
        "baseline price (1 = as at the start)", "ratio"),
    "price": IndicatorSpec(
        ("material", "stage", "actor"), "the world price at a stage, or with an actor the "
        "price that actor pays", "USD per kg", optional=1),
    "dependency": IndicatorSpec(
        ("actor", "actor", "material"), "share of the first actor's final supply "
        "originating in the second (of one material, or of all by value)", "share 0..1",
        0.0, 1.0, optional=1),
    "stock": IndicatorSpec(
        ("actor", "material"), "commercial and strategic stocks held, all stages", "t"),
    "capacity": IndicatorSpec(
        ("actor", "material", "stage"), "nameplate capacity in place", "t per year"),
    "ore_processed_home": IndicatorSpec(
        ("actor", "material"), "share of the actor's mined ore its own refiners took",
        "share 0..1", 0.0, 1.0),
    "import_bill": IndicatorSpec(("actor",), "cross-border purchases", "USD m per turn"),
    "export_revenue": IndicatorSpec(("actor",), "cross-border sales", "USD m per turn"),
    "revenue": IndicatorSpec(("actor",), "everything the actor sold", "USD m per turn"),
    "value_added": IndicatorSpec(
        ("actor",), "value of output minus value of inputs", "USD m per turn", -math.inf),
    "budget": IndicatorSpec(("team",), "budget left", "USD m"),
    "political_capital": IndicatorSpec(("team",), "political capital left", "points"),
    "restriction": IndicatorSpec(
        ("actor", "actor", "material"), "the worst trade status from the first actor to "
        "the second on any stage of the material: open 0, slowed 1, frozen 2, banned 3",
        "status 0..3", 0.0, 3.0, whole=True),
    "fired": IndicatorSpec(
        ("inject",), "how many times the inject has fired so far (counted now, not at the "
        "end of a past turn)", "times", whole=True),
}

# bare names: the turn about to be played, and the trade statuses
TRADE_STATUS = {"open": 0.0, "slowed": 1.0, "frozen": 2.0, "banned": 3.0}
BARE_NAMES: dict[str, str] = {
    "turn": "the turn about to be played (1 = the first)",
    **{name: f"the trade status '{name}' ({value:g}), to compare restriction(...) with"
       for name, value in TRADE_STATUS.items()},
}
# indicators whose value is read now, at the check, rather than recorded at the end of a turn
NOW_INDICATORS = frozenset({"fired"})

# ----------------------------------------------------------------- the parsed form


@dataclass(frozen=True)
class Number:
    value: float
    pos: int


@dataclass(frozen=True)
class Name:
    name: str
    pos: int


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]
    pos: int

    @property
    def key(self) -> str:
        """The canonical text of this indicator reading: what the engine records."""
        return f"{self.name}({','.join(self.args)})"


@dataclass(frozen=True)
class Negate:
    operand: "Expr"
    pos: int


@dataclass(frozen=True)
class Arithmetic:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    pos: int


@dataclass(frozen=True)
class Compare:
    op: str  # < <= > >= == !=
    left: "Expr"
    right: "Expr"
    pos: int


@dataclass(frozen=True)
class Not:
    operand: "Expr"
    pos: int


@dataclass(frozen=True)
class Logic:
    op: str  # and / or
    operands: tuple["Expr", ...]
    pos: int


@dataclass(frozen=True)
class HeldFor:
    operand: "Expr"
    turns: int
    pos: int


Expr = Union[Number, Name, Call, Negate, Arithmetic, Compare, Not, Logic, HeldFor]
NUMERIC = (Number, Name, Call, Negate, Arithmetic)


class ConditionSyntaxError(ValueError):
    """A condition that cannot be read, with the character position (0-based) it is at."""

    def __init__(self, message: str, pos: int):
        self.pos = pos
        super().__init__(message)


# ----------------------------------------------------------------- parsing (Lark, LALR)

_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr | or_expr OR and_expr -> logic
?and_expr: not_expr | and_expr AND not_expr -> logic
?not_expr: NOT not_expr -> not_ | held
?held: comparison | comparison FOR NUMBER TURNS -> held_for
?comparison: sum | sum COMP sum -> compare
?sum: product | sum ADDOP product -> arithmetic
?product: unary | product MULOP unary -> arithmetic
?unary: NEG unary -> negate | atom
?atom: NUMBER -> number
     | NUMBER PERCENT -> percent
     | NAME "(" NAME ("," NAME)* ")" -> call
     | NAME -> name
     | "(" or_expr ")"
OR.2: "or"
AND.2: "and"
NOT.2: "not"
FOR.2: "for"
TURNS.2: "turns" | "turn"
COMP: "<=" | ">=" | "==" | "!=" | "<" | ">"
ADDOP: "+" | "-"
NEG: "-"
MULOP: "*" | "/"
PERCENT: "%"
NAME: /[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/
NUMBER: /(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
%ignore /[ \t\r\n]+/
"""


@dataclass(frozen=True)
class _Built:
    """A node with the depth of the tree under it, while the parser builds."""

    node: Any
    depth: int


def _make_transformer() -> Any:
    from lark import Transformer

    class _Build(Transformer):
        """Builds the frozen nodes bottom-up while the LALR parser reduces (no recursion),
        refusing a tree deeper than ``MAX_CONDITION_DEPTH`` as soon as it is built."""

        @staticmethod
        def _node(node: Any, *children: _Built) -> _Built:
            depth = 1 + max((c.depth for c in children), default=0)
            if depth > MAX_CONDITION_DEPTH:
                raise ConditionSyntaxError(
                    f"is nested more than {MAX_CONDITION_DEPTH} levels deep: simplify it",
                    node.pos)
            return _Built(node, depth)

        def number(self, items: list[Any]) -> _Built:
            return self._node(Number(_number(items[0]), items[0].start_pos))

        def percent(self, items: list[Any]) -> _Built:
            return self._node(Number(_number(items[0]) / 100.0, items[0].start_pos))

        def name(self, items: list[Any]) -> _Built:
            return self._node(Name(str(items[0]), items[0].start_pos))

        def call(self, items: list[Any]) -> _Built:
            return self._node(Call(str(items[0]), tuple(str(t) for t in items[1:]),
                                   items[0].start_pos))

        def negate(self, items: list[Any]) -> _Built:
            sign, operand = items
            return self._node(Negate(operand.node, sign.start_pos), operand)

        def arithmetic(self, items: list[Any]) -> _Built:
            left, op, right = items
            return self._node(Arithmetic(str(op), left.node, right.node, op.start_pos),
                              left, right)

        def compare(self, items: list[Any]) -> _Built:
            left, op, right = items
            return self._node(Compare(str(op), left.node, right.node, op.start_pos),
                              left, right)

        def not_(self, items: list[Any]) -> _Built:
            word, operand = items
            return self._node(Not(operand.node, word.start_pos), operand)

        def logic(self, items: list[Any]) -> _Built:
            left, op, right = items
            word = str(op)
            first = left.node
            operands = (first.operands if isinstance(first, Logic) and first.op == word
                        else (first,)) + (right.node,)
            return self._node(Logic(word, operands, op.start_pos), left, right)

        def held_for(self, items: list[Any]) -> _Built:
            operand, word, count, _ = items
            turns = _number(count)
            if turns != int(turns) or not 1 <= turns <= MAX_HELD_TURNS:
                raise ConditionSyntaxError(
                    f"'for {count} turns' needs a whole number of turns from 1 to "
                    f"{MAX_HELD_TURNS}", count.start_pos)
            return self._node(HeldFor(operand.node, int(turns), word.start_pos), operand)

    return _Build()


def _number(token: Any) -> float:
    value = float(str(token))
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise ConditionSyntaxError(
            f"the number {str(token)[:30]} is too large (at most {MAX_MAGNITUDE:g})",
            token.start_pos)
    return value


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from lark import Lark

    # the transformer runs inside the parser: no tree, no recursion
    return Lark(_GRAMMAR, parser="lalr", lexer="contextual", transformer=_make_transformer(),
                maybe_placeholders=False)


_TOKEN_WORDS = {
    "NUMBER": "a number", "NAME": "a name", "LPAR": "'('", "RPAR": "')'", "COMMA": "','",
    "COMP": "a comparison (< <= > >= == !=)", "ADDOP": "'+' or '-'", "NEG": "'-'",
    "MULOP": "'*' or '/'", "PERCENT": "'%'", "OR": "'or'", "AND": "'and'", "NOT": "'not'",
    "FOR": "'for'", "TURNS": "'turns'", "$END": "the end",
}


def _expected(names: Any) -> str:
    words = sorted({_TOKEN_WORDS.get(str(n), str(n)) for n in names})
    return ", ".join(words[:8])


@functools.lru_cache(maxsize=1024)
def parse_condition(text: str) -> Expr:
    """The parsed form of a condition, or ``ConditionSyntaxError`` saying what and where.
    Cached: the same text is parsed once per process."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError

    if len(text) > MAX_CONDITION_CHARS:
        raise ConditionSyntaxError(f"is too long ({len(text):,} characters; at most "
                                   f"{MAX_CONDITION_CHARS})", 0)
    if not text.strip():
        raise ConditionSyntaxError("is empty: write a condition such as "
                                   "'price_index(ndpr) > 2'", 0)
    # bracket depth first: a cheap refusal before any parsing
    depth = 0
    for pos, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth > MAX_CONDITION_DEPTH:
            raise ConditionSyntaxError(
                f"is nested more than {MAX_CONDITION_DEPTH} levels deep: simplify it", pos)
    try:
        return _parser().parse(text).node
    except VisitError as exc:  # raised inside the transformer
        if isinstance(exc.orig_exc, ConditionSyntaxError):
            raise exc.orig_exc from None
        raise
    except UnexpectedCharacters as exc:
        raise ConditionSyntaxError(
            f"'{text[exc.pos_in_stream]}' is not allowed here at character "
            f"{exc.pos_in_stream + 1}", exc.pos_in_stream) from None
    except UnexpectedEOF as exc:
        raise ConditionSyntaxError(
            f"ends too early: expected {_expected(exc.expected)}", len(text)) from None
    except UnexpectedToken as exc:
        token = exc.token
        if token.type == "$END":
            raise ConditionSyntaxError(
                f"ends too early: expected {_expected(exc.expected)}", len(text)) from None
        pos = getattr(token, "start_pos", None)
        pos = len(text) if pos is None else pos
        raise ConditionSyntaxError(
            f"unexpected '{token}' at character {pos + 1}: expected "
            f"{_expected(exc.expected)}", pos) from None


# ----------------------------------------------------------------- structure and types


@dataclass(frozen=True)
class ConditionProblem:
    pos: int
    message: str

    def text(self) -> str:
        return f"{self.message} (at character {self.pos + 1})"


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node, parents first (iterative: no recursion on a deep tree)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (Negate, Not, HeldFor)):
            stack.append(node.operand)
        elif isinstance(node, (Arithmetic, Compare)):
            stack.extend((node.right, node.left))
        elif isinstance(node, Logic):
            stack.extend(reversed(node.operands))


def _suggest(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _is_condition(node: Expr) -> bool:
    return isinstance(node, (Compare, Not, Logic, HeldFor))


def structure_problems(expr: Expr) -> list[ConditionProblem]:
    """What is wrong with a parsed condition regardless of the scenario: unknown names,
    wrong numbers of arguments, numbers where a condition is needed and the reverse."""
    problems: list[ConditionProblem] = []
    if not _is_condition(expr):
        problems.append(ConditionProblem(
            0, "is a number, not a condition: compare it, e.g. '... > 2'"))
    for node in walk(expr):
        if isinstance(node, Name):
            if node.name in INDICATORS:
                spec = INDICATORS[node.name]
                problems.append(ConditionProblem(
                    node.pos, f"'{node.name}' needs its arguments: "
                              f"{node.name}({', '.join(spec.args)})"))
            elif node.name not in BARE_NAMES:
                hint = " (write spaces around '-' to subtract)" if "-" in node.name else \
                    _suggest(node.name, list(BARE_NAMES) + list(INDICATORS))
                problems.append(ConditionProblem(node.pos, f"unknown name '{node.name}'{hint}"))
        elif isinstance(node, Call):
            spec = INDICATORS.get(node.name)
            if spec is None:
                problems.append(ConditionProblem(
                    node.pos, f"unknown indicator '{node.name}'"
                              f"{_suggest(node.name, INDICATORS)}"))
                continue
            most, least = len(spec.args), len(spec.args) - spec.optional
            if not least <= len(node.args) <= most:
                problems.append(ConditionProblem(node.pos, f"{node.name} takes "
                                                 f"{_signature(node.name)}"))
        elif isinstance(node, (Compare, Arithmetic, Negate)):
            sides = (node.operand,) if isinstance(node, Negate) else (node.left, node.right)
            for side in sides:
                if _is_condition(side):
                    problems.append(ConditionProblem(
                        side.pos, f"'{node.op if not isinstance(node, Negate) else '-'}' "
                                  "needs numbers on both sides, not a condition"))
        elif isinstance(node, (Not, HeldFor)):
            if not _is_condition(node.operand):
                what = "'not'" if isinstance(node, Not) else "'for ... turns'"
                problems.append(ConditionProblem(
                    node.operand.pos, f"{what} needs a condition (a comparison), not a number"))
        elif isinstance(node, Logic):
            for operand in node.operands:
                if not _is_condition(operand):
                    problems.append(ConditionProblem(
                        operand.pos, f"'{node.op}' joins conditions; this is a number: "
                                     "compare it, e.g. '... > 2'"))
    return problems


def _signature(name: str) -> str:
    spec = INDICATORS[name]
    required = spec.args[:len(spec.args) - spec.optional]
    optional = spec.args[len(spec.args) - spec.optional:]
    text = ", ".join(required) + "".join(f"[, {kind}]" for kind in optional)
    return f"({text})"


def check_condition_text(text: str) -> str:
    """Pydantic's check of a ``condition`` field: the text when it parses and makes sense,
    else ``ValueError`` with every problem and where it is."""
    try:
        expr = parse_condition(text)
    except ConditionSyntaxError as exc:
        raise ValueError(f"condition {exc}") from None
    problems = structure_problems(expr)
    if problems:
        raise ValueError("condition: " + "; ".join(p.text() for p in problems[:5]))
    return text


def indicator_calls(expr: Expr) -> list[Call]:
    return [node for node in walk(expr) if isinstance(node, Call)]


def lookback(expr: Expr) -> int:
    """How many past turns of recorded figures the condition reads (0: none, only now)."""
    needed = 0
    stack: list[tuple[Expr, int]] = [(expr, 0)]
    while stack:
        node, ago = stack.pop()
        if isinstance(node, Call) and node.name not in NOW_INDICATORS:
            needed = max(needed, ago + 1)
        elif isinstance(node, HeldFor):
            stack.append((node.operand, ago + node.turns - 1))
        elif isinstance(node, (Negate, Not)):
            stack.append((node.operand, ago))
        elif isinstance(node, (Arithmetic, Compare)):
            stack.extend(((node.left, ago), (node.right, ago)))
        elif isinstance(node, Logic):
            stack.extend((operand, ago) for operand in node.operands)
    return needed


def describe(expr: Expr) -> str:
    """The condition in canonical form (one space around operators), for listings."""
    if isinstance(expr, Number):
        return f"{expr.value:g}"
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Call):
        return f"{expr.name}({', '.join(expr.args)})"
    if isinstance(expr, Negate):
        return f"-{_bracketed(expr.operand)}"
    if isinstance(expr, (Arithmetic, Compare)):
        return f"{_bracketed(expr.left)} {expr.op} {_bracketed(expr.right)}"
    if isinstance(expr, Not):
        return f"not {_bracketed(expr.operand)}"
    if isinstance(expr, Logic):
        return f" {expr.op} ".join(_bracketed(o) for o in expr.operands)
    if isinstance(expr, HeldFor):
        return f"{_bracketed(expr.operand)} for {expr.turns} turn" + \
            ("s" if expr.turns != 1 else "")
    raise TypeError(type(expr).__name__)


def _bracketed(expr: Expr) -> str:
    text = describe(expr)
    return f"({text})" if isinstance(expr, (Arithmetic, Logic, HeldFor, Compare)) else text


# ----------------------------------------------------------------- evaluation


def evaluate(expr: Expr, value_of: Callable[[Call, int], float], turn: int) -> bool:
    """Whether the condition holds. ``value_of(call, ago)`` is the indicator's value at the
    end of the turn ``ago`` turns before the last one (NaN when not known); ``turn`` is the
    turn about to be played. Iterative, so a deep expression cannot overflow the stack."""
    result = _evaluate(expr, value_of, turn, 0)
    return bool(result)


def _evaluate(expr: Expr, value_of: Callable[[Call, int], float], turn: int,
              ago: int) -> float | bool:
    # post-order over (node, ago) with an explicit stack of pending work
    values: list[float | bool] = []
    stack: list[tuple[Expr, int, bool]] = [(expr, ago, False)]
    while stack:
        node, shift, done = stack.pop()
        if isinstance(node, Number):
            values.append(node.value)
        elif isinstance(node, Name):
            values.append(float(turn - shift) if node.name == "turn"
                          else TRADE_STATUS.get(node.name, math.nan))
        elif isinstance(node, Call):
            values.append(value_of(node, shift))
        elif isinstance(node, HeldFor):
            if not done:
                stack.append((node, shift, True))
                for k in range(node.turns):
                    stack.append((node.operand, shift + k, False))
            else:
                held = [values.pop() for _ in range(node.turns)]
                values.append(all(bool(v) for v in held))
        elif not done:
            stack.append((node, shift, True))
            children = ((node.operand,) if isinstance(node, (Negate, Not))
                        else node.operands if isinstance(node, Logic)
                        else (node.left, node.right))
            for child in reversed(children):
                stack.append((child, shift, False))
        else:
            count = 1 if isinstance(node, (Negate, Not)) else \
                len(node.operands) if isinstance(node, Logic) else 2
            args = values[-count:]
            del values[-count:]
            values.append(_apply(node, args))
    return values[-1]


def _apply(node: Expr, args: list[Any]) -> float | bool:
    if isinstance(node, Negate):
        return -float(args[0])
    if isinstance(node, Not):
        return not args[0]
    if isinstance(node, Logic):
        return all(args) if node.op == "and" else any(args)
    left, right = float(args[0]), float(args[1])
    if isinstance(node, Arithmetic):
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right if right != 0 else math.nan
    if math.isnan(left) or math.isnan(right):
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right,
            "==": abs(left - right) <= 1e-9 * max(1.0, abs(left), abs(right)),
            "!=": abs(left - right) > 1e-9 * max(1.0, abs(left), abs(right))}[node.op]


# ----------------------------------------------------------------- can it ever hold?

Range = tuple[float, float]
NEVER, MAYBE, ALWAYS = 0, 1, 2


def can_hold(expr: Expr, range_of: Callable[[Call], Range], turns: Range) -> int:
    """``NEVER``, ``MAYBE`` or ``ALWAYS``: whether the condition can hold, given each
    indicator's possible range (``range_of``) and the turns it is checked at, by interval
    arithmetic. Conservative: ``NEVER`` only when no values in those ranges make it hold."""
    return int(_tri(expr, range_of, turns))


def _interval(expr: Expr, range_of: Callable[[Call], Range], turns: Range) -> Range:
    if isinstance(expr, Number):
        return (expr.value, expr.value)
    if isinstance(expr, Name):
        if expr.name == "turn":
            return turns
        value = TRADE_STATUS.get(expr.name, math.nan)
        return (value, value)
    if isinstance(expr, Call):
        return range_of(expr)
    if isinstance(expr, Negate):
        low, high = _interval(expr.operand, range_of, turns)
        return (-high, -low)
    if isinstance(expr, Arithmetic):
        a = _interval(expr.left, range_of, turns)
        b = _interval(expr.right, range_of, turns)
        if expr.op == "+":
            return (a[0] + b[0], a[1] + b[1])
        if expr.op == "-":
            return (a[0] - b[1], a[1] - b[0])
        if expr.op == "/":
            if b[0] <= 0 <= b[1]:
                return (-math.inf, math.inf)
            b = (1 / b[1], 1 / b[0])
        corners = [x * y for x in a for y in b if not (math.isinf(x) and y == 0)
                   and not (math.isinf(y) and x == 0)] or [0.0]
        return (min(corners), max(corners))
    return (-math.inf, math.inf)


def _tri(expr: Expr, range_of: Callable[[Call], Range], turns: Range) -> int:
    if isinstance(expr, Compare):
        a = _interval(expr.left, range_of, turns)
        b = _interval(expr.right, range_of, turns)
        op = expr.op
        if op in ("<", "<="):
            a, b, op = b, a, ">" if op == "<" else ">="
        if op == ">":
            return ALWAYS if a[0] > b[1] else NEVER if a[1] <= b[0] else MAYBE
        if op == ">=":
            return ALWAYS if a[0] >= b[1] else NEVER if a[1] < b[0] else MAYBE
        overlap = a[0] <= b[1] and b[0] <= a[1]
        point = a[0] == a[1] == b[0] == b[1]
        if op == "==":
            return ALWAYS if point else MAYBE if overlap else NEVER
        return NEVER if point else ALWAYS if not overlap else MAYBE
    if isinstance(expr, Not):
        return 2 - _tri(expr.operand, range_of, turns)
    if isinstance(expr, Logic):
        parts = [_tri(o, range_of, turns) for o in expr.operands]
        return min(parts) if expr.op == "and" else max(parts)
    if isinstance(expr, HeldFor):
        return _tri(expr.operand, range_of, turns)
    return MAYBE
