"""A rule file checked as a whole and compiled: parsed expressions, node index, order of work."""
from __future__ import annotations

import hashlib
import keyword
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from pathlib import Path

from ..errors import ExpressionError, Problem, RuleFileError
from ..messages import tr
from .expr import Expr, Hints, parse
from .expr_history import history_kinds, parse_history_name
from ..registry import AMOUNT_KEYS, OUTCOME_ACTIONS
from .kinds import NUMBER, TEXT, kind_of, result_message

if TYPE_CHECKING:  # the loader (PyYAML) and the models (pydantic) are imported only when a file is read
    from .loader import LineMap
    from .models import Node, RuleFile

RESERVED = ("total", "value", "id", "name")
MAX_DERIVED = 10_000
"""Most derived values a rule file may declare."""
_NUMERIC_RESULTS = (".value", ".target", ".formula", ".fallback", ".points", ".factor")


def derived_key(name: str) -> str:
    return f"derived.{name}"


def rule_key(rule_id: str, part: str) -> str:
    return f"adjustment.{rule_id}.{part}"


def indicator_key(node_id: str, part: str, alt: int | None = None) -> str:
    return f"indicator.{node_id}{'' if alt is None else f'.alt{alt}'}.{part}"


@dataclass
class Assessment:
    """A validated rule file with every expression parsed, ready to score data."""

    spec: RuleFile
    path: str
    sha256: str
    lines: LineMap = field(repr=False)
    exprs: dict[str, Expr] = field(default_factory=dict, repr=False)
    derived_order: list[str] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict, repr=False)
    parents: dict[str, str | None] = field(default_factory=dict)
    leaves: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    locs: dict[str, tuple] = field(default_factory=dict, repr=False)  # node id -> location path
    expr_locs: dict[str, tuple] = field(default_factory=dict, repr=False)  # expression key -> location
    _history_names: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def top_level(self) -> list[str]:
        return [node.id for node in self.spec.indicators]

    def label(self, node_id: str) -> str:
        return self.nodes[node_id].title

    # --- the compiled expressions, by what they are (their keys in ``exprs`` are made only here) ---

    def derived_expr(self, name: str) -> Expr:
        return self.exprs[derived_key(name)]

    def rule_expr(self, rule, part: str = "when") -> Expr | None:
        """A rule's ``when``, ``points`` or ``factor`` (None if the rule has none)."""
        return self.exprs.get(rule_key(rule.id, part))

    def amount_expr(self, rule) -> Expr | None:
        """The expression giving a rule's amount: its points, its factor, or None."""
        return self.rule_expr(rule, "points") or self.rule_expr(rule, "factor")

    def indicator_expr(self, node_id: str, part: str, method=None) -> Expr | None:
        """An indicator's ``value``, ``target``, ``formula`` or ``fallback``; ``method`` (one of the
        node's alternatives) picks that method's target or formula."""
        node = self.nodes[node_id]
        alt = None if method is None or method is node.method else \
            next(i for i, m in enumerate(node.alternatives) if m is method)
        return self.exprs.get(indicator_key(node_id, part, alt))

    @property
    def history_names(self) -> list[str]:
        """The history names (``prev.rank``, ``streak("warned")`` ...) the expressions read, sorted
        (found once, after every expression is compiled)."""
        if self._history_names is None or len(self.exprs) != self._history_names[0]:
            names = sorted({n for e in self.exprs.values() for n in e.names if parse_history_name(n)})
            self._history_names = (len(self.exprs), names)
        return self._history_names[1]

    def outcome(self, outcome_id: str):
        return next(o for o in self.spec.outcomes if o.id == outcome_id)


def load_assessment(path: str | Path) -> Assessment:
    """Read, validate and compile a rule file. Raises :class:`RuleFileError` listing every problem.

    A file loaded before without problems is not parsed or validated again: its validated form
    comes from the per-user cache (:mod:`.cache`; data only, ``ZONESCORE_CACHE=off`` disables it)
    and is compiled here as a fresh file is. An entry that does not compile is ignored.
    """
    from . import cache  # standard library only: a hit needs neither PyYAML nor pydantic

    path_text = str(path)
    hit = cache.lookup(path)
    if hit is not None:
        spec, lines, sha256 = hit
        try:
            return compile_assessment(spec, path_text, sha256, lines)
        except Exception:  # noqa: BLE001  (a stale or forged entry: the file is read as if not cached)
            pass
    from .loader import parse_rule_yaml, read_text, validate_model  # PyYAML, pydantic: not on a cache hit

    text, raw = read_text(path)
    data, lines = parse_rule_yaml(text, path_text)
    spec = validate_model(data, path_text, lines)
    assessment = compile_assessment(spec, path_text, hashlib.sha256(raw).hexdigest(), lines)
    cache.store(assessment, raw)
    return assessment


def compile_assessment(spec: RuleFile, path: str = "<rules>", sha256: str = "", lines: LineMap | None = None
                       ) -> Assessment:
    """Check cross-references and parse expressions of an already validated :class:`RuleFile`."""
    if lines is None:
        from .loader import LineMap

        lines = LineMap(None)
    assessment = Assessment(spec, path, sha256, lines)
    problems: list[Problem] = []
    _index_nodes(assessment, problems)
    _check_names(assessment, problems)
    if not problems:
        _compile_expressions(assessment, problems)
    if not problems:
        _check_kinds(assessment, problems)
    if not problems:
        _check_references(assessment, problems)
    if problems:
        raise RuleFileError(tr("Rule file does not describe a valid assessment: {path}", path=path), problems)
    return assessment


def _problem(a: Assessment, loc: tuple, message: str, **kw) -> Problem:
    return Problem(message, file=a.path, line=a.lines.line(loc), field=".".join(map(str, loc)), **kw)


def _index_nodes(a: Assessment, problems: list[Problem]) -> None:
    def visit(node: Node, parent: str | None, loc: tuple) -> None:
        if node.id in a.nodes:
            problems.append(_problem(a, loc + ("id",), tr("duplicate node id"), found=repr(node.id),
                                     expected=tr("ids unique across the indicator tree")))
        a.nodes[node.id] = node
        a.parents[node.id] = parent
        a.locs.setdefault(node.id, loc)
        if node.is_group:
            for i, child in enumerate(node.children):
                visit(child, node.id, loc + ("children", i))
            a.groups.append(node.id)  # post-order: children before their parent
        else:
            a.leaves.append(node.id)

    for i, node in enumerate(a.spec.indicators):
        visit(node, None, ("indicators", i))


def _check_names(a: Assessment, problems: list[Problem]) -> None:
    spec = a.spec
    for name in list(spec.inputs) + list(spec.derived):
        section = "inputs" if name in spec.inputs else "derived"
        if not name.isidentifier() or keyword.iskeyword(name):
            problems.append(_problem(a, (section, name), tr("name cannot be used in expressions"), found=repr(name),
                                     expected=tr("letters, digits, underscore (Chinese is fine); "
                                                 "put the spreadsheet header in 'column:'")))
        if name in RESERVED or name in a.nodes:
            problems.append(_problem(a, (section, name), tr("name clashes with a reserved word or node id"),
                                     found=repr(name), expected=tr("not one of {names} or a node id",
                                                                   names=tr(", ").join(RESERVED))))
    for node_id, node in a.nodes.items():
        if node_id in RESERVED or keyword.iskeyword(node_id) or node_id in ("if", "_if_"):
            problems.append(_problem(a, _node_loc(a, node_id) + ("id",), tr("node id is a reserved word"),
                                     found=repr(node_id), expected=tr("not one of {names} or a Python keyword",
                                                                      names=tr(", ").join(RESERVED))))
    for name in set(spec.inputs) & set(spec.derived):
        problems.append(_problem(a, ("derived", name), tr("derived value has the same name as an input"),
                                 found=repr(name), expected=tr("a name not used by an input")))
    seen_outcomes = set()
    for i, outcome in enumerate(spec.outcomes):
        if outcome.id in seen_outcomes:
            problems.append(_problem(a, ("outcomes", i, "id"), tr("duplicate outcome id"), found=repr(outcome.id),
                                     expected=tr("each outcome id once")))
        seen_outcomes.add(outcome.id)
    seen_adjustments = set()
    for i, adj in enumerate(spec.adjustments):
        if adj.id in seen_adjustments:
            problems.append(_problem(a, ("adjustments", i, "id"), tr("duplicate adjustment id"), found=repr(adj.id),
                                     expected=tr("each adjustment id once")))
        seen_adjustments.add(adj.id)
    if len(spec.derived) > MAX_DERIVED:
        problems.append(_problem(a, ("derived",), tr("too many derived values"), found=f"{len(spec.derived):,}",
                                 expected=tr("at most {count}", count=f"{MAX_DERIVED:,}")))
    _check_normal_forms(a, problems)


def _check_normal_forms(a: Assessment, problems: list[Problem]) -> None:
    """Names Python reads differently after Unicode normalisation (NFKC): full-width ``ｔａｘ`` is ``tax``.

    Inputs and derived values not in normal form cannot be read by an expression; two names
    (inputs, derived values, node ids) equal after normalisation would be confused.
    """
    declared = [(("inputs", n), n) for n in a.spec.inputs] + [(("derived", n), n) for n in a.spec.derived]
    declared += [(a.locs[node_id] + ("id",), node_id) for node_id in a.nodes]
    by_form: dict[str, list[tuple[tuple, str]]] = {}
    for loc, name in declared:
        normal = unicodedata.normalize("NFKC", name)
        by_form.setdefault(normal, []).append((loc, name))
        if normal != name and loc[0] in ("inputs", "derived"):
            problems.append(_problem(a, loc, tr("name is not in Unicode normal form (NFKC)"),
                                     found=tr("{name} which expressions would read as {normal}", name=repr(name),
                                              normal=repr(normal)),
                                     expected=tr("the name in normal form (e.g. half-width letters and digits)")))
    for normal, entries in by_form.items():
        if len({name for _, name in entries}) < 2:
            continue
        (loc, name), others = entries[0], entries[1:]
        listed = tr(", ").join(tr("{name} ({field}, line {line})", name=repr(n), field=".".join(map(str, l)),
                              line=a.lines.line(l)) for l, n in others if n != name)
        problems.append(_problem(a, loc, tr("names are the same after Unicode normalisation (NFKC)"),
                                 found=tr("{name} and {others}", name=repr(name), others=listed),
                                 expected=tr("names that differ in more than full-width/half-width or "
                                             "compatibility forms")))


def _value_names(a: Assessment) -> set[str]:
    return set(a.spec.inputs) | set(a.spec.derived)


def _compile_expressions(a: Assessment, problems: list[Problem]) -> None:
    values = _value_names(a)
    with_value = values | {"value"}  # built once: per indicator it would be quadratic
    hints = Hints()  # one budget of name suggestions for the whole file

    def compile_one(key: str, text, loc: tuple, known: set[str]) -> None:
        a.expr_locs[key] = loc
        try:
            a.exprs[key] = parse(text, where=".".join(map(str, loc)), known=known, file=a.path,
                                 line=a.lines.line(loc), hints=hints)
        except ExpressionError as exc:
            problems.extend(exc.problems)

    for name, text in a.spec.derived.items():
        compile_one(derived_key(name), text, ("derived", name), values)
    _order_derived(a, problems)
    for node_id in a.leaves:
        _compile_indicator(a, node_id, (values, with_value), compile_one)
    points_names = values | set(a.nodes) | {"total"}
    for i, adj in enumerate(a.spec.adjustments):
        compile_one(rule_key(adj.id, "when"), adj.when, ("adjustments", i, "when"), points_names)
        for key in AMOUNT_KEYS:
            if getattr(adj, key) is not None:
                compile_one(rule_key(adj.id, key), getattr(adj, key), ("adjustments", i, key), points_names)


def _compile_indicator(a: Assessment, node_id: str, known: tuple[set[str], set[str]], compile_one) -> None:
    values, with_value = known
    node = a.nodes[node_id]
    loc = _node_loc(a, node_id)
    if node.value is not None:
        compile_one(indicator_key(node_id, "value"), node.value, loc + ("value",), values)
    if node.method.type == "formula":
        compile_one(indicator_key(node_id, "formula"), node.method.points, loc + ("method", "points"), with_value)
    if node.method.type == "target" and isinstance(node.method.target, str):
        compile_one(indicator_key(node_id, "target"), node.method.target, loc + ("method", "target"), values)
    for j, alt in enumerate(node.alternatives):
        if alt.type == "formula":
            compile_one(indicator_key(node_id, "formula", j), alt.points, loc + ("alternatives", j, "points"),
                        with_value)
        if alt.type == "target" and isinstance(alt.target, str):
            compile_one(indicator_key(node_id, "target", j), alt.target, loc + ("alternatives", j, "target"),
                        values)
    if node.missing.fallback is not None:
        compile_one(indicator_key(node_id, "fallback"), node.missing.fallback, loc + ("missing", "fallback"),
                    with_value)


def _node_loc(a: Assessment, node_id: str) -> tuple:
    """Location path of a node in the YAML, e.g. ('indicators', 0, 'children', 1)."""
    return a.locs[node_id]


def _order_derived(a: Assessment, problems: list[Problem]) -> None:
    """Topological order of derived values; a cycle is an error naming its members.

    Values come in rounds: first those that read no derived value, then those whose derived
    values all came in earlier rounds, and so on; file order within a round. Linear in the
    number of values and references (plus sorting each round).
    """
    names = [name for name in a.spec.derived if derived_key(name) in a.exprs]
    position = {name: i for i, name in enumerate(names)}
    readers: dict[str, list[str]] = {name: [] for name in names}
    waiting: dict[str, int] = {}
    for name in names:
        deps = {n for n in a.exprs[derived_key(name)].names if n in position}
        waiting[name] = len(deps)
        for dep in deps:
            readers[dep].append(name)
    level = [name for name in names if waiting[name] == 0]
    while level:
        a.derived_order.extend(level)
        following = []
        for name in level:
            for reader in readers[name]:
                waiting[reader] -= 1
                if waiting[reader] == 0:
                    following.append(reader)
        level = sorted(following, key=position.__getitem__)
    if len(a.derived_order) < len(names):
        cycle = tr(", ").join(sorted(name for name in names if waiting[name] > 0))
        problems.append(_problem(a, ("derived",), tr("derived values depend on each other in a cycle"),
                                 found=cycle, expected=tr("no circular references")))


def _check_kinds(a: Assessment, problems: list[Problem]) -> None:
    """Text where numbers are needed (see :mod:`.kinds`), found before any data is read."""
    kinds = {name: TEXT if spec.type == "text" else NUMBER for name, spec in a.spec.inputs.items()}
    kinds.update(history_kinds(a.history_names, kinds))

    def check(key: str) -> str:
        loc, expr = a.expr_locs[key], a.exprs[key]

        def report(message: str, expected: str) -> None:
            problems.append(_problem(a, loc, message, found=repr(expr.text), expected=expected))

        kind = kind_of(expr, kinds, report)
        if kind == TEXT and key.endswith(_NUMERIC_RESULTS):
            report(*result_message())
        return kind

    for name in a.derived_order:
        kinds[name] = check(derived_key(name))
    for key in a.exprs:
        if not key.startswith("derived."):
            check(key)


def _check_references(a: Assessment, problems: list[Problem]) -> None:
    spec = a.spec
    outcome_ids = {o.id for o in spec.outcomes}
    pool_ids = {p.id for p in spec.pools}
    for i, adj in enumerate(spec.adjustments):
        if adj.action in OUTCOME_ACTIONS and adj.outcome not in outcome_ids:
            problems.append(_problem(a, ("adjustments", i, "outcome"), tr("unknown outcome"), found=repr(adj.outcome),
                                     expected=_one_of(sorted(outcome_ids), tr("an outcome declared under 'outcomes'"))))
        if adj.pool is not None and adj.pool not in pool_ids:
            problems.append(_problem(a, ("adjustments", i, "pool"), tr("unknown pool"), found=repr(adj.pool),
                                     expected=_one_of(sorted(pool_ids), tr("a pool declared under 'pools'"))))
    for name in a.history_names:
        kind, _, outcome = parse_history_name(name)
        if kind == "streak" and outcome not in outcome_ids:
            problems.append(Problem(tr("streak() names an unknown outcome"), file=a.path, field=name,
                                    found=repr(outcome), expected=tr("one of: {names}",
                                                                     names=tr(", ").join(sorted(outcome_ids)))))
    value_names = _value_names(a)
    tie_names = {"total", "id", "name"} | set(a.nodes) | value_names
    for i, key in enumerate(spec.tie_break):
        if key.by not in tie_names:
            problems.append(_problem(a, ("tie_break", i), tr("unknown tie-break key"), found=repr(key.by),
                                     expected=tr("total, id, name, a node id, an input or a derived value")))
    for node_id in a.leaves:
        group_by = a.nodes[node_id].group_by
        if group_by is not None and group_by not in value_names:
            problems.append(_problem(a, _node_loc(a, node_id) + ("group_by",), tr("unknown peer-group column"),
                                     found=repr(group_by), expected=tr("an input or derived name")))


def _one_of(names: list[str], otherwise: str) -> str:
    return tr("one of: {names}", names=tr(", ").join(names)) if names else otherwise
