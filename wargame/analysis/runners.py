"""Where a sweep's batches of games run: in this process, over local processes with joblib
(loky, the default), or on a Dask distributed cluster (``--scheduler tcp://HOST:8786``).

Every runner calls the same ``run_batch`` on the same batches and each game's seed is fixed
by the plan, so the results are identical whichever runs them; only the order in which
batches finish differs (the sweep sorts them back by game). Each runner yields batches as
they finish, so a Ctrl+C keeps every finished batch; closing the stream stops the rest.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import re
from typing import Iterator, Protocol, Sequence

from wargame.analysis.engine_adapter import PlayedGames, play_games
from wargame.analysis.sweep_plan import BatchTask
from wargame.errors import UserError
from wargame.scenario.model import Scenario

_SCENARIOS: dict[str, Scenario] = {}  # by content hash, per process
_SCENARIO_CACHE_LIMIT = 64
DASK_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://[^\s/]+$")


def remember_scenario(scenario: Scenario) -> None:
    """Let batches run in this process use an already validated scenario object."""
    if len(_SCENARIOS) >= _SCENARIO_CACHE_LIMIT:
        _SCENARIOS.clear()
    _SCENARIOS[scenario.content_hash] = scenario


def _scenario(task: BatchTask) -> Scenario:
    scenario = _SCENARIOS.get(task.scenario_hash)
    if scenario is None:
        import json

        from wargame.scenario.loader import scenario_from_dict

        scenario = scenario_from_dict(json.loads(task.scenario_json), name="<sweep batch>")
        if scenario.content_hash != task.scenario_hash:
            raise RuntimeError("the scenario changed on its way to a worker (content hash "
                               "differs): the worker runs another version of wargame?")
        remember_scenario(scenario)
    return scenario


def run_batch(task: BatchTask) -> PlayedGames:
    """A worker's whole job: play one batch of games."""
    return play_games(_scenario(task), task.games, task.turns, task.bots, task.orders,
                      task.catalog)


def run_batch_in_worker(task: BatchTask) -> PlayedGames:
    """``run_batch`` as joblib's and Dask's worker processes run it. A batch allocates many
    small short-lived objects, so the cyclic garbage collector runs often, and each of its
    full passes scanned every long-lived object again (the scenario, the compiled rules and
    their caches): about 15 % of a sweep's CPU. In a child process, which exists for this
    work, they are collected once and then frozen out of its way (``gc.freeze``); objects
    still die by reference counting as before. Not in the caller's own process (the app,
    or a Dask cluster of threads), which freezes nothing."""
    _scenario(task)  # loaded and compiled before the long-lived objects are frozen
    if multiprocessing.parent_process() is not None:
        gc.collect()
        gc.freeze()
        # what a batch allocates dies by reference counting; a young collection every
        # 700 allocations (the default) found almost nothing and cost ~2 % of a sweep
        gc.set_threshold(*WORKER_GC_THRESHOLDS)
    return run_batch(task)


WORKER_GC_THRESHOLDS = (20_000, 20, 100)  # (young, middle, old) generations


class Runner(Protocol):
    description: dict[str, object]  # what the output folder records about the runner

    def results(self, tasks: Sequence[BatchTask]) -> Iterator[PlayedGames]:
        """Batches as they finish; closing the iterator stops the ones not started."""
        ...


class SerialRunner:
    def __init__(self) -> None:
        self.description = {"kind": "serial", "workers": 1}

    def results(self, tasks: Sequence[BatchTask]) -> Iterator[PlayedGames]:
        for task in tasks:
            yield run_batch(task)


class JoblibRunner:
    """Batches spread over ``workers`` processes with joblib's loky backend."""

    def __init__(self, workers: int):
        self.workers = workers
        self.description = {"kind": "joblib-loky", "workers": workers}

    def results(self, tasks: Sequence[BatchTask]) -> Iterator[PlayedGames]:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=self.workers, backend="loky",
                            return_as="generator_unordered")
        stream = parallel(delayed(run_batch_in_worker)(task) for task in tasks)
        try:
            yield from stream
        finally:
            stream.close()  # aborts the batches not yet finished


class DaskRunner:
    """Batches as tasks on a Dask distributed cluster. Its workers need the same wargame
    version installed (a batch checks the scenario's content hash on arrival)."""

    def __init__(self, address: str, connect_timeout_s: float = 10.0):
        if not DASK_ADDRESS.match(address):
            raise UserError(f"--scheduler {address!r}: write the scheduler's address as "
                            "tcp://HOST:PORT (Dask's default port is 8786)")
        self.address = address
        self.connect_timeout_s = connect_timeout_s
        self.description = {"kind": "dask-distributed", "scheduler": address}

    def results(self, tasks: Sequence[BatchTask]) -> Iterator[PlayedGames]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise UserError("--scheduler needs Dask: pip install 'wargame[cluster]'") from None
        try:
            client = Client(self.address, timeout=f"{self.connect_timeout_s}s",
                            set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {self.address} "
                            f"({type(exc).__name__}: {exc})") from None
        futures: list = []
        try:
            self.description = {**self.description,
                                "workers": len(client.scheduler_info().get("workers", {}))}
            futures = client.map(run_batch_in_worker, list(tasks), pure=False)
            for future in as_completed(futures, loop=client.loop):
                yield future.result()
        finally:
            if futures:
                client.cancel(futures)
            client.close()


def choose_runner(workers: int | None, scheduler: str | None) -> Runner:
    """``--scheduler`` -> Dask; ``--workers 1`` -> this process; otherwise joblib with
    ``--workers`` processes (default: one per CPU)."""
    if scheduler:
        if workers is not None:
            raise UserError("--workers is for local runs; a --scheduler cluster uses its "
                            "own workers")
        return DaskRunner(scheduler)
    count = workers if workers is not None else (os.cpu_count() or 1)
    return SerialRunner() if count == 1 else JoblibRunner(count)
