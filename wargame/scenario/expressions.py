"""Simple arithmetic in effect arguments, evaluated safely (no Python ``eval``).

A designer may write a number argument as an expression of numbers and order parameters:
``tonnes_per_year: $tonnes * 0.96`` or ``value: 1 - $cut``. Allowed: numbers, ``$name``
references, ``+ - * /``, unary minus and parentheses; anything else (names, calls,
attributes, powers, comparisons) is refused with a message. Expressions are parsed with
``ast`` into a tree that only this module walks, and bounded in length and depth.
"""
from __future__ import annotations

import ast
import math
import operator
import re
from typing import Any, Callable, Mapping

MAX_EXPRESSION_CHARS = 200
MAX_DEPTH = 20
_REFERENCE = re.compile(r"\$([A-Za-z][A-Za-z0-9_\-]*)")
_OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class ExpressionError(ValueError):
    """An expression that is not simple arithmetic, or cannot be evaluated."""


def is_expression(value: Any) -> bool:
    """A text with an operator in it (a plain ``$name`` is a reference, not arithmetic)."""
    return isinstance(value, str) and any(op in value for op in "+-*/()") \
        and not re.fullmatch(r"\$[A-Za-z][A-Za-z0-9_\-]*", value.strip())


def _parse(text: str) -> tuple[ast.AST, dict[str, str]]:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"is too long (at most {MAX_EXPRESSION_CHARS} characters)")
    names: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        name = f"_p{len(names)}"
        names[name] = match.group(1)
        return name

    source = _REFERENCE.sub(rename, text)
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise ExpressionError(f"'{text}' is not arithmetic of numbers and $parameters") from None
    _check(tree, names, text, 0)
    return tree, names


def _check(node: ast.AST, names: dict[str, str], text: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"'{text}' is nested too deeply")
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _check(node.left, names, text, depth + 1)
        _check(node.right, names, text, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, names, text, depth + 1)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return
    elif isinstance(node, ast.Name) and node.id in names:
        return
    else:
        raise ExpressionError(f"'{text}' may use only numbers, $parameters, + - * / and "
                              "parentheses")


def with_names(text: str, name: Callable[[str], str]) -> str:
    """The expression with each ``$param`` replaced by ``name(param)`` (for plain words)."""
    return _REFERENCE.sub(lambda match: name(match.group(1)), text)


def references(text: str) -> list[str]:
    """The parameter names an expression refers to (checked as it is parsed)."""
    _tree, names = _parse(text)
    return list(names.values())


def evaluate(text: str, params: Mapping[str, Any]) -> float:
    """The expression's value with ``$name`` replaced by ``params[name]`` (numbers)."""
    tree, names = _parse(text)

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ExpressionError(f"'{text}' divides by zero")
            return _OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant):
            return float(node.value)
        name = names[node.id]  # an ast.Name: checked to be a reference
        value = params.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"'{text}': parameter '{name}' is not a number")
        return float(value)

    result = walk(tree)
    if not math.isfinite(result):
        raise ExpressionError(f"'{text}' is not a finite number")
    return result
