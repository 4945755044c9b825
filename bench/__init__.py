"""Benchmark harness: a data generator, a load driver and a hand-written SQL floor to compare
against. Benchmarks measure; tests never time anything."""
