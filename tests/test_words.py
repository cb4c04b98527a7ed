"""Fixed words: one table (scoring.report.words) in the rule file's language, overridden by its labels.

A Chinese rule file gets Chinese words in every text output (explain, what-if, robustness,
lists, the run table), an English one English words, and any word the rule file's ``labels``
sets replaces the table's word of the same key.
"""
from __future__ import annotations

import re
import string

import pytest

from conftest import SMALL_ROWS, SMALL_RULES, write_csv_file, write_rules_file
from scoring.api.models import Labels
from scoring.analysis.explain import explain_unit
from scoring.report.explain_render import render_explanation
from scoring.report.exports import render_list
from scoring.analysis.lines import reasons
from scoring.report.render import render_run
from scoring.analysis.robustness import robustness_of
from scoring.report.robustness_render import render_robustness
from scoring.engine.run import run_files
from scoring.analysis.whatif import whatif_of
from scoring.report.whatif_render import render_comparison
from scoring.report.words import WORDS, language, words

RULES = {**SMALL_RULES, "title": "测试考核"}
ROWS = SMALL_ROWS[:6]
# Words a Chinese output may still hold: ids, method types and settings, expressions, file names.
ALLOWED = {"U", "sha256", "zonescore", "rules", "yaml", "data", "csv", "minmax", "floor", "benchmark", "mean",
           "cap", "factor", "rank", "growth", "firms", "bad", "sales", "last", "and", "id"}


def _result(tmp_path, **changes):
    rules = {**RULES, **changes}
    return run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, ROWS))


def _outputs(result) -> list[str]:
    texts = [render_explanation(explain_unit(result, unit), "text") for unit in result.ranking.order]
    texts.append(render_comparison(whatif_of(result, {"grow": 80})))
    texts.append(render_robustness(robustness_of(result, draws=50)))
    texts += [render_list(result, "warn"), render_run(result, reasons=reasons(result))]
    return texts


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_every_key_with_the_same_placeholders():
    assert WORDS["zh"].keys() == WORDS["en"].keys()
    for key in set(WORDS["zh"]) - {"short_outcome"}:
        assert _placeholders(WORDS["zh"][key]) == _placeholders(WORDS["en"][key]), key
    given = {"outcome", "label", "wanted", "eligible"}  # the note names the outcome by label or by id
    assert _placeholders(WORDS["zh"]["short_outcome"]) | _placeholders(WORDS["en"]["short_outcome"]) <= given


def test_every_labels_field_has_a_word():
    assert set(Labels.model_fields) <= WORDS["en"].keys()


def test_chinese_rule_file_gives_chinese_words(tmp_path):
    result = _result(tmp_path)
    assert language(result.assessment.spec) == "zh"
    english = set()
    for text in _outputs(result):
        text = re.sub(r"\b[0-9a-f]{12,16}\b", "", text)  # run id and file hashes
        english.update(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text))
    english -= ALLOWED | {f"U{i}" for i in range(1, 7)} | {"grow"} | set(re.findall(r"\w+", str(tmp_path)))
    assert english == set()
    explained = render_explanation(explain_unit(result, "U3"), "text")
    assert "不得评为表彰" in explained and "满分" in explained and "同类排名" in explained
    assert "排名变化" in render_comparison(whatif_of(result, {"grow": 80}))
    assert "结论" in render_robustness(robustness_of(result, draws=50))


def test_english_rule_file_gives_english_words(tmp_path):
    result = _result(tmp_path, title="Test")
    assert language(result.assessment.spec) == "en"
    explained = render_explanation(explain_unit(result, "U3"), "text")
    assert "barred from 表彰" in explained and "(full 60; may score above it)" in explained and "peer rank" in explained
    assert "Full score: 100 → 120" in render_comparison(whatif_of(result, {"grow": 80}))
    robust = render_robustness(robustness_of(result, draws=50))
    assert "Verdict" in robust and "P(表彰)" in robust and "\nrun " in robust


@pytest.mark.parametrize("title", ["测试考核", "Test"])
def test_labels_override_the_table(tmp_path, title):
    labels = {"reason": "理由说明", "rank": "名次", "weakest": "短板"}
    result = _result(tmp_path, title=title, labels=labels)
    word = words(result.assessment.spec)
    assert (word["reason"], word["rank"], word["weakest"]) == ("理由说明", "名次", "短板")
    table = render_run(result, reasons=reasons(result))
    assert "理由说明" in table and "名次" in table and "短板" in table
    assert "名次" in render_explanation(explain_unit(result, "U1"), "text")
    listed = render_list(result, "warn")
    assert "理由说明" in listed and "短板" in listed


def test_unset_labels_take_the_language_default(tmp_path):
    result = _result(tmp_path, labels={"reason": "理由"})
    assert words(result.assessment.spec)["total"] == "总分"
    assert words(_result(tmp_path, title="Test").assessment.spec)["total"] == "Total"
