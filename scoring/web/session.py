"""What the web page asks for, computed by the same library functions as the command line.

A :class:`Session` holds one baseline run (the rule file and data given to ``zonescore serve``)
and answers every question of the page with the functions the CLI commands call, so that
``POST /api/whatif`` returns exactly what ``zonescore whatif --weight ... --format json`` prints:

* :meth:`whatif_text`: ``zonescore whatif --weight NODE=VALUE ... --format json``;
* :meth:`robustness_text`: ``zonescore robustness --format json`` on the rules with the weights changed;
* :meth:`explain_text`: ``zonescore explain UNIT --format json|text`` (with the weights changed);
* :meth:`assessment_text`: ``zonescore run --format json``.

The scoring engine is not thread safe: every method holds the session's lock while it scores, so
concurrent requests are served one at a time. The last few scenarios are kept (a page asks for the
comparison, its lines and its explanations of the same weights in a row).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Mapping

from ..errors import OptionError, Problem
from ..messages import tr

MAX_DRAWS = 5_000  # robustness draws per request: a page waits for the answer
SCENARIOS_KEPT = 16


def weight_texts(weights: Mapping[str, Any]) -> dict[str, str]:
    """JSON weights as the CLI's ``--weight NODE=VALUE`` texts: ``{"growth": 50}`` → ``{"growth": "50"}``.

    Numbers keep their exact value (``repr`` of a float reads back as the same float); anything
    that is not a number or a text (true, null, a list) keeps its JSON spelling, which the CLI's
    checks then refuse with the CLI's own words.
    """
    import json

    texts = {}
    for key, value in weights.items():
        if isinstance(value, str):
            texts[str(key).strip()] = value.strip()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            texts[str(key).strip()] = repr(value)
        else:
            texts[str(key).strip()] = json.dumps(value, ensure_ascii=False, allow_nan=True)
    return texts


def weight_options(options: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["growth=50"]`` (query parameters of the download links) → ``{"growth": "50"}``, as the CLI parses."""
    from ..analysis.whatif import parse_weight_options

    return parse_weight_options(options)


class Session:
    """One rule file and its data, scored once; every page request is answered from it."""

    def __init__(self, rules_path: str, data_paths: tuple[str, ...], sheet: str | None = None,
                 engine: str = "auto"):
        from ..engine.run import run_files

        self.rules_path, self.data_paths, self.sheet, self.engine = rules_path, tuple(data_paths), sheet, engine
        self.baseline = run_files(rules_path, self.data_paths, sheet, engine)
        self.lock = threading.Lock()
        self._scenarios: OrderedDict[tuple, Any] = OrderedDict()

    # --- the CLI's outputs -----------------------------------------------------------------

    def whatif_text(self, weights: Mapping[str, str], keep_total: bool = False) -> str:
        """``zonescore whatif --weight NODE=VALUE ... --format json`` (no weights: the baseline twice)."""
        from ..report.whatif_render import render_comparison

        with self.lock:
            return render_comparison(self._comparison(weights, keep_total), "json")

    def robustness_text(self, weights: Mapping[str, str], keep_total: bool, draws: int, spread: float,
                        seed: int) -> str:
        """``zonescore robustness --draws N --spread S --seed N --format json`` around the weights given."""
        from ..analysis.robustness import robustness_of
        from ..report.robustness_render import render_robustness

        check_draws(draws)
        with self.lock:
            nominal = self._comparison(weights, keep_total).scenario if weights else self.baseline
            return render_robustness(robustness_of(nominal, draws, spread, seed), "json")

    def explain_text(self, unit: str, weights: Mapping[str, str], keep_total: bool = False,
                     fmt: str = "json") -> str:
        """``zonescore explain UNIT --format json|text|markdown`` under the weights given."""
        from ..analysis.explain import explain_unit
        from ..report.explain_render import render_explanation

        with self.lock:
            result = self._comparison(weights, keep_total).scenario if weights else self.baseline
            return render_explanation(explain_unit(result, unit), fmt)

    def assessment_text(self) -> str:
        """``zonescore run --format json``."""
        from ..report.render import render_run

        with self.lock:
            return render_run(self.baseline, "json")

    # --- what the page shows besides --------------------------------------------------------

    def lines(self, weights: Mapping[str, str], keep_total: bool = False) -> list[dict]:
        """The line of every outcome (lowest total commended, highest warned) before and after."""
        from ..analysis.lines import outcome_lines

        with self.lock:
            comparison = self._comparison(weights, keep_total)
            before, after = outcome_lines(comparison.baseline), outcome_lines(comparison.scenario)
        return [{"outcome": key, "label": line.label, "from_bottom": line.from_bottom,
                 "baseline": line.total, "scenario": after[key].total if key in after else None}
                for key, line in before.items()]

    def scenario_result(self, weights: Mapping[str, str], keep_total: bool = False):
        """The scenario's run (the baseline when no weight changes)."""
        with self.lock:
            return self._comparison(weights, keep_total).scenario if weights else self.baseline

    # --- scoring ------------------------------------------------------------------------------

    def _comparison(self, weights: Mapping[str, str], keep_total: bool):
        """The what-if comparison for ``weights`` (node -> text), as ``zonescore whatif`` makes it."""
        from ..analysis.options import check_weight_values
        from ..analysis.whatif import whatif_of

        key = (tuple(sorted(weights.items())), bool(keep_total))
        if key in self._scenarios:
            self._scenarios.move_to_end(key)
            return self._scenarios[key]
        check_weight_values(weights)
        if keep_total and not keeps_total():
            raise OptionError(tr("Invalid --keep-total option"), [Problem(
                tr("this version of zonescore whatif cannot keep the full score"), field="--keep-total",
                expected=tr("the weights without --keep-total"))])
        options = {"keep_total": True} if keep_total else {}
        comparison = whatif_of(self.baseline, dict(weights), **options)
        self._scenarios[key] = comparison
        while len(self._scenarios) > SCENARIOS_KEPT:
            self._scenarios.popitem(last=False)
        return comparison


def keeps_total() -> bool:
    """Whether ``whatif_of`` can keep the full score (``zonescore whatif --keep-total``)."""
    import inspect

    from ..analysis.whatif import whatif_of

    return "keep_total" in inspect.signature(whatif_of).parameters


def check_draws(draws: int) -> None:
    """The page's cap on robustness draws (the CLI's own checks follow in robustness_of)."""
    if isinstance(draws, int) and not isinstance(draws, bool) and draws > MAX_DRAWS:
        raise OptionError(tr("Invalid --draws option"), [Problem(
            tr("too many draws for one request of the page"), field="--draws", found=str(draws),
            expected=tr("at most {count} (use zonescore robustness for more)", count=f"{MAX_DRAWS:,}"))])
