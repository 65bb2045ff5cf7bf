"""The game-session layer: an exercise as a use case, on top of the engine and the store.

Modules (each one job):

- ``phases``: THE table of phases, commands and next phases; who may give each command;
  ``allowed_commands(phase, paused, viewer)`` for the app's actions;
- ``visibility``: viewers (facilitator, a team, the public) and the visibility each event
  carries as data; ``may_see``, the one rule;
- ``pin_guard``: ``PinGuard``, a growing delay after wrong PINs (app and CLI alike);
- ``lock``: ``SessionLock``, the app's hold on a session (acquire, heartbeat, take over,
  release) and the take-over question;
- ``clock``: the orders clock, counting only while an app has the session open and the
  exercise is not paused.

This package imports nothing heavy at import time, so a CLI command pays only for what it
uses.
"""
