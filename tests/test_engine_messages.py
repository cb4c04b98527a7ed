"""Engine and analysis messages in the interface language (scoring.messages parts zh_engine, zh_analysis)."""
from __future__ import annotations

import pytest

from conftest import SMALL_ROWS, SMALL_RULES, write_csv_file, write_rules_file
from scoring.engine.engine_codec import CAPACITY_ERRORS
from scoring.engine.run import run_files
from scoring.errors import DataError, OptionError
from scoring.messages import set_language
from scoring.messages.catalogue import CATALOGUE


@pytest.fixture
def chinese():
    set_language("zh")
    yield
    set_language("en")


def test_every_capacity_error_of_the_rule_engine_has_chinese():
    """They are translated where reported (tr of a variable): the scan of tr("...") cannot see them."""
    assert [reason for reason in CAPACITY_ERRORS.values() if reason not in CATALOGUE] == []


def test_outcome_larger_than_the_data_in_chinese(tmp_path, chinese):
    rules = {**SMALL_RULES, "outcomes": [{"id": "top", "label": "表彰", "top": 20}, SMALL_RULES["outcomes"][1]]}
    with pytest.raises(DataError) as raised:
        run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, SMALL_ROWS))
    assert str(raised.value).startswith("考核结果设置与数据文件 ")
    assert raised.value.problems[0].message == "考核结果“top”要求 20 个单位，但数据中只有 8 个"
    assert raised.value.problems[0].expected == "最多 8"


def test_unknown_unit_in_chinese_and_english(tmp_path, chinese):
    from scoring.analysis.explain import resolve_unit

    rules = {**SMALL_RULES, "title": "测试考核"}  # a Chinese rule file: its units are called 单位
    result = run_files(write_rules_file(tmp_path, rules), write_csv_file(tmp_path, SMALL_ROWS))
    with pytest.raises(OptionError) as raised:
        resolve_unit(result, "甲乙")
    assert str(raised.value) == "未知的单位“甲乙”：没有单位使用这个编号或名称；是否指：U1 甲, U2 乙？"
    set_language("en")
    result = run_files(write_rules_file(tmp_path, SMALL_RULES), write_csv_file(tmp_path, SMALL_ROWS))
    with pytest.raises(OptionError) as raised:
        resolve_unit(result, "甲乙")
    assert str(raised.value) == "Unknown unit '甲乙': no unit has this id or name; did you mean: U1 甲, U2 乙?"
