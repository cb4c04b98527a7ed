"""The adjustment actions, declared once: keys, effect, sign and labels.

A row of :data:`ACTIONS` is the only place an action is declared. The rule-file model reads
its names (``ActionName``), the keys each action needs and may have (``ACTION_KEYS`` and the
checks "action 'x' needs 'key'" / "does not use: ..."), the engine reads which actions give
points, a factor or use an outcome (:data:`POINT_ACTIONS`, :data:`POINT_SIGN`,
:data:`AMOUNT_KEY` ...), :mod:`scoring.report.words` its labels (``action.<name>``), and
``tests/test_registry.py`` checks the action tables of docs/rules.md against it.

Every rule has ``id``, ``label``, ``when``, ``action`` and ``note``; the keys here are the others.
"""
from __future__ import annotations

from typing import NamedTuple

from ..messages import tr

# What an action does when its condition holds.
POINTS = "points"  # adds or subtracts its `points` amount
FACTOR = "factor"  # multiplies the total by its `factor`
OUTCOME = "outcome"  # bars or forces its `outcome`
STATUS = "status"  # sets a status of the unit (exempt, excluded) or only marks it (flag)
EFFECTS = (POINTS, FACTOR, OUTCOME, STATUS)


class Action(NamedTuple):
    name: str  # the `action` of an adjustment rule
    requires: tuple[str, ...]  # keys the rule must have with this action
    may_have: tuple[str, ...]  # further keys it may have
    effect: str  # one of EFFECTS
    zh: str  # label in Chinese (outputs: the workbook's adjustments sheet)
    en: str  # label in English
    sign: float = 0.0  # POINTS: +1 adds the amount, -1 subtracts it

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key this action uses besides the common ones: required first."""
        return self.requires + self.may_have

    @property
    def gives_points(self) -> bool:
        return self.effect == POINTS

    @property
    def gives_factor(self) -> bool:
        return self.effect == FACTOR

    @property
    def uses_outcome(self) -> bool:
        return self.effect == OUTCOME

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    @property
    def keys_text(self) -> str:
        """The keys as docs/rules.md lists them ("may also have")."""
        if not self.keys:
            return "nothing else"
        return ", ".join([f"`{k}` (required)" for k in self.requires] + [f"`{k}`" for k in self.may_have])


_AMOUNT_LIMITS = ("max", "min", "pool")

ACTIONS: tuple[Action, ...] = (
    Action("bonus", ("points",), _AMOUNT_LIMITS, POINTS, "加分", "bonus", +1.0),
    Action("deduction", ("points",), _AMOUNT_LIMITS, POINTS, "扣分", "deduction", -1.0),
    Action("multiply", ("factor",), (), FACTOR, "系数", "multiply"),
    Action("veto", ("outcome",), (), OUTCOME, "否决", "veto"),
    Action("force", ("outcome",), (), OUTCOME, "强制", "force"),
    Action("exempt", (), (), STATUS, "不定等级", "exempt"),
    Action("exclude", (), (), STATUS, "不参评", "exclude"),
    Action("flag", (), (), STATUS, "提示", "flag"),
)

ACTION_NAMES: tuple[str, ...] = tuple(a.name for a in ACTIONS)
ACTION_BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}

ACTION_KEYS: dict[str, tuple[str, ...]] = {a.name: a.keys for a in ACTIONS}
"""action -> every key it uses besides id, label, when, action and note (required ones first)."""

ACTION_ONLY_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k for a in ACTIONS for k in a.keys))
"""Keys that only some actions use: ``points``, ``max``, ``min``, ``pool``, ``factor``, ``outcome``."""

# --- for the engine -------------------------------------------------------------------------------

POINT_ACTIONS: tuple[str, ...] = tuple(a.name for a in ACTIONS if a.effect == POINTS)  # ("bonus", "deduction")
FACTOR_ACTIONS: tuple[str, ...] = tuple(a.name for a in ACTIONS if a.effect == FACTOR)  # ("multiply",)
OUTCOME_ACTIONS: tuple[str, ...] = tuple(a.name for a in ACTIONS if a.effect == OUTCOME)  # ("veto", "force")
STATUS_ACTIONS: tuple[str, ...] = tuple(a.name for a in ACTIONS if a.effect == STATUS)  # exempt, exclude, flag
POINT_SIGN: dict[str, float] = {a.name: a.sign for a in ACTIONS if a.effect == POINTS}  # bonus +1, deduction -1
AMOUNT_KEY: dict[str, str] = {**{a: POINTS for a in POINT_ACTIONS}, **{a: FACTOR for a in FACTOR_ACTIONS}}
"""action -> the key of the expression giving its amount (``points`` or ``factor``); others have none."""
AMOUNT_KEYS: tuple[str, ...] = tuple(dict.fromkeys(AMOUNT_KEY.values()))  # ("points", "factor"): expressions


def action(name: str) -> Action:
    """The registry row of action ``name`` (KeyError for an unknown name)."""
    return ACTION_BY_NAME[name]


if len(ACTION_BY_NAME) != len(ACTIONS):
    raise ImportError(tr("scoring.registry: an adjustment action is declared twice"))
if any(a.effect not in EFFECTS or (a.effect == POINTS) != (a.sign != 0) for a in ACTIONS):
    raise ImportError(tr("scoring.registry: an action's effect is unknown, or a points action lacks its sign"))
if any(AMOUNT_KEY.get(a.name) not in (None, *a.requires) for a in ACTIONS):
    raise ImportError(tr("scoring.registry: an action's amount key is not one of its required keys"))
