"""Chinese for the command line: command help, option help, notes."""
ZH: dict[str, str] = {
    # --- the group and the command list (one line each) ---
    "Score, rank and classify assessment units from a YAML rule file.": "按 YAML 规则文件对考核对象计分、排名、定等级。",
    "Score and rank every unit (the annual run).": "对全部考核对象计分排名（年度考核）。",
    "How one unit's total was made.": "说明一个考核对象的得分由来。",
    "Check the rule file and the data.": "检查规则文件和数据。",
    "The warning list (预警提示).": "预警提示名单。",
    "The commendation list (表彰).": "表彰名单。",
    "An empty data workbook for the rules.": "生成与规则对应的空白数据表。",
    "Ranks and outcomes under changed weights.": "调整权重后的排名和结果。",
    "How robust are ranks to the weights?": "排名对权重是否稳健？",
    "Check the installation and its settings.": "检查安装情况和设置。",
    # --- command help ---
    "Score and rank every unit; show the ranked table with outcomes (--out results.xlsx: full workbook).":
        "对全部考核对象计分排名，显示带考核结果的排名表（--out results.xlsx：完整结果工作簿）。",
    "Explain one unit (id or name): points, adjustments, distance to the lines, values needed\n"
    "(--out F.html or F.xlsx: the unit's report card, as ``cards`` writes it).":
        "说明一个考核对象（编号或名称）：各项得分、加减分、距各条线的分差、需要达到的数值\n"
        "（--out 文件.html 或 文件.xlsx：该单位的成绩单，与 cards 命令所写相同）。",
    "Check the rule file and the data file(s); exit 0 when all is well.":
        "检查规则文件和数据文件；全部无误时退出码为 0。",
    "The warning list (预警提示): units of the outcome chosen from the bottom, with reason and distance.":
        "预警提示名单：从末位选出的考核对象，附原因和分差。",
    "The commendation list (表彰): units of the outcome chosen from the top, with reason and distance.":
        "表彰名单：从首位选出的考核对象，附原因和分差。",
    "An empty data workbook with exactly the columns the rules read (label and unit in header notes).":
        "生成空白数据工作簿，列正好是规则读取的各项（名称和计量单位在表头批注中）。",
    "Compare ranks and outcomes under changed weights (or another rule file) with the baseline.":
        "比较调整权重（或换用另一规则文件）后与原方案的排名和结果。",
    "How robust are ranks and outcomes to the weights? Per unit: nominal and median rank, 5%-95%\n"
    "rank interval, probability of each outcome, verdict robust (nominal outcome in >= 95% of the\n"
    "draws) or borderline; mean absolute rank shift.":
        "排名和结果对权重是否稳健？逐个考核对象给出：原排名和中位排名、5%–95% 排名区间、\n"
        "各考核结果的概率、结论“稳健”（≥95% 的抽样中结果不变）或“临界”；平均排名变动。",
    "Show what this installation has: the versions of zonescore, Python and the libraries, the\n"
    "engine that evaluates adjustment conditions, the interface language and how it was chosen, the\n"
    "locale and console encoding, Chromium and LibreOffice (for rendering), the cache directory.":
        "显示本机安装情况：zonescore、Python 和各程序库的版本，判断加减分条件的规则引擎，\n"
        "界面语言及其来源，区域设置和控制台编码，Chromium 和 LibreOffice（生成报告用），缓存目录。",
    # --- options ---
    "Rule file (YAML).": "规则文件（YAML）。",
    "Unit data, CSV or .xlsx. Give it once per department's file to join the files on the unit id.":
        "考核对象数据，CSV 或 .xlsx。每个部门的文件各给一次，按编号合并。",
    "Output format [default: table, or from the --out extension; xlsx needs --out].":
        "输出格式［默认：表格，或按 --out 的扩展名；xlsx 需要 --out］。",
    "Output format [default: table, or from the --out extension].": "输出格式［默认：表格，或按 --out 的扩展名］。",
    "Output format.": "输出格式。",
    "Write to this file instead of stdout (.xlsx: the full results workbook).":
        "写入该文件而不在屏幕显示（.xlsx：完整结果工作簿）。",
    "Write to this file instead of stdout.": "写入该文件而不在屏幕显示。",
    "Write to this file (.xlsx, .csv, .json, .md, .txt) instead of the terminal.":
        "写入该文件（.xlsx、.csv、.json、.md、.txt）而不在屏幕显示。",
    "Replace an existing --out file that is not a previous output of this command (never an input file, a link, "
    "a pipe, a device or a directory).":
        "覆盖已存在且不是本命令以前输出的 --out 文件（输入文件、链接、管道、设备和文件夹一律不覆盖）。",
    "Add a short reason column (weakest/strongest groups, veto, forced outcome).":
        "增加简短的原因列（薄弱项/优势项、一票否决、规定结果）。",
    "Add the wall-clock time to the provenance (output then differs run to run).":
        "在来源信息中加入生成时间（每次输出因此不同）。",
    "Worksheet to read from .xlsx data files [default: the first sheet].": "读取 .xlsx 数据的工作表［默认：第一张］。",
    "What evaluates the adjustment conditions: the durable-rules engine (every firing checked against numpy), "
    "numpy alone, or auto (durable-rules up to 20,000 units).":
        "加减分条件由谁判断：durable-rules 规则引擎（每次触发都与 numpy 核对）、只用 numpy，"
        "或 auto（20,000 个以内用 durable-rules）。",
    "Interface language [default: ZONESCORE_LANG, else the locale].": "界面语言［默认：ZONESCORE_LANG，否则按系统区域设置］。",
    "A previous year's data file (CSV or .xlsx): one template row per unit.": "以前年度的数据文件（CSV 或 .xlsx）：每个考核对象一行。",
    "Write the template to this .xlsx (or .csv) file; without it, list the columns.":
        "把模板写入该 .xlsx（或 .csv）文件；不给时列出各列。",
    "New weight of a group or indicator (id or label), e.g. growth=50 or 增速=50; repeatable.":
        "分组或指标（编号或名称）的新权重，如 growth=50 或 增速=50；可多次给出。",
    "Compare with another rule file on the same data (instead of --weight).": "与同一数据下的另一规则文件比较（代替 --weight）。",
    "Number of random draws of the weights (at least 1; at most what fits in memory).":
        "权重随机抽样次数（至少 1；至多内存容纳得下的次数）。",
    "Each weight (groups and indicators) is multiplied by a factor drawn uniformly from [1 - S, 1 + S], "
    "independently per weight and draw; 0 <= S < 1.":
        "每个权重（分组和指标）乘以从 [1 - S, 1 + S] 均匀抽取的系数，各权重、各次抽样相互独立；0 <= S < 1。",
    "Random seed from 0 to 4294967295; the same seed gives identical output.": "随机种子，0 至 4294967295；同一种子输出完全相同。",
    "Also pick each indicator's scoring method at random among its method and the 'alternatives' named in the "
    "rule file.":
        "同时在指标的计分方法与规则文件列出的“alternatives”之间随机选取计分方法。",
    # --- notes and errors of the commands ---
    "Wrote {path}": "已写入 {path}",
    "Note: '{given}' is the id of {unit} and also the name of {others}; explaining {unit} (give {other} for the "
    "other)":
        "注意：“{given}”是 {unit} 的编号，也是 {others} 的名称；现说明 {unit}（要说明另一个请给 {other}）",
    "A template takes its units from one previous data file": "模板只能取一个以前年度数据文件中的考核对象",
    "--data given more than once": "--data 给了多次",
    "one file": "一个文件",
    "Give either --weight NODE=VALUE (one or more) or --against RULES": "请给出 --weight 节点=权重（一个或多个）或 --against 规则文件",
    "what to compare with the baseline": "与原方案比较的对象",
    "e.g. --weight growth=50, or --against rules/proposal.yaml": "例如 --weight growth=50，或 --against rules/proposal.yaml",
    "robustness": "稳健性",
    # --- zonescore doctor ---
    "not installed": "未安装",
    "durable-rules, every firing checked against numpy (--engine auto: up to {limit} units)":
        "durable-rules，每次触发都与 numpy 核对（--engine auto：{limit} 个以内）",
    "numpy only: durable-rules is not installed or cannot be loaded (same results; installing it needs a "
    "C compiler)":
        "只用 numpy：未安装或无法加载 durable-rules（结果相同；安装它需要 C 编译器）",
    "Rule engine": "规则引擎",
    "{language} ({code}), {source}": "{language}（{code}），{source}",
    "{encoding}{mode} ({shows})": "{encoding}{mode}（{shows}）",
    "Interface language": "界面语言",
    "Chinese": "中文",
    "English": "英文",
    "Locale": "区域设置",
    "{locale}; files and pipes in {encoding}": "{locale}；文件和管道用 {encoding} 编码",
    "Console": "控制台编码",
    "Chinese shows": "可以显示中文",
    "cannot show Chinese: set PYTHONUTF8=1": "无法显示中文：请设置 PYTHONUTF8=1",
    ", UTF-8 mode": "，UTF-8 模式",
    "not found (needed only to render reports as PDF or pictures)": "未找到（仅在把报告生成为 PDF 或图片时需要）",
    "Cache": "缓存目录",
    "off": "已关闭",
    "chosen with --lang": "由 --lang 指定",
    "from the system locale ({value})": "按系统区域设置（{value}）",
    "the default (no setting names a language)": "默认（没有任何设置指定语言）",
    "from {variable}={value}": "按 {variable}={value}",
    # --- the condition engine (scoring.engine.conditions) when durable-rules is not installed ---
    "The durable-rules engine is not installed": "未安装 durable-rules 规则引擎",
    "the durable-rules package is not installed or cannot be loaded": "durable-rules 程序包未安装或无法加载",
    "--engine auto or numpy (same results), or durable-rules installed: pip install durable-rules (needs a C compiler)":
        "--engine auto 或 numpy（结果相同），或者先安装 durable-rules：pip install durable-rules（需要 C 编译器）",
    # --- report and cards (cli_commands/publish.py) ---
    "The HTML report, or the 通报 in Word.": "HTML 结果报告，或 Word 格式的通报。",
    "A report card per unit.": "为每个考核对象生成成绩单。",
    "Write the results for publication: an HTML report in one self-contained file (summary for the\n"
    "leadership, lists, lines, charts, ranked table, a section per unit), or the 通报 draft as a\n"
    "Word document (--out 通报.docx).":
        "生成可发布的考核结果：一个独立的 HTML 报告文件（领导摘要、名单、分数线、图表、排名表、\n"
        "每个考核对象一节），或 Word 格式的通报初稿（--out 通报.docx）。",
    "The file to write: .html (report with charts, works offline) or .docx (the 通报 draft).":
        "要写入的文件：.html（带图表的报告，无需联网）或 .docx（通报初稿）。",
    "html or docx [default: from the --out extension].": "html 或 docx［默认：按 --out 的扩展名］。",
    "Write a report card per unit to send to each unit: indicator values and points, peer rank per\n"
    "indicator, adjustments with reasons, rank, outcome, distance to each line and the values it\n"
    "needs.":
        "为每个考核对象生成成绩单，可分发给各单位：各指标数值和得分、各指标排名、加减分及原因、\n"
        "排名、考核结果、距各分数线的分差和越线所需数值。",
    "A folder for one HTML card per unit, or a .xlsx file for one workbook with a sheet per unit.":
        "文件夹（每个考核对象一个 HTML 文件），或 .xlsx 文件（一个工作簿，每个考核对象一张工作表）。",
    "html (a folder of pages) or xlsx (one workbook) [default: xlsx for a .xlsx --out, else html].":
        "html（一个文件夹的网页）或 xlsx（一个工作簿）［默认：--out 为 .xlsx 时为 xlsx，否则为 html］。",
}
