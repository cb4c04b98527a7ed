"""Check a rule file and a data file without producing results."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .api.assessment import load_assessment
from .data import load_data
from .run import run_assessment


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
            f"rules OK: {self.rules_path} ({self.indicators} indicators in {self.groups} groups, "
            f"{self.adjustments} adjustment rules, {self.outcomes} outcomes)",
            f"data OK: {self.data_path} ({self.units} units)",
            "scoring OK: every unit could be scored, ranked and classified",
        ]
        if self.silent_rules:
            lines.append("note: these adjustment rules fire for no unit: " + ", ".join(self.silent_rules))
        return lines


def validate_files(rules_path: str | Path, data_path: str | Path) -> ValidationReport:
    """Load and check both files and dry-run the scoring; raises a ZonescoreError on any problem."""
    assessment = load_assessment(rules_path)
    data = load_data(assessment, data_path)
    result = run_assessment(assessment, data)
    fired = result.adjustments.fired
    fired_rules = tuple(r for r in fired.columns if fired[r].any())
    silent = tuple(r for r in fired.columns if not fired[r].any())
    return ValidationReport(str(rules_path), str(data_path), len(assessment.leaves), len(assessment.groups),
                            len(assessment.spec.adjustments), len(assessment.spec.outcomes), len(data),
                            fired_rules, silent)
