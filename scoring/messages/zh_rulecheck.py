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
