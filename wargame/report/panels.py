"""HTML panels of the debrief, the briefing and the projector: Qt-free, so the app's
screens and the after-action report share one wording, and tested without Qt.

Every function takes typed read-outs (a ``RevealedTurn``, the engine's ``TurnIndicators``
and ``TeamView``) and returns an HTML fragment for a rich-text view; everything
interpolated is escaped here. The briefing's world panel is ``report.briefing``, a team's
own view ``report.team_panel``, the map's details ``report.map_panels``.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window imports count_of at start-up: the engine comes later
    from wargame.engine.results import Explanation
    from wargame.report.revealed import RevealedTurn

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
    """A list; '92 %' never breaks between the number and its sign."""
    return "<ul>" + "".join(f"<li>{esc(v).replace(' %', chr(0xA0) + '%')}</li>"
                            for v in values) + "</ul>"


COVERT_NOTE = " [covert: not for the room]"


def explanation_list_html(explanations: Sequence[Explanation], events: Sequence[str] = (),
                          changes_limit: int | None = None) -> str:
    """The explanation sentences in sections: 'Events and orders' (one line each: what it
    did, or why it had no measurable effect yet), 'What changed' (the figures that moved
    and why; at most ``changes_limit``, the largest first), 'Also this turn' (licence draws
    of measures in force, investments arriving). A sentence that is not public (it names a
    covert move) is marked for the facilitator. ``events``: titles to list when no event
    has its own line (explanations were off)."""
    def text(e: Explanation) -> str:
        return e.text + ("" if e.public else COVERT_NOTE)

    parts = []
    said = [text(e) for e in explanations if e.kind in ("event", "order")]
    if events and not any(e.kind == "event" for e in explanations):
        parts.append("<p><b>Events</b></p>" + _items(events))
    if said:
        parts.append("<p><b>Events and orders</b></p>" + _items(said))
    changes = [text(e) for e in explanations if e.kind == "change"]
    if changes_limit is not None and len(changes) > changes_limit:
        left = len(changes) - changes_limit
        changes = changes[:changes_limit] + [
            f"{count_of(left, 'more figure').capitalize()} moved: see the debrief."]
    if changes:
        parts.append("<p><b>What changed</b></p>" + _items(changes))
    news = [text(e) for e in explanations if e.kind == "news"]
    if news and changes_limit is None:
        parts.append("<p><b>Also this turn</b></p>" + _items(news))
    if not (said or changes or news):
        parts.append("<p>No order or event changed anything measurable this turn.</p>")
    return "".join(parts)


def explanations_html(revealed: RevealedTurn | None, changes_limit: int | None = None) -> str:
    """'Turn N: what happened and why' and the turn's public explanations in sections
    (``explanation_list_html``)."""
    if revealed is None:
        return NO_DEBRIEF_YET
    return (f"<h3>Turn {revealed.turn}: what happened and why</h3>"
            + explanation_list_html(revealed.explanations, revealed.events, changes_limit))


def revealed_orders_html(revealed: RevealedTurn | None, heading: bool = True) -> str:
    """Every team's orders of the turn, now revealed, with their outcome, and the
    facilitator's overrides with their reasons (the order named, never its id)."""
    if revealed is None:
        return "<p>Orders are revealed here after each turn is adjudicated.</p>"
    parts = ["<p><b>Orders of every team (now revealed)</b></p>"] if heading else []
    if revealed.orders:
        parts.append("<table cellspacing='4'>")
        for row in revealed.orders:
            text = row.text + (" (covert)" if row.covert else "")
            parts.append(f"<tr><td><b>{esc(row.team)}</b></td><td>{esc(text)}</td>"
                         f"<td><i>{esc(row.status)}</i></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No team gave an order this turn.</p>")
    if revealed.overrides:
        parts.append("<p><b>Facilitator overrides</b></p>" + _items(
            [f"{o.order}: {o.status} — {o.reason}" for o in revealed.overrides]))
    return "".join(parts)


def debrief_html(revealed: RevealedTurn | None) -> str:
    """The debrief tab: what happened and why, then every team's orders."""
    if revealed is None:
        return NO_DEBRIEF_YET
    return explanations_html(revealed) + revealed_orders_html(revealed)


def projector_debrief_versions(revealed: RevealedTurn) -> list[str]:
    """The projector's debrief, most complete first, for a panel that shows the first
    version that fits without scrolling: every line and the orders table; then without
    the table (each order has its line anyway); then fewer of the figures that moved."""
    versions = [debrief_html(revealed), explanations_html(revealed)]
    changes = len(revealed.of_kind("change"))
    for limit in (8, 5, 3, 1, 0):
        if limit < changes:
            versions.append(explanations_html(revealed, changes_limit=limit))
    return versions


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
