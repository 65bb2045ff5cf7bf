"""What the room reads, built from committed results alone and free of Qt, so every screen
and every document words a turn the same way.

- the app's panels (HTML fragments, typed inputs): ``panels`` (debrief, projector),
  ``briefing`` (the world panel), ``team_panel`` (a team's own view), ``map_panels`` (the
  map's details), ``sources`` (numbers with their source on hover); ``revealed`` makes the
  typed ``RevealedTurn`` they read, from the live record (``revealed_turn``) or from a
  report's ``TurnRecord`` (``revealed_from_turn``, the replay browser);
- the after-action report, made from the store alone (``wargame report``, File > Export):
  ``gather.build_report`` reads a session through the session layer (``view_for``: each
  edition, the facilitator's, a team's or the public one, holds what its reader may see)
  into the typed ``model.AfterActionReport``: ``timeline`` (the turns), ``event_lines``
  (the log in words), ``branches`` (fork lineage, other lines of play side by side),
  ``annex`` (baseline figures with sources), ``hotwash`` (the improvement plan, written by
  the session's one writer); ``html_report`` renders it with Jinja2 (``templates/``) and
  the ``charts`` (matplotlib, SVG); ``pdf`` lays the HTML out with WeasyPrint; ``tables``
  makes the tidy tables and ``spreadsheets`` writes them as CSV or xlsx;
  ``export.write_report`` is the one entry point; ``commands`` the CLI, whose
  ``report_analysis`` default is where other parts add sections (``wargame.report_analysis``:
  ``--luck``).

Importing this package imports nothing heavy: each module loads its libraries itself.
"""
