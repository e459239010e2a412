"""The score of `make mutate`, module by module, and the surviving mutants not yet explained.

Reads mutmut's results (mutants/**/*.py.meta) after `mutmut run`. A mutant is *killed* when a
test failed or timed out with it; it *survived* when every test that reaches it passed; it has
*no tests* when no selected test calls its function. Each survivor must be either killed by a
new test or named in docs/testing.md (under "Surviving mutants") with why it is equivalent or
harmless: the script lists those that are not and exits 1 if there are any.

    .venv/bin/python tests/mutation_score.py            # the table, and the unexplained survivors
    .venv/bin/python tests/mutation_score.py --all      # every survivor, explained or not
    .venv/bin/python tests/mutation_score.py --results DIR   # results copied elsewhere (*.py.meta)
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
DOC = ROOT / "docs" / "testing.md"
KILLED = {"killed", "timeout"}


def statuses(results: Path = MUTANTS) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    found = {}
    for meta in sorted(results.rglob("*.py.meta")):
        for name, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items():
            found[name] = status_by_exit_code[code]
    return found


def module_of(mutant: str) -> str:
    return mutant.split(".x_", 1)[0].split(".xǁ", 1)[0]


def explained() -> set[str]:
    """Mutant names written in docs/testing.md (each in backquotes, the module's name left out or not)."""
    text = DOC.read_text("utf-8") if DOC.is_file() else ""
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", text))


def is_explained(mutant: str, names: set[str]) -> bool:
    short = mutant.split(".x_", 1)[-1] if ".x_" in mutant else mutant.split(".xǁ", 1)[-1]
    return mutant in names or f"x_{short}" in names or short in names or f"xǁ{short}" in names


def main(argv: list[str]) -> int:
    results = Path(argv[argv.index("--results") + 1]) if "--results" in argv else MUTANTS
    found = statuses(results)
    if not found:
        print("No results: run `make mutate` first.", file=sys.stderr)
        return 2
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in found.items():
        by_module[module_of(name)][status] += 1
    names = explained()
    print(f"{'module':45} {'mutants':>8} {'killed':>7} {'survived':>9} {'no tests':>9} {'score':>7}")
    total: Counter = Counter()
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        print(_row(module, counts))
    print(_row("all", total))
    survivors = sorted(n for n, s in found.items() if s == "survived" or s == "no tests")
    unexplained = [n for n in survivors if not is_explained(n, names)]
    shown = survivors if "--all" in argv else unexplained
    if shown:
        print(f"\n{'Survivors' if '--all' in argv else 'Survivors not explained in docs/testing.md'} ({len(shown)}):")
        for name in shown:
            print(f"  {name}  [{found[name]}]")
    not_checked = sum(1 for s in found.values() if s not in KILLED | {"survived", "no tests"})
    if not_checked:
        print(f"\n{not_checked} mutants were not checked (the run was interrupted?)")
    return 1 if unexplained or not_checked else 0


def _row(module: str, counts: Counter) -> str:
    killed = sum(counts[s] for s in KILLED)
    total = sum(counts.values())
    return (
        f"{module:45} {total:8} {killed:7} {counts['survived']:9} {counts['no tests']:9} {100 * killed / total:6.1f}%"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
