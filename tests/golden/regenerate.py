"""Record the golden master (``golden_master.json``) from the engine as it is now.

    python -m tests.golden.regenerate        (from the repository root)

Run it after bumping ``ENGINE_MODEL_VERSION`` (wargame/engine/version.py) for an intended
change of outcomes, or after editing a scenario the golden games play; commit the JSON.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_games import GAMES, MASTER, play  # noqa: E402


def main() -> int:
    from wargame.engine import ENGINE_MODEL_VERSION

    record = {"engine_model_version": ENGINE_MODEL_VERSION,
              "games": {game.name: play(game) for game in GAMES}}
    MASTER.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    turns = sum(len(g["turns"]) for g in record["games"].values())
    print(f"wrote {MASTER} ({len(GAMES)} games, {turns} turns, "
          f"ENGINE_MODEL_VERSION {ENGINE_MODEL_VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
