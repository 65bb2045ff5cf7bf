"""Speed and memory figures for `make bench` (see run.py)."""
