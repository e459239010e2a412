"""How a build uses both cores: one rule for forking, one pool, one task beside the main work.

A reader can skip this package to understand a build: every function here gives the
same result as calling the work directly in this process, only sooner.

forking.py    the rule: fork only where it is safe and useful (never beside other threads)
pool.py       ``map_ranges``: forked workers over ranges of item numbers (validation, rendering)
aside.py      ``Aside``: one task in a forked child while the caller goes on (the data exports)
collector.py  Python's cycle collector paused during a build, frozen in each worker

Workers inherit their inputs through fork (the Site, files, routes and compiled
templates are never pickled); a task is a range of numbers and only results come back.
"""

from .aside import Aside, AsideFailed
from .forking import can_fork
from .pool import map_ranges

__all__ = ["Aside", "AsideFailed", "can_fork", "map_ranges"]
