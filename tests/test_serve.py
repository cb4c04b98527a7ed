"""zonescore serve: the API answers exactly what the CLI prints, refuses bad requests with the CLI's
words (4xx JSON, never a traceback), serialises the engine under concurrent requests, and the
downloads (tuned rule file, results workbook) are right."""
from __future__ import annotations

import json
import random
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from cli import main  # noqa: E402
from scoring.web.app import MAX_BODY, create_app  # noqa: E402
from scoring.web.server import running  # noqa: E402
from scoring.web.session import MAX_DRAWS, Session  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES, DATA = str(ROOT / "rules" / "qingpu-2023.yaml"), str(ROOT / "zones.csv")
NODES = ["growth", "tax_growth", "tax_completion", "households", "new_taxpayers", "taxpayer_completion",
         "quality", "tax_per_taxpayer", "million_firms", "strategic_share", "track_share"]


@pytest.fixture(scope="module")
def session():
    return Session(RULES, (DATA,))


@pytest.fixture(scope="module")
def client(session):
    return TestClient(create_app(session), raise_server_exceptions=False)


def cli(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--rules", RULES, "--data", DATA])
    return result.exit_code, result.stdout, result.stderr


def cli_whatif(weights: dict) -> tuple[int, str, str]:
    options = [item for node, value in weights.items() for item in ("--weight", f"{node}={value}")]
    return cli("whatif", *options, "--format", "json")


def random_weights(rng: random.Random) -> dict:
    chosen = rng.sample(NODES, rng.randint(1, 4))
    return {node: rng.choice([rng.randint(1, 80), round(rng.uniform(0.5, 60), 3)]) for node in chosen}


# --- the API mirrors the CLI ---------------------------------------------------------------------


def test_whatif_answer_is_what_the_cli_prints(client):
    rng = random.Random(20231231)
    for weights in [{"growth": 50}, {"增速": 25.5, "quality": 30}] + [random_weights(rng) for _ in range(4)]:
        code, printed, _ = cli_whatif(weights)
        answer = client.post("/api/whatif", json={"weights": weights})
        assert code == 0 and answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.text == printed, weights


def test_whatif_without_changes_compares_the_baseline_with_itself(client):
    document = client.post("/api/whatif", json={}).json()
    assert document["summary"]["changed"] is False
    assert document["summary"]["spearman_rho"] == 1.0 and document["summary"]["kendall_tau"] == 1.0
    assert all(unit["rank_change"] in (0, None) for unit in document["units"])


def test_assessment_is_the_run_json(client):
    assert client.get("/api/assessment").text == cli("run", "--format", "json")[1]


def test_explain_is_the_cli_explanation(client):
    for fmt in ("json", "text"):
        assert client.get(f"/api/explain/Z37?format={fmt}").text == cli("explain", "Z37", "--format", fmt)[1]


def test_explain_under_changed_weights_explains_the_scenario(client):
    document = client.get("/api/explain/Z37?weight=growth=60").json()
    scenario = client.post("/api/whatif", json={"weights": {"growth": 60}}).json()
    unit = next(u for u in scenario["units"] if u["id"] == "Z37")
    assert json.dumps(document, ensure_ascii=False).count(str(unit["scenario"]["total"])) >= 1


def test_robustness_is_the_cli_robustness_of_the_same_rules(client, tmp_path):
    answer = client.post("/api/robustness", json={"draws": 200, "spread": 0.1, "seed": 7})
    code, printed, _ = cli("robustness", "--draws", "200", "--spread", "0.1", "--seed", "7", "--format", "json")
    assert answer.status_code == 200 and code == 0 and answer.text == printed


def test_robustness_around_changed_weights_is_the_cli_on_the_tuned_rule_file(client, tmp_path):
    tuned = tmp_path / "tuned.yaml"
    tuned.write_bytes(client.get("/api/rules.yaml?weight=growth=50").content)
    answer = client.post("/api/robustness", json={"weights": {"growth": 50}, "draws": 100, "seed": 3}).json()
    result = CliRunner().invoke(main, ["robustness", "--rules", str(tuned), "--data", DATA, "--draws", "100",
                                       "--seed", "3", "--format", "json"])
    assert answer["units"] == json.loads(result.stdout)["units"]


def test_lines_are_the_outcome_lines_before_and_after(client):
    lines = {line["outcome"]: line for line in client.post("/api/lines", json={"weights": {"growth": 50}}).json()}
    assert lines["commended"]["baseline"] == 88.17 and lines["warned"]["baseline"] == 70.38  # README's run
    assert lines["commended"]["scenario"] > 88.17  # 10 more points on offer: the line rises


# --- bad requests: 4xx JSON with the CLI's words ----------------------------------------------------


@pytest.mark.parametrize("weights", [{"nope": 50}, {"growth": "abc"}, {"growth": -5}, {"growth": 0},
                                     {"growth": 1e9}, {"growth": "50", "quality": "x", "nope": 1}])
def test_bad_weights_get_the_cli_message(client, weights):
    code, _, printed = cli_whatif(weights)
    answer = client.post("/api/whatif", json={"weights": weights})
    assert code != 0 and answer.status_code == 400
    assert "Error: " + answer.json()["error"] + "\n" == printed


@pytest.mark.parametrize("body, status", [
    ('{"weights": {"growth": NaN}}', 400), ('{"weights": {"growth": Infinity}}', 400),
    ('{"weights": {"growth": true}}', 400), ('{"weights": {"growth": null}}', 400),
    ('{"weights": [50]}', 422), ('{"weight": {"growth": 50}}', 422), ("growth=50", 400), ('"x"', 422),
    ('{"weights": {"growth": 50}, "keep_total": "maybe"}', 422)])
def test_malformed_bodies_are_refused_with_json(client, body, status):
    answer = client.post("/api/whatif", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == status
    assert answer.json()["error"] and "Traceback" not in answer.text


def test_nan_weight_gets_the_cli_words(client):
    answer = client.post("/api/whatif", content='{"weights": {"growth": NaN}}').json()
    assert answer["problems"][0]["message"] == "weight must be a positive number"
    assert answer["problems"][0]["field"] == "--weight growth"


def test_a_body_over_the_limit_is_refused(client):
    body = json.dumps({"weights": {f"n{i}": 1 for i in range(MAX_BODY // 8)}})
    answer = client.post("/api/whatif", content=body)
    assert answer.status_code == 413 and answer.json()["summary"] == "Request too large"


def test_unknown_unit_is_404_with_the_cli_message(client):
    answer = client.get("/api/explain/NOPE")
    code, _, printed = cli("explain", "NOPE")
    assert answer.status_code == 404 and code != 0
    assert "Error: " + answer.json()["error"] + "\n" == printed


def test_robustness_draws_over_the_cap_are_refused(client):
    answer = client.post("/api/robustness", json={"draws": MAX_DRAWS + 1})
    assert answer.status_code == 400 and answer.json()["summary"] == "Invalid --draws option"
    answer = client.post("/api/robustness", json={"draws": 0})
    assert answer.status_code == 400 and "need at least one draw" in answer.json()["error"]
    assert client.post("/api/robustness", json={"spread": 1.5}).status_code == 400


def test_unknown_static_file_and_format(client):
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/api/explain/Z37?format=pdf").status_code == 400


# --- the page and its assets -------------------------------------------------------------------------------


def test_page_and_assets_are_served_from_the_package(client):
    from scoring.assets import echarts_js

    page = client.get("/")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text and "青浦区2023年度" in page.text
    assert client.get("/static/echarts.min.js").text == echarts_js()
    for name in ("app.js", "app.css"):
        assert client.get(f"/static/{name}").status_code == 200
    local = page.text + client.get("/static/app.js").text + client.get("/static/app.css").text
    assert "http://" not in local and "https://" not in local  # works with no internet connection


def test_setup_gives_the_tree_and_the_words_in_the_rule_files_language(client):
    setup = client.get("/api/setup").json()
    assert [n["id"] for n in setup["nodes"]] == NODES
    assert setup["nodes"][1] == {"id": "tax_growth", "label": "税收增速", "weight": 20.0, "parent": "growth",
                                 "depth": 1, "group": False}
    assert setup["words"]["reset"] == "恢复原权重" and setup["full_score"] == 100.0
    assert [o["label"] for o in setup["outcomes"]] == ["表彰", "预警提示"]


# --- token ---------------------------------------------------------------------------------------------------


def test_a_token_guards_every_request(session):
    guarded = TestClient(create_app(session, token="s3cret"), raise_server_exceptions=False)
    for path in ("/", "/static/app.js", "/api/setup"):
        answer = guarded.get(path)
        assert answer.status_code == 401 and answer.json()["summary"] == "Access refused"
    assert guarded.post("/api/whatif", json={}, headers={"X-Zonescore-Token": "wrong"}).status_code == 401
    assert guarded.post("/api/whatif", json={}, headers={"X-Zonescore-Token": "s3cret"}).status_code == 200
    opened = guarded.get("/?token=s3cret")
    assert opened.status_code == 200 and "zonescore_token" in opened.headers["set-cookie"]
    assert guarded.get("/api/setup").status_code == 200  # the cookie the page got


# --- downloads ------------------------------------------------------------------------------------------------


def test_tuned_rule_file_differs_only_in_the_weights(client, tmp_path):
    answer = client.get("/api/rules.yaml", params={"weight": ["growth=50", "户均税收=12.5"]})
    assert answer.status_code == 200 and "qingpu-2023-tuned.yaml" in answer.headers["content-disposition"]
    original = Path(RULES).read_text(encoding="utf-8").splitlines()
    tuned = answer.text.splitlines()
    assert len(tuned) == len(original)
    changed = [(a, b) for a, b in zip(original, tuned) if a != b]
    assert changed == [("    weight: 40", "    weight: 50"), ("        weight: 10", "        weight: 12.5")]


def test_tuned_rule_file_runs_to_the_scenario_ranking(client, tmp_path):
    tuned = tmp_path / "tuned.yaml"
    tuned.write_bytes(client.get("/api/rules.yaml?weight=quality=45").content)
    result = CliRunner().invoke(main, ["run", "--rules", str(tuned), "--data", DATA, "--format", "json"])
    ranks = {u["id"]: u["rank"] for u in json.loads(result.stdout)["units"]}
    scenario = client.post("/api/whatif", json={"weights": {"quality": 45}}).json()
    assert ranks == {u["id"]: u["scenario"]["rank"] for u in scenario["units"]}


def test_results_download_is_the_workbook(client, tmp_path):
    from openpyxl import load_workbook

    answer = client.get("/api/results.xlsx?weight=growth=50")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    path = tmp_path / "results.xlsx"
    path.write_bytes(answer.content)
    assert load_workbook(path, read_only=True).sheetnames
    assert client.get("/api/results.xlsx?weight=growth=-1").status_code == 400


# --- concurrency -------------------------------------------------------------------------------------------------


def test_200_concurrent_requests_get_correct_answers(session):
    rng = random.Random(7)
    scenarios = [random_weights(rng) for _ in range(24)]
    expected = {}
    reference = Session(RULES, (DATA,))
    for weights in scenarios:
        expected[json.dumps(weights)] = reference.whatif_text({k: repr(v) for k, v in weights.items()})
    with running(create_app(session)) as address:
        def ask(weights):
            request = urllib.request.Request(address + "/api/whatif", data=json.dumps({"weights": weights}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                return weights, response.status, response.read().decode("utf-8")

        asked = [scenarios[i % len(scenarios)] for i in range(200)]
        rng.shuffle(asked)
        with ThreadPoolExecutor(max_workers=32) as pool:
            answers = list(pool.map(ask, asked))
    assert len(answers) == 200
    for weights, status, text in answers:
        assert status == 200 and text == expected[json.dumps(weights)]


# --- the command ----------------------------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch):
    """Runs ``zonescore serve`` without blocking: the server is 'ready' at once and returns."""
    import scoring.web.server as server

    apps = []

    def serve_once(app, sock, on_ready=None):
        apps.append(app)
        on_ready()
        sock.close()

    monkeypatch.setattr(server, "serve_forever", serve_once)
    monkeypatch.setattr("webbrowser.open", lambda address: apps.append(address))
    return apps


def test_serve_on_loopback_needs_no_token_and_opens_the_browser(served):
    code, _, printed = cli("serve", "--port", "0")
    assert code == 0 and printed.startswith("Serving the tuning page at http://127.0.0.1:")
    assert "token" not in printed and served[-1].startswith("http://127.0.0.1:")


def test_serve_on_another_address_prints_a_generated_token(served):
    code, _, printed = cli("serve", "--host", "0.0.0.0", "--port", "0", "--no-browser")
    token = printed.split("access token ")[1].split()[0]
    assert code == 0 and len(token) >= 20 and f"/?token={token} (Ctrl+C stops)" in printed
    assert TestClient(served[0]).get("/api/setup").status_code == 401


def test_serve_refuses_a_busy_port(served):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        code, _, printed = cli("serve", "--port", str(busy.getsockname()[1]), "--no-browser")
    assert code != 0 and printed.startswith("Error: Cannot listen on 127.0.0.1:")


# --- keeping the full score (zonescore whatif --keep-total) --------------------------------------------------------


def test_keep_total_is_the_cli_keep_total(client):
    from scoring.web.session import keeps_total

    answer = client.post("/api/whatif", json={"weights": {"growth": 50}, "keep_total": True})
    assert client.get("/api/setup").json()["keep_total"] is keeps_total()
    if not keeps_total():  # the whatif of this version has no --keep-total: refused, not guessed
        assert answer.status_code == 400 and answer.json()["summary"] == "Invalid --keep-total option"
        return
    code, printed, _ = cli("whatif", "--weight", "growth=50", "--keep-total", "--format", "json")
    assert code == 0 and answer.text == printed
    assert answer.json()["summary"]["full_score"] == [100.0, 100.0]


def test_a_rule_file_changed_since_the_start_is_not_edited(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_bytes(Path(RULES).read_bytes())
    changed = TestClient(create_app(Session(str(rules), (DATA,))), raise_server_exceptions=False)
    rules.write_text(rules.read_text(encoding="utf-8").replace("weight: 40", "weight: 45"), encoding="utf-8")
    answer = changed.get("/api/rules.yaml?weight=quality=20")
    assert answer.status_code == 400
    assert answer.json()["summary"] == f"The rule file changed since zonescore serve read it: {rules}"


def test_an_english_rule_file_gets_an_english_page(write_rules, write_csv):
    from conftest import indicator, rule_doc

    rules = write_rules(rule_doc([indicator("sales_score", "sales", "minmax", weight=60),
                                  indicator("jobs_score", "jobs", "minmax", weight=40)],
                                 outcomes=[{"id": "top", "label": "Top", "top": 1}]))
    data = write_csv([{"id": f"U{i}", "name": f"Unit {i}", "sales": 10 * i, "jobs": 7 - i} for i in range(1, 6)])
    english = TestClient(create_app(Session(str(rules), (str(data),))))
    setup = english.get("/api/setup").json()
    assert setup["language"] == "en" and setup["words"]["reset"] == "Reset"
    assert setup["words"]["agreement_text"].startswith("{agreement}: ")
    assert '<html lang="en">' in english.get("/").text
    code, printed, _ = (lambda r: (r.exit_code, r.stdout, r.stderr))(CliRunner().invoke(main, [
        "whatif", "--weight", "jobs_score=80", "--rules", str(rules), "--data", str(data), "--format", "json"]))
    assert code == 0 and english.post("/api/whatif", json={"weights": {"jobs_score": 80}}).text == printed


def test_on_loopback_only_its_own_names_are_answered(session):
    local = TestClient(create_app(session, hosts=("127.0.0.1", "localhost", "[::1]")), base_url="http://127.0.0.1:8000")
    assert local.get("/api/setup").status_code == 200
    assert local.get("/api/setup", headers={"Host": "localhost:8000"}).status_code == 200
    assert local.get("/api/setup", headers={"Host": "[::1]:8000"}).status_code == 200
    answer = local.get("/api/setup", headers={"Host": "attacker.example:8000"})
    assert answer.status_code == 400 and answer.json()["problems"][0]["found"] == "'attacker.example'"


def test_serve_on_loopback_refuses_other_host_names(served):
    cli("serve", "--port", "0", "--no-browser")
    app = served[0]
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/setup").status_code == 200
    assert TestClient(app, base_url="http://rebound.example").get("/api/setup").status_code == 400
