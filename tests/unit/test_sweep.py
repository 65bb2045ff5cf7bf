"""``wargame sweep``: seeded determinism whoever runs the games (this process, joblib's
processes, a Dask cluster), ``--vary`` changes the varied number only, a Ctrl+C keeps the
finished games, and the output folder describes itself."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wargame.analysis.engine_adapter import BotSpec, engine_model_version
from wargame.analysis.runners import DaskRunner, JoblibRunner, SerialRunner
from wargame.analysis.sweep import run_sweep
from wargame.analysis.sweep_plan import game_seed, plan_sweep
from wargame.analysis.vary import Variation
from wargame.cli import main
from wargame.scenario.loader import load_scenario

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    return load_scenario(MINI)


def _plan(scenario, runs=6, turns=3, variations=(), batch_games=2):
    bots = tuple(BotSpec(t.id) for t in scenario.teams)
    return plan_sweep(scenario, runs, 11, turns, bots, (), variations, batch_games=batch_games)


def _same(a, b) -> None:
    """Identical results: same games, values (NaN where NaN), orders and final states."""
    assert a.games == b.games
    np.testing.assert_array_equal(a.values, b.values)
    assert a.orders == b.orders
    assert a.final_state_hashes == b.final_state_hashes


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    yield cluster
    cluster.close()


def test_seeds_depend_only_on_the_seed_and_the_run():
    """Rule: run r's seed is fixed by (--seed, r): a longer sweep starts with a shorter
    one's games, and seeds fit the engine's range."""
    seeds = [game_seed(11, r) for r in range(50)]
    assert len(set(seeds)) == 50 and all(0 <= s < 2**63 for s in seeds)
    assert [game_seed(11, r) for r in range(10)] == seeds[:10]
    assert game_seed(12, 0) != seeds[0]


def test_serial_joblib_and_dask_give_identical_results(mini, dask_cluster):
    plan = _plan(mini)
    serial = run_sweep(plan, SerialRunner(), progress=False)
    assert serial.complete and len(serial.games) == 6
    assert np.isfinite(serial.values[:, :, 0]).all()  # every game has scores
    assert len(set(serial.final_state_hashes)) == 6  # different seeds, different games
    _same(serial, run_sweep(plan, JoblibRunner(2), progress=False))
    _same(serial, run_sweep(plan, DaskRunner(dask_cluster.scheduler_address), progress=False))


def _frozen_after_a_batch(task) -> tuple[bool, int, tuple[int, ...]]:
    import gc
    import multiprocessing

    from wargame.analysis.runners import run_batch_in_worker

    run_batch_in_worker(task)
    return (multiprocessing.parent_process() is not None, gc.get_freeze_count(),
            gc.get_threshold())


def test_worker_processes_freeze_their_long_lived_objects_and_the_caller_does_not(mini):
    """Rule: a joblib or Dask worker process moves the scenario, rules and caches out of the
    garbage collector's way before a batch, and collects young objects less often (same
    results: see the test above); the caller's own process (the app, a threaded cluster)
    changes neither."""
    import gc

    from joblib import Parallel, delayed

    from wargame.analysis.runners import WORKER_GC_THRESHOLDS

    task = _plan(mini, runs=2, turns=1).tasks()[0]
    before = gc.get_freeze_count(), gc.get_threshold()
    assert _frozen_after_a_batch(task) == (False, *before)
    seen = Parallel(n_jobs=2, backend="loky")(
        delayed(_frozen_after_a_batch)(task) for _ in range(2))
    assert all(in_child and frozen > 0 and threshold == WORKER_GC_THRESHOLDS
               for in_child, frozen, threshold in seen)


def test_cli_tables_are_identical_serial_joblib_and_dask(tmp_path, dask_cluster):
    pq = pytest.importorskip("pyarrow.parquet")
    common = ["sweep", str(MINI), "--runs", "5", "--turns", "2", "--seed", "3", "--bots", "all"]
    runs = {"serial": ["--workers", "1"], "joblib": ["--workers", "2"],
            "dask": ["--scheduler", dask_cluster.scheduler_address]}
    for name, extra in runs.items():
        assert main(common + extra + ["--out", str(tmp_path / name)]) == 0
    for table in ("indicators", "games", "orders", "summary"):
        first = pq.read_table(tmp_path / "serial" / f"{table}.parquet")
        assert first.num_rows > 0
        for name in ("joblib", "dask"):
            assert pq.read_table(tmp_path / name / f"{table}.parquet").equals(first), (table, name)
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["runner"]["kind"] == "dask-distributed"


def test_vary_changes_the_varied_number_only(mini):
    """Rule: each variant is the scenario with the varied number set and nothing else
    changed, and every variant plays the same seeds."""
    # (the varied price number was price_response.smoothing: since issue 8 the market's
    # price_adjustment_per_quarter sets how fast prices move, and smoothing is not read)
    speed = "market.price_adjustment_per_quarter"
    plan = _plan(mini, runs=3, variations=(Variation(speed, (0.2, 0.9)),
                                           Variation("teams.beijing.budget", (5000.0,))))
    assert [v.settings for v in plan.variants] == [
        ((speed, 0.2), ("teams.beijing.budget", 5000.0)),
        ((speed, 0.9), ("teams.beijing.budget", 5000.0))]
    base = mini.to_json_dict()
    for variant in plan.variants:
        data = variant.scenario.to_json_dict()
        adjustment, budget = (value for _, value in variant.settings)
        assert data["market"]["price_adjustment_per_quarter"]["value"] == adjustment
        assert data["teams"][0]["budget"]["value"] == budget
        assert data["teams"][0]["budget"]["source"] == base["teams"][0]["budget"]["source"]
        data["market"]["price_adjustment_per_quarter"] = \
            base["market"]["price_adjustment_per_quarter"]
        data["teams"][0]["budget"] = base["teams"][0]["budget"]
        assert data == base  # nothing else changed
    assert mini.to_json_dict() == base  # the scenario itself is untouched
    seeds = [[g.seed for g in plan.games if g.variant == v] for v in (0, 1)]
    assert seeds[0] == seeds[1]
    results = run_sweep(plan, SerialRunner(), progress=False)
    price = [k for k, key in enumerate(plan.catalog) if key.indicator == "price_index_vs_baseline"]
    low, high = (results.values[results.variant_rows(v)][:, :, price] for v in (0, 1))
    assert not np.array_equal(low, high)  # the varied number moved prices


# (since issue 8 (scenario format 3) price_response.smoothing no longer exists: these
# cases vary price_response.market_flexibility, another number from 0 to 1)
@pytest.mark.parametrize("vary,message", [
    ("actors.CHN.budget=1,2", "CHN is played by team beijing: did you mean teams.beijing.budget?"),
    ("materials.neodymium.elasticity=0.2", "materials has no entry 'neodymium' (ids: ree, ga)"),
    ("price_response.market_flexibilty=0.2", "did you mean 'market_flexibility'?"),
    ("price_response.market_flexibility=1.5", "the scenario refuses it"),
    ("teams.beijing.name=3", "only numbers can be varied"),
    ("price_response=0.3", "a group of fields"),
    ("turns=4,5", "use --turns"),
    ("demand.99.tonnes_per_year=5", "demand has no entry '99' (positions 0 to"),
    ("price_response.market_flexibility", "write PATH=a,b,c"),
    ("price_response.market_flexibility=0.2,lots", "'lots' is not a number"),
    ("price_response.market_flexibility=nan", "not a finite number"),
    ("sectors.defence.priority=1.5", "takes whole numbers"),
])
def test_vary_errors_name_the_path(tmp_path, capsys, vary, message):
    code = main(["sweep", str(MINI), "--runs", "2", "--workers", "1", "--vary", vary,
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and message in err and vary.partition("=")[0] in err
    assert not (tmp_path / "out").exists()  # nothing written


def test_interrupt_keeps_the_finished_games(mini):
    """Rule: a Ctrl+C between batches keeps every finished game, exactly as a full run
    would have played it."""
    plan = _plan(mini)
    full = run_sweep(plan, SerialRunner(), progress=False)
    seen = []

    def stop_after_two(batch):
        seen.append(batch)
        if len(seen) == 2:
            raise KeyboardInterrupt

    part = run_sweep(plan, SerialRunner(), progress=False, on_batch=stop_after_two)
    assert not part.complete and [g.game for g in part.games] == [0, 1, 2, 3]
    np.testing.assert_array_equal(part.values, full.values[:4])
    assert part.final_state_hashes == full.final_state_hashes[:4]


def test_interrupted_cli_writes_a_partial_folder(tmp_path, capsys, monkeypatch):
    """A Ctrl+C during the third batch: exit 130, the two finished batches written, and the
    manifest and report say the sweep is partial."""
    from wargame.analysis import runners

    real, calls = runners.run_batch, []

    def interrupted(task):
        calls.append(task)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(runners, "run_batch", interrupted)
    monkeypatch.setattr("wargame.analysis.sweep_plan.DEFAULT_BATCH_GAMES", 2)
    out = tmp_path / "out"
    code = main(["sweep", str(MINI), "--runs", "8", "--turns", "2", "--bots", "all",
                 "--workers", "1", "--format", "csv", "--out", str(out)])
    assert code == 130 and "4 of 8 games finished" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is False
    assert (manifest["games_planned"], manifest["games_finished"]) == (8, 4)
    assert "PARTIAL: interrupted after 4 of 8 games" in (out / "report.md").read_text()
    games = (out / "games.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in games[1:]] == ["0", "1", "2", "3"]


def test_output_folder_describes_itself(tmp_path, mini):
    out = tmp_path / "sweep"
    assert main(["sweep", str(MINI), "--runs", "3", "--turns", "2", "--bots", "beijing",
                 "--vary", "price_response.market_flexibility=0.3,0.6", "--workers", "1",
                 "--format", "csv", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["balance.json", "games.csv", "indicators.csv", "manifest.json",
                     "orders.csv", "report.md", "scenario.json", "summary.csv"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "wargame-sweep"
    assert manifest["scenario"]["content_hash"] == mini.content_hash
    assert manifest["engine_model_version"] == engine_model_version()
    assert manifest["wargame_version"]
    assert manifest["arguments"]["vary"] == ["price_response.market_flexibility=0.3,0.6"]
    assert manifest["arguments"]["seed"] == mini.default_seed
    assert (manifest["games_planned"], manifest["games_finished"], manifest["complete"]) == (6, 6, True)
    assert [v["settings"] for v in manifest["variants"]] == [
        {"price_response.market_flexibility": 0.3}, {"price_response.market_flexibility": 0.6}]
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    rows = (out / "indicators.csv").read_text().splitlines()
    assert rows[0] == "game,variant,seed,turn,indicator,subject,value"
    assert len(rows) - 1 == 6 * 2 * len({(m["indicator"], m["subject"]) for m in manifest["metrics"]})
    header, *summary = (out / "summary.csv").read_text().splitlines()
    assert header == "variant,indicator,subject,turn,games,median,p05,p95,mean"
    assert any(line.startswith("1,score,beijing,2,3,") for line in summary)
    games = (out / "games.csv").read_text().splitlines()
    assert games[0] == "game,variant,run,seed,final_state_hash,price_response.market_flexibility"
    assert json.loads((out / "scenario.json").read_text()) == mini.to_json_dict()


def test_csv_works_without_pyarrow(tmp_path):
    """With pyarrow missing, a sweep writes CSV and says why."""
    out = tmp_path / "sweep"
    code = ("import sys; sys.modules['pyarrow'] = None; from wargame.cli import main; "
            f"sys.exit(main(['sweep', {str(MINI)!r}, '--runs', '2', '--turns', '1', "
            f"'--workers', '1', '--out', {str(out)!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pyarrow is not installed: writing CSV" in done.stderr
    assert (out / "indicators.csv").exists() and not list(out.glob("*.parquet"))
    asked = ("import sys; sys.modules['pyarrow'] = None; from wargame.cli import main; "
             f"sys.exit(main(['sweep', {str(MINI)!r}, '--runs', '2', '--format', 'parquet', "
             f"'--out', {str(tmp_path / 'other')!r}]))")
    refused = subprocess.run([sys.executable, "-c", asked], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 2 and "pip install 'wargame[parquet]'" in refused.stderr


@pytest.mark.parametrize("args,message", [
    (["--runs", "0"], "--runs must be from 1 to"),
    (["--runs", "100000", "--turns", "1000"], "GiB of memory"),
    (["--runs", "60000", "--vary", "price_response.market_flexibility=0.2,0.4"], "more than 100,000 games"),
    (["--runs", "2", "--workers", "0"], "--workers must be from 1 to"),
    (["--runs", "2", "--turns", "0"], "--turns must be from 1 to"),
    (["--runs", "2", "--seed", "-3"], "--seed must be a whole number"),
    (["--runs", "2", "--bots", "atlantis"], "unknown team 'atlantis' for --bots"),
    (["--runs", "2", "--bots", "beijing=reckless"], "unknown posture 'reckless'"),
    (["--runs", "2", "--scheduler", "my-cluster"], "write the scheduler's address as tcp://"),
    (["--runs", "2", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"],
     "--workers is for local runs"),
    (["--runs", "2", "--vary", "price_response.market_flexibility=0.3", "--vary",
      "price_response.market_flexibility=0.4"], "the same path is varied twice"),
])
def test_user_errors_exit_2(tmp_path, capsys, args, message):
    assert main(["sweep", str(MINI)] + args + ["--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err


def test_a_used_folder_is_never_overwritten(tmp_path, capsys):
    (tmp_path / "old.txt").write_text("earlier results")
    assert main(["sweep", str(MINI), "--runs", "1", "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "old.txt").read_text() == "earlier results"


def test_an_unreachable_scheduler_is_a_clear_error(mini):
    pytest.importorskip("distributed")
    from wargame.errors import UserError

    runner = DaskRunner("tcp://127.0.0.1:9", connect_timeout_s=1.0)
    with pytest.raises(UserError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(runner.results(_plan(mini, runs=1).tasks()))


def test_scripted_orders_are_given_in_every_game(tmp_path):
    """Rule: an orders file's orders are given in every game, beside the bots'."""
    orders = tmp_path / "orders.yaml"
    orders.write_text("- {turn: 1, team: beijing, move: export_licences, "
                      "params: {material: ree, targets: USA, level: freeze}}\n")
    out = tmp_path / "out"
    assert main(["sweep", str(MINI), "--runs", "3", "--turns", "2", "--orders", str(orders),
                 "--bots", "washington=dovish", "--workers", "1", "--format", "csv",
                 "--out", str(out)]) == 0
    rows = [line.split(",") for line in (out / "orders.csv").read_text().splitlines()[1:]]
    scripted = [r for r in rows if r[3] == "beijing"]
    assert [(r[0], r[2], r[4], r[5]) for r in scripted] == [
        (str(g), "1", "export_licences", "accepted") for g in range(3)]
    assert {r[3] for r in rows} <= {"beijing", "washington"}
    assert "bots: washington=dovish; scripted orders: 1" in (out / "report.md").read_text()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_coded_text_column_is_written_as_its_texts(tmp_path, fmt):
    """Rule: the indicator table writes its indicator and subject columns as codes into
    their few distinct texts; read back, each row holds the text of its catalog entry, as
    when the texts themselves were written."""
    from wargame.analysis.sweep_output import Coded, _Table

    if fmt == "parquet":
        pq = pytest.importorskip("pyarrow.parquet")
    texts = ["score", "price", "score", "met"]
    rows = np.array([3, 0, 0, 2, 1, 3])
    for name, column in (("coded", Coded.of(texts, rows)), ("plain", [texts[r] for r in rows])):
        table = _Table(tmp_path / f"{name}.{fmt}", fmt, ["n", "indicator"],
                       dictionary=("indicator",))
        table.write([np.arange(len(rows)), column])
        table.close()
    if fmt == "parquet":
        coded, plain = (pq.read_table(tmp_path / f"{n}.parquet") for n in ("coded", "plain"))
        assert coded.column("indicator").to_pylist() == [texts[r] for r in rows]
        assert coded.to_pylist() == plain.to_pylist() and coded.schema == plain.schema
    else:
        assert (tmp_path / "coded.csv").read_text() == (tmp_path / "plain.csv").read_text()
