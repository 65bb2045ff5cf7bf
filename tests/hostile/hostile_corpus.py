"""The hostile corpus: files an attacker or a careless designer could hand to the three
loaders (scenario, orders file, session import), generated in a temporary folder (nothing
large is checked in), and a runner that gives each one to the real ``wargame`` command in a
child process with a memory ceiling.

Each case is ``Case(name, command, make, says)``: ``make(folder)`` writes the file and
returns its path, ``command`` is how it is given (``validate``, ``scenario`` for
``simulate FILE``, ``orders`` for ``simulate MINI --orders FILE``, ``import``), and
``says`` is a fragment of the refusal, so a case refused for the wrong reason fails too.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
MINI = FIXTURES / "mini.yaml"
TINY_TEXT = (FIXTURES / "tiny.yaml").read_text()
MEMORY_CEILING = 1 << 30  # RLIMIT_AS of the child: a runaway is killed, not the machine
HANG_TIMEOUT = 30  # seconds: a hang detector only; no duration is ever asserted
MAX_GROWTH_KIB = 100 * 1024  # peak memory over the same command refusing an empty file

_RUNNER = """\
import resource, sys
from wargame.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\\nPEAK_RSS_KIB=%d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""

# 559 bytes of YAML that would expand to 9**9 (387 million) values
ALIAS_BOMB = "\n".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]) + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    command: str  # validate | scenario | orders | import
    make: Callable[[Path], Path]
    says: str
    limits: dict[int, tuple[int, int]] = field(default_factory=dict)  # extra rlimits
    extra_args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    peak_rss_kib: int

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def argv_for(case: Case, path: Path, folder: Path) -> list[str]:
    if case.command == "validate":
        return ["validate", str(path)]
    if case.command == "scenario":
        return ["simulate", str(path), "--turns", "1", "--quiet", *case.extra_args]
    if case.command == "orders":
        return ["simulate", str(MINI), "--turns", "2", "--quiet", "--orders", str(path),
                *case.extra_args]
    if case.command == "import":
        return ["import", str(path), "--db", str(folder / "sessions.sqlite")]
    raise ValueError(case.command)


def run_cli(argv: list[str], limits: dict[int, tuple[int, int]] | None = None) -> Outcome:
    def confine() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
        for which, value in (limits or {}).items():
            resource.setrlimit(which, value)

    out = subprocess.run([sys.executable, "-c", _RUNNER, *argv], capture_output=True,
                         text=True, errors="replace", timeout=HANG_TIMEOUT,
                         preexec_fn=confine, stdin=subprocess.DEVNULL)
    stderr, _, peak = out.stderr.rpartition("PEAK_RSS_KIB=")
    peak_kib = int(peak.strip()) if peak.strip().isdigit() else -1
    return Outcome(out.returncode, out.stdout, stderr if peak_kib >= 0 else out.stderr,
                   peak_kib)


# --------------------------------------------------------------------------- file makers


def text_file(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path
    return make


def tiny_with(old: str, new: str) -> Callable[[Path], Path]:
    assert old in TINY_TEXT, old
    return text_file("scenario.yaml", TINY_TEXT.replace(old, new, 1))


def sparse_file(name: str, size: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        with open(path, "wb") as handle:
            handle.truncate(size)  # sparse: no disk used
        return path
    return make


def fifo(folder: Path) -> Path:
    path = folder / "fifo.yaml"
    os.mkfifo(path)
    return path


def directory(folder: Path) -> Path:
    path = folder / "folder.yaml"
    path.mkdir()
    return path


def dev_zero(_folder: Path) -> Path:
    return Path("/dev/zero")


def unterminated_quote() -> str:
    lines = TINY_TEXT.splitlines()
    lines[6] = lines[6].replace("name: United States", 'name: "United States')
    return "\n".join(lines + ["# more lines after"] * 20) + "\n"


def many_problems() -> str:
    entries = "".join(f"  - {{actor: CHN, material: ree, stage: mine, capacity: -{i}}}\n"
                      for i in range(1, 15_000))
    return TINY_TEXT.replace("capacities:\n", "capacities:\n" + entries, 1)


def export_with(**changes) -> Callable[[Path], Path]:
    data = {"format": "wargame-session", "version": 1, "session": {"id": "abc"},
            "scenario": {}, "events": [], "snapshots": []}
    data.update(changes)
    return text_file("export.json", json.dumps(data))


ORDER = "{turn: 1, team: washington, move: build_capacity, " \
        "params: {material: ree, stage: mine, tonnes: TONNES}}"

CASES = [
    # ---- bounded work: size, kind of file, aliases, nesting (all three loaders)
    Case("alias bomb", "validate", text_file("bomb.yaml", ALIAS_BOMB), "expands to more than"),
    Case("alias bomb (simulate)", "scenario", text_file("bomb.yaml", ALIAS_BOMB),
         "expands to more than"),
    Case("alias bomb in an orders file", "orders", text_file(
        "orders.yaml", "- {turn: 1, team: beijing, move: export_licences, id: {"
        + ALIAS_BOMB.strip().replace("\n", ", ") + "}}\n"), "expands to more than"),
    Case("recursive alias", "validate", text_file("rec.yaml", "a: &a [*a]\n"),
         "refers to itself"),
    Case("deep flow nesting", "validate", text_file("deep.yaml", "[" * 100_000),
         "nested more than 64 levels"),
    Case("deep mapping nesting", "validate", text_file("deep.yaml", "{a: " * 100_000),
         "nested more than 64 levels"),
    Case("deep block nesting", "validate", text_file(
        "deep.yaml", "".join("  " * i + "k:\n" for i in range(300))),
         "nested more than 64 levels"),
    Case("deep nesting in orders", "orders", text_file("orders.yaml", "[" * 100_000),
         "nested more than 64 levels"),
    Case("deep nesting in an import", "import", text_file("deep.json", "[" * 100_000),
         "nested more than 64 levels"),
    Case("moderately deep import", "import", text_file("deep.json", "[" * 500 + "]" * 500),
         "nested more than 64 levels"),
    Case("200 MB scenario", "validate", sparse_file("big.yaml", 200 << 20), "is too large"),
    Case("200 MB orders file", "orders", sparse_file("big.yaml", 200 << 20), "is too large"),
    Case("300 MB import", "import", sparse_file("big.json", 300 << 20), "is too large"),
    Case("/dev/zero as a scenario", "validate", dev_zero, "is not a regular file"),
    Case("/dev/zero as a scenario (simulate)", "scenario", dev_zero, "is not a regular file"),
    Case("/dev/zero as orders", "orders", dev_zero, "is not a regular file"),
    Case("/dev/zero as an import", "import", dev_zero, "is not a regular file"),
    Case("FIFO as a scenario", "validate", fifo, "is not a regular file"),
    Case("FIFO as orders", "orders", fifo, "is not a regular file"),
    Case("FIFO as an import", "import", fifo, "is not a regular file"),
    Case("directory as a scenario", "scenario", directory, "is a directory"),
    Case("directory as orders", "orders", directory, "is a directory"),
    Case("directory as an import", "import", directory, "is a directory"),
    Case("half a million values", "validate", text_file("wide.yaml", "- 1\n" * 500_000),
         "expands to more than"),
    # ---- not text, not YAML
    Case("binary garbage", "validate", text_file("bin.yaml", bytes(range(256)) * 64),
         "not UTF-8 text"),
    Case("UTF-16 file", "validate", text_file("u16.yaml", "id: x\n".encode("utf-16")),
         "not UTF-8 text"),
    Case("raw control character", "validate", text_file("ctl.yaml", "id: a\x07b\n"),
         "control character U+0007"),
    Case("binary orders", "orders", text_file("orders.yaml", b"\xff\xfe\x00" * 100),
         "not UTF-8 text"),
    Case("import that is not JSON", "import", text_file("x.json", "{not json"),
         "not valid JSON"),
    Case("NaN in an import", "import", text_file("nan.json", '{"a": NaN}'),
         "numbers must be finite"),
    Case("import of another format", "import", export_with(format="other"),
         "not a wargame session export"),
    Case("import with a bad version", "import", export_with(version="1"),
         "export version is not a whole number"),
    Case("import with a session of the wrong type", "import", export_with(session="x"),
         "incomplete or damaged"),
    Case("empty scenario", "validate", text_file("empty.yaml", ""), "the file is empty"),
    Case("a list, not a scenario", "validate", text_file("list.yaml", "- a\n- b\n"),
         "must be a mapping"),
    Case("two documents", "validate", text_file("two.yaml", "id: a\n---\nid: b\n"),
         "a second YAML document"),
    Case("code-running tag", "validate", tiny_with(
        "title: Tiny", 'title: !!python/object/apply:os.system ["touch /tmp/pwned"]'),
         "is not allowed"),
    Case("unterminated quote", "validate", text_file("quote.yaml", unterminated_quote()),
         ":7:21: YAML syntax error: the quote \" opened here is never closed"),
    Case("null key", "validate", tiny_with("turns: 4", "turns: 4\n~: 3"), "a key is empty"),
    Case("duplicate key", "validate", tiny_with("turns: 4", "turns: 4\nturns: 5"),
         "duplicate key 'turns'"),
    Case("undefined alias", "validate", tiny_with("title: Tiny", "title: *nowhere"),
         "refers to no anchor"),
    Case("15,000 problems", "validate", text_file("many.yaml", many_problems()),
         "more problems"),
    # ---- numbers
    Case("NaN capacity", "validate", tiny_with("capacity: 1000}", "capacity: .nan}"),
         "must be a finite number"),
    Case("infinite budget", "scenario", tiny_with("name: Beijing, budget: 100}",
                                                  "name: Beijing, budget: .inf}"),
         "must be a finite number"),
    Case("1e308 demand", "validate", tiny_with("tonnes_per_year: 900}",
                                               "tonnes_per_year: 1e308}"), "at most 1e+09"),
    Case("negative seed", "scenario", tiny_with("turns: 4", "turns: 4\ndefault_seed: -1"),
         "default_seed: must be at least 0"),
    Case("huge seed", "validate", tiny_with("turns: 4", f"turns: 4\ndefault_seed: {2**70}"),
         "default_seed: must be less than"),
    Case("--seed -1", "scenario", tiny_with("# Smallest", "# Smallest"), "--seed must be",
         extra_args=("--seed", "-1")),
    Case("--seed 2**64", "scenario", tiny_with("# Smallest", "# Smallest"), "--seed must be",
         extra_args=("--seed", str(2**64))),
    Case("schema version -1", "validate",
         tiny_with("turns: 4", "turns: 4\nschema_version: -1"),
         ":5:17: schema_version -1 does not exist (this build reads versions 1 to 3)"),
    Case("schema version 999", "scenario",
         tiny_with("turns: 4", "turns: 4\nschema_version: 999"),
         ":5:17: schema_version 999 is newer than this build"),
    Case("NaN tonnes in an order", "orders",
         text_file("orders.yaml", "- " + ORDER.replace("TONNES", ".nan") + "\n"),
         "item 1 (line 1): parameter 'tonnes': must be a finite number"),
    Case("1e308 tonnes in an order", "orders",
         text_file("orders.yaml", "- " + ORDER.replace("TONNES", "1e308") + "\n"),
         "item 1 (line 1): parameter 'tonnes': must be a finite number"),
    Case("order for turn 1,000,000,000", "orders", text_file(
        "orders.yaml", "- " + ORDER.replace("TONNES", "500") + "\n"
        "- {turn: 1000000000, team: beijing, move: export_licences}\n"),
         "item 2 (line 2): turn 1000000000 is after the last turn of this game (2)"),
    # ---- text
    Case("5 MB title", "validate", text_file(
        "title.yaml", TINY_TEXT.replace("title: Tiny", "title: " + "x" * (5 << 20))),
         "is too large"),
    Case("1 MB title", "validate", tiny_with("title: Tiny", "title: " + "x" * (1 << 20)),
         "title: is too long"),
    Case("NUL in a name", "validate", tiny_with("name: China,", 'name: "Chi\\0na",'),
         "control character (U+0000)"),
    Case("bidi override in a name", "validate",
         tiny_with("name: China,", 'name: "Chi\\u202ena",'), "bidirectional-override"),
    Case("ANSI escape in an order id", "orders", text_file(
        "orders.yaml", "- {turn: 1, team: beijing, move: export_licences, "
        'id: "\\e[2J\\e[31mpwned"}\n'), "'id' contains a control character (U+001B)"),
    # ---- writing: the shell's file size limit
    Case("--json beyond ulimit -f", "scenario", tiny_with("# Smallest", "# Smallest"),
         "file size limit reached", limits={resource.RLIMIT_FSIZE: (100, 100)},
         extra_args=("--json", "OUT/out.json")),
    Case("--db beyond ulimit -f", "scenario", tiny_with("# Smallest", "# Smallest"),
         "file size limit reached", limits={resource.RLIMIT_FSIZE: (8192, 8192)},
         extra_args=("--db", "OUT/games.sqlite")),
]
