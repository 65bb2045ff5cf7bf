"""Issue 13, phase C in the app: "was it luck?" and branches in the debrief, on real
sessions. The re-runs run in the background with a visible progress bar, N chosen by the
facilitator; the chart shows the re-runs' 5-95 % band, their median and the real path of the
measure chosen (every team's score first), equal to the analysis' own ``luck_report`` on the
same seeds; the branch view puts a session and its fork side by side, turn by turn, in a
table and a chart, equal to ``compare_sessions``."""
from __future__ import annotations

import math

import pytest

from wargame.ui.scripted import play_hot_seat_turn


def all_bots(dialog):
    for team in dialog.controller_boxes:
        dialog.set_controller(team, "bot")
    dialog.seed.setValue(17)


def two_turns(make_window):
    window = make_window(setup=all_bots)
    window.start.new_button.click()
    for turn in (1, 2):
        play_hot_seat_turn(window)
        window.console.commit_button.click()
        if turn == 1:
            window.console.next_turn_button.click()
    assert window.controller.committed_turns() == [1, 2]
    return window


def same(a, b) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == pytest.approx(y)
               for x, y in zip(a, b, strict=True))


def test_was_it_luck_runs_in_the_background_and_shows_the_band(make_window, qtbot):
    from wargame.analysis.luck import luck_report
    from wargame.analysis.session_reader import read_session

    window = two_turns(make_window)
    console = window.console
    assert console.luck_button.isEnabled() and not console.branches_button.isEnabled()
    console.luck_button.click()
    dialog = window.luck_dialog
    qtbot.addWidget(dialog)
    assert dialog.runs.value() == 50  # the default: small
    assert not dialog.measure.isEnabled()  # nothing before the facilitator starts it
    dialog.runs.setValue(8)
    dialog.run_button.click()
    assert dialog.running and not dialog.run_button.isEnabled()
    assert dialog.progress.isVisible() and "with 8 other seeds" in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    assert dialog._done_games == 8  # the progress reports reached the window
    assert not dialog.progress.isVisible() and dialog.run_button.isEnabled()
    report = dialog.report
    assert report.runs == 8 and report.turns == 2
    expected = luck_report(read_session(window.controller.db_path,
                                        window.controller.session_id), 8)
    assert report.seeds == expected.seeds
    teams = window.controller.scenario.teams
    # every team's score first, in the list and the table
    names = [dialog.measure.itemText(i) for i in range(len(teams))]
    assert [n.split(" (percentile")[0] for n in names] == [f"Score: {t.name}" for t in teams]
    assert [dialog.table.item(r, 0).text() for r in range(len(teams))] == \
        [f"Score: {t.name}" for t in teams]
    # the chart of the first team's score: real path, median, band as the analysis has them
    mine = expected.metric("score", teams[0].id)
    chart = dialog.chart
    xs, real = chart._curves["Real game"].getData()
    assert list(xs) == [1, 2] and same(real, mine.real_by_turn)
    assert same(chart._curves["Median of the re-runs"].getData()[1], mine.median_by_turn)
    low, high = chart.band()
    assert same(low, mine.p05_by_turn) and same(high, mine.p95_by_turn)
    legend = [label.text for _sample, label in chart.legend.items]
    assert legend == ["Real game", "Median of the re-runs", "5-95 % of the re-runs"]
    # the y-axis holds the band and the real path, and a small gap is not zoomed up
    (_x0, _x1), (y0, y1) = chart.plot.viewRange()
    drawn = [v for v in list(real) + low + high if not math.isnan(v)]
    assert y0 <= min(drawn) and max(drawn) <= y1
    assert y1 - y0 >= 0.2
    assert dialog.table.item(0, 3).text() == \
        f"{mine.p05_by_turn[-1]:.3f}–{mine.p95_by_turn[-1]:.3f}"  # the band at the last turn
    percentile = dialog.table.item(0, 4).text()
    assert percentile == f"{mine.final_percentile:.0f}"
    # another measure: the chart follows the list
    dialog.measure.setCurrentIndex(len(teams))
    other = dialog.metrics[len(teams)]
    assert chart.title_label.text() == dialog.metric_name(other)
    assert same(chart._curves["Real game"].getData()[1], [
        v * (100 if other.indicator in ("supply_met_share", "price_at_cap_share") else 1)
        for v in other.real_by_turn])


def test_the_re_runs_can_be_stopped(make_window, qtbot):
    """Rule: Stop cancels the re-runs after the batch being run; nothing half-done is
    shown, and they can be started again."""
    window = two_turns(make_window)
    window.console.luck_button.click()
    dialog = window.luck_dialog
    qtbot.addWidget(dialog)
    dialog.runs.setValue(2000)  # many batches: Stop comes long before the last
    dialog.run_button.click()
    assert dialog.running and dialog.stop_button.isVisible()
    dialog.stop_button.click()
    assert "Stopping" in dialog.status.text() and not dialog.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120000)
    assert dialog.report is None and not dialog.measure.isEnabled()
    assert dialog.status.text().startswith("Stopped: nothing is shown")
    assert dialog.progress.value() < 2000
    assert dialog.run_button.isEnabled() and not dialog.stop_button.isVisible()


def test_branches_side_by_side_for_a_session_and_its_fork(make_window, qtbot):
    from wargame.analysis.compare import compare_sessions
    from wargame.analysis.session_reader import read_session

    window = two_turns(make_window)
    parent = window.controller.session_id
    window.prompts.choices.append("2")
    window.act_fork.trigger()  # a fork from the start of turn 2, opened in the window
    fork = window.controller
    assert fork.session_id != parent
    console = window.console
    console.inject_combo.setCurrentIndex(console.inject_combo.findData("mine_accident"))
    console.fire_button.click()  # the fork's turn 2 differs: US rare-earth mining halved
    play_hot_seat_turn(window)
    window.console.commit_button.click()
    assert fork.branch_sessions() == [parent, fork.session_id]
    assert window.console.branches_button.isEnabled()
    window.console.branches_button.click()
    dialog = window.branch_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=60000)
    expected = compare_sessions([read_session(fork.db_path, parent),
                                 read_session(fork.db_path, fork.session_id)])
    assert [s.session_id for s in dialog.comparison.sessions] == [parent, fork.session_id]
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    assert headers == ["Turn", f"Session {parent[:8]}",
                       f"Fork at turn 2 ({fork.session_id[:8]})"]  # short: they sit side by side
    team = window.controller.scenario.teams[0]
    shown = dialog.measures[dialog.measure.currentIndex()]
    assert shown.diverges_at() == 2  # what the branches differ in is shown first
    assert dialog.measure.itemText(0).startswith(f"Score: {team.name}")
    dialog.measure.setCurrentIndex(0)
    metric = expected.metric("score", team.id)
    assert dialog.table.rowCount() == 2
    for turn in (1, 2):
        for column, values in enumerate(metric.values, start=1):
            assert dialog.table.item(turn - 1, column).text() == f"{values[turn - 1]:.3f}"
    lines = dialog.chart._curves
    assert len(lines) == 2
    for name, values in zip(dialog.session_names, metric.values):
        assert same(lines[name].getData()[1], values)
    differing = [dialog.measure.itemText(i) for i in range(dialog.measure.count())
                 if "differs from turn 2" in dialog.measure.itemText(i)]
    assert differing, "the inject changed nothing the comparison shows"


@pytest.mark.parametrize("name, parent_turn, label", [
    ("Rare-earth shock 2025, 2026-03-01 14:05", None, "Session 3f2a9c1e"),
    ("Rare-earth shock 2025, 2026-03-01 14:05 (fork at turn 2)", 2, "Fork at turn 2 (3f2a9c1e)"),
    ("Hawkish Brussels", 3, "Hawkish Brussels (fork at turn 3)"),
    ("Rare-earth shock 2025 — dry run", None, "dry run"),
    (None, None, "Session 3f2a9c1e"),
])
def test_a_branch_is_named_shortly(name, parent_turn, label):
    """Rule: default names (the scenario's title and a date, alike for every branch) give
    way to the short id; a name the facilitator gave is kept."""
    from wargame.ui.branch_view import branch_label

    assert branch_label(name, "Rare-earth shock 2025", "3f2a9c1e77", parent_turn) == label


@pytest.mark.parametrize("indicator,values,expected", [
    # a gap of 0.005 in a price index stays small: the axis spans at least 0.2
    ("price_index_vs_baseline", [1.300, 1.305], (1.2025, 1.4025)),
    # shares in per cent: at least 20 points, never above 100 %
    ("supply_met_share", [97.0, 99.5], (80.0, 100.0)),
    ("supply_met_share", [40.0, 90.0], (40.0, 90.0)),  # wide data: the data
    # budgets: 10 % of their size; never below zero when the data is not
    ("budget_usd_m", [18_466.0, 18_470.0], (17_544.5, 19_391.5)),
    ("political_capital", [2.0, 3.0], (0.0, 10.0)),
    ("score", [0.61, 0.62], (0.515, 0.715)),
    ("score", [-0.02, -0.01], (-0.115, 0.085)),  # a score may be negative
    ("price_index_vs_baseline", [math.nan], None),
])
def test_a_chart_axis_spans_at_least_the_measures_least_span(indicator, values, expected):
    """Rule: the luck and branch charts do not zoom a small gap up to fill the plot."""
    from wargame.ui.analysis_charts import y_axis_range

    got = y_axis_range(indicator, values)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)
