"""Where a result came from: hashes of the rule and data files, tool version, unit count, run id.

No wall-clock time unless asked for (:func:`stamp`, ``--timestamp``), so that identical inputs
give byte-identical output; the time never enters the run id.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from .. import __version__
from .words import WORDS


@dataclass(frozen=True)
class Provenance:
    """Identifies a run; identical inputs give an identical run id (no wall-clock time)."""

    rules_file: str
    rules_sha256: str
    data_files: tuple[tuple[str, str], ...]  # (path, sha256)
    tool_version: str
    unit_count: int
    timestamp: str | None = None  # ISO 8601, only when asked for
    engine: str | None = None  # the backend that evaluated the rule conditions

    @property
    def run_id(self) -> str:
        parts = [self.rules_sha256, *(digest for _, digest in self.data_files), self.tool_version,
                 str(self.unit_count)]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "tool_version": self.tool_version,
            "rules": {"file": self.rules_file, "sha256": self.rules_sha256},
            "data": [{"file": path, "sha256": digest} for path, digest in self.data_files],
            "units": self.unit_count,
            **({"engine": self.engine} if self.engine else {}),
            **({"timestamp": self.timestamp} if self.timestamp else {}),
        }

    def lines(self, word: dict[str, str] | None = None) -> list[str]:
        """Short human-readable lines for table footers, in the words of :func:`scoring.report.words.words`
        (English when ``word`` is not given)."""
        word = word or WORDS["en"]
        data = ", ".join(f"{path} sha256:{digest[:12]}" for path, digest in self.data_files)
        lines = [word["provenance_run"].format(run_id=self.run_id, version=self.tool_version, units=self.unit_count),
                 word["provenance_files"].format(rules=self.rules_file, sha256=self.rules_sha256[:12], data=data)]
        return lines + ([word["provenance_time"].format(timestamp=self.timestamp)] if self.timestamp else [])


def provenance_of(result) -> Provenance:
    """Provenance of a :class:`scoring.engine.run.RunResult`."""
    previous = getattr(result.data, "previous", None)  # earlier final runs read from the history store
    sources = tuple(result.data.sources) + (tuple(previous.sources) if previous is not None else ())
    return Provenance(result.assessment.path, result.assessment.sha256, sources,
                      __version__, len(result.data), result.timestamp, getattr(result, "engine", None))


def stamp(result, moment: datetime | None = None) -> None:
    """Record the wall-clock time (local, ISO 8601 to the second) in ``result``'s provenance."""
    moment = moment or datetime.now().astimezone()
    result.timestamp = moment.isoformat(timespec="seconds")
