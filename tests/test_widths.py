"""Terminal tables that fit: no line wider than the terminal, no cell broken, colour only when asked.

Every table command (run, run --explain, whatif, robustness, warnings, commended) on the shipped
Chinese rule file and an English twin of it, at 60, 80 and 120 columns (``--width``, as the
terminal's width would be): every line at most that many display cells (wcwidth: a Chinese
character is two), one line per unit, numbers whole ("+4.00" never split), a footer line naming
the columns left out. Piped output without ``--width`` keeps the full table (tests/golden), and
``--wide`` always does.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth

from cli import main
from scoring.report.fitting import Layout, display_width, fit_table, truncate, wrap_line

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (60, 80, 120)
COMMANDS = {
    "run": ("run",),
    "run-explain": ("run", "--explain"),
    "whatif": ("whatif", "--weight", "growth=50"),
    "robustness": ("robustness", "--draws", "100", "--seed", "7"),
    "warnings": ("warnings",),
    "commended": ("commended",),
}
ROWS = {"run": 39, "run-explain": 39, "whatif": 39, "robustness": 39, "warnings": 5, "commended": 12}
ENGLISH = {"title": "Qingpu 2023 economic zones assessment", "unit": "zone",
           "groups": {"growth": "Growth", "households": "Households", "quality": "Quality"},
           "outcomes": {"commended": "Commended", "warned": "Warning"}}


def english_rules(path: Path) -> Path:
    """The shipped rule file with an English title, group and outcome labels (so English words)."""
    doc = yaml.safe_load((ROOT / "rules" / "qingpu-2023.yaml").read_text(encoding="utf-8"))
    doc.pop("labels", None)
    doc["title"], doc["unit"] = ENGLISH["title"], ENGLISH["unit"]
    for group in doc["indicators"]:
        group["label"] = ENGLISH["groups"][group["id"]]
    for outcome in doc["outcomes"]:
        outcome["label"] = ENGLISH["outcomes"][outcome["id"]]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    where = tmp_path_factory.mktemp("widths")
    shutil.copytree(ROOT / "rules", where / "rules")
    shutil.copy(ROOT / "zones.csv", where / "zones.csv")
    english_rules(where / "rules" / "english.yaml")
    return where


RULES = {"zh": "rules/qingpu-2023.yaml", "en": "rules/english.yaml"}


def invoke(repo: Path, *args: str):
    previous = os.getcwd()
    os.chdir(repo)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result


@pytest.fixture(scope="module")
def outputs(repo):
    """stdout of every command, rule file and width (one run each, shared by the tests)."""
    found = {}
    for name, args in COMMANDS.items():
        for lang, rules in RULES.items():
            for width in (*WIDTHS, None):
                extra = ("--width", str(width)) if width else ()
                found[name, lang, width] = invoke(repo, *args, "--rules", rules, "--data", "zones.csv",
                                                  *extra).stdout
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", RULES)
@pytest.mark.parametrize("name", COMMANDS)
def test_no_line_is_wider_than_the_terminal(outputs, name, lang, width):
    text = outputs[name, lang, width]
    too_wide = [line for line in text.splitlines() if wcswidth(line) > width]
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", RULES)
@pytest.mark.parametrize("name", COMMANDS)
def test_one_line_per_unit_and_cells_whole(outputs, name, lang, width):
    text = outputs[name, lang, width]
    full = outputs[name, lang, None]
    rows = [line for line in text.splitlines() if re.match(r"^(Z\d\d +)?\s*\d+  ", line)]
    assert len(rows) == ROWS[name]
    # every number of a fitted row is a number of the full table's row for the same unit
    full_rows = [line for line in full.splitlines() if re.match(r"^(Z\d\d +)?\s*\d+  ", line)]
    for fitted, whole in zip(rows, full_rows):
        pattern = r"[+-]?\d+\.\d+%?|\d+–\d+"
        numbers, complete = re.findall(pattern, fitted), re.findall(pattern, whole)
        assert all(number in complete for number in numbers), (fitted, whole)


def test_piped_output_keeps_the_full_table(outputs, repo):
    assert outputs["run", "zh", None] == (ROOT / "tests" / "golden" / "run.table").read_text(encoding="utf-8")
    wide = invoke(repo, "run", "--rules", RULES["zh"], "--width", "60", "--wide").stdout
    assert wide == outputs["run", "zh", None]
    assert max(map(wcswidth, outputs["run", "zh", None].splitlines())) == 104  # wider than 80: not fitted


def test_full_width_table_is_unchanged_when_it_fits(outputs):
    table = outputs["run", "zh", None]
    assert outputs["run", "zh", 120] == table  # 104 columns fit in 120: the same text, byte for byte


def test_footer_names_the_columns_left_out(outputs):
    assert "另有 1 列未显示（所属单位），加 --wide 显示全部" in outputs["run", "zh", 80]
    assert "+4.00" in outputs["run", "zh", 80] and "所属单位" not in outputs["run", "zh", 80].split("\n\n")[1]
    assert "3 more column(s) not shown (所属单位, Households, Quality);\n  add --wide to show all" in \
        outputs["run", "en", 80]
    explained = outputs["run-explain", "zh", 80]
    assert "另有 5 列未显示（所属单位、增速、户数、质量、加减分），加 --wide 显示全部" in explained
    assert "原因列已截短（…），加 --wide 显示全文" in explained
    assert "  违规返税一票否决\n" in explained  # a reason that fits is whole
    assert "未显示" not in outputs["run", "zh", 120]


def test_exact_narrow_run_table(outputs):
    lines = outputs["run", "zh", 60].splitlines()
    assert lines[:5] == [
        "青浦区2023年度经济小区招商服务管理考核",
        "",
        "排名  经济小区                  加减分    总分  考核结果",
        "----  ------------------------  ------  ------  --------",
        "   1  青浦工业园区第一经济小区   +4.00  103.03  表彰",
    ]
    assert lines[-2:] == ["另有 4 列未显示（所属单位、增速、户数、质量），加 --wide",
                          "  显示全部"]


def test_whatif_narrow_headers(outputs):
    table = outputs["whatif", "zh", 80].split("\n\n")[2]
    assert table.splitlines()[0].split() == ["现排名", "经济小区", "排名变化", "现总分", "原考核结果", "现考核结果"]
    english = outputs["whatif", "en", 80].split("\n\n")[2]
    assert english.splitlines()[0].split()[:4] == ["Rank", "now", "zone", "Change"]


def test_interface_language_changes_no_table(repo):
    args = ("run", "--explain", "--rules", RULES["en"], "--width", "80")
    assert invoke(repo, "--lang", "zh", *args).stdout == invoke(repo, "--lang", "en", *args).stdout


def test_no_colour_when_piped_or_in_files(outputs, repo, tmp_path):
    assert all("\x1b[" not in text for text in outputs.values())


def test_colour_only_when_asked():
    from scoring.engine.run import run_files
    from scoring.report.render import render_run

    result = run_files(ROOT / "rules" / "qingpu-2023.yaml", ROOT / "zones.csv")
    plain = render_run(result, layout=Layout(80))
    coloured = render_run(result, layout=Layout(80, colour=True))
    assert "\x1b[" not in plain
    assert re.sub(r"\x1b\[\d*m", "", coloured) == plain
    lines = coloured.splitlines()
    first = next(line for line in lines if "青浦工业园区第一经济小区" in line)
    last = next(line for line in lines if "重固第一经济小区" in line)
    middle = next(line for line in lines if "新城发展集团经济小区" in line)
    assert first.startswith("\x1b[32m") and last.startswith("\x1b[31m") and "\x1b[" not in middle


def test_terminal_layout_decides(monkeypatch):
    from cli_commands.common import terminal_layout

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=None: os.terminal_size((100, 30)))
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert terminal_layout(None) == Layout(99, True)  # one column spare: Windows consoles wrap a full line
    assert terminal_layout(None, wide=True) == Layout(None, True)
    assert terminal_layout(None, width=70) == Layout(70, True)
    assert terminal_layout("out.txt") == Layout(None, False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_layout(None) == Layout(99, False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    monkeypatch.delenv("NO_COLOR")
    assert terminal_layout(None) == Layout(None, False)
    assert terminal_layout(None, width=70) == Layout(70, False)


def test_truncate_counts_display_cells():
    assert truncate("青浦工业园区", 7) == "青浦工…"
    assert display_width(truncate("青浦工业园区", 7)) == 7
    assert truncate("abcdef", 4) == "abc…" and truncate("abc", 4) == "abc"


def test_fit_table_drops_in_order_then_shrinks():
    headers = ["a", "name", "extra", "reason"]
    columns = [["1"], ["青浦工业园区"], ["xxxxxxxxxx"], ["a long reason text"]]
    align = ["right", "left", "left", "left"]
    fitted = fit_table(headers, columns, align, 30, drop=(2,), shrink=(3, 1))
    assert fitted.hidden == ["extra"] and fitted.shortened == ["reason"]
    assert fitted.columns == [["1"], ["青浦工业园区"], ["a long reaso…"]]
    assert fit_table(headers, columns, align, None, drop=(2,)).columns == columns


TEXT = st.text(st.sampled_from(list("ab c1+-.") + list("青浦区经济小区、，（）")), max_size=120)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(8, 100))
def test_wrapped_lines_fit_and_keep_every_character(text, width):
    lines = wrap_line(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(line for line in lines).replace(" ", "") == text.replace(" ", "")


def test_whatif_rows_whose_outcome_changed_stand_out():
    from scoring.analysis.whatif import whatif_of
    from scoring.engine.run import run_files
    from scoring.report.whatif_render import render_comparison

    baseline = run_files(ROOT / "rules" / "qingpu-2023.yaml", ROOT / "zones.csv")
    text = render_comparison(whatif_of(baseline, {"growth": 50}, keep_total=True), layout=Layout(80, colour=True))
    changed = [line for line in text.splitlines() if line.startswith("\x1b[33m\x1b[1m")]
    assert len(changed) == 2 and "青浦工业园区第三经济小区" in changed[0] and "青浦工业园区第四经济小区" in changed[1]


def test_a_list_leaves_out_the_distance_rather_than_keep_an_unreadable_reason(outputs):
    lines = outputs["warnings", "zh", 60].splitlines()
    assert lines[2].split() == ["排名", "经济小区", "总分", "原因"]
    assert lines[4] == "  28  金泽第一经济小区    79.68  税收大幅下滑强制预警；薄弱…"
    assert lines[-3:] == ["另有 3 列未显示（编号、所属单位、距预警提示线），加 --wide", "  显示全部",
                          "原因列已截短（…），加 --wide 显示全文"]
    assert outputs["warnings", "zh", 80].splitlines()[2].split()[3] == "距预警提示线"


def test_files_get_the_full_table_without_colour(repo, outputs, tmp_path):
    target = tmp_path / "whatif.txt"
    invoke(repo, "whatif", "--weight", "growth=50", "--rules", RULES["zh"], "--width", "60", "--out", str(target))
    assert target.read_text(encoding="utf-8") == outputs["whatif", "zh", None]


CELLS = st.text(st.sampled_from(list("ab1.+-") + list("青浦区")), max_size=14)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(
    st.lists(CELLS.filter(bool), min_size=n, max_size=n),
    st.lists(st.lists(CELLS, min_size=n, max_size=n), min_size=1, max_size=4))), st.integers(20, 70))
def test_any_table_fits_any_width(table, width):
    from scoring.report.formatting import Shape, terminal_report

    headers, rows = table
    columns = [list(column) for column in zip(*rows)]
    align = ["left", "right"] * 3
    shape = Shape(drop=tuple(range(len(headers) - 1, 1, -1)), shrink=(1, 0))
    text = terminal_report("t", headers, None, align[:len(headers)], ["footer"], columns, "-", Layout(width), shape)
    assert all(display_width(line) <= width for line in text.splitlines())
