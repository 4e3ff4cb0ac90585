"""Benchmark and evaluation scripts (a package so ``from bench import ...`` resolves here,
not to bench/bench.py, whichever script is run)."""
