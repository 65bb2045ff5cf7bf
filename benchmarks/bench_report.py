"""Report benchmarks: ``bench() -> [(name, value, unit)]`` (wired into ``make bench``).

What a facilitator waits for after File > Export report or ``wargame report``, on a 12-turn
all-bot game of the shipped scenario with explanations (the session made once, on disk, as
the app saves it; not timed):

- ``report.gather_12_turns``: ``build_report`` (the session read through the session
  layer, as the facilitator may see it);
- ``report.html_12_turns``: that plus the charts and the HTML (``render_html``);
- ``report.pdf_12_turns``: that plus WeasyPrint's layout (``html_to_pdf``), on the wall
  clock and in CPU time (steadier on a shared machine: it all runs on one thread), and
  the page count and size of that PDF.

Median of ``repeats`` runs (the PDF once by default: it is the slow one). Figures of
2026-11 on the shared 2-CPU development machine (load about 3; wall times there vary by
+-20 %, CPU times less): the whole PDF path (gather, charts, HTML, layout) took 10.5 s CPU
for 62 pages before the annex was set dense with fixed columns (notes beside their source)
and the charts' SVG lost its one CSS rule, and 8.0-8.7 s CPU for 42 pages after; the layout
alone went from 8.5 s to 5.8-6.3 s CPU, of which the annex (about 600 figures) is 3.4 s.
``wargame report ... --out r.pdf`` in a fresh process (imports, fonts) took 17.2 s wall,
then 15.9 s.
Run: ``python -m benchmarks.bench_report [--repeats N]``.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.timing import median_ms


def played_session(db: Path, turns: int = 12) -> str:
    """A finished all-bot game of the shipped scenario, explained, saved in ``db``."""
    from wargame.scenario.loader import default_scenario_path, load_scenario
    from wargame.session.exercise import Exercise
    from wargame.session.headless import play_headless

    scenario = load_scenario(default_scenario_path())
    ex = Exercise.create(db, scenario, seed=1, teams={t.id: "bot" for t in scenario.teams})
    play_headless(ex, turns)
    session_id = ex.id
    ex.close()
    return session_id


def bench(repeats: int = 3, pdf_repeats: int = 1) -> list[tuple[str, float, str]]:
    from pypdf import PdfReader

    from wargame.report.gather import build_report
    from wargame.report.html_report import render_html
    from wargame.report.pdf import html_to_pdf
    from wargame.store import SessionStore

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sessions.sqlite"
        session_id = played_session(db)
        with SessionStore(db) as store:
            gather = lambda: build_report(store, session_id)  # noqa: E731
            html = lambda: render_html(gather())  # noqa: E731
            pdf = lambda: html_to_pdf(html())  # noqa: E731
            html()  # warm: imports, fonts, templates
            rows = [("report.gather_12_turns", median_ms(gather, repeats), "ms"),
                    ("report.html_12_turns", median_ms(html, repeats), "ms"),
                    ("report.pdf_12_turns", median_ms(pdf, pdf_repeats), "ms"),
                    ("report.pdf_12_turns (CPU)",
                     median_ms(pdf, pdf_repeats, clock=time.process_time), "ms")]
            out = Path(tmp) / "report.pdf"
            out.write_bytes(pdf())
            rows.append(("report.pdf_12_turns pages", float(len(PdfReader(out).pages)),
                         "pages"))
            rows.append(("report.pdf_12_turns size", out.stat().st_size / 1024.0, "KiB"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    import sys

    from benchmarks.timing import main

    sys.exit(main(bench, "report benchmarks", 3))
