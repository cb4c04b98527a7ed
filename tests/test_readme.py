"""The README's output excerpt is real: every line it quotes is in today's `zonescore run` output."""
from __future__ import annotations

import os
import re

from click.testing import CliRunner

from cli import main
from conftest import ROOT


def test_readme_excerpt_is_real_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"Output of `zonescore run` \(excerpt; 39 zones\):\n\n```\n(.*?)```", readme, re.S).group(1)
    quoted = [line for line in block.splitlines() if line.strip() and line.strip() != "..."]
    cwd = os.getcwd()
    os.chdir(ROOT)  # the README runs it from the repository root, with the default files
    try:
        result = CliRunner().invoke(main, ["run"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    produced = result.output.splitlines()
    assert [line for line in quoted if line not in produced] == []
    assert len(quoted) >= 10
