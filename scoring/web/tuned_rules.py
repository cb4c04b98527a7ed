"""The rule file with tuned weights, as text that differs from the original only in the weights.

The file is not dumped again (that would lose comments, order and quoting): the text of each
``weight:`` value is replaced where the YAML parser found it (:class:`scoring.api.loader.LineMap`
gives its node, whose marks give its place in the text). The result is parsed and validated
again, and must give exactly the weights asked for: correct or stop.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..errors import InputFileError, InternalError, Problem
from ..messages import tr


def weight_text(value: float) -> str:
    """A weight as a person writes it: 50, 12.5."""
    return f"{value:.0f}" if float(value).is_integer() else repr(float(value))


def tuned_rule_text(rules_path: str | Path, weights: Mapping[str, float], sha256: str) -> str:
    """The rule file's text with each ``weight`` of ``weights`` (node id -> value) replaced;
    ``sha256``: the file as it was scored (a file changed since is refused, not edited)."""
    import hashlib

    from ..api.loader import parse_rule_yaml, read_text

    text, raw = read_text(rules_path)
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise InputFileError(tr("The rule file changed since zonescore serve read it: {path}", path=rules_path), [
            Problem(tr("the file differs from the one the page shows"), file=str(rules_path),
                    expected=tr("restart zonescore serve to tune the file as it is now"))])
    if not weights:
        return text
    _data, lines = parse_rule_yaml(text, str(rules_path))
    locations = _assessment_of(rules_path).locs  # node id -> ("indicators", 0, "children", 1)
    edits = []
    for node_id, value in weights.items():
        node = lines.node((*locations[node_id], "weight"))
        edits.append((node.start_mark.index, node.end_mark.index, weight_text(value)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    _check(text, rules_path, weights)
    return text


def _assessment_of(rules_path):
    from ..api.assessment import load_assessment

    return load_assessment(rules_path)


def _check(text: str, rules_path, weights: Mapping[str, float]) -> None:
    """The edited text must load and carry exactly the weights asked for, the others unchanged."""
    from ..api.assessment import compile_assessment
    from ..api.loader import parse_rule_yaml, validate_model

    before = _assessment_of(rules_path)
    data, lines = parse_rule_yaml(text, str(rules_path))
    edited = compile_assessment(validate_model(data, str(rules_path), lines), str(rules_path), "", lines)
    wrong = [node_id for node_id, node in edited.nodes.items()
             if node.weight != float(weights.get(node_id, before.nodes[node_id].weight))]
    if wrong:
        raise InternalError(tr("The tuned rule file does not carry the weights asked for"), [Problem(
            tr("weight differs after editing the rule file"), file=str(rules_path), field=", ".join(wrong))])
