"""Strict rule files: what YAML or pydantic would accept silently is a located problem.

Each test writes a small rule file as YAML text (line numbers counted in the comment under
``RULES``) and asserts the exact :class:`Problem` records: message, line, field, found and
expected. All problems of a file come at once; none is a traceback.
"""
from __future__ import annotations

import time

import pytest

from scoring.api import assessment as assessment_module
from scoring.api.assessment import load_assessment
from scoring.errors import Problem, RuleFileError

RULES = """\
id: t
title: T
id_column: id
name_column: name
inputs:
  x: {}
  t: {type: text}
indicators:
  - id: s
    weight: 10
    value: x
    method: {type: minmax}
outcomes:
  - {id: top, top: 1}
"""
#  1 id / 2 title / 3 id_column / 4 name_column / 5 inputs / 6 x / 7 t / 8 indicators / 9 - id: s
# 10 weight / 11 value / 12 method / 13 outcomes / 14 - top

NOT_YAML = "Rule file is not valid YAML: {}"
INVALID = "Rule file does not describe a valid assessment: {}"


def load_error(tmp_path, text: str) -> tuple[RuleFileError, str]:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_assessment(path)
    return info.value, str(path)


def edit(*pairs: tuple[str, str]) -> str:
    text = RULES
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_fixture_loads(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    assert load_assessment(path).leaves == ["s"]


# --- 1. repeated keys ----------------------------------------------------------------------

def test_repeated_key_names_both_lines(tmp_path):
    error, path = load_error(tmp_path, edit(("    value: x\n", "    value: x\n    weight: 20\n")))
    assert error.summary == NOT_YAML.format(path)
    assert error.problems == [Problem("duplicate key on lines 10, 12", file=path, line=10,
                                      field="indicators.0.weight", found="'weight'",
                                      expected="each key once in a mapping")]


def test_repeated_keys_everywhere_are_reported_together(tmp_path):
    text = edit(("title: T\n", "title: T\ntitle: U\n"),                                  # lines 2, 3
                ("    method: {type: minmax}\n", "    method: {type: minmax, type: rank}\n"))  # line 13
    error, path = load_error(tmp_path, text)
    assert [(p.message, p.line, p.field) for p in error.problems] == [
        ("duplicate key on lines 2, 3", 2, "title"),
        ("duplicate key on line 13", 13, "indicators.0.method.type"),
    ]


def test_yaml_merge_keys_are_not_duplicates(tmp_path):
    text = edit(("    method: {type: minmax}\n", "    method: &m {type: minmax}\n"),
                ("outcomes:\n", "  - {id: s2, weight: 5, value: x, method: {<<: *m, floor: 0.5}}\noutcomes:\n"))
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_assessment(path).nodes["s2"].method.floor == 0.5


# --- 2. YAML booleans where numbers go (and the reverse) ------------------------------------

BOOL_NUMBER = ("a yes/no value where a number is expected", "a number (quote it if you mean the text)")


@pytest.mark.parametrize("old, new, line, field, found", [
    ("    weight: 10\n", "    weight: yes\n", 10, "indicators.0.weight", "'yes'"),
    ("    method: {type: minmax}\n", "    method: {type: minmax, floor: on}\n", 12, "indicators.0.method.floor", "'on'"),
    ("    method: {type: minmax}\n", "    method: {type: minmax, cap: true}\n", 12, "indicators.0.method.cap", "'true'"),
    ("    method: {type: minmax}\n", "    method: {type: benchmark, benchmark: yes}\n", 12,
     "indicators.0.method.benchmark", "'yes'"),
    ("    method: {type: minmax}\n", "    method: {type: target, target: True}\n", 12,
     "indicators.0.method.target", "'True'"),
    ("    method: {type: minmax}\n", "    method: {type: goalposts, lo: no, hi: 5}\n", 12,
     "indicators.0.method.lo", "'no'"),
    ("    method: {type: minmax}\n", "    method: {type: bands, bands: [{at_least: 1, fraction: yes}]}\n", 12,
     "indicators.0.method.bands.0.fraction", "'yes'"),
    ("  x: {}\n", "  x: {range: [off, 10]}\n", 6, "inputs.x.range.0", "'off'"),
    ("  - {id: top, top: 1}\n", "  - {id: top, top: yes}\n", 14, "outcomes.0.top", "'yes'"),
    ("  - {id: top, top: 1}\n", "  - {id: top, top_percent: yes}\n", 14, "outcomes.0.top_percent", "'yes'"),
    ("  - {id: top, top: 1}\n", "  - {id: top, min_total: yes}\n", 14, "outcomes.0.min_total", "'yes'"),
    ("title: T\n", "title: T\nprecision: yes\n", 3, "precision", "'yes'"),
    ("title: T\n", "title: T\ntotal_min: no\n", 3, "total_min", "'no'"),
])
def test_yaml_boolean_where_a_number_is_expected(tmp_path, old, new, line, field, found):
    error, path = load_error(tmp_path, edit((old, new)))
    assert error.summary == INVALID.format(path)
    assert error.problems == [Problem(BOOL_NUMBER[0], file=path, line=line, field=field, found=found,
                                      expected=BOOL_NUMBER[1])]


@pytest.mark.parametrize("adjustment, field, found", [
    ("{id: b, when: x > 1, action: bonus, points: yes}", "adjustments.0.points", "'yes'"),
    ("{id: b, when: x > 1, action: bonus, points: 1, max: on}", "adjustments.0.max", "'on'"),
    ("{id: b, when: x > 1, action: multiply, factor: true}", "adjustments.0.factor", "'true'"),
])
def test_yaml_boolean_in_adjustment_numbers(tmp_path, adjustment, field, found):
    error, path = load_error(tmp_path, RULES + f"adjustments:\n  - {adjustment}\n")  # line 16
    assert error.problems == [Problem(BOOL_NUMBER[0], file=path, line=16, field=field, found=found,
                                      expected=BOOL_NUMBER[1])]


def test_yaml_boolean_in_pool_limit(tmp_path):
    error, path = load_error(tmp_path, RULES + "pools:\n  - {id: p, max: yes}\n")
    assert error.problems == [Problem(BOOL_NUMBER[0], file=path, line=16, field="pools.0.max", found="'yes'",
                                      expected=BOOL_NUMBER[1])]


@pytest.mark.parametrize("old, new, line, field, found", [
    ("  - {id: top, top: 1}\n", "  - {id: top, rest: 1}\n", 14, "outcomes.0.rest", "'1'"),
    ("    method: {type: minmax}\n", "    method: {type: goalposts, lo: 1, hi: 5, log: 1}\n", 12,
     "indicators.0.method.log", "'1'"),
    ("    method: {type: minmax}\n", "    method: {type: target, target: 5, below_target_zero: 'yes'}\n", 12,
     "indicators.0.method.below_target_zero", "'yes'"),
])
def test_number_or_text_where_yes_no_is_expected(tmp_path, old, new, line, field, found):
    error, path = load_error(tmp_path, edit((old, new)))
    assert error.problems == [Problem("yes/no value expected", file=path, line=line, field=field, found=found,
                                      expected="true or false")]


# --- 3. non-finite and absurd numbers --------------------------------------------------------

NOT_FINITE = ("number is not finite", "a finite number")


@pytest.mark.parametrize("old, new, line, field, found", [
    ("    weight: 10\n", "    weight: .inf\n", 10, "indicators.0.weight", "'.inf'"),
    ("    weight: 10\n", "    weight: 1e309\n", 10, "indicators.0.weight", "'1e309'"),  # YAML 1.1: text, read as inf
    ("    weight: 10\n", "    weight: 1.0e+309\n", 10, "indicators.0.weight", "'1.0e+309'"),
    ("    method: {type: minmax}\n", "    method: {type: bands, bands: [{at_least: 1, fraction: .inf}]}\n", 12,
     "indicators.0.method.bands.0.fraction", "'.inf'"),
    ("    method: {type: minmax}\n", "    method: {type: minmax, cap: .NaN}\n", 12, "indicators.0.method.cap", "'.NaN'"),
    ("  x: {}\n", "  x: {range: [-.inf, 10]}\n", 6, "inputs.x.range.0", "'-.inf'"),
    ("title: T\n", "title: T\ntotal_min: .nan\n", 3, "total_min", "'.nan'"),
    ("  - {id: top, top: 1}\n", "  - {id: top, max_total: .inf}\n", 14, "outcomes.0.max_total", "'.inf'"),
])
def test_non_finite_numbers_are_refused(tmp_path, old, new, line, field, found):
    error, path = load_error(tmp_path, edit((old, new)))
    assert error.problems == [Problem(NOT_FINITE[0], file=path, line=line, field=field, found=found,
                                      expected=NOT_FINITE[1])]


def test_non_finite_pool_and_rule_limits(tmp_path):
    text = RULES + ("adjustments:\n"                                                          # 15
                    "  - {id: b, when: x > 1, action: bonus, points: 1, max: .nan, pool: p}\n"  # 16
                    "pools:\n"                                                                # 17
                    "  - {id: p, min: -.inf}\n")                                              # 18
    error, path = load_error(tmp_path, text)
    assert error.problems == [
        Problem(NOT_FINITE[0], file=path, line=16, field="adjustments.0.max", found="'.nan'", expected=NOT_FINITE[1]),
        Problem(NOT_FINITE[0], file=path, line=18, field="pools.0.min", found="'-.inf'", expected=NOT_FINITE[1]),
    ]


def test_absurd_weight_is_refused(tmp_path):
    error, path = load_error(tmp_path, edit(("    weight: 10\n", "    weight: 1.0e+16\n")))
    assert error.problems == [Problem("number is too large", file=path, line=10, field="indicators.0.weight",
                                      found="'1.0e+16'", expected="at most 1e15 (1,000,000,000,000,000) in "
                                                                  "absolute value")]


def test_numbers_yaml_reads_in_another_base(tmp_path):
    error, path = load_error(tmp_path, edit(("    weight: 10\n", "    weight: 012\n"),
                                            ("  - {id: top, top: 1}\n", "  - {id: top, top: 1:30}\n")))
    assert error.summary == NOT_YAML.format(path)
    assert error.problems == [
        Problem("YAML reads a number with a leading zero as octal (base 8)", file=path, line=10,
                field="indicators.0.weight", found="'012'", expected="the number without leading zeros, or quoted text"),
        Problem("YAML reads a number with ':' in base 60 (1:30 is 90)", file=path, line=14, field="outcomes.0.top",
                found="'1:30'", expected="a plain number, or quoted text"),
    ]


def test_infinite_number_in_an_expression(tmp_path):
    error, path = load_error(tmp_path, RULES + "adjustments:\n  - {id: b, when: x > 1e309, action: flag}\n")
    assert error.problems == [Problem("number is too large to be represented", file=path, line=16,
                                      field="adjustments.0.when", found="1e309",
                                      expected="a finite number (at most about 1.8e308)")]


# --- 4. names that Unicode normalisation (NFKC) changes -------------------------------------

def test_full_width_name_in_expression(tmp_path):
    error, path = load_error(tmp_path, edit(("    value: x\n", "    value: ｘ * 2\n")))
    assert error.problems == [Problem("name is not in Unicode normal form (NFKC)", file=path, line=11,
                                      field="indicators.0.value", found="'ｘ' which would be read as 'x'",
                                      expected="the name exactly as declared")]


def test_full_width_function_name_in_expression(tmp_path):
    error, path = load_error(tmp_path, edit(("    value: x\n", "    value: ｍｅａｎ(x)\n")))
    assert [p.found for p in error.problems] == ["'ｍｅａｎ' which would be read as 'mean'"]


def test_declared_names_equal_after_normalisation(tmp_path):
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  ｘ: x * 2\n"))  # derived ｘ on line 9
    error, path = load_error(tmp_path, text)
    assert error.problems == [
        Problem("name is not in Unicode normal form (NFKC)", file=path, line=9, field="derived.ｘ",
                found="'ｘ' which expressions would read as 'x'",
                expected="the name in normal form (e.g. half-width letters and digits)"),
        Problem("names are the same after Unicode normalisation (NFKC)", file=path, line=6, field="inputs.x",
                found="'x' and 'ｘ' (derived.ｘ, line 9)",
                expected="names that differ in more than full-width/half-width or compatibility forms"),
    ]


def test_node_id_equal_to_an_input_after_normalisation(tmp_path):
    error, path = load_error(tmp_path, edit(("  - id: s\n", "  - id: ｘ\n")))
    assert error.problems == [
        Problem("names are the same after Unicode normalisation (NFKC)", file=path, line=6, field="inputs.x",
                found="'x' and 'ｘ' (indicators.0.id, line 9)",
                expected="names that differ in more than full-width/half-width or compatibility forms")]


# --- 5. control characters in labels and titles -------------------------------------------

CONTROL = "printable text without control characters (no tabs or line breaks)"


@pytest.mark.parametrize("old, new, line, field, found", [
    ("title: T\n", 'title: "T\\x07"\n', 2, "title", "'\\x07' at position 2"),
    ("    value: x\n", '    value: x\n    label: "a\\tb"\n', 12, "indicators.0.label", "'\\t' at position 2"),
    ("title: T\n", 'title: T\nlabels: {total: "总\\x1b分"}\n', 3, "labels.total", "'\\x1b' at position 2"),
    ("  - {id: top, top: 1}\n", '  - {id: top, top: 1, label: "a\\nb"}\n', 14, "outcomes.0.label",
     "'\\n' at position 2"),
    ("  x: {}\n", '  x: {label: "\\x00x"}\n', 6, "inputs.x.label", "'\\x00' at position 1"),
])
def test_control_characters_in_labels(tmp_path, old, new, line, field, found):
    error, path = load_error(tmp_path, edit((old, new)))
    assert error.problems == [Problem("text contains a control character", file=path, line=line, field=field,
                                      found=found, expected=CONTROL)]


def test_note_may_have_line_breaks_but_no_other_control_characters(tmp_path):
    ok = RULES + 'adjustments:\n  - {id: b, when: x > 1, action: flag, note: "one\\ntwo"}\n'
    path = tmp_path / "ok.yaml"
    path.write_text(ok, encoding="utf-8")
    assert load_assessment(path).spec.adjustments[0].note == "one\ntwo"
    error, path = load_error(tmp_path, ok.replace("\\n", "\\x1b"))
    assert error.problems == [Problem("text contains a control character", file=path, line=16,
                                      field="adjustments.0.note", found="'\\x1b' at position 4",
                                      expected="printable text (tabs and line breaks are allowed in a note)")]


# --- 6. bounded work: expression limits, derived values, aliases ---------------------------

@pytest.mark.parametrize("value, message, found, expected", [
    ("x + " * 2600 + "x", "expression exceeds the length limit", "10,401 characters",
     "at most 10,000 characters"),
    ("(" * 51 + "x" + ")" * 51, "expression exceeds the nesting limit", "51 levels of brackets", "at most 50 levels"),
    ("max(" + ", ".join(["x"] * 2000) + ")", "expression exceeds the size limit", "2,002 elements",
     "at most 2,000 numbers, names, operations and calls"),
    ("-" * 300 + "x", "expression exceeds the depth limit", "301 levels of operations",
     "at most 200 levels (split it into derived values)"),
    ("x * 99999999999999999999", "number exceeds the limit on whole numbers", "99999999999999999999",
     "whole numbers up to 10^15 (1,000,000,000,000,000); write larger ones as 1e20"),
    ("x ** 5000", "exponent exceeds the limit", "5000", "a constant exponent of at most 1,000 in absolute value"),
])
def test_expression_limits(tmp_path, value, message, found, expected):
    started = time.perf_counter()
    error, path = load_error(tmp_path, edit(("    value: x\n", f"    value: \"{value}\"\n")))
    assert time.perf_counter() - started < 1.0
    assert error.problems == [Problem(message, file=path, line=11, field="indicators.0.value", found=found,
                                      expected=expected)]


def test_number_of_derived_values_is_limited(tmp_path, monkeypatch):
    monkeypatch.setattr(assessment_module, "MAX_DERIVED", 2)
    error, path = load_error(tmp_path, edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n"
                                             "  a: x + 1\n  b: a + 1\n  c: b + 1\n")))  # the mapping starts on line 9
    assert error.problems == [Problem("too many derived values", file=path, line=9, field="derived", found="3",
                                      expected="at most 2")]


def test_long_chain_of_derived_values_is_ordered_in_linear_time(tmp_path):
    chain = "".join(f"  d{i}: d{i - 1} + 1\n" for i in range(1, 2000))
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  d0: x + 1\n" + chain),
                ("    value: x\n", "    value: d1999\n"))
    path = tmp_path / "chain.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    loaded = load_assessment(path)
    assert time.perf_counter() - started < 2.0  # was 50 s (cubic ordering)
    assert loaded.derived_order == [f"d{i}" for i in range(2000)]


def test_derived_order_is_by_rounds_in_file_order(tmp_path):
    # round 1: b (reads inputs only) and d; round 2: a (reads b) and c (reads d); round 3: e
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  e: a + c\n  a: b * 2\n  b: x + 1\n"
                                        "  c: d - 1\n  d: x * 3\n"))
    path = tmp_path / "order.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_assessment(path).derived_order == ["b", "d", "a", "c", "e"]


def test_derived_cycle_error_is_unchanged(tmp_path):
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  a1: a2 + 1\n  a2: a1 + 1\n  a3: a1 + x\n"))
    error, path = load_error(tmp_path, text)
    assert error.problems == [Problem("derived values depend on each other in a cycle", file=path, line=9,
                                      field="derived", found="a1, a2, a3", expected="no circular references")]


def test_recursive_alias(tmp_path):
    error, path = load_error(tmp_path, edit(("inputs:\n", "inputs: &a\n  loop: *a\n")))
    assert error.summary == NOT_YAML.format(path)
    assert error.problems == [Problem("an alias refers to the mapping or list that contains it", file=path,
                                      line=5, expected="no recursive aliases (&name ... *name inside itself)")]


def test_alias_bomb(tmp_path):
    bomb = "bomb:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  - &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
        f"*a{i - 1}, *a{i - 1}]\n" for i in range(1, 9))
    started = time.perf_counter()
    error, path = load_error(tmp_path, RULES + bomb)
    assert time.perf_counter() - started < 1.0
    assert error.problems == [Problem("rule file has too many values", file=path,
                                      found="more than 100,000 (each use of an alias counted in full)",
                                      expected="at most 100,000 keys, values and list items")]


def test_deeply_nested_yaml(tmp_path):
    error, path = load_error(tmp_path, RULES + "deep: " + "[" * 150 + "]" * 150 + "\n")
    assert [(p.message, p.line, p.found) for p in error.problems] == [
        ("mappings and lists are nested too deeply", 15, "more than 100 levels")]


# --- 7 and 8. text where numbers are needed; errors of every kind are clean -----------------

@pytest.mark.parametrize("value, message, expected", [
    ("t", "expression gives text where a number is needed",
     "a number (an input of type number, or arithmetic on numbers)"),
    ("t * 2", "text cannot be used in arithmetic or in numeric functions",
     "numbers in arithmetic; text only in == and != comparisons"),
    ("mean(t)", "text cannot be used in arithmetic or in numeric functions",
     "numbers in arithmetic; text only in == and != comparisons"),
    ("if(t == 'a', 1, 2) + (t > 'b')", "text can only be compared with text, using == or !=",
     "a number compared with a number, or text with == / != and a quoted text"),
    ("(t == 1) * x", "text can only be compared with text, using == or !=",
     "a number compared with a number, or text with == / != and a quoted text"),
])
def test_text_where_numbers_are_needed_is_found_at_load_time(tmp_path, value, message, expected):
    error, path = load_error(tmp_path, edit(("    value: x\n", f"    value: \"{value}\"\n")))
    assert error.problems == [Problem(message, file=path, line=11, field="indicators.0.value", found=repr(value),
                                      expected=expected)]


def test_if_mixing_text_and_numbers(tmp_path):
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  g: if(x > 1, t, 0)\n"))  # line 9
    error, path = load_error(tmp_path, text)
    assert error.problems == [Problem("if() gives text in one branch and a number in the other", file=path, line=9,
                                      field="derived.g", found="'if(x > 1, t, 0)'",
                                      expected="both branches numbers, or both text")]


def test_text_derived_values_may_be_compared_and_grouped(tmp_path):
    text = edit(("  t: {type: text}\n", "  t: {type: text}\nderived:\n  g: if(x > 1, t, 'small')\n"),
                ("    value: x\n", "    value: if(g == 'small', 0, x)\n    group_by: g\n"))
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_assessment(path).derived_order == ["g"]


def test_overflowing_constants_are_refused_or_missing_never_a_traceback(tmp_path):
    # 99999999999999999999 % 0 used to raise ZeroDivisionError (a Python integer reached numpy)
    error, path = load_error(tmp_path, RULES + "adjustments:\n  - {id: b, when: '99999999999999999999 % 0 > x', "
                                               "action: flag}\n")
    assert [p.message for p in error.problems] == ["number exceeds the limit on whole numbers"]
