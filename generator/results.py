"""What the stages hand to the commands: the values between ``pipeline``'s stages and its callers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .incremental.state import Next
from .model import OutputFile, Site
from .output.search import SearchStats
from .problems import Problem

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) during long builds."""


@dataclass(frozen=True)
class Loaded:
    """The content read, validated and linked: a Site, or None when there are errors."""

    site: Site | None
    problems: tuple[Problem, ...]
    files: int = 0
    hashes: Mapping[str, str] = field(default_factory=dict)
    """Content hash of each entry and archetype, by key (``programs/x``)."""


@dataclass(frozen=True)
class Rendered:
    """Every output file of a build, made from a Site."""

    files: tuple[OutputFile, ...]
    """Files made in this build (without those a sink already placed)."""
    kept: tuple[str, ...]
    """Files unchanged since the previous build, kept from the output folder."""
    problems: tuple[Problem, ...]
    pages: int
    state: Next | None = None
    """What the next build may reuse; saved once this build's output is in place."""
    placed: tuple[str, ...] = ()
    """Files the sink placed in the work folder as they were made."""
    placed_written: int = 0
    """How many of those had new bytes."""


@dataclass(frozen=True)
class BuildResult:
    problems: tuple[Problem, ...]
    ok: bool
    pages: int = 0
    entries: int = 0
    files: int = 0
    written: int = 0
    seconds: float = 0.0
    search: SearchStats | None = None
    site: Site | None = field(default=None, compare=False)
