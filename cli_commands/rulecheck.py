"""Rule files as tested artefacts: ``zonescore test`` runs the scenario files next to the rule files."""
from __future__ import annotations

import click

from scoring.messages import tr

from .i18n import command


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


COMMANDS = (test_command,)
