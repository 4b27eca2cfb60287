"""claimcheck benchmark: run `python bench/run.py` (see docs/performance.md)."""
