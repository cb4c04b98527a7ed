"""Rule files as tested artefacts: ``zonescore test`` runs the scenario files next to the rule files."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import data_option, engine_option, force_option, rules_option, sheet_option, wrote
from .i18n import command, option


@command("test", short_help="Run the scenario tests of rule files.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def test_command(files: tuple[str, ...]) -> None:
    """Run scenario files (NAME.tests.yaml next to NAME.yaml; default: every one under rules/):
    each case gives a few units' inputs and expects points, totals, ranks, outcomes, fired rules or
    an error. Exit 1 when a case fails."""
    from scoring.rulecheck.discover import scenario_files
    from scoring.rulecheck.scenario_run import run_scenario_file

    results = [run_scenario_file(path) for path in scenario_files(files)]
    failed = 0
    for result in results:
        click.echo(tr("{path} (rules {rules})", path=result.path, rules=result.rules))
        for case in result.cases:
            click.echo("  " + (tr("PASSED") if case.passed else tr("FAILED")) + "  " + case.name)
            for line in case.differences:
                click.echo("          " + line)
            failed += not case.passed
        if result.uncovered:
            click.echo("  " + tr("rules no passing case shows firing: {rules}", rules=", ".join(result.uncovered)))
    total = sum(len(r.cases) for r in results)
    click.echo(tr("{total} cases: {passed} passed, {failed} failed", total=total, passed=total - failed,
                  failed=failed))
    if failed:
        raise click.exceptions.Exit(1)




@command("lint", short_help="Lint the rule file against the data.")
@rules_option
@data_option
@option("--strict", is_flag=True, default=False, help="Exit 1 when anything is found.")
@sheet_option
@engine_option
def lint_command(strict: bool, rules_path: str, data_path: tuple[str, ...], sheet: str | None,
                 engine: str = "auto") -> None:
    """Check the rule file against its data for traps that score without an error but not as meant:
    weights that do not add up, top-level geometric means, inputs that raise one indicator and lower
    another, rules that never or always fire, unreachable or missing bands, contradicting force rules,
    outcomes that cannot be filled, fallbacks that do not scale, unused inputs. Exit 0; 1 with --strict
    when anything is found."""
    from scoring.engine.run import run_files
    from scoring.rulecheck.lint import lint

    findings = lint(run_files(rules_path, data_path, sheet, engine))
    if not findings:
        click.echo(tr("No findings: {path}", path=rules_path))
        return
    click.echo(tr("{count} finding(s) in {path}", count=len(findings), path=rules_path))
    for finding in findings:
        click.echo(f"  - {finding.render()}")
    if strict:
        raise click.exceptions.Exit(1)



@command("init", short_help="Write a starter rule file from sample data.")
@option("--data", "data_path", required=True, type=click.Path(dir_okay=False),
        help="A sample data file (CSV or .xlsx) with one row per unit and a header row.")
@option("--out", default="rules/new.yaml", show_default=True, type=click.Path(dir_okay=False),
        help="The rule file to write; its scenario file and data template are written beside it.")
@option("--unit", "unit_noun", default=None, help="What the units are called, e.g. 经济小区.")
@option("--id-column", default=None, help="The column with each unit's id.")
@option("--name-column", default=None, help="The column with each unit's name.")
@option("--groups", default=None, help="Top-level groups, separated by commas, e.g. 增速,户数,质量.")
@option("--title", default=None, help="The assessment's title.")
@force_option
def init_command(data_path: str, out: str, unit_noun: str | None, id_column: str | None, name_column: str | None,
                 groups: str | None, title: str | None, force: bool) -> None:
    """Ask a few questions (what the units are called, the id and name columns of a sample data file,
    the top-level groups) and write a commented starter rule file, its scenario file and a data
    template, which validate and run at once. Options answer the questions without asking."""
    from pathlib import Path

    from scoring.api.assessment import load_assessment
    from scoring.io.data import read_table
    from scoring.io.outputs import check_replace, check_target, save
    from scoring.io.template import write_template
    from scoring.rulecheck.starter import Answers, default_title, starter_files

    header = [c for c in read_table(data_path)[0].columns if not c.startswith("_")]
    click.echo(tr("Columns of {path}: {columns}", path=data_path, columns=", ".join(header)), err=True)
    unit_noun = unit_noun or click.prompt(tr("What are the units called?"), default=tr("unit"), err=True)
    id_column = id_column or click.prompt(tr("Which column holds the id?"), default=header[0], err=True)
    name_column = name_column or click.prompt(tr("Which column holds the name?"), default=header[min(1, len(header) - 1)],
                                              err=True)
    groups = groups or click.prompt(tr("Top-level groups (separated by commas)"), err=True)
    answers = Answers(unit_noun, id_column, name_column, [g.strip() for g in groups.replace("，", ",").split(",")],
                      title or default_title(unit_noun))
    files = starter_files(answers, data_path, out)
    rules = Path(out)
    scenarios = rules.with_name(rules.stem + ".tests.yaml")
    inputs = [("--data", data_path)]
    for target in (rules, scenarios):
        check_target(target, inputs)
        check_replace(target, lambda _: tr("an existing file"), force)
    rules.parent.mkdir(parents=True, exist_ok=True)
    template = rules.with_name(rules.stem + "-template.xlsx")
    check_target(template, inputs)
    check_replace(template, lambda _: tr("an existing file"), force)
    save(rules, files.rules.encode("utf-8"), inputs, force)
    save(scenarios, files.scenarios.encode("utf-8"), inputs, force)
    write_template(load_assessment(rules), template, force=True)
    for path in (rules, scenarios, template):
        wrote(str(path))
    click.echo(tr("Next: zonescore test {scenarios}; zonescore run --rules {rules} --data {data}",
                  scenarios=scenarios, rules=rules, data=data_path), err=True)


COMMANDS = (test_command, lint_command, init_command)
