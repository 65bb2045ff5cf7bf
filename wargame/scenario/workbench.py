"""The designer's workbench on the command line: ``wargame new-scenario`` writes a
commented, valid starting file (from the template or a copy of an existing scenario), and
``wargame upgrade-scenario`` rewrites a file written for an older scenario format in the
current one, keeping its comments.

Both check what they write with the same loader as ``wargame validate`` and never overwrite
a file without being asked (``upgrade-scenario`` keeps the old file as ``FILE.bak``).
Existing files are read through the bounded loader first; only a file it accepts is then
read again by ruamel.yaml's round-trip parser (which keeps comments and layout).
"""
from __future__ import annotations

import argparse
import io
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from wargame.errors import UserError, os_error_text, printable

ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,63}$")
TEMPLATE = "new-scenario.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    new = subparsers.add_parser(
        "new-scenario", help="write a commented, valid starting scenario file",
        description="Write NAME.yaml (or the path given, ending in .yaml): a small, valid, "
                    "commented scenario to edit, or a copy of an existing one (--from) with "
                    "a new id and title. Never overwrites a file.")
    new.add_argument("name", metavar="NAME", help="the new scenario's id, or a path ending "
                                                  "in .yaml (its name is the id)")
    new.add_argument("--from", dest="source", metavar="EXISTING",
                     help="copy this scenario (a file, or the id of a shipped scenario)")
    new.add_argument("--title", help="the new scenario's title")
    new.set_defaults(func=new_scenario_command)

    up = subparsers.add_parser(
        "upgrade-scenario", help="rewrite a scenario file in the current format",
        description="Rewrite FILE in the current scenario format, keeping its comments; the "
                    "old file is kept as FILE.bak (or write to --out). A file already in the "
                    "current format is left alone.")
    up.add_argument("path", metavar="FILE")
    up.add_argument("--out", metavar="OUT", help="write here instead of replacing FILE")
    up.set_defaults(func=upgrade_scenario_command)


# ----------------------------------------------------------------- new-scenario


def _target(name: str) -> tuple[Path, str]:
    path = Path(name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    scenario_id = path.stem
    if not ID_PATTERN.match(scenario_id):
        raise UserError(f"'{scenario_id}' is not a valid scenario id: use letters, digits, "
                        "'_' or '-', starting with a letter (at most 64 characters)")
    if path.exists() or path.is_symlink():
        raise UserError(f"{path}: already exists; choose another name (nothing was written)")
    return path, scenario_id


def _source_path(source: str) -> Path:
    from wargame.scenario.loader import scenario_argument

    path = scenario_argument(source)
    if path.exists():
        return path
    raise UserError(f"{source}: no such file, nor a shipped scenario of that name "
                    "(`wargame scenarios` lists them)")


def template_text() -> str:
    return resources.files("wargame.scenario").joinpath("templates", TEMPLATE).read_text(
        encoding="utf-8")


def new_scenario_text(scenario_id: str, title: str | None, source: str | None) -> str:
    """The text of a new scenario: the template, or a copy of ``source`` (checked first)
    with the new id and title and the current format version, comments kept."""
    from wargame.scenario.loader import ScenarioError, read_scenario

    if source is None:
        shown = (title or scenario_id.replace("-", " ").replace("_", " ").capitalize())
        return template_text().replace("__ID__", scenario_id).replace(
            "__TITLE__", shown.replace('"', "'"))
    path = _source_path(source)
    try:
        loaded = read_scenario(path)
    except ScenarioError as exc:
        raise UserError(f"{path} is not a valid scenario, so it is not copied:\n{exc}") \
            from None
    data = _round_trip_load(path)
    _set_first(data, "schema_version", _current_version())
    data["id"] = scenario_id
    data["title"] = title or f"{loaded.scenario.title} (copy)"
    return _round_trip_dump(data)


def new_scenario_command(args: argparse.Namespace) -> int:
    path, scenario_id = _target(args.name)
    text = new_scenario_text(scenario_id, args.title, args.source)
    summary = _checked(text, str(path))
    try:
        with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(text)
    except OSError as exc:
        raise UserError(f"{path}: cannot write ({os_error_text(exc)}); nothing was written") \
            from None
    print(printable(f"wrote {path}: {summary}"))
    print(printable(f"next: edit it, then `wargame validate --lint {path}` and "
                    f"`wargame scenario-doc {path} --out briefing/`"))
    return 0


# ----------------------------------------------------------------- upgrade-scenario


def upgrade_scenario_command(args: argparse.Namespace) -> int:
    from wargame.scenario.loader import ScenarioError, read_scenario
    from wargame.scenario.upgrade import UPGRADES

    path = Path(args.path)
    try:
        loaded = read_scenario(path)  # bounded, every problem said; upgrades in memory
    except ScenarioError as exc:
        for problem in exc.problems:
            print(printable(str(problem)))
        print(printable(f"{path}: not upgraded: fix the problems above first "
                        "(the upgrade would carry them over)"), file=sys.stderr)
        return 2
    data = _round_trip_load(path)
    version = data.get("schema_version", 1)
    current = _current_version()
    if version == current:
        print(printable(f"{path}: already in scenario format {current}; nothing to do"))
        return 0
    notes: list[str] = []
    while version < current:
        data, step_notes = UPGRADES[version](data)
        notes += [f"format {version} to {version + 1}: {note}" for note in step_notes]
        version += 1
    _set_first(data, "schema_version", current)
    text = _round_trip_dump(data)
    out = Path(args.out) if args.out else path
    summary = _checked(text, str(out))
    if out == path:
        backup = path.with_name(path.name + ".bak")
        try:
            backup.write_bytes(path.read_bytes())
        except OSError as exc:
            raise UserError(f"{backup}: cannot keep the old file ({os_error_text(exc)}); "
                            "nothing was written") from None
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{out}: cannot write ({os_error_text(exc)})") from None
    for note in notes or ["nothing in the file changed but its format version"]:
        print(printable(f"{path}: {note}"))
    kept = f"; the old file is kept as {path.name}.bak" if out == path else ""
    print(printable(f"wrote {out} in scenario format {current}: {summary}{kept}"))
    del loaded
    return 0


# ----------------------------------------------------------------- helpers


def _current_version() -> int:
    from wargame.scenario.model import SCHEMA_VERSION

    return SCHEMA_VERSION


def _checked(text: str, name: str) -> str:
    """What ``validate`` would say of the text; a file that would not validate is a bug
    in the workbench (or in the upgrade step) and is not written."""
    from wargame.scenario.loader import ScenarioError, load_scenario_text

    try:
        scenario = load_scenario_text(text, name)
    except ScenarioError as exc:
        raise UserError(f"{name}: the result would not be valid, so it was not written:\n"
                        f"{exc}") from None
    return (f"valid ({scenario.title}, {len(scenario.actors)} actors, {len(scenario.teams)} "
            f"teams, {len(scenario.moves)} moves)")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # keep long lines as the designer wrote them
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - id: ..." as in the shipped files
    return yaml


def _round_trip_load(path: Path) -> Any:
    """A file the bounded loader already accepted, with its comments and layout."""
    from wargame.bounded_files import read_text_bounded
    from wargame.limits import MAX_SCENARIO_BYTES

    return _yaml().load(read_text_bounded(path, MAX_SCENARIO_BYTES, "scenario file"))


def _round_trip_dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def _set_first(data: Any, key: str, value: Any) -> None:
    """Set ``key``, placing it first when the mapping does not have it yet."""
    if key in data:
        data[key] = value
    elif hasattr(data, "insert"):
        data.insert(0, key, value)
    else:
        data[key] = value
