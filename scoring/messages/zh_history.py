"""Chinese for the messages of scoring.history, the history expressions and the history commands."""
ZH: dict[str, str] = {
    # cli_commands/history.py
    "Note: {year} {stage} was recorded before as run(s) {runs}; both are kept":
        "注意：{year}年{stage}此前已记录为运行 {runs}；两次都保留",
    "Recorded run #{run}: {year} {stage}, {units} units, output sha256:{sha} in {store}":
        "已记录运行 #{run}：{year}年{stage}，{units} 个单位，输出 sha256:{sha}，存于 {store}",
    "Run #{run} ({year} {stage}), recorded with zonescore {version}":
        "运行 #{run}（{year}年{stage}），记录时 zonescore 版本 {version}",
    "  JSON output sha256 recorded {old}, now {new}": "  JSON 输出 sha256 记录为 {old}，本次为 {new}",
    "  CSV output sha256 recorded {old}, now {new}": "  CSV 输出 sha256 记录为 {old}，本次为 {new}",
    "Run #{run} does not reproduce: the output differs": "运行 #{run} 无法重现：输出不同",
    "the output hashes differ": "输出的哈希值不同",
    "the run was recorded by another zonescore version": "该运行由另一版本的 zonescore 记录",
    "zonescore {version}": "zonescore {version}",
    "Identical: the stored files give byte-identical output.": "一致：用存储的文件重新计算，输出逐字节相同。",
    "{count} cell(s) corrected": "已更正 {count} 个单元格",
    # expressions
    "streak() names an unknown outcome": "streak() 中的考核结果不存在",
    "one of: {ids}": "以下之一：{ids}",
    "prev(N) reads 1 to {most} years back": "prev(N) 只能读取前 1 至 {most} 年",
    "prev(1) to prev({most})": "prev(1) 至 prev({most})",
    "prev(2).rank: a whole number of years": "如 prev(2).rank：年数为整数",
    'streak("warned"): an outcome id in quotes': '如 streak("warned")：加引号的考核结果编号',
    "'{function}' takes one constant argument": "“{function}”只接受一个常量参数",
    # amend
    "Corrections file has no id column: {path}": "更正文件没有编号列：{path}",
    "the first column must be the unit id": "第一列必须是单位编号",
    "'{id}' then the corrected columns": "先是“{id}”，再是更正的列",
    "no such unit in the recorded data": "记录的数据中没有这个单位",
    "a unit id of {file}": "{file} 中的单位编号",
    "no recorded data file has this column": "记录的数据文件都没有这一列",
    "a column header of the data": "数据文件中的表头",
    "Corrections cannot be applied: {path}": "无法应用更正：{path}",
    "The corrections change nothing: {path}": "更正没有改变任何数据：{path}",
    "every corrected cell equals the recorded one": "每个更正的单元格都与记录的相同",
    "at least one changed cell": "至少一个有变化的单元格",
    "Corrections apply to CSV data only": "更正只适用于 CSV 数据",
    "the recorded data includes a workbook": "记录的数据中有工作簿",
    "data recorded from CSV files": "由 CSV 文件记录的数据",
    # record
    "The year of the run is not known": "不知道本次考核的年度",
    "the rule file has no 'year' and no --year was given": "规则文件没有 year，也没有给出 --year",
    "year: 2023 in the rule file, or --year 2023": "在规则文件中写 year: 2023，或给出 --year 2023",
    # runs
    "More than one assessment has runs for {reference}": "不止一个考核有 {reference} 的运行",
    "runs of several rule files match": "多个规则文件的运行都符合",
    "a run number": "运行编号",
    "Not a run reference: {reference}": "不是运行编号：{reference}",
    "not a run number or YEAR:STAGE": "既不是运行编号，也不是 年度:阶段",
    "a run number such as 5, or 2023:公示": "运行编号（如 5）或 2023:公示",
    "No recorded run {reference}": "没有记录的运行 {reference}",
    "the store has no such run": "历史库中没有这次运行",
    "a run listed by 'zonescore history --runs'": "“zonescore history --runs”列出的运行",
    # store
    "No history store: {path}": "没有历史库：{path}",
    "no such file": "文件不存在",
    "an empty file": "空文件",
    "a store made by 'zonescore record' (--db FILE or ZONESCORE_DB)":
        "由“zonescore record”建立的历史库（--db 文件 或 ZONESCORE_DB）",
    "History store cannot be opened: {path}": "无法打开历史库：{path}",
    "History store is read-only: {path}": "历史库是只读的：{path}",
    "write permission on the file and its folder, or another --db": "对该文件及其文件夹的写权限，或换一个 --db",
    "History store is damaged: {path}": "历史库已损坏：{path}",
    "a copy from a backup; the damaged file is left as it is": "从备份恢复的副本；损坏的文件保持原样",
    "History store cannot be used: {path}": "无法使用历史库：{path}",
    "Not a zonescore history store: {path}": "不是 zonescore 历史库：{path}",
    "a store made by 'zonescore record'": "由“zonescore record”建立的历史库",
    "an SQLite database of another program": "其他程序的 SQLite 数据库",
    "History store was written by a newer zonescore: {path}": "历史库由更新版本的 zonescore 写入：{path}",
    "schema version {found}, this zonescore reads up to {known}": "结构版本 {found}，本程序最高只能读取 {known}",
    "a newer zonescore": "更新版本的 zonescore",
    "Unknown stage: {stage}": "未知阶段：{stage}",
    "not a stage of the yearly cycle": "不是年度考核流程中的阶段",
    "one of: {stages}": "以下之一：{stages}",
    "History store is a directory: {path}": "历史库是一个文件夹：{path}",
    "expected a file": "应为文件",
    "a store made by 'zonescore record', or a new file name": "由“zonescore record”建立的历史库，或一个新文件名",
    "the file is not an SQLite database": "该文件不是 SQLite 数据库",
    "the file cannot be written": "该文件不可写",
    "write permission on the file, or another --db": "对该文件的写权限，或换一个 --db",
    # trend
    "The history store has no runs yet: {path}": "历史库中还没有运行：{path}",
    "a run made by 'zonescore record'": "由“zonescore record”记录的运行",
    "no recorded run": "没有记录的运行",
    "No recorded run has the unit {unit}": "没有哪次记录的运行包含单位 {unit}",
    "a unit id or name of a recorded run": "记录的运行中的单位编号或名称",
    "unknown unit": "未知单位",
    # help texts
    "History store (SQLite) [default: ZONESCORE_DB, else zonescore.db here].":
        "历史库（SQLite）[默认：ZONESCORE_DB，否则为当前文件夹的 zonescore.db]。",
    "Year assessed [default: the rule file's 'year'].": "考核年度 [默认：规则文件的 year]。",
    "Stage of the yearly cycle: 草稿, 公示, 复核 or 终审.": "年度考核流程的阶段：草稿、公示、复核或终审。",
    "A note kept with the run.": "与本次运行一起保存的说明。",
    "Record the stored files of this run (number or YEAR:STAGE) instead of --rules/--data.":
        "记录该运行（编号或 年度:阶段）已存储的文件，而不是 --rules/--data。",
    "Run the assessment and store the rule file, the data files and every unit's results as one run.":
        "运行考核，把规则文件、数据文件和每个单位的结果作为一次运行保存。",
    "Run the assessment and record it in the store.": "运行考核并记入历史库。",
    "Re-run a recorded run; prove identical output.": "重新运行已记录的运行，证明输出相同。",
    "Score a recorded run again from its stored rule file and data; exit 0 only if the output is identical.":
        "用存储的规则文件和数据重新计算已记录的运行；输出完全相同时才返回 0。",
    "Apply corrections (异议) and record a 复核 run.": "应用更正（异议）并记录复核运行。",
    "Apply corrected cells to a recorded run's data, score again, record the new run linked to the first.":
        "把更正的单元格应用到已记录运行的数据，重新计分，记录与原运行关联的新运行。",
    "The run corrected: a run number or YEAR:STAGE (2023:公示).": "被更正的运行：运行编号或 年度:阶段（2023:公示）。",
    "CSV with the unit id column and only the corrected columns.": "CSV 文件：单位编号列和更正的列。",
    "Why the figures were corrected.": "更正数据的原因。",
    "Stage of the new run.": "新运行的阶段。",
    "What changed between two runs.": "两次运行之间的变化。",
    "Units whose rank, total or outcome changed, every changed data cell and why, and the rule-file diff.":
        "排名、总分或结果有变化的单位，每个变化的数据单元格及原因，以及规则文件的差异。",
    "Write to this file (.xlsx, .json, .md, .txt) instead of the terminal.":
        "写入此文件（.xlsx、.json、.md、.txt），而不是显示在终端。",
    "Ranks, totals and outcomes across the years.": "历年的排名、总分和结果。",
    "Final ranks, totals and outcomes of every unit by year; with UNIT, every recorded run of that unit.":
        "每个单位历年终审的排名、总分和结果；给出单位时，列出该单位的每次运行。",
    "List every recorded run instead.": "改为列出所有已记录的运行。",
}
