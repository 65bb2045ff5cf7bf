"""Other lines of play of the same exercise, for the report: where a session came from (its
fork lineage), what was forked from it, and the headline numbers of each other line beside
its own from the branch point on: the session it was forked from, its forks, and the lines a
rewind archived.

Every other line is read through the session layer's ``visible_history`` for the report's
own reader, so a team's edition compares only what that team may see of the other line too.
"""
from __future__ import annotations

from collections.abc import Mapping

from wargame.engine import TurnIndicators
from wargame.report.model import BranchComparison, HeadlineRow, SessionLink
from wargame.report.timeline import visible_indicators
from wargame.scenario.model import Scenario
from wargame.session.exercise import load_session_scenario, typed_events
from wargame.session.phases import ENDED
from wargame.session.views import visible_history
from wargame.session.visibility import Viewer
from wargame.store import LIVE, SessionRecord, SessionStore, StoreError

MAX_COMPARED_FORKS = 6  # a report compares at most this many forks of a session
MAX_LINEAGE = 20  # and lists at most this many generations it came from


def lineage(store: SessionStore, record: SessionRecord) -> tuple[SessionLink, ...]:
    """The sessions ``record`` descends from, oldest first, each with the turn its child
    was forked at; a parent no longer in the database ends the line (named by its id)."""
    out: list[SessionLink] = []
    seen = {record.id}
    child = record
    while child.parent_session and len(out) < MAX_LINEAGE:
        try:
            parent = store.session(child.parent_session)
        except StoreError:  # deleted, or never imported here
            out.append(SessionLink(session_id=child.parent_session,
                                   forked_at_turn=child.parent_turn))
            break
        out.append(SessionLink(session_id=parent.id, name=parent.name,
                               forked_at_turn=child.parent_turn))
        if parent.id in seen:
            break
        seen.add(parent.id)
        child = parent
    return tuple(reversed(out))


def forks_of(store: SessionStore, record: SessionRecord) -> list[SessionRecord]:
    return sorted((s for s in store.list_sessions() if s.parent_session == record.id),
                  key=lambda s: s.created_at)


def headline_numbers(indicators: TurnIndicators, names: Mapping[str, Mapping[str, str]]
                     ) -> dict[str, float]:
    """The few numbers a branch comparison sets side by side: every team's score (those the
    reader may see) and every material's price index."""
    out = {f"Score: {names['team'].get(t, t)}": s.total
           for t, s in indicators.scores.items()}
    out.update({f"Price index: {names['material'].get(m, m)}": v
                for m, v in indicators.price_index_vs_baseline.items()})
    return out


class _Lines:
    """Reads other lines of play as one viewer may see them."""

    def __init__(self, store: SessionStore, scenario: Scenario, viewer: Viewer):
        self.store = store
        self.scenario = scenario
        self.viewer = viewer

    def indicators(self, record: SessionRecord, branch: int = LIVE
                   ) -> dict[int, TurnIndicators]:
        scenario = self.scenario
        if record.scenario_hash != scenario.content_hash:
            scenario = load_session_scenario(self.store, record)
        events = typed_events(self.store.events(record.id, branch=branch))
        history = visible_history(scenario, self.viewer, events,
                                  ended=record.phase == ENDED)
        return {r.turn: visible_indicators(r, self.viewer) for r in history.results}


def _compare(relation: str, other: str, branch_turn: int, mine: Mapping[int, TurnIndicators],
             theirs: Mapping[int, TurnIndicators], names: Mapping[str, Mapping[str, str]],
             other_branch: int = LIVE) -> BranchComparison:
    rows = []
    for turn in sorted(t for t in {*mine, *theirs} if t >= branch_turn):
        a = headline_numbers(mine[turn], names) if turn in mine else {}
        b = headline_numbers(theirs[turn], names) if turn in theirs else {}
        for measure in sorted({*a, *b}):
            rows.append(HeadlineRow(turn=turn, measure=measure, this_value=a.get(measure),
                                    other_value=b.get(measure)))
    return BranchComparison(relation=relation, other_session=other, other_branch=other_branch,
                            branch_turn=branch_turn, rows=tuple(rows))


def branch_comparisons(store: SessionStore, record: SessionRecord, scenario: Scenario,
                       viewer: Viewer, mine: Mapping[int, TurnIndicators],
                       names: Mapping[str, Mapping[str, str]]) -> list[BranchComparison]:
    """The parent this session was forked from, its own forks, and the lines of play a
    rewind archived, each from its branch point on (``mine``: this line's indicators as the
    viewer sees them)."""
    if not mine and record.parent_session is None:
        return []
    lines = _Lines(store, scenario, viewer)
    out = []
    if record.parent_session and record.parent_turn is not None:
        try:
            parent = store.session(record.parent_session)
        except StoreError:  # the parent was deleted or not imported: nothing to set beside
            parent = None
        if parent is not None:
            out.append(_compare("parent", parent.id, record.parent_turn, mine,
                                lines.indicators(parent), names))
    for fork in forks_of(store, record)[:MAX_COMPARED_FORKS]:
        out.append(_compare("fork", fork.id, fork.parent_turn or 1, mine,
                            lines.indicators(fork), names))
    for branch in store.branches(record.id)[:MAX_COMPARED_FORKS]:
        out.append(_compare("archived", record.id, branch.from_turn, mine,
                            lines.indicators(record, branch.branch), names,
                            other_branch=branch.branch))
    return out
