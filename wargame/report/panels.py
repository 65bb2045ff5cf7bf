"""HTML panels of the debrief, the briefing and the projector: Qt-free, so the app's
screens and the after-action report share one wording, and tested without Qt.

Every function takes plain read-outs (the revealed turn, team names) and returns an HTML
fragment for a rich-text view; everything interpolated is escaped here.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

esc = html.escape

NO_DEBRIEF_YET = "<p>The debrief appears here once a turn has been committed.</p>"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """'one order', '2 orders'... as said aloud: never 'order(s)'. Small counts in words."""
    noun = singular if count == 1 else (plural or singular + "s")
    number = NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else f"{count:,}"
    return f"{number} {noun}"


def _items(values: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul>"


def explanations_html(revealed: dict | None) -> str:
    """'Turn N: what happened and why', the events of the turn and the explanations."""
    if not revealed:
        return NO_DEBRIEF_YET
    parts = [f"<h3>Turn {revealed['turn']}: what happened and why</h3>"]
    if revealed.get("injects"):
        parts.append("<p><b>Events</b></p>" + _items(revealed["injects"]))
    explanations = revealed.get("explanations") or []
    parts.append(_items(explanations) if explanations
                 else "<p>No order or event changed anything measurable this turn.</p>")
    return "".join(parts)


def revealed_orders_html(revealed: dict | None, heading: bool = True) -> str:
    """Every team's orders of the turn, now revealed, with their outcome, and the
    facilitator's overrides with their reasons."""
    if not revealed:
        return "<p>Orders are revealed here after each turn is adjudicated.</p>"
    parts = ["<p><b>Orders of every team (now revealed)</b></p>"] if heading else []
    orders = revealed.get("orders") or []
    if orders:
        parts.append("<table cellspacing='4'>")
        for row in orders:
            parts.append(f"<tr><td><b>{esc(row['team'])}</b></td><td>{esc(row['text'])}</td>"
                         f"<td><i>{esc(row['status'])}</i></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No team gave an order this turn.</p>")
    if revealed.get("overrides"):
        parts.append("<p><b>Facilitator overrides</b></p>" + _items(revealed["overrides"]))
    return "".join(parts)


def debrief_html(revealed: dict | None) -> str:
    """The debrief tab: what happened and why, then every team's orders."""
    if not revealed:
        return NO_DEBRIEF_YET
    return explanations_html(revealed) + revealed_orders_html(revealed)


def waiting_text(phase: str, waiting_for: Sequence[str], paused: bool = False) -> str:
    """One line for the room: whom the exercise is waiting for, in plain words."""
    if paused:
        return "Paused: the clock has stopped."
    if phase == "briefing":
        return "Briefing: orders open when the facilitator hands the laptop over."
    if phase == "orders":
        if not waiting_for:
            return "All orders are in: the facilitator resolves the turn."
        names = list(waiting_for)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Waiting for {listed}."
    if phase == "adjudication":
        return "All orders are in: the facilitator is reviewing the outcomes."
    if phase == "debrief":
        return "Debrief: what happened and why."
    if phase == "ended":
        return "The exercise has ended."
    return ""


def events_html(titles: Sequence[str]) -> str:
    """The events (injects) of the turn in progress."""
    if not titles:
        return "<p>No events this turn so far.</p>"
    return "<p><b>This turn</b></p>" + _items(titles)


def revealed_from_turn(turn, facilitator: bool = True) -> dict | None:
    """The read-out the panels above take, made from a committed ``TurnRecord`` of the
    after-action report (``wargame.report.gather``), so the replay browser shows a past turn
    in the same words as the live debrief. ``facilitator``: explanations not read to the
    room are included (marked). None for a turn not yet committed."""
    if turn is None or not turn.committed:
        return None
    orders = [{"team": o.team_name,
               "text": o.description + (" (covert)" if o.covert else ""),
               "status": o.status} for o in turn.orders]
    explanations = [e.text + ("" if e.public else " (not read to the room)")
                    for e in turn.explanations if e.public or facilitator]
    return {"turn": turn.turn, "orders": orders, "explanations": explanations,
            "injects": [i.title for i in turn.injects],
            "overrides": [f"{o.order_description}: {o.status} — {o.reason}"
                          for o in turn.overrides]}
