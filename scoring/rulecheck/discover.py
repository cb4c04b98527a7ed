"""Which scenario files ``zonescore test`` runs: the given files, else every ``*.tests.yaml`` under rules/."""
from __future__ import annotations

from pathlib import Path

from ..errors import OptionError, Problem
from ..messages import tr
from .scenario_file import scenario_path_of_rules

SUFFIX = ".tests.yaml"


def scenario_files(given: tuple[str, ...], root: str = "rules") -> list[Path]:
    """A rule file given stands for its scenario file (NAME.yaml -> NAME.tests.yaml)."""
    if not given:
        found = sorted(Path(root).rglob(f"*{SUFFIX}"))
        if not found:
            raise OptionError(tr("No scenario files found"), [Problem(
                tr("no file named *.tests.yaml under {root}", root=root), field="FILES",
                expected=tr("a scenario file next to its rule file, e.g. rules/qingpu-2023.tests.yaml"))])
        return found
    paths, problems = [], []
    for name in given:
        path = Path(name)
        if not name.endswith(SUFFIX) and path.suffix in (".yaml", ".yml"):
            path = scenario_path_of_rules(path)
        if not path.is_file():
            problems.append(Problem(tr("no such scenario file"), file=str(path), field="FILES",
                                    expected=tr("a scenario file next to its rule file, e.g. "
                                                "rules/qingpu-2023.tests.yaml")))
        paths.append(path)
    if problems:
        raise OptionError(tr("No scenario files found"), problems)
    return paths
