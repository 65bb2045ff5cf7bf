"""The after-action report: built from the store alone, it holds every order, override
(with its reason), inject and note of a played session, its numbers are the store's, and
the turn in progress never shows its sealed orders. Outputs: HTML (autoescaped, one file),
PDF (a real PDF whose text holds the same), CSV (round-trips number for number) and xlsx."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from wargame.engine import TurnIndicators
from wargame.report.export import write_report
from wargame.report.formatting import number, price
from wargame.report.gather import build_report, turn_calendar
from wargame.report.html_report import render_html
from wargame.report.hotwash import HOT_WASH as HOT_WASH_KIND
from wargame.report.hotwash import HotWash, HotWashError, load_hot_wash, save_hot_wash
from wargame.report.model import AnalysisSection, AnalysisTable, Audience
from wargame.report.spreadsheets import read_csv_folder
from wargame.report.tables import (
    NESTED_FIELDS,
    OTHER_FIELDS,
    report_tables,
    turn_indicators_from_tables,
)
from wargame.store import SessionStore
from wargame.session.exercise import Exercise

from report_session import (
    FREE_INJECT,
    HOT_WASH,
    NOTES,
    OVERRIDE_REASON,
    SEALED_SHARE,
    play_session,
)


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    return play_session(tmp_path_factory.mktemp("report") / "sessions.sqlite")


@pytest.fixture(scope="module")
def exercise(played):
    ex = Exercise.open(played.db, played.session_id)
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def report(played):
    with SessionStore(played.db) as store:
        return build_report(store, played.session_id)


@pytest.fixture(scope="module")
def report_html(report):
    return render_html(report)


def expected_texts(exercise) -> dict[str, list[str]]:
    """What the store says happened in the committed turns, as the report must print it."""
    from wargame.engine.phrases import describe_move

    committed = set(exercise.committed_turns())
    orders = [describe_move(exercise.scenario, row["move"], row["params"], row["team"])
              for rows in exercise.revealed_orders().values() for row in rows]
    overrides = [o.reason for o in exercise.overrides_log() if o.turn in committed]
    injects = []
    for _turn, result in exercise.results():
        injects += [i["title"] for i in result["injects_fired"]]
    notes = [n.text for n in exercise.notes()]
    return {"orders": orders, "overrides": overrides, "injects": injects, "notes": notes}


def test_the_played_session_has_what_the_report_must_show(exercise):
    """The fixture is what the other tests rely on: orders in every turn, an override, deck
    and hand-fired injects, notes, and an open turn with sealed orders."""
    texts = expected_texts(exercise)
    assert len(texts["orders"]) >= 5 and texts["overrides"] == [OVERRIDE_REASON]
    assert FREE_INJECT in texts["injects"] and "Typhoon shuts separation plants" in texts["injects"]
    assert texts["notes"] == list(NOTES)
    assert exercise.phase == "orders" and exercise.submitted_teams() == ["washington"]


def test_html_holds_every_order_override_inject_and_note(exercise, report_html):
    shown = report_html.replace("&#39;", "'").replace("&#x27;", "'")  # Jinja's apostrophes
    for kind, texts in expected_texts(exercise).items():
        for text in texts:
            assert html.escape(text, quote=False) in shown, (kind, text)


def test_html_escapes_what_players_and_facilitators_wrote(report_html):
    assert "<b>before</b>" not in report_html
    assert "&lt;b&gt;before&lt;/b&gt;" in report_html
    assert "Brussels &lt;has no&gt; port capacity &amp; said so" in report_html


def test_html_is_one_self_contained_file(report_html):
    """No stylesheet, script, font or image from elsewhere: charts are data URIs."""
    assert "<script" not in report_html
    sources = re.findall(r'(?:src|href)="([^"#][^"]*)"', report_html)
    assert sources and all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    assert len(re.findall(r'<img src="data:image/svg\+xml', report_html)) >= 5


def test_report_numbers_equal_the_stores(exercise, report, report_html):
    stored = exercise.indicators()
    assert [(t.turn, t.indicators) for t in report.committed_turns] == stored
    last = stored[-1][1]
    for standing in report.standings:
        assert standing.total == last.scores[standing.team].total
        assert number(standing.total, 3) in report_html
        assert [t.model_dump() for t in standing.terms] == [
            t.model_dump() for t in last.scores[standing.team].terms]
    for _turn, indicators in stored:
        for material, by_stage in indicators.world_price_usd_per_kg.items():
            assert price(list(by_stage.values())[-1]) in report_html
        for team, score in indicators.scores.items():
            assert number(score.total) in report_html
    ranks = [s.rank for s in report.standings]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_report_facts_come_from_the_session(exercise, report):
    facts = report.facts
    assert (facts.session_id, facts.seed, facts.scenario_id) == (
        exercise.id, exercise.seed, exercise.scenario.id)
    assert facts.engine_model_version is not None and facts.turns_committed == 3
    assert {t.team: t.controller for t in report.teams} == {
        "beijing": "human", "washington": "bot", "brussels": "human"}
    assert {t.team: t.players for t in report.teams}["beijing"] == "A. Chen, B. Li"
    assert [t.calendar for t in report.turns[:2]] == ["Dec 2025 - Feb 2026",
                                                      "Mar 2026 - May 2026"]


def test_sealed_orders_of_the_open_turn_are_left_out(played, report, report_html, tmp_path):
    """Turn 4 is open and Washington has submitted: the report says the turn is in progress
    and shows its notes, but not one of its orders, in any format."""
    open_turn = report.turns[-1]
    assert (open_turn.turn, open_turn.committed, open_turn.orders) == (4, False, ())
    assert [n.text for n in open_turn.notes] == [NOTES[2]]
    # orders read 'Offtake of 25 % of ...' (shares in per cent)
    assert f"Offtake of {SEALED_SHARE * 100:.0f} %" not in report_html \
        and "Offtake of 25 %" in report_html
    assert "its orders are sealed" in report_html
    tables = {t.name: t for t in report_tables(report)}
    assert all(row[0] <= 3 for row in tables["orders"].rows)
    events = [row for row in tables["events"].dicts() if row["turn"] == 4]
    submitted = [row["summary"] for row in events if row["kind"] == "orders_submitted"]
    assert submitted == ["Washington submitted orders (sealed until the turn is resolved)"]
    write_report(report, "csv", tmp_path / "csv")
    assert not any("t4-washington" in p.read_text() for p in (tmp_path / "csv").iterdir())
    sealed_params = f'""share"": {SEALED_SHARE}'  # as the CSV quotes the params' JSON
    assert not any(sealed_params in p.read_text() for p in (tmp_path / "csv").iterdir())
    assert '""share"": 0.25' in (tmp_path / "csv" / "orders.csv").read_text()  # resolved
    assert "t4-washington" not in report_html


def test_csv_round_trips_into_the_same_numbers(exercise, report, tmp_path):
    written = write_report(report, "csv", tmp_path / "tables")
    assert sorted(p.name for p in written) == sorted(f"{t.name}.csv"
                                                     for t in report_tables(report))
    tables = read_csv_folder(tmp_path / "tables")
    assert turn_indicators_from_tables(tables) == [ind for _, ind in exercise.indicators()]
    orders = list(tables["orders"].dicts())
    stored = [o for rows in exercise.revealed_orders().values() for o in rows]
    assert [(o["order_id"], json.loads(o["params_json"])) for o in orders] == [
        (o["id"], o["params"]) for o in stored]
    assert [o["status"] for o in tables["outcomes"].dicts()] == [o["status"] for o in stored]
    assert [n["text"] for n in tables["notes"].dicts()] == list(NOTES)
    assert [o["reason"] for o in tables["overrides"].dicts()] == [OVERRIDE_REASON]
    assert {(r["section"], r["text"]) for r in tables["hot_wash"].dicts()} >= {
        ("went_well", HOT_WASH.went_well[0]), ("action", HOT_WASH.actions[0].what)}


def test_every_indicator_has_a_place_in_the_tables():
    """A new TurnIndicators field (the market rework adds some) must get a table column
    or the CSV would silently drop it."""
    assert set(TurnIndicators.model_fields) == set(NESTED_FIELDS) | OTHER_FIELDS


def test_xlsx_has_one_sheet_per_table_with_the_same_rows(report, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "report.xlsx"
    write_report(report, "xlsx", path)
    book = load_workbook(path, read_only=True)
    tables = report_tables(report)
    assert book.sheetnames == [t.name for t in tables]
    for table in tables:
        rows = list(book[table.name].iter_rows(values_only=True))
        assert list(rows[0]) == table.header
        blank = lambda row: tuple("" if v is None else v for v in row)  # noqa: E731
        assert [blank(row) for row in rows[1:]] == [blank(row) for row in table.rows], \
            table.name


def test_xlsx_keeps_a_text_starting_with_equals_as_text(tmp_path):
    from openpyxl import load_workbook

    from wargame.report.spreadsheets import write_xlsx
    from wargame.report.tables import Column, Table

    write_xlsx([Table("notes", (Column("text", str),), (("=HYPERLINK(\"x\")",),))],
               tmp_path / "n.xlsx")
    cell = load_workbook(tmp_path / "n.xlsx")["notes"]["A2"]
    assert (cell.data_type, cell.value) == ("s", "=HYPERLINK(\"x\")")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_is_a_pdf_whose_text_holds_the_session(exercise, report, tmp_path):
    path = tmp_path / "report.pdf"
    write_report(report, "pdf", path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(path)
    for kind, texts in expected_texts(exercise).items():
        for item in texts:
            assert " ".join(item.split()) in text, (kind, item)
    for standing in report.standings:
        assert f"{standing.name}" in text and number(standing.total, 3) in text
    assert f"Offtake of {SEALED_SHARE * 100:.0f} %" not in text


def test_pdf_writer_fetches_nothing(tmp_path):
    """Only data URIs are loaded: a file or web address in the HTML is refused."""
    from wargame.report.pdf import ExternalResourceRefused, html_to_pdf

    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET</text></svg>')
    with pytest.raises(ExternalResourceRefused, match="not fetched"):
        html_to_pdf(f'<img src="{secret.as_uri()}">')


def test_public_edition_leaves_out_notes_and_the_seed_of_a_running_exercise(played):
    with SessionStore(played.db) as store:
        public = build_report(store, played.session_id, Audience.PUBLIC)
    text = render_html(public)
    assert not any(html.escape(n, quote=False) in text for n in NOTES)
    assert public.facts.seed is None and "not shown in this edition" in text
    kinds = {row["kind"] for t in report_tables(public) if t.name == "events"
             for row in t.dicts()}
    assert not kinds & {"note", "random_draws"}
    assert "public edition" in text


def test_covert_orders_wait_for_the_end_in_the_public_edition(tmp_path):
    """A covert move (``public: false``) is in the facilitator's report at once, in the
    public one only when the exercise has ended."""
    from wargame.scenario.loader import scenario_from_dict
    from report_session import MINI
    from wargame.scenario.loader import load_scenario

    raw = load_scenario(MINI).to_json_dict()
    for move in raw["moves"]:
        if move["id"] == "offtake_deal":
            move["public"] = False
    scenario = scenario_from_dict(raw, name="covert")
    ex = Exercise.create(tmp_path / "s.sqlite", scenario, seed=2,
                         teams={t.id: "bot" for t in scenario.teams})
    from report_session import offtake

    ex.play_turn({"brussels": [offtake("brussels", 0.3)]})

    def covert_rows(audience):
        made = build_report(ex.store, ex.id, audience)
        events = [row for t in report_tables(made) if t.name == "events" for row in t.dicts()]
        hidden = audience == Audience.PUBLIC and ex.phase != "ended"
        said = [r["summary"] for r in events if r["summary"].startswith("Brussels submitted")]
        assert said == ["Brussels submitted 0 orders" if hidden else "Brussels submitted 1 order"]
        return [o for t in made.turns for o in t.orders if o.covert]

    assert covert_rows(Audience.FACILITATOR) and not covert_rows(Audience.PUBLIC)
    ex.end()
    assert covert_rows(Audience.PUBLIC)
    ex.close()


def test_hot_wash_is_stored_in_the_log_and_the_last_one_counts(played, report, tmp_path):
    assert report.hot_wash == HOT_WASH
    with SessionStore(played.db) as store:
        assert load_hot_wash(store, played.session_id) == HOT_WASH
    html_text = render_html(report)
    assert "Brief the &lt;price floor&gt; rule earlier" in html_text
    assert "Add a gallium inject" in html_text and "2026-03" in html_text


def test_a_damaged_hot_wash_is_a_clear_error(tmp_path):
    with pytest.raises(HotWashError, match="went_well"):
        HotWash.from_payload({"went_well": "not a list"})
    with pytest.raises(HotWashError, match="surprise: Extra inputs"):
        HotWash.from_payload({"surprise": 1})


def test_hot_wash_saved_twice_keeps_the_history(tmp_path):
    from report_session import MINI
    from wargame.scenario.loader import load_scenario

    ex = Exercise.create(tmp_path / "h.sqlite", load_scenario(MINI), seed=1)
    first = HotWash(went_well=("one",))
    second = HotWash(went_well=("one", "two"))
    save_hot_wash(ex, first)
    save_hot_wash(ex, second)
    assert load_hot_wash(ex.store, ex.id) == second
    assert len(ex.store.events(ex.id, kinds=[HOT_WASH_KIND])) == 2
    ex.close()


def test_a_fork_is_set_beside_the_line_it_left(played, tmp_path):
    import shutil

    db = tmp_path / "forked.sqlite"
    shutil.copy(played.db, db)
    with SessionStore(db) as store:
        fork = Exercise.open(store, store.fork(played.session_id, 2).id)
        fork.play_turn({})
        fork.play_turn({})
        forked = build_report(store, fork.id)
        parent = build_report(store, played.session_id)
    (beside,) = forked.branches
    assert (beside.relation, beside.other_session, beside.branch_turn) == (
        "parent", played.session_id, 2)
    parent_scores = {t.turn: t.indicators.scores for t in parent.committed_turns}
    mine = {t.turn: t.indicators.scores for t in forked.committed_turns}
    row = next(r for r in beside.rows if r.turn == 3 and r.measure == "Score: Beijing")
    assert (row.this_value, row.other_value) == (mine[3]["beijing"].total,
                                                 parent_scores[3]["beijing"].total)
    assert all(r.turn >= 2 for r in beside.rows)
    assert [b.relation for b in parent.branches] == ["fork"]
    assert "the branch point" in render_html(forked)


def test_the_annex_cites_every_figure_with_its_source(tmp_path):
    from wargame.report.annex import baseline_figures, cited_sources
    from wargame.scenario.loader import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios"
                             / "rare-earth-shock-2025.yaml")
    rows = baseline_figures(scenario)
    cited = [r for r in rows if r.source_key]
    assert len(cited) > 100 and all(r.source for r in cited)
    assert {r.topic for r in rows} >= {"Teams", "Prices", "Capacity", "Stocks", "Demand"}
    assert set(cited_sources(scenario, rows)) == {r.source_key for r in cited}


def test_analysis_sections_appear_only_when_given(played, report):
    assert "Was it luck?" not in render_html(report)
    with SessionStore(played.db) as store:
        extended = build_report(store, played.session_id, analysis=[AnalysisSection(
            title="Was it luck?", intro="Beijing's score sits at the 80th percentile.",
            table=AnalysisTable(columns=("Team", "Percentile"), rows=(("Beijing", 0.8),)))])
    text = render_html(extended)
    assert "Was it luck?" in text and "80th percentile" in text


@pytest.mark.parametrize("start, length, turn, expected", [
    ("2025-12", 3, 1, "Dec 2025 - Feb 2026"),
    ("2025-12", 3, 2, "Mar 2026 - May 2026"),
    ("2025-01", 1, 13, "Jan 2026"),
    ("soon", 3, 1, ""),
    ("2025-13", 3, 1, ""),
])
def test_turn_calendar(start, length, turn, expected):
    assert turn_calendar(start, length, turn) == expected


def test_charts_are_well_formed_svg_styled_without_css(report):
    """The charts' one CSS rule is moved onto the root element (the PDF writer would match
    it against every node): the SVG stays well-formed and its labels stay text."""
    from xml.etree import ElementTree

    from wargame.report.charts import report_charts

    charts = report_charts(report)
    assert len(charts) >= 5
    for chart in charts:
        root = ElementTree.fromstring(chart.svg.encode())
        assert root.get("stroke-linejoin") == "round" and "<style" not in chart.svg
        assert any(t.text for t in root.iter("{http://www.w3.org/2000/svg}text")), chart.key
