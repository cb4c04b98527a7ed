"""Write the example files that docs/cli.md uses, from the shipped zones.csv.

Every file here is invented: zones.csv is itself invented sample data, and these are cut from it or
changed by hand below. Run from the repository root: `python docs/examples/make_examples.py`.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
ID, NAME = "编号", "小区名称"
DEPARTMENTS = {  # file -> the columns each department sends (besides id and name)
    "tax.csv": ["所属单位", "税收（万元）", "上年税收（万元）", "税收目标（万元）", "战略性新兴产业税收（万元）", "违规返税"],
    "finance.csv": ["有效纳税户数", "纳税百万元以上企业数", "重大项目数", "设立年份"],
    "market.csv": ["新增有效纳税户数", "新增户数目标", "赛道企业新增户数", "虚假注册户数"],
}


def read_zones() -> tuple[list[str], list[dict[str, str]]]:
    with open(ROOT / "zones.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return list(rows[0].keys()), rows


def write_csv(name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_xlsx(name: str, sheets: list[tuple[str, list[list]]]) -> None:
    from openpyxl import Workbook

    from scoring.io.workbook import reproducible_bytes

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    (HERE / name).write_bytes(reproducible_bytes(book))  # the same bytes every time


def typed(value: str):
    try:
        number = float(value)
    except ValueError:
        return value if value else None
    return int(number) if number.is_integer() and "." not in value else number


def main() -> None:
    header, rows = read_zones()
    for name, columns in DEPARTMENTS.items():
        write_csv(name, [ID, NAME, *columns], rows)
    table = [header] + [[typed(row[c]) for c in header] for row in rows]
    write_xlsx("zones.xlsx", [("说明", [["说明"], ["2023 年度数据在工作表 2023；本文件为虚构示例"]]), ("2023", table)])
    loose = [h.replace("税收（万元）", "税收(万元)") if h == "税收（万元）" else h for h in header]
    write_xlsx("2023年度.xlsx", [("Sheet1", [["青浦区2023年度经济小区数据"], ["单位：万元、户"], loose, *table[1:]])])
    twins = [dict(row) for row in rows]
    for row in twins:  # two zones share a name, and one zone is named like another's id
        if row[ID] == "Z17":
            row[NAME] = "夏阳第三经济小区"
        if row[ID] == "Z05":
            row[NAME] = "Z06"
    write_csv("twins.csv", header, twins)
    bad = [dict(row) for row in rows[:4]]
    bad[2]["税收（万元）"] = "5万"
    bad[3][ID] = "Z01"
    write_csv("bad.csv", header, bad)
    (HERE / "corrections.csv").write_text("编号,新增有效纳税户数\nZ28,300\n", encoding="utf-8")  # an objection upheld
    rules = (ROOT / "rules" / "qingpu-2023.yaml").read_text(encoding="utf-8")
    proposal = rules.replace("label: 增速\n    weight: 40", "label: 增速\n    weight: 45")
    proposal = proposal.replace("label: 质量\n    weight: 30", "label: 质量\n    weight: 25")
    assert proposal.count("weight: 45") == 1 and proposal.count("weight: 25") == 1
    note = "# 示例：考核办提出的权重调整方案（增速 40→45，质量 30→25），供 zonescore whatif --against 比较。\n"
    (HERE / "proposal.yaml").write_text(note + proposal, encoding="utf-8")


if __name__ == "__main__":
    main()
