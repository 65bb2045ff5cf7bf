"""``build_report``: the ``AfterActionReport`` of a session, read through the session layer.
Reads only; writes nothing.

What a reader may see is decided by the session layer alone: the report is made from
``Exercise.view_for(viewer)`` (its one visibility function: each event's stored visibility
checked by ``may_see``; covert moves hidden from others until the exercise has ended;
indicators cut to what the viewer may know) and never reads the log another way. Three
editions: the facilitator's, a team's (``Viewer.of_team``) and the public one; each needs
the PIN of its door when one is set (the facilitator's, the team's), as ``view_for`` does.

On top of that, a report covers COMMITTED turns: the turn in progress appears with its
injects and notes only; its sealed orders and pending rulings are shown to no one
(``timeline``). Other lines of play (parent, forks, archived branches) are read for the same
viewer (``branches``).

The software versions (wargame and engine model) are printed in every edition: they are
facts about the program, not the game; they are read from the session-created event whose
seed only the facilitator sees.

Modules: ``timeline`` (the turns), ``event_lines`` (the log in words), ``branches`` (lineage
and comparisons), ``annex`` (baseline figures), ``hotwash`` (the improvement plan).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from pydantic import ValidationError

from wargame.engine import FACILITATOR, TurnIndicators
from wargame.report.annex import baseline_figures, cited_sources
from wargame.report.branches import branch_comparisons, forks_of, lineage
from wargame.report.event_lines import log_lines
from wargame.report.hotwash import HotWash, latest_hot_wash
from wargame.report.model import (
    AfterActionReport,
    AnalysisSection,
    Audience,
    SessionFacts,
    SessionLink,
    Standing,
    StandingTerm,
    TeamEntry,
    TurnRecord,
)
from wargame.report.timeline import turn_calendar, turn_records
from wargame.scenario.model import Scenario
from wargame.session.access import Access
from wargame.session.errors import ExerciseError, PinRequired
from wargame.session.events import SESSION_CREATED, SessionCreated
from wargame.session.exercise import Exercise, typed_events
from wargame.session.views import SessionView
from wargame.session.visibility import Viewer
from wargame.store import SessionStore

__all__ = ["ReportError", "build_report", "exercise_report", "open_for_report",
           "turn_calendar", "viewer_of"]


class ReportError(ValueError):
    """A session whose stored turns this version cannot read into a report."""


def viewer_of(audience: Audience | str | Viewer, team: str | None = None) -> Viewer:
    """The session layer's viewer of an edition: ``"facilitator"``, ``"public"``, or
    ``"team"`` with ``team`` (a ``Viewer`` is taken as it is)."""
    if isinstance(audience, Viewer):
        return audience
    audience = Audience(audience)
    if audience is Audience.TEAM:
        if not team:
            raise ReportError("a team's edition names its team")
        return Viewer.of_team(team)
    return Viewer.facilitator() if audience is Audience.FACILITATOR else Viewer.public()


def open_for_report(store: SessionStore, session_id: str) -> Exercise:
    """The session opened as a report reads it: read-only, without its lock (an app may be
    playing it), every snapshot checked against its hash as ``Exercise.open`` does."""
    try:
        return Exercise.open(store, session_id, read_only=True, explain=False)
    except ExerciseError as exc:
        raise ReportError(str(exc)) from None


def build_report(store: SessionStore, session_id: str,
                 audience: Audience | str | Viewer = Audience.FACILITATOR, *,
                 team: str | None = None, key: Access = None,
                 analysis: Sequence[AnalysisSection] = ()) -> AfterActionReport:
    """The after-action report of ``session_id`` (an id or a unique prefix) for
    ``audience`` (``team`` names the team of a team's edition; ``key`` is the PIN or key of
    the edition's door when it has one); ``analysis`` sections are added at the end of the
    analysis part. The store stays open (it is the caller's)."""
    viewer = viewer_of(audience, team)
    return exercise_report(open_for_report(store, session_id), viewer, key=key,
                           analysis=analysis)


def exercise_report(ex: Exercise, viewer: Viewer, *, key: Access = None,
                    analysis: Sequence[AnalysisSection] = ()) -> AfterActionReport:
    """The report of an open ``Exercise`` (the app's own, or ``open_for_report``'s) as
    ``viewer`` may see it (``PinRequired`` when that viewer's PIN is set and ``key`` does
    not open it)."""
    try:
        view = ex.view_for(viewer, key)
        return _report(ex, view, analysis)
    except PinRequired:
        raise
    except ExerciseError as exc:
        raise ReportError(f"session {ex.id}: {exc}") from None
    except ValidationError as exc:  # a stored result this version cannot read
        first = exc.errors(include_url=False, include_input=False)[0]
        raise ReportError(f"session {ex.id}: its stored results cannot be read by this "
                          f"version ({first['msg']} at "
                          f"{'.'.join(map(str, first['loc']))})") from None


def _report(ex: Exercise, view: SessionView, analysis: Sequence[AnalysisSection]
            ) -> AfterActionReport:
    scenario, record, viewer = ex.scenario, ex.session, view.viewer
    names = _names(scenario)
    turns = turn_records(scenario, ex.team_order, view.log, view.results, viewer, ex.turn)
    hot_wash = latest_hot_wash(view.log)
    annex = baseline_figures(scenario)
    created = next((e.payload for e in typed_events(
        ex.store.events(ex.id, kinds=[SESSION_CREATED]))), None)
    seed_visible = any(isinstance(e.payload, SessionCreated) for e in view.log)
    mine = {t.turn: t.indicators for t in turns if t.indicators is not None}
    return AfterActionReport(
        audience=Audience(viewer.kind), team=viewer.team,
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        facts=_facts(ex, created, turns, seed_visible),
        teams=_teams(scenario, ex, hot_wash),
        turns=tuple(turns),
        standings=_standings(scenario, turns),
        hot_wash=hot_wash,
        annex=tuple(annex),
        sources=cited_sources(scenario, annex),
        branches=tuple(branch_comparisons(ex.store, record, scenario, viewer, mine, names)),
        analysis=tuple(analysis),
        log=tuple(log_lines(scenario, view.log, {r.turn for r in view.results},
                            names["team"])),
        names=names)


# ------------------------------------------------------------------ overview


def _facts(ex: Exercise, created: SessionCreated | None, turns: list[TurnRecord],
           seed_visible: bool) -> SessionFacts:
    sc, record = ex.scenario, ex.session
    return SessionFacts(
        session_id=record.id, session_name=record.name, scenario_id=sc.id,
        scenario_title=sc.title, scenario_summary=sc.summary,
        scenario_hash=record.scenario_hash, start_date=sc.start_date,
        turn_length_months=sc.turn_length_months,
        seed=record.seed if seed_visible else None,
        engine_model_version=created.engine_model_version if created else None,
        wargame_version=created.wargame_version if created else "unknown",
        model_version_note=ex.model_version_note,
        created_at=record.created_at, last_event_at=record.updated_at,
        status=record.status, phase=record.phase, current_turn=record.turn,
        turn_limit=record.turn_limit or sc.turns,
        turns_committed=sum(1 for t in turns if t.committed),
        parent_session=record.parent_session, parent_turn=record.parent_turn,
        lineage=lineage(ex.store, record),
        forks=tuple(SessionLink(session_id=f.id, name=f.name, forked_at_turn=f.parent_turn)
                    for f in forks_of(ex.store, record)))


def _teams(sc: Scenario, ex: Exercise, hot_wash: HotWash) -> tuple[TeamEntry, ...]:
    controllers = {t.team: t.controller for t in ex.teams}
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


# ------------------------------------------------------------------ analysis


def _standings(sc: Scenario, turns: list[TurnRecord]) -> tuple[Standing, ...]:
    """Each score the reader may see at the last committed turn, ranked (ties share a
    rank)."""
    last: TurnIndicators | None = next(
        (t.indicators for t in reversed(turns) if t.indicators is not None), None)
    if last is None:
        return ()
    scored = [(team, last.scores[team.id]) for team in sc.teams if team.id in last.scores]
    totals = sorted({round(score.total, 9) for _, score in scored}, reverse=True)
    rows = [Standing(rank=totals.index(round(score.total, 9)) + 1, team=team.id,
                     name=team.name, total=score.total,
                     terms=tuple(StandingTerm(**term.model_dump()) for term in score.terms))
            for team, score in scored]
    return tuple(sorted(rows, key=lambda row: (row.rank, row.name)))
