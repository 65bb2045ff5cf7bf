"""A sweep's output folder: self-describing, and nowhere near the sessions database.

Files (tables as Parquet through pyarrow, or CSV when asked or when pyarrow is missing):

- ``indicators.*``: the tidy table, one row per game, turn and headline number:
  ``game, variant, seed, turn, indicator, subject, value`` (``indicator`` names carry
  their unit; see ``manifest.json`` "metrics");
- ``games.*``: ``game, variant, run, seed, final_state_hash`` and one column per varied path;
- ``orders.*``: every order given, ``game, variant, turn, team, move, status``;
- ``summary.*``: per variant, headline number and turn, over the finished games:
  ``games, median, p05, p95, mean`` (the 5-95 % band);
- ``report.md``: final-turn scores and the balance check, in words (says PARTIAL when the
  sweep was interrupted); ``balance.json``: the balance check as data;
- ``scenario.json``: the scenario as swept (before any ``--vary``);
- ``manifest.json``, written last: wargame version, engine model version, scenario id and
  content hash (and each variant's), the arguments, the seed rule, games planned and
  finished, the runner, and a line per file.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from wargame.analysis.balance import BalanceReport, render_balance
from wargame.analysis.engine_adapter import engine_model_version
from wargame.analysis.sweep import SweepResults
from wargame.analysis.sweep_plan import SEED_RULE
from wargame.analysis.sweep_summary import SummaryRow
from wargame.errors import UserError, os_error_text

FORMATS = ("parquet", "csv")
MANIFEST_KIND = "wargame-sweep"
MANIFEST_VERSION = 1
GAMES_PER_ROW_GROUP = 512


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def prepare_folder(out: str | Path) -> Path:
    """The output folder, created; refuses a file or a folder that is not empty (a sweep
    never overwrites earlier results)."""
    folder = Path(out)
    try:
        if folder.exists():
            if not folder.is_dir():
                raise UserError(f"--out {folder}: exists and is not a folder")
            if any(folder.iterdir()):
                raise UserError(f"--out {folder}: the folder is not empty; a sweep never "
                                "overwrites results, choose a new folder")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {folder}: cannot create the folder: {os_error_text(exc)}") from None
    return folder


# ----------------------------------------------------------------- tables


class _Table:
    """Columns of one table, written as Parquet or CSV. Text columns with few distinct
    values (indicator, subject, team, move) are stored as Parquet dictionaries."""

    def __init__(self, path: Path, fmt: str, names: Sequence[str],
                 dictionary: Sequence[str] = ()):
        self.path, self.fmt, self.names = path, fmt, list(names)
        self.dictionary = set(dictionary)
        self._writer: Any = None
        self._csv: Any = None
        self._file: Any = None

    def write(self, columns: Sequence[Any]) -> None:
        """One block of rows. A column may come as ``Coded`` (the codes of a few distinct
        texts): the indicator table's 120 rows per game-turn are not made into strings."""
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            arrays = [c.arrow() if isinstance(c, Coded)
                      else pa.array(c).dictionary_encode() if n in self.dictionary
                      else pa.array(c) for n, c in zip(self.names, columns)]
            table = pa.Table.from_arrays(arrays, names=self.names)
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, table.schema)
            self._writer.write_table(table)
            return
        if self._csv is None:
            self._file = open(self.path, "w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._file)
            self._csv.writerow(self.names)
        cells = [c.texts() if isinstance(c, Coded) else
                 c.tolist() if isinstance(c, np.ndarray) else list(c) for c in columns]
        self._csv.writerows(zip(*cells))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._file is not None:
            self._file.close()
        if self._writer is None and self._file is None:  # nothing written: header only
            self.write([[] for _ in self.names])
            self.close()


@dataclasses.dataclass(frozen=True)
class Coded:
    """A text column as codes into its few distinct values (a Parquet dictionary)."""

    codes: np.ndarray  # int32, one per row
    values: tuple[str, ...]

    @classmethod
    def of(cls, texts: Sequence[str], rows: np.ndarray) -> "Coded":
        """The column ``texts[rows]`` (``texts`` one per catalog entry, say)."""
        values = tuple(dict.fromkeys(texts))
        code = {value: n for n, value in enumerate(values)}
        per_entry = np.array([code[t] for t in texts], dtype=np.int32)
        return cls(per_entry[rows], values)

    def arrow(self) -> Any:
        import pyarrow as pa

        return pa.DictionaryArray.from_arrays(pa.array(self.codes, pa.int32()),
                                              pa.array(self.values, pa.string()))

    def texts(self) -> list[str]:
        return np.array(self.values, dtype=object)[self.codes].tolist()


def _indicator_table(results: SweepResults, path: Path, fmt: str) -> None:
    catalog = results.plan.catalog
    indicators = [k.indicator for k in catalog]
    subjects = [k.subject for k in catalog]
    table = _Table(path, fmt, ["game", "variant", "seed", "turn", "indicator", "subject", "value"],
                   dictionary=("indicator", "subject"))
    G, T, K = results.values.shape
    for start in range(0, G, GAMES_PER_ROW_GROUP):
        block = results.values[start:start + GAMES_PER_ROW_GROUP]  # (g, T, K)
        specs = results.games[start:start + GAMES_PER_ROW_GROUP]
        g_idx, t_idx, k_idx = np.nonzero(~np.isnan(block))  # sorted: game, turn, metric
        game = np.array([s.game for s in specs], dtype=np.int64)[g_idx]
        variant = np.array([s.variant for s in specs], dtype=np.int32)[g_idx]
        seed = np.array([s.seed for s in specs], dtype=np.int64)[g_idx]
        table.write([game, variant, seed, (t_idx + 1).astype(np.int32),
                     Coded.of(indicators, k_idx), Coded.of(subjects, k_idx),
                     block[g_idx, t_idx, k_idx]])
    table.close()


def _games_table(results: SweepResults, path: Path, fmt: str) -> None:
    plan = results.plan
    paths = [v.path for v in plan.variations]
    table = _Table(path, fmt, ["game", "variant", "run", "seed", "final_state_hash"] + paths)
    settings = {v.index: dict(v.settings) for v in plan.variants}
    games = results.games
    table.write([np.array([g.game for g in games], dtype=np.int64),
                 np.array([g.variant for g in games], dtype=np.int32),
                 np.array([g.game - g.variant * plan.runs for g in games], dtype=np.int64),
                 np.array([g.seed for g in games], dtype=np.int64),
                 list(results.final_state_hashes)]
                + [np.array([settings[g.variant][p] for g in games], dtype=float) for p in paths])
    table.close()


def _orders_table(results: SweepResults, path: Path, fmt: str) -> None:
    variant_of = {g.game: g.variant for g in results.games}
    orders = results.orders
    table = _Table(path, fmt, ["game", "variant", "turn", "team", "move", "status"],
                   dictionary=("team", "move", "status"))
    table.write([np.array([o.game for o in orders], dtype=np.int64),
                 np.array([variant_of[o.game] for o in orders], dtype=np.int32),
                 np.array([o.turn for o in orders], dtype=np.int32),
                 [o.team for o in orders], [o.move for o in orders], [o.status for o in orders]])
    table.close()


def _summary_table(rows: Sequence[SummaryRow], path: Path, fmt: str) -> None:
    names = [f.name for f in dataclasses.fields(SummaryRow)]
    table = _Table(path, fmt, names, dictionary=("indicator", "subject"))
    table.write([[getattr(r, n) for r in rows] for n in names])
    table.close()


# ----------------------------------------------------------------- words


def _report(results: SweepResults, summary: Sequence[SummaryRow],
            balances: Sequence[BalanceReport]) -> str:
    plan = results.plan
    state = "complete" if results.complete else \
        f"PARTIAL: interrupted after {len(results.games)} of {plan.planned_games} games"
    lines = [f"# Sweep of {plan.scenario.title} ({plan.scenario.id})", "",
             f"{len(results.games)} games of {plan.turns} turns, {state}. "
             f"Seed {plan.root_seed}; bots: "
             + (", ".join(b.team + (f"={b.posture}" if b.posture else "") for b in plan.bots)
                or "none") + f"; scripted orders: {len(plan.orders)}.", ""]
    last = plan.turns
    lines += ["## Final-turn scores (median, 5-95 % band)", ""]
    for variant in plan.variants:
        lines.append(f"{variant.label}:")
        for row in summary:
            if row.variant == variant.index and row.indicator == "score" and row.turn == last:
                lines.append(f"- {row.subject}: {row.median:.3f} ({row.p05:.3f} to {row.p95:.3f})")
        lines.append("")
    for report in balances:
        lines.append(render_balance(report))
    return "\n".join(lines)


def write_sweep_folder(folder: Path, results: SweepResults, summary: Sequence[SummaryRow],
                       balances: Sequence[BalanceReport], fmt: str,
                       arguments: dict[str, Any]) -> list[Path]:
    """Write every file of the folder (``manifest.json`` last); returns their paths."""
    if fmt not in FORMATS:
        raise UserError(f"unknown table format {fmt!r} (parquet or csv)")
    plan = results.plan
    ext = "parquet" if fmt == "parquet" else "csv"
    described = {
        f"indicators.{ext}": "one row per game, turn and headline number (tidy)",
        f"games.{ext}": "one row per game: variant, run, seed, final state hash, varied values",
        f"orders.{ext}": "every order given, with the engine's outcome",
        f"summary.{ext}": "median and 5-95 % band per variant, headline number and turn",
        "report.md": "final-turn scores and the balance check, in words",
        "balance.json": "the balance check as data, per variant",
        "scenario.json": "the scenario as swept, before any --vary",
    }
    try:
        _indicator_table(results, folder / f"indicators.{ext}", fmt)
        _games_table(results, folder / f"games.{ext}", fmt)
        _orders_table(results, folder / f"orders.{ext}", fmt)
        _summary_table(summary, folder / f"summary.{ext}", fmt)
        (folder / "report.md").write_text(_report(results, summary, balances), encoding="utf-8")
        _write_json(folder / "balance.json", [dataclasses.asdict(b) for b in balances])
        _write_json(folder / "scenario.json", plan.scenario.to_json_dict())
        _write_json(folder / "manifest.json", _manifest(results, fmt, arguments, described))
    except OSError as exc:
        raise UserError(f"{folder}: cannot write the results: {os_error_text(exc)}") from None
    return [folder / name for name in described] + [folder / "manifest.json"]


def _manifest(results: SweepResults, fmt: str, arguments: dict[str, Any],
              files: dict[str, str]) -> dict[str, Any]:
    from wargame.resources import package_version

    plan = results.plan
    return {
        "kind": MANIFEST_KIND, "manifest_version": MANIFEST_VERSION,
        "wargame_version": package_version(),
        "engine_model_version": engine_model_version(),
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "scenario": {"id": plan.scenario.id, "title": plan.scenario.title,
                     "content_hash": plan.scenario.content_hash},
        "variants": [{"variant": v.index, "settings": dict(v.settings),
                      "scenario_hash": v.scenario.content_hash} for v in plan.variants],
        "arguments": arguments,
        "seeds": {"seed": plan.root_seed, "runs": plan.runs, "rule": SEED_RULE},
        "turns": plan.turns,
        "games_planned": plan.planned_games, "games_finished": len(results.games),
        "complete": results.complete,
        "runner": results.runner,
        "table_format": fmt,
        "metrics": [{"indicator": k.indicator, "subject": k.subject, "unit": k.unit,
                     "label": k.label} for k in plan.catalog],
        "files": files,
    }


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(_plain(data), indent=1, sort_keys=True, allow_nan=False)
                    + "\n", encoding="utf-8")


def _plain(value: Any) -> Any:
    """JSON types only; a number that is not finite (a median of no games) becomes null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
