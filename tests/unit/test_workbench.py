"""``wargame new-scenario`` and ``wargame upgrade-scenario``: what they write is valid,
commented, never overwrites unasked, and an old-format file is upgraded keeping its
comments."""
from __future__ import annotations

from pathlib import Path

import pytest

from wargame.analysis.scenario_lint import objectives_that_never_change
from wargame.cli import main
from wargame.scenario.lint import lint_issues
from wargame.scenario.loader import default_scenario_path, load_scenario, read_scenario

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scenarios"
FIRST_RELEASE = FIXTURES / "released" / "rare-earth-shock-2025.first-release.yaml"


def test_new_scenario_writes_a_commented_file_that_validates_lints_clean_and_plays(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new-scenario", "lithium-squeeze"]) == 0
    path = tmp_path / "lithium-squeeze.yaml"
    text = path.read_text()
    assert text.count("\n#") >= 10 and "__ID__" not in text
    scenario = load_scenario(path)
    assert (scenario.id, scenario.title) == ("lithium-squeeze", "Lithium squeeze")
    assert lint_issues(scenario) == [] and objectives_that_never_change(scenario) == []
    # its deck shows each kind: scheduled with a follow-up, conditional; a coalition move
    assert {i.trigger for i in scenario.injects} == {"scheduled", "hand", "conditional"}
    assert any(m.requires for m in scenario.moves)
    out = capsys.readouterr().out
    assert "wrote lithium-squeeze.yaml: valid (Lithium squeeze" in out
    assert main(["simulate", str(path), "--bots", "all", "--quiet"]) == 0


def test_new_scenario_never_overwrites_and_checks_the_name(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("precious")
    assert main(["new-scenario", "mine"]) == 2
    assert (tmp_path / "mine.yaml").read_text() == "precious"
    assert "already exists" in capsys.readouterr().err
    assert main(["new-scenario", "9lives"]) == 2
    assert "not a valid scenario id" in capsys.readouterr().err
    assert main(["new-scenario", "sub/dir/x.yaml"]) == 2  # no such folder: said, no trace
    assert "cannot write" in capsys.readouterr().err


def test_new_scenario_from_a_shipped_one_keeps_its_comments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = default_scenario_path()
    assert main(["new-scenario", "my-copy", "--from", shipped.stem,
                 "--title", "My copy"]) == 0
    copied = (tmp_path / "my-copy.yaml").read_text().splitlines()
    original = shipped.read_text().splitlines()
    changed = [(a, b) for a, b in zip(original, copied) if a != b]
    assert len(copied) == len(original)
    assert [b for _, b in changed] == ["id: my-copy", 'title: "My copy"'] or \
        [b for _, b in changed] == ["id: my-copy", "title: My copy"]
    assert load_scenario(tmp_path / "my-copy.yaml").id == "my-copy"


def test_new_scenario_refuses_to_copy_a_broken_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new-scenario", "x", "--from", str(FIXTURES / "broken" /
                                                    "unknown_refs.yaml")]) == 2
    assert "is not a valid scenario, so it is not copied" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()
    assert main(["new-scenario", "x", "--from", "no-such-scenario"]) == 2
    assert "no such file, nor a shipped scenario" in capsys.readouterr().err


def test_upgrade_scenario_rewrites_an_old_file_keeping_comments_and_a_backup(tmp_path, capsys):
    old = tmp_path / "old.yaml"
    old.write_text(FIRST_RELEASE.read_text())
    # (format 3 since issue 8: the upgrade also drops price_response.pullback and
    # smoothing, which the market no longer reads, with a note)
    assert read_scenario(old).scenario.schema_version == 3  # upgraded in memory on load
    assert main(["upgrade-scenario", str(old)]) == 0
    before = FIRST_RELEASE.read_text().splitlines()
    after = old.read_text().splitlines()
    gone = [line for line in before
            if line.strip().startswith(("price_response:", "pullback:", "smoothing:"))]
    assert len(gone) == 3 and not set(gone) & set(after)
    kept = [line for line in before if line not in gone and line.strip()]
    after = [line for line in after if line.strip()]  # (a blank line goes with a dropped key)
    assert len(kept) == len(after)
    assert [(a, b) for a, b in zip(kept, after) if a != b] == [
        ("schema_version: 1", "schema_version: 3")]
    assert (tmp_path / "old.yaml.bak").read_text() == FIRST_RELEASE.read_text()
    out = capsys.readouterr().out
    assert "wrote" in out and "scenario format 3" in out and "old.yaml.bak" in out
    assert "price_response.pullback and price_response.smoothing no longer apply" in out
    assert main(["upgrade-scenario", str(old)]) == 0
    assert "already in scenario format 3; nothing to do" in capsys.readouterr().out


def test_upgrade_scenario_adds_the_version_to_a_file_without_one(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text((FIXTURES / "tiny.yaml").read_text())
    out = tmp_path / "tiny2.yaml"
    assert main(["upgrade-scenario", str(path), "--out", str(out)]) == 0
    assert path.read_text() == (FIXTURES / "tiny.yaml").read_text()  # left alone
    assert out.read_text().startswith("# Smallest valid scenario")
    assert "schema_version: 3\n" in out.read_text()  # (2 before the market's format 3)
    assert not (tmp_path / "tiny.yaml.bak").exists()


def test_upgrade_scenario_of_a_broken_file_writes_nothing(tmp_path, capsys):
    broken = tmp_path / "b.yaml"
    text = (FIXTURES / "broken" / "unknown_refs.yaml").read_text()
    broken.write_text(text)
    assert main(["upgrade-scenario", str(broken)]) == 2
    assert broken.read_text() == text and not (tmp_path / "b.yaml.bak").exists()
    captured = capsys.readouterr()
    assert f"{broken}:" in captured.out and "not upgraded" in captured.err


@pytest.mark.parametrize("version", ["schema_version: 99", "schema_version: 0"])
def test_upgrade_scenario_refuses_an_unreadable_version(tmp_path, version, capsys):
    path = tmp_path / "v.yaml"
    path.write_text((FIXTURES / "tiny.yaml").read_text() + version + "\n")
    assert main(["upgrade-scenario", str(path)]) == 2
    assert "schema_version" in capsys.readouterr().out
