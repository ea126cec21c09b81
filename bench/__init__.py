"""Load benchmarks; each prints its figures."""
