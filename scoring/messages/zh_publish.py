"""Chinese for the workbooks (scoring.io.workbook, scoring.io.template, scoring.report.exports)."""
ZH = {
    # scoring.io.workbook
    "Cannot write a workbook: {count} cell(s) hold a control character{more}":
        "无法写入工作簿：{count} 个单元格含有控制字符{more}",
    "control character U+{code} cannot be stored in .xlsx": "控制字符 U+{code} 无法保存在 .xlsx 中",
    "text without control characters (fix the input, or write .csv/.json)":
        "不含控制字符的文本（请修改输入，或改为输出 .csv/.json）",
    "sheet name {name}": "工作表名 {name}",
    "{cell} note": "{cell} 批注",
    " (the first {shown} of {count} shown)": "（仅列出前 {shown} 个，共 {count} 个）",
    # scoring.io.template
    "missing column": "缺少列",
    "a column headed '{header}'": "表头为“{header}”的列",
    "columns: {columns}": "现有列：{columns}",
    "Cannot take units from {path}": "无法从 {path} 读取单位",
    "empty unit id": "编号为空",
    "a unique id in every row": "每行一个不重复的编号",
    "duplicate unit id on lines {lines}": "第 {lines} 行编号重复",
    "each id once": "每个编号只出现一次",
    # scoring.report.exports
    "none": "无",
    "The rule file has no outcome chosen from the top: {path}": "规则文件中没有按前若干名确定的考核结果：{path}",
    "The rule file has no outcome chosen from the bottom: {path}": "规则文件中没有按后若干名确定的考核结果：{path}",
    "no outcome with '{keys}'": "没有设置“{keys}”的考核结果",
    "outcomes: {outcomes}": "考核结果：{outcomes}",
    "an outcome with {keys}": "设置了 {keys} 的考核结果",
    "Unknown outcome: {outcome}": "未知的考核结果：{outcome}",
    "unknown outcome": "未知的考核结果",
    "one of: {choices}": "以下之一：{choices}",
    "an outcome of the rule file (it has none)": "规则文件中的考核结果（规则文件未设置考核结果）",
    # scoring.publish (the HTML report and cards) and explain --out
    "a file that is not a previous zonescore page ({kind})": "不是 zonescore 此前生成的页面（{kind}）的文件",
    "Output format when printed [default: text]; --out writes the format of its extension.":
        "在屏幕显示时的输出格式［默认：text］；--out 按文件扩展名写入相应格式。",
    "Write the unit's report card to this file instead: .html (a page) or .xlsx (a workbook with one sheet).":
        "改为将该单位的成绩单写入此文件：.html（网页）或 .xlsx（单个工作表的工作簿）。",
    "Refusing to write the cards into {path}: it is a file": "不能把成绩单写入 {path}：这是一个文件",
    "cards go into a folder, one page per unit": "成绩单写入一个文件夹，每个考核对象一页",
    "a folder (new or existing), or a .xlsx file for one workbook": "一个文件夹（新建或已有），或一个 .xlsx 文件（一个工作簿）",
}
