"""The per-user cache of validated rule files (scoring.api.cache): a hit changes nothing but the time.

Every test points ZONESCORE_CACHE_DIR at its own directory. What is checked: a hit gives an
assessment equal to a fresh load (spec values and fields set, expressions, order of work, line
numbers for every YAML path) and byte-identical command output; a corrupt, truncated, foreign or
edited entry is ignored and rewritten; a changed rule file misses; an unwritable or absent cache
directory changes nothing; an entry is JSON data and loading one runs no code.
"""
from __future__ import annotations

import ast
import copy
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from scoring.api import cache, cache_entry
from scoring.api.assessment import load_assessment
from scoring.errors import RuleFileError

ROOT = Path(__file__).resolve().parent.parent
QINGPU = ROOT / "rules" / "qingpu-2023.yaml"
MUYUN = ROOT / "rules" / "examples" / "muyun-enterprises.yaml"
SHIPPED = [QINGPU, MUYUN]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(directory))
    monkeypatch.delenv("ZONESCORE_CACHE", raising=False)
    return directory


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{cache.SUFFIX}")) if directory.is_dir() else []


def fresh_and_cached(path: Path):
    """(fresh load, load from the entry that fresh load wrote)."""
    fresh = load_assessment(path)
    assert cache.lookup(path) is not None, "the first load should have written an entry"
    cached = load_assessment(path)
    assert isinstance(cached.spec, cache_entry.CachedModel)
    return fresh, cached


def model_pairs(real, twin):
    """Corresponding (pydantic model, twin) pairs of two model trees, parents first."""
    yield real, twin
    for name in type(real).model_fields:
        yield from _value_pairs(getattr(real, name), getattr(twin, name))


def _value_pairs(real, twin):
    if hasattr(type(real), "model_fields"):
        yield from model_pairs(real, twin)
    elif isinstance(real, (list, tuple)):
        assert type(real) is type(twin) and len(real) == len(twin)
        for a, b in zip(real, twin):
            yield from _value_pairs(a, b)
    elif isinstance(real, dict):
        assert list(real) == list(twin)
        for key in real:
            yield from _value_pairs(real[key], twin[key])
    else:
        assert type(real) is type(twin) and real == twin, (real, twin)


def yaml_paths(node, path=()):
    """Every location path of a YAML node tree, as the loader's LineMap takes them."""
    yield path
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from yaml_paths(value, path + (key.value,))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            yield from yaml_paths(value, path + (i,))


# --- a hit is the same assessment ----------------------------------------------------------------


@pytest.mark.parametrize("rules", SHIPPED, ids=lambda p: p.stem)
def test_hit_gives_an_equal_assessment(cache_dir, rules):
    fresh, cached = fresh_and_cached(rules)
    assert cached.spec == fresh.spec and fresh.spec == cached.spec
    assert cached.spec.to_model() == fresh.spec  # the real model, built without validation
    for name in ("path", "sha256", "derived_order", "nodes", "parents", "leaves", "groups", "locs", "expr_locs"):
        assert getattr(cached, name) == getattr(fresh, name), name
    assert cached.exprs.keys() == fresh.exprs.keys()
    for key, expr in fresh.exprs.items():
        assert cached.exprs[key] == expr
        assert ast.dump(cached.exprs[key].tree) == ast.dump(expr.tree)
    for real, twin in model_pairs(fresh.spec, cached.spec):
        assert type(twin).__name__ == type(real).__name__
        assert twin.model_fields_set == real.model_fields_set
        assert list(vars(twin)) == list(type(real).model_fields)
        for options in ({}, {"exclude_none": True}, {"exclude_unset": True}, {"exclude": {"id", "type"}},
                        {"include": {"label", "weight", "bands"}}, {"exclude_defaults": True}, {"mode": "json"}):
            assert twin.model_dump(**options) == real.model_dump(**options), options
        assert twin.model_dump_json() == real.model_dump_json()
        for prop in ("title", "is_group", "full_score"):
            if hasattr(real, prop):
                assert getattr(twin, prop) == getattr(real, prop)
        assert repr(twin) == repr(real) and str(twin) == str(real)


@pytest.mark.parametrize("rules", SHIPPED, ids=lambda p: p.stem)
def test_hit_gives_the_same_line_for_every_location(cache_dir, rules):
    fresh, cached = fresh_and_cached(rules)
    paths = list(yaml_paths(fresh.lines.root))
    assert len(paths) > 100
    probes = [p for path in paths for p in (path, path + ("nope",), path + (0,), path + (10_000,), path + (1, "x"))]
    probes += [("indicators", "0"), ("outcomes", True), ("indicators", -1, "id"), ()]
    for loc in probes:
        assert cached.lines.line(loc) == fresh.lines.line(loc), loc
        assert cached.lines.source(loc) == fresh.lines.source(loc), loc
    assert cached.lines.node(("indicators", 0)).start_mark.line == fresh.lines.node(("indicators", 0)).start_mark.line


def test_hit_uses_the_models_own_properties_without_pydantic(cache_dir):
    """title, is_group and full_score run natively: models and twins use the same functions."""
    load_assessment(QINGPU)
    payload = json.loads(entries(cache_dir)[0].read_bytes().partition(b"\n")[2])
    natives = {name: sorted(info["native"]) for name, info in payload["classes"].items() if info["native"]}
    assert natives["Node"] == ["is_group", "title"] and natives["RuleFile"] == ["full_score"]
    for name, info in payload["classes"].items():
        assert sorted(info["native"]) == sorted(info["extras"]), (
            f"{name}: property {set(info['extras']) - set(info['native'])} of scoring.api.models is not in "
            "scoring.api.properties: write it there, or cache hits import pydantic for it")
    from scoring.api import models, properties

    for cls, names in (("Node", ("title", "is_group")), ("RuleFile", ("full_score",))):
        for prop in names:  # the models' properties are the shared functions
            assert getattr(models, cls).__dict__[prop].fget.__code__.co_names[:2] == ("properties", prop)


@pytest.mark.parametrize("args", [
    ("run",), ("run", "--format", "json"), ("run", "--explain", "--format", "markdown"),
    ("explain", "Z37"), ("explain", "Z02", "--format", "json"), ("whatif", "--weight", "growth=50"),
    ("robustness", "--draws", "500", "--seed", "3", "--vary-method"), ("warnings",), ("validate",),
    ("template",),
], ids=" ".join)
def test_hit_gives_identical_output(cache_dir, monkeypatch, args):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ZONESCORE_CACHE", "off")
    off = CliRunner().invoke(main, list(args))
    monkeypatch.delenv("ZONESCORE_CACHE")
    cold = CliRunner().invoke(main, list(args))
    assert cache.lookup(QINGPU) is not None
    warm = CliRunner().invoke(main, list(args))
    assert off.exit_code == cold.exit_code == warm.exit_code == 0, off.output
    assert off.output == cold.output == warm.output


def test_errors_raised_at_run_time_name_the_same_line(cache_dir, tmp_path, monkeypatch):
    """An outcome asking for more units than the data has is reported with its line in the rule file."""
    rows = (ROOT / "zones.csv").read_text(encoding="utf-8").splitlines()[:11]
    data = tmp_path / "ten.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["run", "--rules", str(QINGPU), "--data", str(data)]
    cold = CliRunner().invoke(main, args)
    assert cache.lookup(QINGPU) is not None
    warm = CliRunner().invoke(main, args)
    assert cold.exit_code == warm.exit_code == 1
    assert "qingpu-2023.yaml:" in cold.output and cold.output == warm.output


def test_whatif_on_a_hit_edits_a_copy(cache_dir):
    from scoring.analysis.whatif import reweighted

    _, cached = fresh_and_cached(QINGPU)
    changed = reweighted(cached, {"growth": 50.0, "tax_growth": 25.0})
    assert changed.nodes["growth"].weight == 50.0 and cached.nodes["growth"].weight == 40.0
    assert "weight" in changed.nodes["growth"].model_fields_set
    assert changed.spec.full_score == 110.0 and cached.spec.full_score == 100.0


def test_twins_copy_compare_assign_and_pickle_as_models_do(cache_dir):
    fresh, cached = fresh_and_cached(QINGPU)
    node, real = cached.nodes["tax_growth"], fresh.nodes["tax_growth"]
    deep = node.model_copy(deep=True)
    deep.method.floor = 0.5
    assert node.method.floor == 0.6 and deep != node
    shallow = node.model_copy(update={"weight": 30.0})
    assert shallow.weight == 30.0 and "weight" in shallow.model_fields_set and node.weight == 20.0
    assert shallow.method is node.method
    assert copy.deepcopy(node) == node == real
    node_copy = copy.deepcopy(node)
    node_copy.label = "x"
    assert node_copy.model_fields_set == real.model_fields_set | {"label"}
    with pytest.raises(ValueError):
        node_copy.nonsense = 1
    with pytest.raises(AttributeError):
        node.nonsense  # noqa: B018
    assert pickle.loads(pickle.dumps(cached.spec)) == fresh.spec
    assert dict(node) == dict(real)
    with pytest.raises(TypeError):
        hash(node)


# --- entries that must not be used -------------------------------------------------------------


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])


def _header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes().partition(b"\n")[0])


def _foreign_version(path: Path) -> None:
    head, _, body = path.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["version"] = "0.0.1"
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _edited_payload(path: Path) -> None:
    """A changed weight with the header left as it was: the payload checksum no longer matches."""
    head, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(head + b"\n" + body.replace(b"40.0", b"45.0", 1))


def _forged_consistent(path: Path) -> None:
    """A payload of the wrong shape with a header recomputed to match it."""
    head, _, _ = path.read_bytes().partition(b"\n")
    body = json.dumps({"classes": {"RuleFile": {"fields": ["id"], "extras": [], "native": []}},
                       "spec": {"m": "RuleFile", "v": ["x"], "s": ["id"]}, "lines": [1, {}]}).encode()
    header = json.loads(head)
    header.update(payload_sha256=__import__("hashlib").sha256(body).hexdigest(), payload_bytes=len(body))
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _not_json(path: Path) -> None:
    path.write_bytes(pickle.dumps({"spec": "nothing"}))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("damage", [_corrupt, _truncate, _header_only, _foreign_version, _edited_payload,
                                    _forged_consistent, _not_json, _empty], ids=lambda f: f.__name__.strip("_"))
def test_a_bad_entry_is_ignored_and_rebuilt(cache_dir, damage):
    fresh = load_assessment(QINGPU)
    (entry,) = entries(cache_dir)
    damage(entry)
    # a well-formed entry of the wrong shape passes the checksums: it fails to compile, so load_assessment drops it
    assert cache.lookup(QINGPU) is None or damage is _forged_consistent
    again = load_assessment(QINGPU)
    assert not isinstance(again.spec, cache_entry.CachedModel)  # read from the file, not the entry
    assert again.spec == fresh.spec and again.exprs == fresh.exprs
    assert cache.lookup(QINGPU) is not None  # rewritten
    assert load_assessment(QINGPU).spec == fresh.spec


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
def test_an_entry_others_may_write_is_not_used(cache_dir):
    load_assessment(QINGPU)
    (entry,) = entries(cache_dir)
    entry.chmod(0o666)
    assert cache.lookup(QINGPU) is None
    entry.chmod(0o600)
    cache_dir.chmod(0o777)
    assert cache.lookup(QINGPU) is None
    cache_dir.chmod(0o700)
    assert cache.lookup(QINGPU) is not None


def test_a_changed_rule_file_misses(cache_dir, tmp_path):
    rules = tmp_path / "rules.yaml"
    text = QINGPU.read_text(encoding="utf-8")
    rules.write_text(text, encoding="utf-8")
    load_assessment(rules)
    assert cache.lookup(rules) is not None
    rules.write_text(text.replace("weight: 40", "weight: 45", 1), encoding="utf-8")
    assert cache.lookup(rules) is None
    changed = load_assessment(rules)
    assert changed.nodes["growth"].weight == 45.0
    assert len(entries(cache_dir)) == 2
    assert load_assessment(rules).nodes["growth"].weight == 45.0


def test_same_content_at_another_path_hits_and_keeps_its_own_path(cache_dir, tmp_path):
    load_assessment(QINGPU)
    other = tmp_path / "copy.yaml"
    other.write_bytes(QINGPU.read_bytes())
    loaded = load_assessment(other)
    assert isinstance(loaded.spec, cache_entry.CachedModel) and loaded.path == str(other)


def test_an_invalid_rule_file_is_never_cached(cache_dir, tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text(QINGPU.read_text(encoding="utf-8").replace("weight: 40", "weight: -40", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleFileError) as error:
            load_assessment(rules)
        assert "weight" in str(error.value.problems)
    assert entries(cache_dir) == []


# --- where the cache lives, and when it cannot be written ------------------------------------------


def test_unwritable_cache_dir_still_works(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(blocker / "cache"))
    first, second = load_assessment(QINGPU), load_assessment(QINGPU)
    assert first.spec == second.spec and not isinstance(second.spec, cache_entry.CachedModel)


def test_failing_writes_are_silent_and_leave_no_temporary_files(cache_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    assert load_assessment(QINGPU).spec.id == "qingpu-2023"
    assert list(cache_dir.iterdir()) == []


def test_cache_off_reads_and_writes_nothing(cache_dir, monkeypatch):
    load_assessment(QINGPU)
    monkeypatch.setenv("ZONESCORE_CACHE", "off")
    assert cache.lookup(QINGPU) is None
    assert not isinstance(load_assessment(QINGPU).spec, cache_entry.CachedModel)
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(cache_dir / "other"))
    load_assessment(QINGPU)
    assert not (cache_dir / "other").exists()


def test_default_locations(monkeypatch, tmp_path):
    monkeypatch.delenv("ZONESCORE_CACHE_DIR", raising=False)
    monkeypatch.delenv("ZONESCORE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "nt":
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
        assert cache.cache_dir() == str(tmp_path / "local" / "zonescore" / "cache")
        return
    assert cache.cache_dir() == str(tmp_path / "xdg" / "zonescore")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == str(tmp_path / "home" / ".cache" / "zonescore")
    monkeypatch.setenv("ZONESCORE_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache.cache_dir() == str(tmp_path / "explicit")


def test_old_entries_are_evicted(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    text = QINGPU.read_text(encoding="utf-8")
    for i in range(6):
        rules = tmp_path / f"r{i}.yaml"
        rules.write_text(text + f"\n# copy {i}\n", encoding="utf-8")
        seen = set(entries(cache_dir))
        load_assessment(rules)
        for new in set(entries(cache_dir)) - seen:  # oldest first, whatever the clock's resolution
            os.utime(new, (1_000_000 + i, 1_000_000 + i))
    assert len(entries(cache_dir)) == 3
    assert cache.lookup(tmp_path / "r5.yaml") is not None


# --- data only ------------------------------------------------------------------------------------


def test_an_entry_is_json_data(cache_dir):
    load_assessment(QINGPU)
    (entry,) = entries(cache_dir)
    assert entry.name.endswith(".json")
    head, _, body = entry.read_bytes().partition(b"\n")
    header, payload = json.loads(head), json.loads(body)
    assert header["zonescore-rule-cache"] == cache.FORMAT and header["rules_sha256"] in load_assessment(QINGPU).sha256
    assert set(payload) == {"classes", "spec", "lines"}
    if hasattr(os, "geteuid"):
        assert entry.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("spec", [
    {"m": "os.system", "v": [], "s": []},
    {"m": "RuleFile", "v": ["x"], "s": ["__class__"]},
    {"m": "RuleFile", "v": [{"m": "__import__('os')", "v": [], "s": []}], "s": []},
    {"py/object": "os.system"},
    {"l": [1], "t": [2]},
    {"x": []},
    "__import__('os').system('echo hi')",
])
def test_loading_an_entry_builds_only_data(cache_dir, monkeypatch, spec):
    """Whatever an entry says, decoding builds plain values and twins; a bad shape is refused."""
    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("code ran"))
    payload = {"classes": {"RuleFile": {"fields": ["id"], "extras": [], "native": []}}, "spec": spec,
               "lines": [1, {}]}
    with pytest.raises(cache.CacheError):
        cache.decode(payload)


@pytest.mark.parametrize("module", ["cache", "cache_entry"])
def test_cache_module_has_no_code_loading(module):
    source = Path(ROOT / "scoring" / "api" / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                            if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"pickle", "marshal", "shelve", "dill", "cloudpickle", "yaml_unsafe"}
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__"}
    if module == "cache_entry":
        assert "import_module(_MODELS)" in source  # the one dynamic import: a fixed module name


def test_a_hit_imports_neither_yaml_nor_pydantic(cache_dir):
    load_assessment(QINGPU)
    code = (
        "import sys\n"
        "from scoring.api import cache\n"
        f"spec, lines, sha = cache.lookup({str(QINGPU)!r})\n"
        "node = spec.indicators[0]\n"
        "assert node.title == '增速' and node.is_group and spec.full_score == 100.0\n"
        "assert node.children[0].method.model_dump(exclude_none=True, exclude={'type'}) == {'floor': 0.6}\n"
        "assert node.model_copy(update={'weight': 1.0}).weight == 1.0\n"
        "assert lines.line(('outcomes', 1)) > 1\n"
        "loaded = sorted(m for m in ('yaml', 'pydantic', 'pydantic_core') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    env = dict(os.environ, ZONESCORE_CACHE_DIR=str(cache_dir), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
