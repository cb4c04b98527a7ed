"""Field types of the rule-file models that refuse what YAML or pydantic would silently accept.

* :data:`Number` / :data:`Count`: a number, never a YAML boolean (``weight: yes`` is not 1),
  finite (``.inf``, ``.nan``, ``1.0e+309`` are refused) and at most :data:`MAX_NUMBER` in
  absolute value.
* :data:`NumberOrText`: the same checks for fields that take a number *or* a text
  (an expression, a statistic name); text passes unchanged.
* :data:`Flag`: a YAML boolean, never a number or a string (``rest: 1`` is not true).
* :data:`Text` / :data:`Note`: text shown in results, without control characters (they break
  terminals and the .xlsx writer); a note may contain tabs and line breaks.

Errors are :class:`pydantic_core.PydanticCustomError` with the types in :data:`CUSTOM_ERRORS`;
the loader turns them into problems that quote the YAML source text.
"""
from __future__ import annotations

import math
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from ..messages import tr

MAX_NUMBER = 1e15
"""Largest absolute value of any number in a rule file (weights, bounds, parameters, counts)."""

CUSTOM_ERRORS = ("number_is_bool", "number_not_finite", "number_too_large", "bool_expected",
                 "control_character")
RULE_CHECK = "rule_check"
"""The type of the errors of :func:`rule_check`: message, found and expected are ours, as given."""


def _error(kind: str, message: str, expected: str) -> PydanticCustomError:
    return PydanticCustomError(kind, "{message}", {"message": message, "expected": expected})


def rule_check(message: str, found: str | None = None, expected: str | None = None) -> PydanticCustomError:
    """A failed check of a model validator, raised instead of ``ValueError`` (which pydantic would
    prefix with "Value error, "). The texts are already in the interface language (``tr``)."""
    return PydanticCustomError(RULE_CHECK, "{message}", {"message": message, "found": found, "expected": expected})


def check_number(value: Any) -> Any:
    """Refuse booleans, non-finite and absurdly large numbers; leave other values to pydantic."""
    if isinstance(value, bool):
        raise _error("number_is_bool", tr("a yes/no value where a number is expected"),
                     tr("a number (quote it if you mean the text)"))
    number = value
    if isinstance(value, str):
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return value  # not a number: pydantic reports the type error
    if isinstance(number, (int, float)):
        if isinstance(number, float) and not math.isfinite(number):
            raise _error("number_not_finite", tr("number is not finite"), tr("a finite number"))
        if abs(number) > MAX_NUMBER:
            raise _error("number_too_large", tr("number is too large"),
                         tr("at most 1e15 (1,000,000,000,000,000) in absolute value"))
    return value


def check_number_or_text(value: Any) -> Any:
    """As :func:`check_number` for numbers and booleans; text passes unchanged."""
    return value if isinstance(value, str) else check_number(value)


def check_flag(value: Any) -> Any:
    if not isinstance(value, bool):
        raise _error("bool_expected", tr("yes/no value expected"), tr("true or false"))
    return value


def _control_characters(text: str, allowed: str = "") -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c not in allowed]


def check_text(text: str) -> str:
    bad = _control_characters(text)
    if bad:
        raise _error("control_character", tr("text contains a control character"),
                     tr("printable text without control characters (no tabs or line breaks)"))
    return text


def check_note(text: str) -> str:
    bad = _control_characters(text, allowed="\t\n")
    if bad:
        raise _error("control_character", tr("text contains a control character"),
                     tr("printable text (tabs and line breaks are allowed in a note)"))
    return text


def first_control_character(text: str) -> str:
    """How a control character is shown in a problem: its escape and position."""
    for i, c in enumerate(text):
        if unicodedata.category(c) == "Cc":
            return tr("{char} at position {position}", char=repr(c), position=i + 1)
    return repr(text)


Number = Annotated[float, BeforeValidator(check_number), AfterValidator(check_number)]
Count = Annotated[int, BeforeValidator(check_number)]
NumberOrText = BeforeValidator(check_number_or_text)
Flag = Annotated[bool, BeforeValidator(check_flag)]
Text = Annotated[str, AfterValidator(check_text)]
Note = Annotated[str, AfterValidator(check_note)]
