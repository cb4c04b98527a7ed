"""The one message catalogue: English text → Chinese, merged from one part per pipeline stage.

Each part (``zh_*.py``) holds a dict ``ZH`` for the sentences of its stage; a new stage adds its
part to :data:`PARTS`. ``tests/test_messages.py`` checks that every ``tr("...")`` in the code has
an entry, that placeholders agree, and that no two parts translate one text differently.
"""
from __future__ import annotations

from importlib import import_module

PARTS = ("zh_cli", "zh_click", "zh_api", "zh_io", "zh_engine", "zh_analysis", "zh_report", "zh_publish",
         "zh_rule_analysis", "zh_rulecheck", "zh_history", "zh_serve")


def _merged() -> dict[str, str]:
    merged: dict[str, str] = {}
    for name in PARTS:
        merged.update(import_module(f"{__package__}.{name}").ZH)
    return merged


CATALOGUE: dict[str, str] = _merged()
