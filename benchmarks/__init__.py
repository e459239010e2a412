"""Benchmarks of the catalog generator: a corpus generator and a timing harness.

``python -m benchmarks corpus`` writes a valid project of any size,
``python -m benchmarks run`` times `catalog build` on it (and Hugo on the same
entries when it is installed), ``python -m benchmarks profile`` shows where a
cold build spends its time. See benchmarks/README.md.
"""
