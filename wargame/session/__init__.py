"""The game-session layer: an exercise as a use case, on top of the engine and the store.

Layers (import-linter holds them): ui > analysis | report > session > store | engine >
scenario. The store keeps SQLite alone; this package drives the engine and decides who may
do and see what.

Modules (each one job):

- ``exercise``: ``Exercise``, one session turn by turn (create/open, the turn's commands,
  facilitator tools, history); every command goes through the phase table and the PIN;
- ``phases``: THE table of phases, commands and next phases; who gives each command;
  ``allowed_commands(phase, paused, viewer)`` for the app's actions;
- ``events``: event kinds and their typed payloads (a discriminated union on the kind),
  each with its visibility; ``LoggedEvent``;
- ``visibility``: viewers (facilitator, a team, the public), ``Visibility`` (data stored
  with each event) and ``may_see``, the one rule;
- ``views``: ``view_for(viewer)``: state, log, results and orders as a viewer may see them;
- ``folding``: a turn's events -> the engine's inputs (shared by play and replay);
- ``replay``: re-folding the log against every snapshot, trusting no stored hash;
- ``transfer``: verified import, export with the open turn's sealed orders redacted;
- ``headless``: THE headless game loop (``wargame simulate`` with and without ``--db``);
- ``injects``: the inject board (upcoming, due, fired, retracted), each inject once;
- ``notes``: notes with their current text (edits and deletions are events);
- ``hotwash``: the after-exercise hot wash (an event payload; the report reads it);
- ``access``: ``AccessKey`` (proof of a PIN) and ``unlock_key``;
- ``pin_guard``: ``PinGuard``, a growing delay after wrong PINs (app and CLI alike);
- ``lock``: ``SessionLock`` (acquire, heartbeat, take over, release) and the take-over
  question;
- ``clock``: the orders clock, counting only while an app has the session open and the
  exercise is not paused;
- ``errors``: ``ExerciseError`` and its kinds (``PinRequired``, ``SessionChanged``,
  ``ReadOnlySession``, ``InjectAlreadyDue``, ``OrdersRejected``);
- ``commands``: the session CLI (``sessions``, ``replay``, ``rewind``, ``fork``,
  ``export``, ``import``).

This package imports nothing heavy at import time, so a CLI command pays only for what it
uses.
"""
