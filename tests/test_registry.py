"""The registry ties every fact about methods, actions and formats together (scoring.registry).

Each scoring method has a model, a function, both labels and rows in docs/rules.md; the
pydantic union accepts exactly the registry's names; each adjustment action is documented with
exactly the keys the registry gives it and the model checks exactly those keys; each format has
its extensions, the command line offers exactly the registry's formats, and the extension ->
format map exists once. The monotonicity the registry states is checked on random data.
"""
from __future__ import annotations

import ast
import re
import typing

import numpy as np
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, TypeAdapter, ValidationError

import scoring.report.explain_render as explain_render
import scoring.io.outputs as outputs
import scoring.report.render as render
from cli import main
from conftest import ROOT
from scoring import registry
from scoring.api import models
from scoring.api.loader import LineMap, validate_model
from scoring.engine import methods as backend
from scoring.errors import RuleFileError
from scoring.registry import formats as format_registry
from scoring.registry import methods as method_registry
from scoring.report.words import WORDS, is_cjk

RULES_MD = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")

# settings that make a valid method of each kind (a new method needs one here)
EXAMPLES = {
    "minmax": {"floor": 0.3},
    "best_ratio": {},
    "benchmark": {"benchmark": "max", "factor": 1.1},
    "target": {"target": 50.0, "below_target_zero": True},
    "rank": {"floor": 0.2},
    "bands": {"bands": [{"at_least": 60, "fraction": 1.0}, {"at_least": 30, "fraction": 0.6}, {"fraction": 0.1}]},
    "goalposts": {"lo": 10, "hi": 90},
    "percentile": {},
    "zscore": {"spread": 2},
    "formula": {"points": "value * 2"},
}


def section(title: str) -> str:
    """The text of a ``## title`` section of docs/rules.md (up to the next ``## ``)."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", RULES_MD, re.S | re.M)
    assert match, f"docs/rules.md has no section '## {title}'"
    return match.group(1)


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table in ``text``: rows of cells (header first, separator dropped)."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def table_with_header(text: str, *header: str) -> list[list[str]]:
    """The body of the table whose header starts with ``header``."""
    for table in tables(text):
        if tuple(table[0][:len(header)]) == header:
            return table[1:]
    raise AssertionError(f"no table with header {header}")


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


# --- scoring methods ---------------------------------------------------------------------------------


def test_examples_cover_every_method():
    assert set(EXAMPLES) == set(registry.METHOD_NAMES)


@pytest.mark.parametrize("row", registry.METHODS, ids=lambda r: r.name)
def test_every_method_has_a_model_a_function_and_both_labels(row):
    assert issubclass(row.model, BaseModel) and row.model is getattr(models, row.model_name)
    assert row.model.model_fields["type"].annotation == typing.Literal[row.name]
    assert models.METHOD_MODELS[row.name] is row.model
    assert callable(row.function) and backend.SCORERS[row.name] is row.function
    assert is_cjk(row.zh) and not is_cjk(row.en) and row.en.strip() == row.en != ""
    assert row.label("zh") == row.zh and row.label("en") == row.en
    assert WORDS["zh"][f"method.{row.name}"] == row.zh and WORDS["en"][f"method.{row.name}"] == row.en
    assert row.monotone in method_registry.MONOTONICITY


def test_every_method_model_is_registered():
    assert {cls.__name__ for cls in models._Method.__subclasses__()} == {m.model_name for m in registry.METHODS}


def test_the_union_accepts_exactly_the_registry_names():
    schema = TypeAdapter(models.Method).core_schema
    assert schema["type"] == "tagged-union" and tuple(schema["choices"]) == registry.METHOD_NAMES
    assert models.METHOD_NAMES == registry.METHOD_NAMES
    adapter = TypeAdapter(models.Method)
    for name, settings in EXAMPLES.items():
        assert adapter.validate_python({"type": name, **settings}).type == name
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python({"type": "ratio"})
    assert caught.value.errors()[0]["type"] == "union_tag_invalid"


def test_the_loader_names_the_registry_methods():
    doc = {"id": "t", "title": "T", "id_column": "id", "name_column": "name",
           "indicators": [{"id": "a", "weight": 1, "value": "x", "method": {"type": "ratio"}}]}
    with pytest.raises(RuleFileError) as caught:
        validate_model(doc, "r.yaml", LineMap(None))
    problem, = caught.value.problems
    assert problem.field == "indicators.0.method.type"
    assert problem.message == "unknown scoring method; did you mean 'best_ratio'?"
    assert problem.expected == "one of: " + ", ".join(f"{m.name} ({m.zh})" for m in registry.METHODS)


def test_docs_method_table_has_a_row_per_method_with_its_keys():
    text = section("Scoring methods")
    rows = table_with_header(text, "`type`", "extra keys (default)")
    assert [ticked(r[0])[0] for r in rows] == list(registry.METHOD_NAMES)
    for row in rows:
        model = registry.method(ticked(row[0])[0]).model
        keys = {k for k in ticked(row[1]) if k not in ("mean",)}  # `benchmark` (`mean`): a default
        assert keys == set(model.model_fields) - {"type", "cap"}, row[0]


def test_docs_method_names_table_is_the_registry():
    rows = table_with_header(section("Scoring methods"), "`type`", "名称", "name")
    assert rows == [[f"`{m.name}`", m.zh, m.en, m.monotone_text] for m in registry.METHODS]


def test_docs_method_details_use_the_registry_labels():
    text = section("Scoring methods")
    for name, zh in re.findall(r"^- \*\*`(\w+)`\*\* \(([^)]+)\)", text, re.M):
        assert registry.method(name).zh == zh, name


# --- monotonicity, on random data ----------------------------------------------------------------------


def fraction(name: str, values, direction: str, settings=None) -> np.ndarray:
    method = registry.method(name).model.model_validate({"type": name, **(settings or EXAMPLES[name])})
    inp = backend.MethodInput("i", np.asarray(values, float), direction, 20.0, None)
    return backend.apply_method(method, inp).fraction


def never_worse(name: str, settings=None, low: float = 0.0, seed: int = 7, trials: int = 300) -> bool:
    """Raising one unit's value never lowers its fraction (higher), never raises it (lower)."""
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        values = rng.uniform(low, 100, rng.integers(2, 9)).round(rng.integers(0, 2))
        who = rng.integers(len(values))
        raised = values.copy()
        raised[who] += rng.uniform(0, 60)
        for direction, sign in (("higher", 1), ("lower", -1)):
            before = fraction(name, values, direction, settings)[who]
            after = fraction(name, raised, direction, settings)[who]
            if sign * (after - before) < -1e-12:
                return False
    return True


@pytest.mark.parametrize("name", registry.MONOTONE_METHODS)
def test_directed_methods_never_give_a_better_value_fewer_points(name):
    assert never_worse(name, low=-50.0)
    if name == "rank":
        assert never_worse(name, {"step": 1.5}, low=-50.0)


def test_conditional_methods_hold_under_their_condition_only():
    assert {m.name for m in registry.METHODS if m.monotone == registry.CONDITIONAL} == {"benchmark", "bands"}
    for statistic in ("mean", "median", "max", "min"):
        assert never_worse("benchmark", {"benchmark": statistic}, low=1.0)  # no negative value (and B > 0)
    assert never_worse("benchmark", {"benchmark": 40}, low=-50.0)  # a number
    # a negative peer: raising 11 to 20 lowers the ratio to the mean (22 -> 4)
    assert fraction("benchmark", [-10, 20], "higher", {"benchmark": "mean"})[1] < \
        fraction("benchmark", [-10, 11], "higher", {"benchmark": "mean"})[1]
    descending = [{"at_least": 60, "fraction": 1.0}, {"at_least": 30, "fraction": 0.6}, {"fraction": 0.1}]
    assert all(np.diff(fraction("bands", np.arange(0, 100), "higher", {"bands": descending})) >= 0)
    rising = [{"at_least": 60, "fraction": 0.2}, {"fraction": 1.0}]
    assert fraction("bands", [70], "higher", {"bands": rising})[0] < fraction("bands", [50], "higher",
                                                                             {"bands": rising})[0]


# --- adjustment actions ----------------------------------------------------------------------------------


def rule(action: str, **keys) -> dict:
    return {"id": "r", "when": "x > 0", "action": action, **keys}


VALUES = {"points": 2, "factor": 1.1, "max": 5, "min": 0, "pool": "p", "outcome": "o"}


def test_action_names_are_the_registry_and_labels_the_words():
    assert typing.get_args(models.ActionName) == registry.ACTION_NAMES
    assert typing.get_args(models.Adjustment.model_fields["action"].annotation) == registry.ACTION_NAMES
    assert models.ACTION_KEYS == registry.ACTION_KEYS
    for action in registry.ACTIONS:
        assert WORDS["zh"][f"action.{action.name}"] == action.zh and WORDS["en"][f"action.{action.name}"] == action.en
    # the words of today's outputs (the workbook's adjustments sheet)
    assert [WORDS["zh"][f"action.{a}"] for a in registry.ACTION_NAMES] == \
        ["加分", "扣分", "系数", "否决", "强制", "不定等级", "不参评", "提示"]
    assert [WORDS["en"][f"action.{a}"] for a in registry.ACTION_NAMES] == list(registry.ACTION_NAMES)


def test_engine_constants():
    assert registry.POINT_ACTIONS == ("bonus", "deduction")
    assert registry.FACTOR_ACTIONS == ("multiply",) and registry.OUTCOME_ACTIONS == ("veto", "force")
    assert registry.STATUS_ACTIONS == ("exempt", "exclude", "flag")
    assert registry.POINT_SIGN == {"bonus": 1.0, "deduction": -1.0}
    assert registry.AMOUNT_KEY == {"bonus": "points", "deduction": "points", "multiply": "factor"}
    assert set(registry.POINT_ACTIONS + registry.FACTOR_ACTIONS + registry.OUTCOME_ACTIONS
               + registry.STATUS_ACTIONS) == set(registry.ACTION_NAMES)
    for action in registry.ACTIONS:
        assert action.gives_points == (action.name in registry.POINT_ACTIONS)
        assert action.gives_factor == (action.name in registry.FACTOR_ACTIONS)
        assert action.uses_outcome == (action.name in registry.OUTCOME_ACTIONS) == ("outcome" in action.requires)


@pytest.mark.parametrize("action", registry.ACTIONS, ids=lambda a: a.name)
def test_the_model_checks_exactly_the_registry_keys(action):
    full = {key: VALUES[key] for key in action.keys}
    models.Adjustment.model_validate(rule(action.name, **full))
    for key in action.requires:
        with pytest.raises(ValidationError, match=re.escape(f"action '{action.name}' needs '{key}'")):
            models.Adjustment.model_validate(rule(action.name, **{k: v for k, v in full.items() if k != key}))
    for key in set(registry.ACTION_ONLY_KEYS) - set(action.keys):
        with pytest.raises(ValidationError, match=re.escape(f"action '{action.name}' does not use: {key}")):
            models.Adjustment.model_validate(rule(action.name, **full, **{key: VALUES[key]}))


def test_docs_action_tables_are_the_registry():
    text = section("`adjustments`")
    effects = table_with_header(text, "action", "effect when the condition holds")
    assert [ticked(r[0])[0] for r in effects] == list(registry.ACTION_NAMES)
    documented = {}
    for names, keys in table_with_header(text, "action", "may also have"):
        for name in ticked(names):
            assert name not in documented, name
            documented[name] = keys
    assert documented == {a.name: a.keys_text for a in registry.ACTIONS}
    # the key table: each action-only key names exactly the actions that use it, "required there" when they need it
    key_rows = {}
    for row in table_with_header(text, "key", "type", "default", "meaning"):
        for key in ticked(row[0]):
            key_rows[key] = row[3]
    for key in registry.ACTION_ONLY_KEYS:
        users = [a for a in registry.ACTIONS if key in a.keys]
        assert [n for n in ticked(key_rows[key]) if n in registry.ACTION_NAMES] == [a.name for a in users], key
        assert ("required there" in key_rows[key]) == all(key in a.requires for a in users), key


# --- output formats ------------------------------------------------------------------------------------------


def test_every_written_format_has_its_extensions():
    for fmt in registry.FORMATS:
        assert all(re.fullmatch(r"\.[a-z]+", ext) for ext in fmt.extensions), fmt.name
        assert fmt.binary == (fmt.encoding is None)
        assert fmt.commands, f"no command writes {fmt.name}"
        if registry.commands_writing(fmt.name):
            assert fmt.extensions, f"{fmt.name} is written to files but has no extension"
    assert registry.commands_writing("text") == () and registry.FORMAT_BY_NAME["text"].commands == ("explain",)
    exts = [ext for fmt in registry.FORMATS for ext in fmt.extensions]
    assert len(exts) == len(set(exts)) == len(registry.FORMAT_OF_EXTENSION)
    assert [f.name for f in registry.FORMATS if f.binary] == ["xlsx", "docx"]
    assert {fmt: outputs.encoding_of(fmt) for fmt in registry.TEXT_FORMATS} == \
        {"table": "utf-8", "csv": "utf-8-sig", "json": "utf-8", "markdown": "utf-8"}


def test_outputs_render_and_explain_read_the_registry():
    assert outputs.EXTENSIONS is registry.EXTENSIONS and outputs.COMMAND_FORMATS is registry.COMMAND_FORMATS
    assert outputs.TEXT_FORMATS is registry.TEXT_FORMATS and render.FORMATS is registry.TEXT_FORMATS
    assert explain_render.FORMATS is registry.COMMAND_FORMATS["explain"]
    assert outputs.WORKBOOK_COMMANDS == "run, warnings, commended, template, explain, cards and diff"
    for ext, fmt in registry.FORMAT_OF_EXTENSION.items():
        assert outputs.format_of_extension(f"out{ext.upper()}") == fmt


def options(command) -> dict:
    return {opt: param for param in command.params for opt in getattr(param, "opts", ())}


def test_cli_format_choices_are_the_registry():
    commands = main.commands
    with_format = {name for name, command in commands.items() if "--format" in options(command)}
    with_out = {name for name, command in commands.items() if "--out" in options(command)}
    with_out -= {"init"}  # init's --out names the rule file of a starter project, not an output format
    assert with_format | with_out == set(registry.COMMAND_FORMATS)
    assert with_out == set(registry.COMMAND_FORMATS) - set(registry.PRINTED_ONLY)
    for name in with_format:
        choice = options(commands[name])["--format"]
        assert tuple(choice.type.choices) == registry.COMMAND_FORMATS[name], name
        if name in registry.PRINTED_ONLY:
            assert choice.default == registry.COMMAND_FORMATS[name][0]
    # explain prints text, json or markdown; its --out writes the report card (html, xlsx) by extension
    assert registry.COMMAND_FORMATS["explain"] == ("text", "json", "markdown")
    assert registry.out_formats("explain") == registry.OUT_FORMATS["explain"] == ("html", "xlsx")
    assert registry.out_formats("history") == () and registry.out_formats("run") == registry.COMMAND_FORMATS["run"]
    assert outputs.output_format("explain", None, None) == "text"
    assert outputs.output_format("explain", None, "card.HTML") == "html"
    # without --format, a command prints its first format
    assert outputs.output_format("run", None, None) == registry.COMMAND_FORMATS["run"][0] == "table"


def test_cli_help_lists_the_formats():
    help_text = CliRunner().invoke(main, ["run", "--help"]).output
    assert "[table|csv|json|markdown|xlsx]" in help_text


def _string_constants(path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_one_extension_map():
    """No module but the registry writes an output extension as a value (``".md"``, ``".xlsx"`` ...)."""
    extensions = set(registry.FORMAT_OF_EXTENSION)
    # data.py recognises *input* workbooks by their suffix (.xlsx, .xlsm): reading, not an output format
    allowed = {ROOT / "scoring" / "registry" / "formats.py", ROOT / "scoring" / "io" / "data.py"}
    found = []
    for path in sorted((ROOT / "scoring").rglob("*.py")) + [ROOT / "cli.py"]:
        if path in allowed:
            continue
        found += [f"{path.relative_to(ROOT)}:{line}: {value!r}" for line, value in _string_constants(path)
                  if value.lower() in extensions]
    assert found == []
    assert format_registry.FORMAT_OF_EXTENSION is registry.FORMAT_OF_EXTENSION


def test_method_names_are_listed_only_in_the_registry():
    """No module but the registry lists three or more method names (a second list to keep in step)."""
    names = set(registry.METHOD_NAMES)
    found = []
    for path in sorted((ROOT / "scoring").rglob("*.py")) + [ROOT / "cli.py"]:
        if path.parent.name == "registry":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None) \
                if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else None
            listed = [i.value for i in items or () if isinstance(i, ast.Constant) and i.value in names]
            if len(listed) >= 3:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {listed}")
    assert found == []


def test_docs_error_example_lists_the_registry_methods():
    methods = ", ".join(f"{m.name} ({m.zh})" for m in registry.METHODS)
    assert f"unknown scoring method; did you mean 'best_ratio'? (found 'ratio'; expected one of: {methods})" \
        in section("Errors")


def test_property_tests_cover_only_methods_declared_monotone():
    from test_properties import MONOTONE_METHODS  # the property test of whole runs (hypothesis)

    types = {settings["type"] for settings in MONOTONE_METHODS.values()}
    assert all(registry.method(t).monotone != registry.UNKNOWN for t in types)
