"""No input is ever overwritten by an output, and every output is escaped for its format.

One small assessment (3 units) in tmp_path; every command runs through click's CliRunner.

    unit  name                               a (w60)  b (w40)  total
    U1    Alpha                              60       20       80    Top
    U2    a|b<script>x</script>&c\\d         30       40       70
    U3    =1+2                               48       10       58    Low
"""
from __future__ import annotations

import json
import math
import os
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from scoring.errors import OptionError
from scoring.report.formatting import json_number, json_text, markdown_text, render_report
from scoring.io.outputs import OutputError, save
from scoring.io.workbook import Sheet, write_workbook

RULES = {
    "id": "safety", "title": "Safety", "id_column": "id", "name_column": "name", "inputs": {"x": {}, "y": {}},
    "indicators": [
        {"id": "a", "label": "A", "weight": 60, "value": "x", "method": {"type": "target", "target": 100}},
        {"id": "b", "label": "B", "weight": 40, "value": "y", "method": {"type": "target", "target": 100}}],
    "outcomes": [{"id": "top", "label": "Top", "top": 1}, {"id": "low", "label": "Low", "bottom": 1}],
}
HOSTILE = "a|b<script>x</script>&c\\d"
DATA = f"id,name,x,y\nU1,Alpha,100,50\nU2,{HOSTILE},50,100\nU3,=1+2,80,25\n"
BASE = ["--rules", "rules.yaml", "--data", "data.csv"]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(RULES, sort_keys=False), encoding="utf-8")
    (tmp_path / "data.csv").write_text(DATA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args):
    return CliRunner().invoke(main, list(args))


def ok(*args):
    result = cli(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def refused(result, message: str) -> None:
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.stderr == message
    assert "Traceback" not in result.output


def input_message(out: str, option: str, source: str) -> str:
    return (f"Error: Refusing to write {out}: it is an input of this command\n"
            f"  - {out}: --out: the output would replace an input file (--force does not change this) "
            f"(found the same file as {option} {source}; expected another file name)\n")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file() and not p.is_symlink()}


# --- 1. no input is ever overwritten ----------------------------------------------------------------


@pytest.mark.parametrize("command", [["run"], ["warnings"], ["robustness", "--draws", "5"],
                                     ["whatif", "--weight", "a=50"]])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_out_onto_the_data_file_is_refused(workdir, command, force):
    (workdir / "sub").mkdir()
    (workdir / "link.csv").symlink_to("data.csv")
    os.link(workdir / "data.csv", workdir / "hard.csv")  # the same file under another name
    before = snapshot(workdir)
    for out in ("data.csv", "link.csv", "sub/../data.csv", str(workdir / "data.csv"), "hard.csv"):
        refused(cli(*command, *BASE, "--out", out, *force), input_message(out, "--data", "data.csv"))
    assert snapshot(workdir) == before


def test_out_onto_the_rule_file_or_against_file_is_refused(workdir):
    before = snapshot(workdir)
    refused(cli("run", *BASE, "--out", "rules.yaml", "--force"), input_message("rules.yaml", "--rules", "rules.yaml"))
    (workdir / "proposal.md").write_text("## a proposal kept as Markdown\n", encoding="utf-8")
    before["proposal.md"] = (workdir / "proposal.md").read_bytes()
    refused(cli("whatif", *BASE, "--against", "proposal.md", "--out", "proposal.md", "--force"),
            input_message("proposal.md", "--against", "proposal.md"))
    refused(cli("template", "--rules", "rules.yaml", "--data", "data.csv", "--out", "data.csv", "--force"),
            input_message("data.csv", "--data", "data.csv"))
    assert snapshot(workdir) == before


def test_existing_foreign_file_needs_force(workdir):
    (workdir / "notes.csv").write_text("my own notes\n", encoding="utf-8")
    refused(cli("run", *BASE, "--out", "notes.csv"),
            "Error: Refusing to replace notes.csv: it is not a previous output of this command\n"
            "  - notes.csv: --out: the existing file would be lost (found a file whose first line differs from "
            "this output's; expected a new file name, or --force to replace it)\n")
    assert (workdir / "notes.csv").read_text(encoding="utf-8") == "my own notes\n"
    ok("run", *BASE, "--out", "notes.csv", "--force")
    assert (workdir / "notes.csv").read_bytes().startswith("\ufeffid,Rank,unit".encode())
    (workdir / "empty.json").write_bytes(b"")  # nothing to lose
    ok("run", *BASE, "--out", "empty.json")


@pytest.mark.parametrize("name", ["r.csv", "r.json", "r.md", "r.txt", "r.xlsx"])
def test_rerun_onto_our_own_previous_output_needs_no_force(workdir, name):
    ok("run", *BASE, "--out", name)
    first = (workdir / name).read_bytes()
    ok("run", *BASE, "--out", name)
    assert (workdir / name).read_bytes() == first
    other = cli("commended", *BASE, "--out", name)  # another kind of output
    assert other.exit_code == 1 and "it is not a previous output of this command" in other.stderr
    assert (workdir / name).read_bytes() == first


def test_workbook_saved_since_by_another_program_needs_force(workdir):
    ok("template", "--rules", "rules.yaml", "--data", "data.csv", "--out", "t.xlsx")
    ok("template", "--rules", "rules.yaml", "--out", "t.xlsx")
    with zipfile.ZipFile(workdir / "t.xlsx") as book:
        core = book.read("docProps/core.xml").decode()
    # openpyxl writes the namespace on each element when lxml is installed: match the element, not the prefix form
    assert re.search(r"<dc:creator[^>]*>zonescore</dc:creator>", core)
    assert re.search(r"<dc:identifier[^>]*>zonescore:template</dc:identifier>", core)
    book = load_workbook(workdir / "t.xlsx")
    book.active["C2"] = 12.5  # a department fills the template in
    book.save(workdir / "t.xlsx")
    refused(cli("template", "--rules", "rules.yaml", "--out", "t.xlsx"),
            "Error: Refusing to replace t.xlsx: it is not a previous output of this command\n"
            "  - t.xlsx: --out: the existing file would be lost (found a zonescore workbook saved since by another "
            "program (edited?); expected a new file name, or --force to replace it)\n")
    assert load_workbook(workdir / "t.xlsx").active["C2"].value == 12.5


def test_filled_in_csv_template_needs_force(workdir):
    ok("template", "--rules", "rules.yaml", "--data", "data.csv", "--out", "t.csv")
    ok("template", "--rules", "rules.yaml", "--data", "data.csv", "--out", "t.csv")
    filled = (workdir / "t.csv").read_text(encoding="utf-8-sig").replace("U1,Alpha,,", "U1,Alpha,7,")
    (workdir / "t.csv").write_text(filled, encoding="utf-8-sig")
    result = cli("template", "--rules", "rules.yaml", "--data", "data.csv", "--out", "t.csv")
    assert result.exit_code == 1 and "(found a template with figures filled in;" in result.stderr


def test_fifo_symlink_and_directory_are_refused_even_with_force(workdir):
    os.mkfifo(workdir / "pipe.csv")
    (workdir / "link.csv").symlink_to("elsewhere.csv")  # dangling: writing would create elsewhere.csv
    for out, what in (("pipe.csv", "a named pipe (FIFO)"), ("link.csv", "a symbolic link")):
        refused(cli("run", *BASE, "--out", out, "--force"),
                f"Error: Refusing to write {out}: it is {what}\n"
                f"  - {out}: --out: only a regular file or a new name can be written (--force does not change "
                f"this) (found {what}; expected a regular file or a new name)\n")
    assert not (workdir / "elsewhere.csv").exists() and (workdir / "link.csv").is_symlink()
    (workdir / "dir.csv").mkdir()
    with pytest.raises(OptionError, match="it is a directory"):
        save(workdir / "dir.csv", b"x", force=True)


def test_extension_must_match_the_format(workdir):
    refused(cli("run", *BASE, "--format", "xlsx", "--out", "y.csv"),
            "Error: --format xlsx does not match the file name y.csv\n"
            "  - y.csv: --format/--out: the extension asks for another format (found --format xlsx, extension .csv "
            "(csv); expected --format csv, or a .xlsx file)\n")
    for command in ("run", "warnings"):
        refused(cli(command, *BASE, "--out", "x.foo"),
                "Error: Unknown output format: x.foo\n"
                "  - x.foo: --out: unknown file extension (found .foo; expected one of: .txt, .csv, .json, .md, "
                ".markdown, .xlsx)\n")
    refused(cli("template", "--rules", "rules.yaml", "--out", "t.md"),
            "Error: This command does not write markdown files: t.md\n"
            "  - t.md: --out: format not written by this command (found .md; expected one of: .xlsx, .csv)\n")
    assert sorted(p.name for p in workdir.iterdir()) == ["data.csv", "rules.yaml"]


# --- 2. Markdown ----------------------------------------------------------------------------------------


def test_markdown_cells_are_escaped(workdir):
    lines = ok("run", *BASE, "--format", "markdown").stdout.splitlines()
    assert lines[5] == "|      2 | a\\|b&lt;script&gt;x&lt;/script&gt;&amp;c\\\\d | 30.00 | 40.00 |   " \
                       "70.00 | -         |"  # no adjustments column: the rule file has no bonus (test_traps.py)
    assert all(line.count("|") - line.count("\\|") == 7 for line in lines[2:7])  # 6 columns in every row
    report = render_report("T<1>", ["h|1", "h2"], [["x\ny", "a\r\nb|c"]], ["left", "left"], ["n <&> 1"], "markdown")
    assert report.splitlines() == ["## T&lt;1&gt;", "", "| h\\|1   | h2        |", "|--------|-----------|",
                                   "| x<br>y | a<br>b\\|c |", "", "- n &lt;&amp;&gt; 1"]
    assert markdown_text("\\|") == "\\\\\\|"


def test_explain_markdown_and_json_are_escaped_and_strict(workdir):
    text = ok("explain", "U2", *BASE, "--format", "markdown").stdout
    assert "a\\|b&lt;script&gt;x&lt;/script&gt;&amp;c\\\\d" in text and "<script>" not in text
    document = json.loads(ok("explain", "U2", *BASE, "--format", "json").stdout, parse_constant=_refuse_constant)
    assert document["name"] == "a|b<script>x</script>&c\\d"


def _refuse_constant(name):
    raise ValueError(f"not strict JSON: {name}")


# --- 3. xlsx --------------------------------------------------------------------------------------------


def test_xlsx_formula_text_is_a_string_cell_without_apostrophe(workdir):
    ok("run", *BASE, "--out", "r.xlsx")
    ws = load_workbook(workdir / "r.xlsx")["Ranking"]
    cell = next(row[2] for row in ws.iter_rows(min_row=2) if row[0].value == "U3")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+2", "s", True)
    with zipfile.ZipFile(workdir / "r.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert "<f>" not in sheet and "'=1+2" not in sheet
    assert '<is><t>=1+2</t></is>' in sheet and 'quotePrefix="1"' in styles


def test_xlsx_control_character_is_a_clean_error(tmp_path):
    out = tmp_path / "x.xlsx"
    with pytest.raises(OutputError) as info:
        write_workbook(out, [Sheet("S", ["name"], [["bell\x07"]])])
    assert str(info.value) == (
        "Cannot write a workbook: 1 cell(s) hold a control character\n"
        "  - S!A2: control character U+0007 cannot be stored in .xlsx (found 'bell\\x07'; expected text without "
        "control characters (fix the input, or write .csv/.json))")
    assert not out.exists() and list(tmp_path.iterdir()) == []


# --- 4. strict JSON -------------------------------------------------------------------------------------


def _no_constants(name):
    raise AssertionError(f"not strict JSON: {name}")


@pytest.mark.parametrize("command", [["run"], ["warnings"], ["robustness", "--draws", "5"],
                                     ["whatif", "--weight", "a=50"]])
def test_json_output_is_strict(workdir, command):
    document = json.loads(ok(*command, *BASE, "--format", "json").stdout, parse_constant=_no_constants)
    assert document["assessment"]["id"] == "safety"


def test_non_finite_numbers_never_reach_json():
    assert json_text({"a": None, "b": json_number(math.nan)}) == '{\n  "a": null,\n  "b": null\n}\n'
    with pytest.raises(OutputError) as info:
        json_text({"units": [{"total": math.inf}]})
    assert str(info.value) == (
        "Internal error: a number that is not finite reached the output; nothing was written\n"
        "  - units[0].total: not a finite number (found inf; expected a finite number, or an empty cell / null for "
        "a missing value (please report this))")
    with pytest.raises(OutputError):
        json_number(-math.inf)


# --- 5. options -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["--seed", "-1"], "Error: Invalid --seed option\n  - --seed: a seed is a whole number from 0 to 4294967295 "
                       "(found -1; expected e.g. 20231231)\n"),
    (["--seed", str(2**32)], "Error: Invalid --seed option\n  - --seed: a seed is a whole number from 0 to "
                             "4294967295 (found 4294967296; expected e.g. 20231231)\n"),
    (["--draws", "0"], "Error: Invalid --draws option\n  - --draws: need at least one draw (found 0; "
                       "expected e.g. 10000)\n"),
    (["--spread", "-0.1"], "Error: Invalid --spread option\n  - --spread: spread must be at least 0 and below 1 "
                           "(found -0.1; expected e.g. 0.2 for +/-20%)\n"),
    (["--spread", "nan"], "Error: Invalid --spread option\n  - --spread: spread must be at least 0 and below 1 "
                          "(found nan; expected e.g. 0.2 for +/-20%)\n"),
])
def test_robustness_option_errors(workdir, args, message):
    refused(cli("robustness", *BASE, *args), message)


def test_robustness_draws_limited_by_memory(workdir, monkeypatch):
    monkeypatch.setattr("scoring.analysis.robustness.available_memory", lambda: (2**30, "a test limit"))
    # per draw: 3 units x 2 bytes + 2 nodes x 16 + 2 indicators x 8 + 32 = 86 bytes
    refused(cli("robustness", *BASE, "--draws", "1000000000"),
            "Error: Invalid --draws option: not enough memory\n  - --draws: 1000000000 draws x 3 units need about "
            "80.1 GiB of memory; 1.0 GiB may be used (a test limit) (found 1000000000; expected at most 12485370 "
            "draws)\n")
    assert ok("robustness", *BASE, "--draws", "5", "--seed", str(2**32 - 1)).stdout


@pytest.mark.parametrize("value, problem", [
    ("1e308", "weight too large (found '1e308'; expected a number above zero and at most 1,000,000)"),
    ("1e309", "weight must be a positive number (found '1e309'; expected a number above zero, e.g. 50)"),
    ("inf", "weight must be a positive number (found 'inf'; expected a number above zero, e.g. 50)"),
    ("nan", "weight must be a positive number (found 'nan'; expected a number above zero, e.g. 50)"),
    ("-1", "weight must be a positive number (found '-1'; expected a number above zero, e.g. 50)"),
])
def test_whatif_weight_values(workdir, value, problem):
    refused(cli("whatif", *BASE, "--weight", f"a={value}"), f"Error: Invalid --weight option\n  - --weight a: {problem}\n")


# --- 6. ambiguous unit names ----------------------------------------------------------------------------


def test_explain_ambiguous_name_lists_the_ids(workdir):
    (workdir / "data.csv").write_text("id,name,x,y\nZ03,Twin,100,50\nZ17,Twin,50,100\nZ20,Z03,80,25\n",
                                      encoding="utf-8")
    refused(cli("explain", "Twin", *BASE), "Error: 2 units are named 'Twin': Z03, Z17; give the id\n")
    shown = ok("explain", "Z03", *BASE)  # an id wins, but not silently
    assert shown.stderr == "Note: 'Z03' is the id of Z03 and also the name of Z20; explaining Z03 " \
                           "(give Z20 for the other)\n"
    assert "Z03 Twin" in shown.stdout
