"""The command line speaks the user's language and fits the terminal.

* exact help of ``zonescore --help`` and ``zonescore validate --help`` in English and Chinese;
* every help page fits 60, 80 and 120 columns in display cells (Chinese characters take two);
* click's own errors in Chinese words and punctuation;
* the language from --lang (before or after the command), ZONESCORE_LANG, the locale (end to end);
* ``zonescore doctor`` in both languages;
* without durable-rules (its import blocked in a subprocess) ``--engine auto`` gives the same
  results with numpy and ``--engine durable-rules`` says what to install.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cli import main
from cli_commands.helpformat import cells, shorten, wrap
from conftest import ROOT

COMMAND_LINES = {  # the command list, one line each: name -> (English, Chinese)
    "commended": ("The commendation list (表彰).", "表彰名单。"),
    "doctor": ("Check the installation and its settings.", "检查安装情况和设置。"),
    "explain": ("How one unit's total was made.", "说明一个考核对象的得分由来。"),
    "robustness": ("How robust are ranks to the weights?", "排名对权重是否稳健？"),
    "run": ("Score and rank every unit (the annual run).", "对全部考核对象计分排名（年度考核）。"),
    "template": ("An empty data workbook for the rules.", "生成与规则对应的空白数据表。"),
    "validate": ("Check the rule file and the data.", "检查规则文件和数据。"),
    "warnings": ("The warning list (预警提示).", "预警提示名单。"),
    "whatif": ("Ranks and outcomes under changed weights.", "调整权重后的排名和结果。"),
}

MAIN_HELP = {"en": """\
Usage: zonescore [OPTIONS] COMMAND [ARGS]...

  Score, rank and classify assessment units from a YAML rule file.

Options:
  --version       Show the version and exit.
  --lang [zh|en]  Interface language [default: ZONESCORE_LANG, else the locale].
  -h, --help      Show this message and exit.

Commands:
""", "zh": """\
用法：zonescore [选项] 命令 [参数]...

  按 YAML 规则文件对考核对象计分、排名、定等级。

选项：
  --version       显示版本号并退出。
  --lang [zh|en]  界面语言［默认：ZONESCORE_LANG，否则按系统区域设置］。
  -h, --help      显示本帮助并退出。

命令：
"""}

VALIDATE_HELP = {"en": """\
Usage: zonescore validate [OPTIONS]

  Check the rule file and the data file(s); exit 0 when all is well.

Options:
  --rules FILE    Rule file (YAML). [default: rules/qingpu-2023.yaml]
  --data FILE     Unit data, CSV or .xlsx. Give it once per department's file to
                  join the files on the unit id. [default: zones.csv]
  --sheet NAME    Worksheet to read from .xlsx data files [default: the first
                  sheet].
  --engine [auto|durable-rules|numpy]
                  What evaluates the adjustment conditions: the durable-rules
                  engine (every firing checked against numpy), numpy alone, or
                  auto (durable-rules up to 20,000 units). [default: auto]
  --lang [zh|en]  Interface language [default: ZONESCORE_LANG, else the locale].
  -h, --help      Show this message and exit.
""", "zh": """\
用法：zonescore validate [选项]

  检查规则文件和数据文件；全部无误时退出码为 0。

选项：
  --rules 文件    规则文件（YAML）。［默认：rules/qingpu-2023.yaml］
  --data 文件     考核对象数据，CSV 或 .xlsx。每个部门的文件各给一次，按编号合
                  并。［默认：zones.csv］
  --sheet 名称    读取 .xlsx 数据的工作表［默认：第一张］。
  --engine [auto|durable-rules|numpy]
                  加减分条件由谁判断：durable-rules 规则引擎（每次触发都与 numpy
                  核对）、只用 numpy，或 auto（20,000 个以内用 durable-rules）。
                  ［默认：auto］
  --lang [zh|en]  界面语言［默认：ZONESCORE_LANG，否则按系统区域设置］。
  -h, --help      显示本帮助并退出。
"""}


def invoke(*args, width: int = 80):
    return CliRunner().invoke(main, list(args), terminal_width=width, prog_name="zonescore")


def command_list(lang: str) -> str:
    """The expected command list; a command added since (not in COMMAND_LINES) gets its own summary."""
    names = sorted(main.commands)
    column = max(map(len, names)) + 2
    summary = {name: COMMAND_LINES[name][lang == "zh"] if name in COMMAND_LINES
               else main.commands[name].get_short_help_str(80 - 2 - column) for name in names}
    return "".join(f"  {name:<{column}}{summary[name]}\n" for name in names)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_main_help_exact(lang):
    result = invoke("--lang", lang, "--help")
    assert result.exit_code == 0
    assert result.output == MAIN_HELP[lang] + command_list(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_command_help_exact_with_lang_after_the_command(lang):
    result = invoke("validate", "--lang", lang, "--help")
    assert result.exit_code == 0
    assert result.output == VALIDATE_HELP[lang]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_every_help_fits_the_terminal(lang, width):
    too_wide = []
    for command in [[], *([name] for name in sorted(main.commands))]:
        result = invoke("--lang", lang, *command, "--help", width=width)
        assert result.exit_code == 0, result.output
        too_wide += [f"{command}: {cells(line)} > {width}: {line}" for line in result.output.splitlines()
                     if cells(line) > width]
        if not command:  # the command list: one line per command
            listed = result.output.split("\n\n")[-1].splitlines()[1:]
            assert [line.split()[0] for line in listed] == sorted(main.commands)
    assert not too_wide, "\n".join(too_wide)


def test_wrapping_in_cells_and_chinese_line_breaks():
    assert cells("表彰 ok") == 7
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]  # never a line starting with ，
    assert wrap("（一二三四五六", 6) == ["（一二", "三四五", "六"]  # never a line ending with （
    assert wrap("see rules/qingpu-2023.yaml now", 12) == ["see", "rules/qingpu", "-2023.yaml", "now"]
    assert wrap("用 durable-rules 规则", 13) == ["用", "durable-rules", "规则"]
    assert shorten("对全部考核对象计分排名（年度考核）。", 20) == "对全部考核对象计分…"
    assert shorten("Score and rank every unit", 15) == "Score and rank…"


@given(st.text(st.sampled_from(list("ab c-/，。（）［］表彰预警\n")), max_size=60), st.integers(2, 30))
def test_wrapped_lines_fit_and_keep_the_text(text, width):
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == "".join(text.split())


@pytest.mark.parametrize("args, stderr", [
    (["run", "--bogus"], "用法：zonescore run [选项]\n输入“zonescore run --help”查看帮助。\n\n"
                         "错误：没有选项“--bogus”。是否想输入“--out”？\n"),
    (["run", "--format"], "错误：选项“--format”需要一个值。\n"),
    (["run", "--format", "bad"], "用法：zonescore run [选项]\n输入“zonescore run --help”查看帮助。\n\n"
                                 "错误：“--format”的值无效：“bad”不是可选的值（“table”、“csv”、“json”、"
                                 "“markdown”、“xlsx”）。\n"),
    (["robustness", "--draws", "x"], "用法：zonescore robustness [选项]\n输入“zonescore robustness --help”查看帮助。\n\n"
                                     "错误：“--draws”的值无效：“x”不是有效的整数。\n"),
    (["explain"], "用法：zonescore explain [选项] 考核对象\n输入“zonescore explain --help”查看帮助。\n\n"
                  "错误：缺少参数“考核对象”。\n"),
    (["rnu"], "用法：zonescore [选项] 命令 [参数]...\n输入“zonescore --help”查看帮助。\n\n"
              "错误：没有命令“rnu”。是否想输入“run”？\n"),
])
def test_click_errors_in_chinese(args, stderr):
    result = invoke("--lang", "zh", *args)
    assert (result.exit_code, result.stderr) == (2, stderr)


def test_click_errors_in_english_unchanged():
    result = invoke("run", "--format", "bad")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for '--format': 'bad' is not one of 'table', 'csv', "
                                  "'json', 'markdown', 'xlsx'.\n")


def environment(**values) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZONESCORE_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "COLUMNS")}
    env.update(values, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return env


def zonescore(*args, env: dict, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "scoring", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def test_language_from_the_locale_end_to_end():
    chinese = zonescore("--help", env=environment(LANG="zh_CN.UTF-8", COLUMNS="60"))
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith("用法：zonescore [选项] 命令 [参数]...\n\n  按 YAML 规则文件")
    assert max(map(cells, chinese.stdout.splitlines())) <= 60
    english = zonescore("--help", env=environment(LANG="zh_CN.UTF-8", ZONESCORE_LANG="en"))
    assert english.stdout.startswith("Usage: zonescore [OPTIONS]")


def test_lang_option_wins_over_the_environment():
    assert invoke("run", "--help", "--lang=zh").output.startswith("用法：zonescore run [选项]")
    os.environ["ZONESCORE_LANG"] = "zh"
    try:
        assert invoke("--help").output.startswith("用法：")
        assert invoke("--lang", "en", "--help").output.startswith("Usage:")
    finally:
        os.environ["ZONESCORE_LANG"] = "en"


DOCTOR_LABELS = {"en": ["zonescore", "Python", "pandas", "numpy", "pydantic", "click", "durable-rules", "openpyxl",
                        "PyYAML", "tabulate", "wcwidth", "Rule engine", "Interface language", "Locale", "Console",
                        "Chromium", "LibreOffice", "Cache"],
                 "zh": ["zonescore", "Python", "pandas", "numpy", "pydantic", "click", "durable-rules", "openpyxl",
                        "PyYAML", "tabulate", "wcwidth", "规则引擎", "界面语言", "区域设置", "控制台编码",
                        "Chromium", "LibreOffice", "缓存目录"]}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_doctor(lang):
    result = invoke("doctor", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert max(map(cells, result.output.splitlines())) <= 80
    column = {"en": 20, "zh": 15}[lang]  # the widest label and two spaces
    lines = result.output.replace("\n" + " " * column, " ").splitlines()  # long values go on, indented
    assert [line.split("  ")[0] for line in lines] == DOCTOR_LABELS[lang]
    assert {cells(line) - cells(line[len(line.split("  ")[0]):].lstrip()) for line in lines} == {column}
    facts = dict((label, line[len(label):].strip()) for label, line in zip(DOCTOR_LABELS[lang], lines))
    language = facts["Interface language" if lang == "en" else "界面语言"]
    assert language == ("English (en), chosen with --lang" if lang == "en" else "中文（zh），由 --lang 指定")
    if sys.platform != "win32":  # installed as the README says: durable-rules is there and in use
        engine = facts["Rule engine" if lang == "en" else "规则引擎"]
        assert engine.startswith("durable-rules, every firing" if lang == "en" else "durable-rules，每次触发")
        assert facts["durable-rules"][0].isdigit()


def test_doctor_names_the_language_source():
    from scoring.messages import language_choice

    assert language_choice(None, {"ZONESCORE_LANG": "zh", "LANG": "en_US.UTF-8"}) == ("zh", "ZONESCORE_LANG", "zh")
    assert language_choice(None, {"LANG": "zh_CN.UTF-8"}) == ("zh", "LANG", "zh_CN.UTF-8")
    assert language_choice("en", {"LANG": "zh_CN.UTF-8"}) == ("en", "--lang", "en")


# Runs zonescore with durable-rules unimportable, as on a Windows PC without a C compiler.
WITHOUT_DURABLE_RULES = """
import sys

class NoDurableRules:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("durable", "durable_rules_engine"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoDurableRules())
from cli import main
main(sys.argv[1:], prog_name="zonescore")
"""


@pytest.fixture(scope="module")
def without_durable_rules():
    env = environment(ZONESCORE_LANG="en")
    return lambda *args: zonescore(*args, env=env, code=WITHOUT_DURABLE_RULES)


def test_auto_falls_back_to_numpy_with_the_same_results(without_durable_rules, monkeypatch):
    monkeypatch.chdir(ROOT)  # the shipped sample, as the README runs it
    fallback = without_durable_rules("run", "--format", "csv")
    assert fallback.returncode == 0, fallback.stderr
    reference = invoke("run", "--format", "csv", "--engine", "numpy")
    rule_engine = invoke("run", "--format", "csv")
    assert fallback.stdout == reference.output == rule_engine.output


def test_forced_rule_engine_says_what_to_install(without_durable_rules):
    forced = without_durable_rules("run", "--engine", "durable-rules")
    assert (forced.returncode, forced.stdout) == (1, "")
    assert forced.stderr == (
        "Error: The durable-rules engine is not installed\n"
        "  - --engine: the durable-rules package is not installed or cannot be loaded (found durable-rules; "
        "expected --engine auto or numpy (same results), or durable-rules installed: pip install durable-rules "
        "(needs a C compiler))\n")
    doctor = without_durable_rules("doctor")
    assert doctor.returncode == 0
    assert "Rule engine         numpy only: durable-rules is not installed or cannot be loaded (same results; " \
           "installing it needs a C compiler)" in doctor.stdout.replace("\n" + " " * 20, " ")


def test_durable_rules_is_installed_only_where_it_builds():
    """It comes as C source only: a dependency everywhere but Windows, an extra ("engine") there."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [d for d in project["dependencies"] if d.startswith("durable-rules")] == \
        ["durable-rules>=2.0.28; sys_platform != 'win32'"]
    assert project["optional-dependencies"]["engine"] == ["durable-rules>=2.0.28"]
