"""Chinese for scenario tests (scoring.rulecheck, zonescore test)."""
ZH: dict[str, str] = {
    "Run the scenario tests of rule files.": "运行规则文件的测试用例。",
    "Run scenario files (NAME.tests.yaml next to NAME.yaml; default: every one under rules/):\n"
    "each case gives a few units' inputs and expects points, totals, ranks, outcomes, fired rules or\n"
    "an error. Exit 1 when a case fails.":
        "运行测试用例文件（与 NAME.yaml 同目录的 NAME.tests.yaml；默认：rules/ 下的全部）：\n"
        "每个用例给出少数考核对象的数据，检查得分、总分、排名、考核结果、触发的规则或报错。\n有用例未通过时退出码为 1。",
    "{path} (rules {rules})": "{path}（规则 {rules}）",
    "PASSED": "通过",
    "FAILED": "失败",
    "rules no passing case shows firing: {rules}": "没有通过的用例显示其触发的规则：{rules}",
    "{total} cases: {passed} passed, {failed} failed": "共 {total} 个用例：{passed} 个通过，{failed} 个失败",
    "No scenario files found": "未找到测试用例文件",
    "no file named *.tests.yaml under {root}": "{root} 下没有 *.tests.yaml 文件",
    "a scenario file next to its rule file, e.g. rules/qingpu-2023.tests.yaml":
        "与规则文件同目录的测试用例文件，如 rules/qingpu-2023.tests.yaml",
    "no such scenario file": "测试用例文件不存在",
    "unexpected error: {error}": "意外报错：{error}",
    "error: expected a message containing {text!r}, got: {error}": "报错：应包含 {text!r}，实际为：{error}",
    "expected an error containing {text!r}, but every unit was scored": "应报错（包含 {text!r}），但全部单位均已计分",
    "{unit}: no such unit in this case": "{unit}：本用例中没有该单位",
    "{unit} {what}: expected {want}, got {got}": "{unit} {what}：应为 {want}，实际为 {got}",
    "Cannot read scenario file: {path}": "无法读取测试用例文件：{path}",
    "a UTF-8 YAML file": "UTF-8 编码的 YAML 文件",
    "Scenario file is not valid YAML: {path}": "测试用例文件不是有效的 YAML：{path}",
    "valid YAML": "有效的 YAML",
    "Scenario file does not describe test cases: {path}": "测试用例文件的内容不符合要求：{path}",
    "unknown key": "未知的键",
    "required key is missing": "缺少必填的键",
    "wrong kind of value": "值的类型不对",
    "see docs/cli.md, section test": "见 docs/cli.md 的 test 一节",
}
ZH.update({
    "the children's weights add up to {sum:g}, not to the group's weight {weight:g}: each child counts its share of "
    "{weight:g} points, unlike the other groups":
        "下级指标权重合计 {sum:g}，不等于本组权重 {weight:g}：各下级指标按所占比例分得 {weight:g} 分，与其他分组的写法不同",
    "geometric aggregation at the top level: the total is the weighted geometric mean of the groups' shares times "
    "the full score {full:g}, and group points do not add up to it":
        "顶层按几何平均汇总：总分是各组得分率的加权几何平均乘以满分 {full:g}，各组得分相加不等于总分",
    "arithmetic, or weights that add up to the full score you mean": "算术平均，或权重合计等于想要的满分",
    "raising {input} makes this indicator better for {up} unit(s) and worse for {down}: a unit's total can fall when "
    "{input} rises":
        "{input} 增加时，本指标对 {up} 个单位变好、对 {down} 个单位变差：{input} 增加可能使总分下降",
    "raising {input} makes {better} better but this indicator worse: a unit's total can fall when {input} rises":
        "{input} 增加时，{better} 变好，但本指标变差：{input} 增加可能使总分下降",
    "fires for no unit on this data": "在本数据上对任何单位都不触发",
    "fires for every unit on this data": "在本数据上对全部单位都触发",
    "band {n} is never reached: an earlier band takes all its values": "第 {n} 档永远用不到：前面的档已包含其全部取值",
    "{count} unit(s) have values that match no band and score 0, e.g. {value:g}":
        "有 {count} 个单位的取值不属于任何一档，得 0 分，如 {value:g}",
    "forces units into {one}, while {other} forces the same units into {two}: the first rule decides":
        "将单位列为 {one}，而 {other} 将同样的单位列为 {two}：以前一条规则为准",
    "forces units into {outcome}, which {veto} bars them from": "将单位列为 {outcome}，但 {veto} 规定这些单位不得评为该结果",
    "the fallback can give {most:g} points, more than the weight {weight:g}": "缺失替代计分最多可得 {most:g} 分，超过权重 {weight:g}",
    "the fallback gives fixed points that do not scale with the weight {weight:g}: when weights change (whatif, "
    "robustness, weights) the units that use it move against the others":
        "缺失替代计分给出固定分值，不随权重 {weight:g} 变化：权重调整时（whatif、robustness、weights），使用它的单位会相对其他单位变动",
    "the policy mean or lowest, or a fallback checked again when weights change": "改用 mean 或 lowest 处理方式，或在调整权重时重新核对替代计分",
    "input read by no rule": "没有规则读取该数据项",
    "derived value read by no rule": "没有规则读取该派生值",
    "Lint the rule file against the data.": "对照数据检查规则文件中的隐患。",
    "Check the rule file against its data for traps that score without an error but not as meant:\n"
    "weights that do not add up, top-level geometric means, inputs that raise one indicator and lower\n"
    "another, rules that never or always fire, unreachable or missing bands, contradicting force rules,\n"
    "outcomes that cannot be filled, fallbacks that do not scale, unused inputs. Exit 0; 1 with --strict\n"
    "when anything is found.":
        "对照数据检查规则文件中能计分但可能与本意不符的隐患：权重合计不符、顶层几何平均、\n"
        "使一项指标变好而另一项变差的数据项、从不或总是触发的规则、用不到或缺失的分档、相互矛盾的强制规则、\n"
        "无法填满的考核结果、不随权重变化的缺失替代计分、未使用的数据项。退出码为 0；加 --strict 时有发现则为 1。",
    "Exit 1 when anything is found.": "有任何发现时退出码为 1。",
    "{count} finding(s) in {path}": "{path} 中有 {count} 处发现",
    "No findings: {path}": "未发现问题：{path}",
})
ZH.update({
    "Write a starter rule file from sample data.": "根据样本数据生成规则文件初稿。",
    "Ask a few questions (what the units are called, the id and name columns of a sample data file,\n"
    "the top-level groups) and write a commented starter rule file, its scenario file and a data\n"
    "template, which validate and run at once. Options answer the questions without asking.":
        "回答几个问题（考核对象的称呼、样本数据中编号和名称所在的列、顶层分组），\n"
        "生成带注释的规则文件初稿及其测试用例文件，可直接检查和运行。用选项给出答案则不再提问。",
    "A sample data file (CSV or .xlsx) with one row per unit and a header row.": "样本数据文件（CSV 或 .xlsx），每个考核对象一行，首行为表头。",
    "The rule file to write; its scenario file and data template are written beside it.": "要写入的规则文件；测试用例文件写在同一目录。",
    "What the units are called, e.g. 经济小区.": "考核对象的称呼，如 经济小区。",
    "The column with each unit's id.": "编号所在的列。",
    "The column with each unit's name.": "名称所在的列。",
    "Top-level groups, separated by commas, e.g. 增速,户数,质量.": "顶层分组，用逗号分隔，如 增速,户数,质量。",
    "The assessment's title.": "考核名称。",
    "Columns of {path}: {columns}": "{path} 的列：{columns}",
    "What are the units called?": "考核对象怎么称呼？",
    "unit": "单位",
    "Which column holds the id?": "编号在哪一列？",
    "Which column holds the name?": "名称在哪一列？",
    "Top-level groups (separated by commas)": "顶层分组（用逗号分隔）",
    "an existing file": "已存在的文件",
    "Next: zonescore test {scenarios}; zonescore run --rules {rules} --data {data}":
        "下一步：zonescore test {scenarios}；zonescore run --rules {rules} --data {data}",
    "no such column in the sample data": "样本数据中没有该列",
    "give at least one group name": "请至少给出一个分组名称",
    "e.g. 增速,户数,质量": "如 增速,户数,质量",
    "the sample data has no number column to score": "样本数据中没有可计分的数值列",
    "Cannot write a starter rule file": "无法生成规则文件初稿",
    "# {title} — rule file written by zonescore init: edit it, then run zonescore test and zonescore run.":
        "# {title}——由 zonescore init 生成的规则文件初稿：修改后运行 zonescore test 和 zonescore run。",
    "# Every key is explained in docs/rules.md (Chinese tutorial: docs/tutorial.md).":
        "# 每个键的含义见 docs/rules.md（中文教程：docs/tutorial.md）。",
    "# Inputs: the name used in the rules, and the header in the data file.": "# 数据项：左边是规则中使用的名称，column 是数据文件中的表头。",
    "# Indicators in groups; a group's points are shared by its indicators by their weights.":
        "# 指标分组；各组分值按权重分给组内指标。",
    "# Method minmax is the efficacy coefficient (功效系数): floor 0.6 means the lowest unit gets 60%.":
        "# minmax 即功效系数法：floor 0.6 表示最低者得该项分值的 60%。",
    "# Bonuses, deductions, vetoes: see docs/rules.md, section adjustments.": "# 加分、扣分、一票否决等规则：见 docs/rules.md 的 adjustments 一节。",
    "# Outcomes: the top {top} are commended, the bottom {bottom} warned.": "# 考核结果：前 {top} 名表彰，后 {bottom} 名预警提示。",
    "commended": "表彰",
    "warned": "预警提示",
    "# Scenario tests of {rules}: zonescore test runs them. Add a case for every rule you write.":
        "# {rules} 的测试用例：由 zonescore test 运行。每写一条规则，就加一个用例。",
    "the first unit of the sample": "样本中的第一名",
    "{unit} assessment": "{unit}考核",
})
ZH["# missing: lowest gives a unit without a value the lowest score of the others."] = "# missing: lowest 表示缺少数据的单位按其他单位的最低得分计。"
ZH["# Here every indicator of a group weighs 1: they share the group's points equally."] = "# 这里组内每个指标的权重都是 1：平分本组分值。"
