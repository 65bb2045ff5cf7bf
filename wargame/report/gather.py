"""``build_report``: an ``AfterActionReport`` made from the store alone, for any session,
finished or not. Reads only; writes nothing.

What a reader may see: the report covers COMMITTED turns. The turn in progress appears with
its injects and notes only: its orders are sealed and its rulings pending, so neither is
read here at all. For the ``public`` audience notes are left out, and so are covert orders,
their outcomes and rulings, and explanations naming them, until the exercise has ended.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from pydantic import ValidationError

from wargame.engine import (
    FACILITATOR,
    Explanation,
    FiredInject,
    OrderOutcome,
    TurnIndicators,
)
from wargame.engine.phrases import describe_move
from wargame.report.annex import baseline_figures, cited_sources
from wargame.report.hotwash import HOT_WASH, HotWash, latest_hot_wash
from wargame.report.model import (
    AfterActionReport,
    AnalysisSection,
    Audience,
    BranchComparison,
    ExplanationEntry,
    HeadlineRow,
    InjectEntry,
    LogEntry,
    NoteEntry,
    OrderEntry,
    OverrideEntry,
    SessionFacts,
    Standing,
    StandingTerm,
    TeamEntry,
    TurnRecord,
)
from wargame.scenario.model import Scenario
from wargame.session.errors import ExerciseError
from wargame.session.events import (
    DECK_INJECTS,
    FACILITATOR_ORDERS,
    FORKED,
    INJECT_FIRED,
    NOTE,
    ORDERS_SUBMITTED,
    OVERRIDE,
    PAUSED,
    PHASE,
    RANDOM_DRAWS,
    RESUMED,
    REWOUND,
    SESSION_CREATED,
    TURN_RESOLVED,
)
from wargame.session.exercise import load_session_scenario, typed_events
from wargame.session.folding import turn_inputs
from wargame.session.phases import ENDED
from wargame.store.store import LIVE, Event, SessionRecord, SessionStore

MAX_COMPARED_FORKS = 6  # a report compares at most this many forks of a session
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class ReportError(ValueError):
    """A session whose stored turns this version cannot read into a report."""


def build_report(store: SessionStore, session_id: str,
                 audience: Audience | str = Audience.FACILITATOR,
                 analysis: Sequence[AnalysisSection] = ()) -> AfterActionReport:
    """The after-action report of ``session_id`` (an id or a unique prefix) for
    ``audience``; ``analysis`` sections are added at the end of the analysis part."""
    audience = Audience(audience)
    record = store.session(store.resolve_id(session_id))
    scenario = load_session_scenario(store, record)
    events = store.events(record.id)
    ended = record.phase == ENDED
    hidden_covert = audience is Audience.PUBLIC and not ended
    hot_wash = latest_hot_wash(events)
    turns = _turn_records(scenario, record, events, audience, hidden_covert)
    annex = baseline_figures(scenario)
    return AfterActionReport(
        audience=audience,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        facts=_facts(scenario, record, events, turns,
                     show_seed=audience is Audience.FACILITATOR or ended),
        teams=_teams(scenario, record, hot_wash),
        turns=tuple(turns),
        standings=_standings(scenario, turns),
        hot_wash=hot_wash,
        annex=tuple(annex),
        sources=cited_sources(scenario, annex),
        branches=tuple(_branches(store, record, turns, _names(scenario))),
        analysis=tuple(analysis),
        log=tuple(_log(scenario, events, audience, hidden_covert)),
        names=_names(scenario),
    )


# ------------------------------------------------------------------ overview


def _facts(sc: Scenario, record: SessionRecord, events: list[Event],
           turns: list[TurnRecord], show_seed: bool) -> SessionFacts:
    created = next((e.payload for e in events if e.kind == SESSION_CREATED), {}) or {}
    return SessionFacts(
        session_id=record.id, scenario_id=sc.id, scenario_title=sc.title,
        scenario_summary=sc.summary, scenario_hash=record.scenario_hash,
        start_date=sc.start_date, turn_length_months=sc.turn_length_months,
        seed=record.seed if show_seed else None,
        engine_model_version=created.get("engine_model_version"),
        wargame_version=str(created.get("wargame_version", "unknown")),
        created_at=events[0].created_at if events else record.created_at,
        last_event_at=events[-1].created_at if events else record.updated_at,
        status=record.status, phase=record.phase, current_turn=record.turn,
        turn_limit=record.turn_limit or sc.turns,
        turns_committed=sum(1 for t in turns if t.committed),
        parent_session=record.parent_session, parent_turn=record.parent_turn)


def _teams(sc: Scenario, record: SessionRecord, hot_wash: HotWash) -> tuple[TeamEntry, ...]:
    controllers = {t.team: t.controller for t in record.teams}
    return tuple(
        TeamEntry(team=team.id, name=team.name, controller=controllers.get(team.id, "human"),
                  players=hot_wash.players.get(team.id, ""), colour=team.colour,
                  actors=sc.team_actors(team.id))
        for team in sc.teams)


def _names(sc: Scenario) -> dict[str, dict[str, str]]:
    stages = {s.id: s.name for m in sc.materials for s in m.stages}
    return {"actor": {a.id: a.name for a in sc.actors},
            "material": {m.id: m.name for m in sc.materials},
            "sector": {s.id: s.name for s in sc.sectors},
            "team": {**{t.id: t.name for t in sc.teams}, FACILITATOR: "White cell"},
            "stage": stages}


def turn_calendar(start_date: str, turn_length_months: int, turn: int) -> str:
    """'Dec 2025 - Feb 2026' for turn 1 of a scenario starting "2025-12" with 3-month
    turns; '' when the start date is not a year-month."""
    try:
        year, month = (int(part) for part in start_date.split("-")[:2])
    except ValueError:
        return ""
    if not 1 <= month <= 12:
        return ""
    first = (year * 12 + month - 1) + (turn - 1) * turn_length_months
    last = first + turn_length_months - 1
    label = lambda index: f"{MONTHS[index % 12]} {index // 12}"  # noqa: E731
    return label(first) if first == last else f"{label(first)} - {label(last)}"


# ------------------------------------------------------------------ timeline


def _turn_records(sc: Scenario, record: SessionRecord, events: list[Event],
                  audience: Audience, hidden_covert: bool) -> list[TurnRecord]:
    by_turn: dict[int, list[Event]] = {}
    for event in events:
        by_turn.setdefault(event.turn, []).append(event)
    committed = {e.turn: e for e in events if e.kind == TURN_RESOLVED}
    team_order = [t.team for t in record.teams]
    covert_moves = {m.id for m in sc.moves if not m.public}
    out = []
    last_turn = max([record.turn, *committed]) if committed else record.turn
    for turn in range(1, last_turn + 1):
        turn_events = by_turn.get(turn, [])
        notes = () if audience is Audience.PUBLIC else tuple(
            NoteEntry(seq=e.seq, turn=e.turn, phase=str(e.payload.get("phase") or ""),
                      created_at=e.created_at, text=str(e.payload.get("text", "")))
            for e in turn_events if e.kind == NOTE)
        calendar = turn_calendar(sc.start_date, sc.turn_length_months, turn)
        if turn not in committed:
            if turn != record.turn:  # a turn neither committed nor in progress: none
                continue
            out.append(TurnRecord(turn=turn, committed=False, calendar=calendar,
                                  injects=tuple(_hand_injects(sc, turn_events)), notes=notes))
            continue
        result = committed[turn].payload.get("result") or {}
        try:
            outcomes = [OrderOutcome.model_validate(o) for o in result.get("outcomes", [])]
            explanations = [Explanation.model_validate(e)
                            for e in result.get("explanations", [])]
            injects = [FiredInject.model_validate(i) for i in result.get("injects_fired", [])]
            indicators = TurnIndicators.from_json_dict(result.get("indicators"))
        except (ValidationError, TypeError) as exc:
            raise ReportError(f"session {record.id}, turn {turn}: its stored result cannot "
                              f"be read by this version ({_first_problem(exc)})") from None
        try:
            inputs = turn_inputs(typed_events(turn_events), team_order)
        except ExerciseError as exc:
            raise ReportError(f"session {record.id}, turn {turn}: {exc}") from None
        by_id = {o.order_id: o for o in outcomes}
        orders = []
        for order in inputs.orders:
            covert = order.move in covert_moves
            if covert and hidden_covert:
                continue
            outcome = by_id.get(order.id)
            orders.append(OrderEntry(
                order_id=order.id, team=order.team,
                team_name="White cell" if order.team == FACILITATOR
                else (sc.team(order.team).name if order.team in sc.team_index else order.team),
                move=order.move, params_json=json.dumps(order.params, sort_keys=True),
                description=describe_move(sc, order.move, order.params, order.team),
                covert=covert,
                status=str(outcome.status) if outcome else "not resolved",
                detail=outcome.detail if outcome else ""))
        shown = {o.order_id: o for o in orders}
        overrides = tuple(
            OverrideEntry(order_id=p["order_id"], status=str(p.get("status", "")),
                          reason=str(p.get("reason", "")),
                          order_description=shown[p["order_id"]].description)
            for p in (e.payload for e in turn_events if e.kind == OVERRIDE)
            if p.get("order_id") in shown)
        out.append(TurnRecord(
            turn=turn, committed=True, calendar=calendar,
            injects=tuple(InjectEntry(inject_id=i.inject_id, title=i.title, text=i.text,
                                      how=i.how) for i in injects),
            orders=tuple(orders), overrides=overrides, notes=notes,
            explanations=tuple(ExplanationEntry(text=e.text, public=e.public, groups=e.groups,
                                                kind=e.kind)
                               for e in explanations if e.public or not hidden_covert),
            indicators=indicators))
    return out


def _log(sc: Scenario, events: list[Event], audience: Audience, hidden_covert: bool
         ) -> list[LogEntry]:
    """The log in one line per event, as the audience may see it: the contents of orders
    and rulings only for committed turns (and never a hidden covert order), notes and random
    draws only for the facilitator."""
    resolved = {e.turn for e in events if e.kind == TURN_RESOLVED}
    covert = {m.id for m in sc.moves if not m.public}
    facilitator = audience is Audience.FACILITATOR
    names = _names(sc)["team"]
    covert_ids = {o.get("id") for e in events if e.kind in (ORDERS_SUBMITTED, FACILITATOR_ORDERS)
                  for o in (e.payload or {}).get("orders") or [] if o.get("move") in covert}
    out = []
    for e in events:
        p = e.payload if isinstance(e.payload, dict) else {}
        done = e.turn in resolved
        if e.kind in (ORDERS_SUBMITTED, FACILITATOR_ORDERS):
            who = names.get(str(p.get("team")), str(p.get("team")))
            orders = p.get("orders") or []
            shown = [o for o in orders if not (hidden_covert and o.get("move") in covert)]
            if not done:
                text = f"{who} submitted orders (sealed until the turn is resolved)"
                if e.kind == FACILITATOR_ORDERS and not facilitator:
                    continue
            else:
                text = f"{who} submitted {len(shown)} order{'s' if len(shown) != 1 else ''}"
        elif e.kind == OVERRIDE:
            if (not done and not facilitator) or (hidden_covert and
                                                  p.get("order_id") in covert_ids):
                continue
            text = f"override of order {p.get('order_id')}: {p.get('status')}"
            text += f" (reason: {p.get('reason')})" if done or facilitator else ""
            if not done:
                text += ", pending until the turn is committed"
        elif e.kind in (NOTE, RANDOM_DRAWS) and not facilitator:
            continue
        elif e.kind == SESSION_CREATED and not facilitator and hidden_covert:
            text = "session created"
        else:
            text = _summary(e.kind, p)
        out.append(LogEntry(seq=e.seq, turn=e.turn, created_at=e.created_at, kind=e.kind,
                            summary=text))
    return out


def _summary(kind: str, p: dict) -> str:
    if kind == SESSION_CREATED:
        return f"session created (seed {p.get('seed')}, engine model " \
               f"{p.get('engine_model_version')})"
    if kind == PHASE:
        return f"phase: {p.get('phase')}"
    if kind == INJECT_FIRED:
        raw = p.get("inject")
        return "inject fired by hand: " + (str(raw.get("title")) if isinstance(raw, dict)
                                           else str(raw))
    if kind == DECK_INJECTS:
        titles = [str(i.get("title", i.get("inject_id"))) for i in p.get("injects") or []]
        return "injects from the deck: " + (", ".join(titles) if titles else "none")
    if kind == RANDOM_DRAWS:
        return f"{len(p.get('draws') or [])} random draws recorded"
    if kind == TURN_RESOLVED:
        return "turn resolved and committed"
    if kind == NOTE:
        return f"note: {p.get('text')}"
    if kind in (PAUSED, RESUMED):
        return f"{kind} (in the {p.get('phase')} phase)"
    if kind == REWOUND:
        return f"rewound to the start of turn {p.get('to_turn')} (later turns kept as " \
               f"branch {p.get('archived_branch')}){': ' + p['reason'] if p.get('reason') else ''}"
    if kind == FORKED:
        return f"forked from session {p.get('from_session')} at turn {p.get('from_turn')}"
    if kind == HOT_WASH:
        return "hot wash recorded"
    return kind.replace("_", " ")


def _hand_injects(sc: Scenario, events: Iterable[Event]) -> list[InjectEntry]:
    """Injects fired by hand in the turn in progress (public the moment they are fired)."""
    out = []
    for event in events:
        if event.kind != INJECT_FIRED:
            continue
        raw = event.payload.get("inject")
        if isinstance(raw, dict):
            out.append(InjectEntry(inject_id=str(raw.get("id", "")),
                                   title=str(raw.get("title", "")),
                                   text=str(raw.get("text", "")), how="by hand"))
        else:
            deck = {i.id: i for i in sc.injects}.get(str(raw))
            out.append(InjectEntry(inject_id=str(raw), title=deck.title if deck else str(raw),
                                   text=deck.text if deck else "", how="by hand"))
    return out


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False, include_input=False)[0]
        return f"{first['msg']} at {'.'.join(map(str, first['loc']))}"
    return f"{type(exc).__name__}: {exc}"


# ------------------------------------------------------------------ analysis


def _standings(sc: Scenario, turns: list[TurnRecord]) -> tuple[Standing, ...]:
    """Each team's score at the last committed turn, ranked (ties share a rank)."""
    last = next((t.indicators for t in reversed(turns) if t.indicators is not None), None)
    if last is None:
        return ()
    scored = [(team, last.scores[team.id]) for team in sc.teams if team.id in last.scores]
    totals = sorted({round(score.total, 9) for _, score in scored}, reverse=True)
    rows = [Standing(rank=totals.index(round(score.total, 9)) + 1, team=team.id,
                     name=team.name, total=score.total,
                     terms=tuple(StandingTerm(**term.model_dump()) for term in score.terms))
            for team, score in scored]
    return tuple(sorted(rows, key=lambda row: (row.rank, row.name)))


def headline_numbers(indicators: TurnIndicators, sc_names: dict[str, dict[str, str]]
                     ) -> dict[str, float]:
    """The few numbers a branch comparison sets side by side: every team's score and every
    material's price index."""
    out = {f"Score: {sc_names['team'].get(t, t)}": s.total
           for t, s in indicators.scores.items()}
    out.update({f"Price index: {sc_names['material'].get(m, m)}": v
                for m, v in indicators.price_index_vs_baseline.items()})
    return out


def _indicators_of(store: SessionStore, session_id: str, branch: int = LIVE
                   ) -> dict[int, TurnIndicators]:
    out = {}
    for event in store.events(session_id, kinds=[TURN_RESOLVED], branch=branch):
        try:
            out[event.turn] = TurnIndicators.from_json_dict(
                (event.payload.get("result") or {}).get("indicators"))
        except (ValidationError, TypeError) as exc:
            raise ReportError(f"session {session_id}, turn {event.turn}: its stored result "
                              f"cannot be read ({_first_problem(exc)})") from None
    return out


def _compare(relation: str, other: str, branch_turn: int, mine: dict[int, TurnIndicators],
             theirs: dict[int, TurnIndicators], names: dict[str, dict[str, str]],
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


def _branches(store: SessionStore, record: SessionRecord, turns: list[TurnRecord],
              sc_names: dict[str, dict[str, str]]) -> list[BranchComparison]:
    """The parent this session was forked from, its own forks, and the lines of play a
    rewind archived, each from its branch point on."""
    if not any(t.committed for t in turns) and record.parent_session is None:
        return []
    mine = {t.turn: t.indicators for t in turns if t.indicators is not None}
    out = []
    if record.parent_session and record.parent_turn is not None:
        try:
            parent = store.session(record.parent_session)
        except Exception:  # noqa: BLE001 - the parent was deleted or not imported: no sibling
            parent = None
        if parent is not None:
            out.append(_compare("parent", parent.id, record.parent_turn, mine,
                                _indicators_of(store, parent.id), sc_names))
    forks = [s for s in store.list_sessions() if s.parent_session == record.id]
    for fork in sorted(forks, key=lambda s: s.created_at)[:MAX_COMPARED_FORKS]:
        out.append(_compare("fork", fork.id, fork.parent_turn or 1, mine,
                            _indicators_of(store, fork.id), sc_names))
    for branch in store.branches(record.id)[:MAX_COMPARED_FORKS]:
        out.append(_compare("archived", record.id, branch.from_turn, mine,
                            _indicators_of(store, record.id, branch.branch), sc_names,
                            other_branch=branch.branch))
    return out
