"""Benchmarks: printed figures with ratios to baselines measured in the same run."""
