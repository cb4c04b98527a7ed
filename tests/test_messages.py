"""The one message catalogue (scoring.messages): every sentence has its Chinese, none is raw.

* every ``tr("...")`` / ``tr_to(lang, "...")`` text in the code has a catalogue entry with the
  same ``{placeholders}``;
* every command's help, one-line summary and option help has an entry, and so has every
  placeholder in usage lines and option lists (FILE, NAME ...);
* no error or problem is built from a bare string or f-string (it would bypass the catalogue);
* the language is chosen as documented: --lang, ZONESCORE_LANG, the locale.
"""
from __future__ import annotations

import ast
import inspect
import string
from pathlib import Path

import click
import pytest

from scoring.messages import language_from, normalise
from scoring.messages.catalogue import CATALOGUE, PARTS

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "cli.py", *(ROOT / "cli_commands").rglob("*.py"), *(ROOT / "scoring").rglob("*.py")])
RAISES = {"Problem"}  # and every name ending in "Error"


def calls(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            yield name, node


def translated_texts():
    for path in SOURCES:
        for name, node in calls(path):
            position = {"tr": 0, "tr_to": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", arg.value


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def help_texts():
    from cli import main

    ctx = click.Context(main)
    yield "zonescore", main.help
    for name, command in main.commands.items():
        yield name, command.help
        yield name, command.short_help
        for param in command.params:
            yield f"{name} {param.name}", getattr(param, "help", None)
    for param in main.params:
        yield f"zonescore {param.name}", getattr(param, "help", None)
    del ctx


def test_every_translated_text_has_chinese():
    missing = sorted({f"{where}: {text!r}" for where, text in translated_texts() if text not in CATALOGUE})
    assert not missing, "no Chinese for:\n" + "\n".join(missing)


def test_every_help_text_has_chinese():
    missing = sorted({f"{where}: {text!r}" for where, text in help_texts()
                      if text and inspect.cleandoc(text) not in CATALOGUE})
    assert not missing, "no Chinese for:\n" + "\n".join(missing)


def test_every_usage_placeholder_has_chinese():
    from cli import main

    missing = set()
    for command in [main, *main.commands.values()]:
        ctx = click.Context(command)
        pieces = click.Command.collect_usage_pieces(command, ctx)
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and not isinstance(param.type, click.Choice):
                pieces.append(click.Option.make_metavar(param, ctx))
        if isinstance(command, click.Group):
            pieces.append(command.subcommand_metavar)
        choices = {piece for piece in pieces if piece.startswith("[") and piece != "[OPTIONS]"}  # [zh|en]: as typed
        missing |= {f"{command.name}: {piece!r}" for piece in pieces if piece not in {*CATALOGUE, *choices}}
    assert not missing, "no Chinese for:\n" + "\n".join(sorted(missing))


def test_placeholders_agree():
    wrong = [f"{text!r} -> {zh!r}" for text, zh in CATALOGUE.items() if placeholders(text) != placeholders(zh)]
    assert not wrong, "\n".join(wrong)


def test_parts_do_not_contradict_each_other():
    from importlib import import_module

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for part in PARTS:
        for text, zh in import_module(f"scoring.messages.{part}").ZH.items():
            if text in seen and seen[text][1] != zh:
                clashes.append(f"{text!r}: {seen[text][0]} {seen[text][1]!r} vs {part} {zh!r}")
            seen.setdefault(text, (part, zh))
    assert not clashes, "\n".join(clashes)


def test_no_error_is_built_from_a_bare_string():
    raw = []
    for path in SOURCES:
        for name, node in calls(path):
            if not (name in RAISES or name.endswith("Error")) or not node.args:
                continue
            first = node.args[0]
            bare = isinstance(first, ast.JoinedStr) or (isinstance(first, ast.Constant) and isinstance(first.value, str)
                                                        and first.value.strip())
            if bare:
                raw.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}({ast.unparse(first)[:60]})")
    assert not raw, "wrap these in tr(...):\n" + "\n".join(raw)


@pytest.mark.parametrize("value, expected", [
    ("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("zh_TW", "zh"), ("Chinese (Simplified)_China.936", "zh"),
    ("en", "en"), ("en_US.UTF-8", "en"), ("C.UTF-8", "en"), ("POSIX", "en"), ("", "en"),
])
def test_language_names(value, expected):
    assert normalise(value) == expected


def test_language_order():
    assert language_from("en", {"ZONESCORE_LANG": "zh", "LANG": "zh_CN.UTF-8"}) == "en"
    assert language_from(None, {"ZONESCORE_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert language_from(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert language_from(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
