"""Every limit that protects the program from a hostile or careless file, in one place.

Files are treated as hostile: a scenario, an orders file or a session export is read only
when it is a regular file below a size limit, its YAML/JSON may not expand or nest beyond
what any real file needs, and every number and text in it must be finite and of sensible
size. The values are chosen far above what a real exercise needs (the shipped scenario is
155 KiB, about 12,800 YAML values, nested 7 deep) so that no designer meets them, and far
below what would hurt (each refusal takes well under 2 s and 100 MB).

``scenarios/README.md`` ("Limits") documents them for designers; change both together.
"""
from __future__ import annotations

KiB = 1024
MiB = 1024 * KiB

# ---- files (checked before reading: a larger file, a device or a FIFO is refused)
MAX_SCENARIO_BYTES = 2 * MiB  # the shipped scenario is 155 KiB
MAX_ORDERS_BYTES = 2 * MiB  # 200 turns x 10 teams x 5 orders of ~150 bytes is 1.5 MiB
# a session export holds a state snapshot per turn: ~80 KiB a turn for the shipped
# scenario (a 12-turn game exports to 1 MiB), so 200 turns with archived branches fit
MAX_IMPORT_BYTES = 64 * MiB

# ---- YAML structure (counted while building, so an alias bomb stops early)
# scalars + lists + mappings, each alias counted at full size (the shipped scenario: 12,800;
# reading stops at once past it, so a refusal costs at most ~1 s of parsing)
MAX_YAML_VALUES = 150_000
MAX_NESTING = 64  # lists/mappings inside each other (the shipped scenario: 7; JSON too)

# ---- text (characters)
MAX_NAME_CHARS = 200  # names, titles, labels, ids used as words, short values
MAX_TEXT_CHARS = 20_000  # descriptions, briefings, inject texts, notes, citations
MAX_ID_CHARS = 64  # ids (letters, digits, '_' or '-', starting with a letter)
# Bidirectional-override and -isolate controls reorder what is displayed (a name could
# read differently from what it is); refused in names and ids.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# ---- numbers (every number must also be finite: NaN and infinity are refused)
MAX_TONNES = 1e9  # capacity, output, demand (t/yr), stocks and order tonnages (t)
MAX_DAYS = 3_650.0  # stocks given in days of use: ten years
MAX_USD_PER_KG = 1e7  # prices and price floors
MAX_BUDGET_USD_M = 1e7  # budgets and costs, USD million (ten trillion dollars)
MAX_POLITICAL_CAPITAL = 1e6
MAX_YEARS = 100.0  # lead times
MAX_ELASTICITY = 100.0  # price elasticity of demand (must be above 0)
MAX_MAGNITUDE = 1e12  # any other number: weights, parameter bounds, effect arguments
MAX_TURNS = 1_000  # turns of an order, inject or duration (a scenario has at most 200)
MAX_PRIORITY = 1_000  # sector priority (1 = served first)
MAX_SEED = 2**63  # seeds are whole numbers in [0, 2**63)

# ---- what is printed
MAX_PROBLEMS_SHOWN = 200  # problems listed per file; the rest are counted
