"""prev.*, prev(N).* and streak() in expressions: parsing, kinds, missing history, values joined by unit id."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from cli import main
from scoring.api.expr import parse
from scoring.errors import ExpressionError
from scoring.history.record import read_files, record_run, reproduce

ROOT = Path(__file__).resolve().parent.parent


def test_history_names_are_columns():
    expr = parse('prev.outcome == "warned" and streak("warned") >= 2 or prev(2).rank < 3 and prev.税收 > 0',
                 known={"税收": 1})
    assert expr.names == {"prev.outcome", 'streak("warned")', "prev(2).rank", "prev.税收"}


@pytest.mark.parametrize("text, message", [
    ("prev(0).rank", "prev(N) reads 1 to 10 years back"),
    ("prev(11).rank", "prev(N) reads 1 to 10 years back"),
    ("prev(a).rank", "'prev' takes one constant argument"),
    ("streak(1)", "'streak' takes one constant argument"),
    ("prev.unknown", "unknown name 'prev.unknown'"),
    ("prev", "unknown name 'prev'"),
    ("a.b", "'Attribute' is not allowed in expressions"),
])
def test_bad_history_expressions_are_refused(text, message):
    with pytest.raises(ExpressionError) as info:
        parse(text, known={"a": 1, "税收": 1})
    assert message in [p.message for p in info.value.problems]


def test_history_error_in_chinese():
    from scoring.messages import set_language

    set_language("zh")
    try:
        with pytest.raises(ExpressionError) as info:
            parse("prev(0).rank", known={})
        assert info.value.problems[0].message == "prev(N) 只能读取前 1 至 10 年"
    finally:
        set_language("en")


def test_unknown_streak_outcome_is_a_rule_file_error(tmp_path):
    text = (ROOT / "rules/qingpu-2023.yaml").read_text(encoding="utf-8")
    rules = tmp_path / "r.yaml"
    rules.write_text(text.replace('prev.outcome == "warned"', 'streak("praised") > 0'), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--rules", str(rules), "--data", str(ROOT / "zones.csv")])
    assert result.exit_code == 1
    assert "streak() names an unknown outcome (found 'praised'; expected one of: commended, warned)" in result.output


def test_without_history_the_rules_read_missing_values():
    from scoring.engine.run import run_files

    result = run_files(ROOT / "rules/qingpu-2023.yaml", ROOT / "zones.csv")
    assert np.isnan(result.columns["prev.rank"]).all()
    assert all(v is None for v in result.columns["prev.outcome"])
    assert not result.adjustments.fired[["progress", "repeat_warning"]].any().any()


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    """2021 and 2022 finals (the 2022 sample as both years), then a 2023 run reading both."""
    folder = tmp_path_factory.mktemp("years")
    store = folder / "z.db"
    rules = ROOT / "rules/qingpu-2022.yaml"
    record_run(store, read_files(str(rules), [str(ROOT / "zones-2022.csv")]), "终审", year=2021)
    record_run(store, read_files(str(rules), [str(ROOT / "zones-2022.csv")]), "终审", year=2022)
    text = (ROOT / "rules/qingpu-2023.yaml").read_text(encoding="utf-8").replace(
        "    note: 上年终审列入预警提示、本年基础分仍居后5名的，提请约谈\n",
        "    note: 上年终审列入预警提示、本年基础分仍居后5名的，提请约谈\n"
        "  - {id: streak2, label: 连续两年, when: 'streak(\"warned\") >= 2 and prev(2).rank > 30', action: flag}\n"
        "  - {id: growing, label: 税收增长, when: 税收 > prev.税收 * 1.3, action: flag}\n")
    (folder / "r.yaml").write_text(text, encoding="utf-8")
    return store, record_run(store, read_files(str(folder / "r.yaml"), [str(ROOT / "zones.csv")]), "草稿")


def test_prev_n_streak_and_prev_input_are_joined_by_unit(three_years):
    store, recorded = three_years
    fired = recorded.scored.result.adjustments.fired
    warned_2022 = ["Z03", "Z09", "Z25", "Z27", "Z36"]
    assert sorted(fired.index[fired["streak2"]]) == warned_2022  # warned in 2021 and 2022, 35th or lower
    columns = recorded.scored.result.columns
    index = list(recorded.scored.result.index)
    assert columns['streak("warned")'][index.index("Z25")] == 2
    assert columns['streak("warned")'][index.index("Z31")] == 0
    assert np.isnan(columns["prev.税收"][index.index("Z39")])  # a new zone: missing
    grew = {u for u in index if u != "Z39"}
    by_hand = {u for u in grew if float(recorded.scored.result.data.frame.at[u, "税收"]) >
               float(recorded.scored.result.data.frame.at[u, "上年税收"]) * 1.3}  # 2022's 税收 is 2023's 上年税收
    assert set(fired.index[fired["growing"]]) == by_hand
    assert reproduce(store, str(recorded.run_id)).identical


def test_tampered_store_does_not_reproduce(tmp_path):
    store = tmp_path / "z.db"
    recorded = record_run(store, read_files(str(ROOT / "rules/qingpu-2022.yaml"), [str(ROOT / "zones-2022.csv")]),
                          "终审")
    with sqlite3.connect(store) as db:  # someone goes around zonescore: drops the guard and edits a cell
        db.execute("DROP TRIGGER blobs_no_update")
        digest = db.execute("SELECT sha256 FROM run_files").fetchone()[0]
        content = db.execute("SELECT content FROM blobs WHERE sha256 = ?", (digest,)).fetchone()[0]
        db.execute("UPDATE blobs SET content = ? WHERE sha256 = ?",
                   (content.replace(b"Z01,\xe5\xa4\x8f\xe9\x98\xb3\xe7\xac\xac\xe4\xb8\x80\xe7\xbb\x8f\xe6\xb5\x8e"
                                    b"\xe5\xb0\x8f\xe5\x8c\xba,\xe5\xa4\x8f\xe9\x98\xb3\xe8\xa1\x97\xe9\x81\x93,61007.0",
                                    "Z01,夏阳第一经济小区,夏阳街道,91007.0".encode()), digest))
    result = CliRunner().invoke(main, ["reproduce", str(recorded.run_id), "--db", str(store)])
    assert result.exit_code == 1
    assert "Error: Run #1 does not reproduce: the output differs" in result.output


def test_amend_errors_are_listed_at_once(tmp_path):
    store = tmp_path / "z.db"
    record_run(store, read_files(str(ROOT / "rules/qingpu-2022.yaml"), [str(ROOT / "zones-2022.csv")]), "公示")
    corrections = tmp_path / "c.csv"
    corrections.write_text("编号,税收（万元）,没有这列\nZ99,1,\nZ01,,5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["amend", "--from", "2022:公示", "--data", str(corrections), "--reason", "x",
                                       "--db", str(store)])
    assert result.exit_code == 1
    assert f"{corrections}:2: 编号: no such unit in the recorded data (found 'Z99'" in result.output
    assert f"{corrections}:3: 没有这列: no recorded data file has this column" in result.output
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_history_outputs_in_json_and_workbook(tmp_path):
    import openpyxl

    store = tmp_path / "z.db"
    record_run(store, read_files(str(ROOT / "rules/qingpu-2022.yaml"), [str(ROOT / "zones-2022.csv")]), "终审")
    args = ["--rules", str(ROOT / "rules/qingpu-2023.yaml"), "--data", str(ROOT / "zones.csv"), "--db", str(store)]
    document = json.loads(CliRunner().invoke(main, ["run", "--format", "json", *args]).output)
    z25 = next(u for u in document["units"] if u["id"] == "Z25")
    assert z25["previous"] == {"year": 2022, "run": 1, "rank": 35, "total": 71.634172, "outcome": "warned"}
    assert next(u for u in document["units"] if u["id"] == "Z39")["previous"] is None
    assert document["provenance"]["data"][1]["file"] == "2022:终审 #1"
    out = tmp_path / "r.xlsx"
    assert CliRunner().invoke(main, ["run", "--out", str(out), *args]).exit_code == 0
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    header = next(row for row in rows[:8] if "上年排名" in row)  # under the print layout's title rows
    start = header.index("上年排名")
    assert header[start:start + 3] == ("上年排名", "排名变化", "上年结果")
    assert next(r for r in rows if r[0] == "Z25")[-4:-1] == (35, "↑25", "预警提示")


def test_a_correction_that_is_not_a_number_names_the_recorded_file(tmp_path):
    store = tmp_path / "z.db"
    record_run(store, read_files(str(ROOT / "rules/qingpu-2022.yaml"), [str(ROOT / "zones-2022.csv")]), "公示")
    corrections = tmp_path / "c.csv"
    corrections.write_text("编号,新增有效纳税户数\nZ28,三百\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["amend", "--from", "1", "--data", str(corrections), "--reason", "x",
                                       "--db", str(store)])
    assert result.exit_code == 1
    assert f"  - {ROOT / 'zones-2022.csv'}:29: 新增有效纳税户数: not a number (found '三百'" in result.output
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)
