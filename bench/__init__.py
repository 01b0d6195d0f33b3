"""Benchmark harness and the synthetic national dataset; see docs/benchmarks.md."""
