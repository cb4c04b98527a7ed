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
    "required key is missing": "缺少必需的键",
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
