"""Rule files as tested artefacts: ``zonescore test`` runs the scenario files next to the rule files."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import data_option, engine_option, rules_option, sheet_option
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


COMMANDS = (test_command, lint_command)
