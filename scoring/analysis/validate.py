"""Check a rule file and a data file without producing results."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..api.assessment import load_assessment
from ..io.data import load_data
from ..engine.run import run_assessment


@dataclass(frozen=True)
class ValidationReport:
    rules_path: str
    data_path: str
    indicators: int
    groups: int
    adjustments: int
    outcomes: int
    units: int
    fired_rules: tuple[str, ...]
    silent_rules: tuple[str, ...]

    def lines(self) -> list[str]:
        lines = [
            f"rules OK: {self.rules_path} ({_count(self.indicators, 'indicator')} in "
            f"{_count(self.groups, 'group')}, "
            f"{_count(self.adjustments, 'adjustment rule')}, {_count(self.outcomes, 'outcome')})",
            f"data OK: {self.data_path} ({self.units} units)",
            "scoring OK: every unit could be scored, ranked and classified",
        ]
        if self.silent_rules:
            lines.append("note: these adjustment rules fire for no unit: " + ", ".join(self.silent_rules))
        return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def validate_files(rules_path: str | Path, data_path, sheet: str | None = None,
                   engine: str = "auto") -> ValidationReport:
    """Load and check the rule file and the data file(s) and dry-run the scoring.

    ``data_path`` is one path or several (joined on the unit id). Raises a ZonescoreError on any problem.
    """
    assessment = load_assessment(rules_path)
    data = load_data(assessment, data_path, sheet)
    result = run_assessment(assessment, data, engine)
    fired = result.adjustments.fired
    fired_rules = tuple(r for r in fired.columns if fired[r].any())
    silent = tuple(r for r in fired.columns if not fired[r].any())
    data_text = ", ".join(path for path, _ in data.sources)
    return ValidationReport(str(rules_path), data_text, len(assessment.leaves), len(assessment.groups),
                            len(assessment.spec.adjustments), len(assessment.spec.outcomes), len(data),
                            fired_rules, silent)
