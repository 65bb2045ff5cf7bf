"""Scenario format versions: which ones this build reads, and upgrading old files on load.

A scenario file says which format it is written in (``schema_version``, 1 when absent).
This build reads ``readable_versions()``; a file in any other version is refused with the
versions it reads. When the format changes, raise ``SCHEMA_VERSION`` in
``wargame.scenario.model`` and register one step from the old version here::

    @upgrade_step(1)
    def _rename_colour(raw):
        for team in raw.get("teams", []):
            ...
        return raw, ["teams[*].color was renamed to colour"]

Each step takes the file's plain data (dicts and lists, as read) at version N and returns
it at version N + 1 with notes in plain words saying what changed; the loader applies the
steps in order, prints the notes (``wargame validate``), and validates the result as
usual. A step must not modify its argument in place (aliases share data): copy what it
changes. Problems in upgraded data are located by the path in the upgraded data, so a step
that moves a field makes its problems point at the nearest path the file still has.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from wargame.scenario.model import SCHEMA_VERSION

OLDEST_READABLE_VERSION = 1
UpgradeStep = Callable[[dict[str, Any]], tuple[dict[str, Any], list[str]]]
UPGRADES: dict[int, UpgradeStep] = {}  # from version N to N + 1

__all__ = ["OLDEST_READABLE_VERSION", "UPGRADES", "readable_versions", "upgrade",
           "upgrade_step", "version_problem"]


def upgrade_step(from_version: int) -> Callable[[UpgradeStep], UpgradeStep]:
    """Register ``function`` as the upgrade from ``from_version`` to the next version."""
    def register(function: UpgradeStep) -> UpgradeStep:
        UPGRADES[from_version] = function
        return function
    return register


@upgrade_step(1)
def _conditions_and_coalitions(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Format 2 only added optional fields (an inject's ``condition``, ``repeat`` and
    ``follow_ups``; a move's ``requires``): a format-1 file means the same in format 2, so
    there is nothing to note (an older build refuses a format-2 file by its version)."""
    return raw, []


@upgrade_step(2)
def _market_rework(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Format 3 is the market of issue 8: every new field (``market:``, ``trade_shares``,
    ``local_prices``, a stage's ``ramp_up``, a material's ``headline_stage`` and
    ``long_run_elasticity``, a sector's elasticities) is optional with a documented default,
    so a format-2 file means the same but for prices: ``price_response.pullback`` and
    ``smoothing`` no longer exist (prices now move by ``market.price_adjustment_per_quarter``
    towards the clearing price) and are dropped with a note."""
    response = raw.get("price_response")
    if not isinstance(response, dict):
        return raw, []
    gone = [key for key in ("pullback", "smoothing") if key in response]
    if not gone:
        return raw, []
    raw = copy.copy(raw)  # (a shallow copy keeps a round-trip mapping's comments)
    response = copy.copy(response)
    for key in gone:
        del response[key]
    if response:
        raw["price_response"] = response
    else:  # nothing else was set in it: the defaults apply
        del raw["price_response"]
    names = " and ".join(f"price_response.{key}" for key in gone)
    return raw, [f"{names} no longer apply and were dropped: prices now close "
                 "market.price_adjustment_per_quarter of the gap to the clearing price each "
                 "quarter (default 0.5; scenarios/README.md, 'Market dynamics')"]


def readable_versions(current: int | None = None) -> range:
    return range(OLDEST_READABLE_VERSION, (current or SCHEMA_VERSION) + 1)


def _versions_text(current: int) -> str:
    versions = readable_versions(current)
    if len(versions) == 1:
        return f"version {versions[0]}"
    return f"versions {versions[0]} to {versions[-1]}"


def version_problem(version: Any, current: int | None = None) -> str | None:
    """Why a file's ``schema_version`` cannot be read by this build (None when it can)."""
    current = current or SCHEMA_VERSION
    reads = f"this build reads {_versions_text(current)}"
    if isinstance(version, bool) or not isinstance(version, int):
        return f"schema_version must be a whole number ({reads})"
    if version > current:
        return (f"schema_version {version} is newer than this build of wargame ({reads}): "
                "upgrade wargame to use this file")
    if version < OLDEST_READABLE_VERSION:
        return f"schema_version {version} does not exist ({reads}); write {current}"
    return None


def upgrade(raw: dict[str, Any], from_version: int, current: int | None = None
            ) -> tuple[dict[str, Any], list[str]]:
    """``raw`` (at ``from_version``, a readable version) brought to the current version,
    with one note per change. A file already current is returned as it is."""
    current = current or SCHEMA_VERSION
    notes: list[str] = []
    version = from_version
    while version < current:
        step = UPGRADES.get(version)
        if step is None:  # a build that raised SCHEMA_VERSION must register its step
            raise RuntimeError(f"no upgrade registered from scenario format {version}")
        raw, step_notes = step(copy.copy(raw))
        notes.extend(f"upgraded from format {version} to {version + 1}: {note}"
                     for note in step_notes)
        version += 1
    if version != from_version:
        raw = dict(raw, schema_version=current)
    return raw, notes
