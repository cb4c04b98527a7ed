"""The computed properties of rule-file models, written once.

:mod:`scoring.api.models` (pydantic) and the cached twins of :mod:`scoring.api.cache` (plain
objects, so that a cache hit imports neither pydantic nor PyYAML) both use these functions as
their ``title``, ``is_group`` and ``full_score`` properties. Standard library only.
"""
from __future__ import annotations


def title(item) -> str:
    """A node's, rule's or outcome's label, or its id when it has none."""
    return item.label or item.id


def is_group(node) -> bool:
    """An indicator with children (a group) rather than a scored indicator."""
    return node.children is not None


def full_score(spec) -> float:
    """Sum of the top-level weights: the most a unit can get before adjustments."""
    return float(sum(node.weight for node in spec.indicators))


BY_NAME = {"title": title, "is_group": is_group, "full_score": full_score}
"""Property name -> the function that computes it."""
