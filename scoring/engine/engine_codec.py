"""What durable-rules' C parser reads correctly, and how facts and rules are written so it only sees that.

The engine parses JSON with a parser of its own (``src/rules/json.c`` in durable-rules 2.0.28),
which silently misreads ordinary JSON in several ways; all of them were found by testing its
boundaries (``tests/test_rule_engine.py``):

* **Numbers in exponent notation without a fraction** (``5e-05``, ``1e+16`` — what Python writes
  for ``0.00005`` and ``1e16``) end the number at the ``e``: a fact holding one is dropped
  without an error, a rule constant holding one makes the ruleset fail (error 204), and the
  first fact of a batch can crash the process. ``5.0e-05`` and ``1.0e+16`` are read exactly.
  Every number is therefore written as Python's shortest round-trip text with a ``.0`` before
  the exponent when it has no fraction; C's ``atof`` then gives back exactly the same double
  (subnormals and ±1.8e308 included). Integers are never written for values (``atol`` is 32 bits
  on Windows); NaN and infinities are never written (a missing value is an absent field).
* **Strings** are compared as raw bytes, escapes included, and a lone surrogate cannot be handed
  to the C extension at all. Text is therefore written as ``"t"`` plus the hex digits of its
  UTF-8 bytes (surrogates passed through): equal texts give equal codes and nothing else does.
* **Property names are identified by a 32-bit djb2 hash only**; the names used here (``id``,
  ``sid``, ``uid``, ``f0`` …) are checked to collide neither with each other nor with the
  engine's own keywords.
* **Capacity**: at most 255 properties per fact; conditions, rules per ruleset and matching
  comparisons per fact are bounded by fixed tables (errors 107, 108, 113, 303 …). These are
  reported as errors by the engine, never silently; :mod:`.durable_rules` splits the rules over
  more rulesets when it meets one, and refuses a single rule the engine cannot hold.
"""
from __future__ import annotations

import math
import re

import numpy as np

from ..messages import tr

MAX_FIELDS = 200  # fact properties per ruleset besides id, sid, uid (the engine holds 255 per fact)

# durable-rules error codes (src/rules/rules.h) that mean "too big for the engine's tables"
# (English; durable_rules translates them with tr() where it reports one: their Chinese is in zh_engine)
CAPACITY_ERRORS = {
    106: "too many rules in one ruleset",
    107: "too many alternatives ('or') in one condition",
    108: "too many rules sharing one comparison",
    113: "too many comparisons chained in one condition",
    302: "too many values per unit",
    303: "too many comparisons holding at once for one unit",
    304: "too many facts in one frame",
    313: "a unit's values are too large",
    314: "a value is too large",
}
_ERROR_CODE = re.compile(r"error code: (\d+)")

_KEYWORDS = ("all", "any", "pri", "count", "cap", "dist", "$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$mt",
             "$imt", "$iall", "$iany", "$ex", "$nex", "$or", "$and", "$m", "name", "$add", "$sub", "$mul",
             "$div", "$l", "$r", "$forward", "$s", "run", "label", "chart", "$pri", "$count", "$cap")


def djb2(name: str) -> int:
    """The engine's property-name hash (ASCII names)."""
    value = 5381
    for byte in name.encode("ascii"):
        value = (value * 33 + byte) & 0xFFFFFFFF
    return value


def field_name(number: int) -> str:
    return f"f{number}"


def check_names(count: int) -> None:
    """Fail loudly (at import) if two of the names used could be confused by the engine."""
    names = ["id", "sid", "uid"] + [field_name(i) for i in range(count)]
    hashes = [djb2(n) for n in names]
    reserved = {djb2(k) for k in _KEYWORDS}
    if len(set(hashes)) != len(hashes) or reserved & set(hashes):
        raise RuntimeError(tr("durable-rules property names collide"))  # pragma: no cover - fixed names


check_names(MAX_FIELDS)


def error_code(exc: Exception) -> int | None:
    """The numeric code in a durable-rules error message ('Could not …, error code: 303')."""
    found = _ERROR_CODE.search(str(exc))
    return int(found.group(1)) if found else None


def number_text(value: float) -> str:
    """A finite double as text the engine reads back exactly (``5e-05`` -> ``5.0e-05``)."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(tr("non-finite number {value} cannot be given to the rule engine", value=repr(value)))
    return _fix_exponent(repr(value))


def _fix_exponent(text: str) -> str:
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        return f"{mantissa}.0e{exponent}"
    return text


def text_code(value: str) -> str:
    """Text as an ASCII string of the engine's safe alphabet: ``"t"`` + hex of its UTF-8 bytes."""
    return "t" + str(value).encode("utf-8", "surrogatepass").hex()


def constant_json(value) -> str:
    """A rule constant (number or text) as JSON text for the engine."""
    if isinstance(value, str):
        return f'"{text_code(value)}"'
    return number_text(value)


def column_fragments(key: str, values: np.ndarray) -> np.ndarray:
    """``,"key":value`` for every unit (object array); an empty string where the value is missing."""
    prefix = f',"{key}":'
    if values.dtype.kind == "f":
        present = np.isfinite(values)
        texts = np.array(list(map(repr, values.tolist())), dtype=object)
        magnitude = np.abs(np.where(present, values, 1.0))
        exponent = (magnitude != 0) & ((magnitude < 1e-4) | (magnitude >= 1e16))  # where repr may use 'e'
        texts[exponent] = [_fix_exponent(t) for t in texts[exponent]]
        return np.where(present, prefix + texts, "")
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values.tolist()):
        out[i] = "" if value is None else f'{prefix}"{text_code(value)}"'
    return out


def rules_json(conditions: dict[str, object]) -> str:
    """The ruleset definition: one rule per condition, matched against one fact named ``m``."""
    return "{" + ",".join(f'"{name}":{{"all":[{{"m":{condition_json(c)}}}]}}'
                          for name, c in conditions.items()) + "}"


def condition_json(node) -> str:
    """A translated condition (nested dicts/lists, ASCII keys, numbers and text codes) as JSON."""
    if isinstance(node, dict):
        return "{" + ",".join(f'"{k}":{condition_json(v)}' for k, v in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ",".join(condition_json(v) for v in node) + "]"
    return constant_json(node)
