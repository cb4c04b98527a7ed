"""The page's two downloads: the rule file with the tuned weights, and the results workbook."""
from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Query
from fastapi.responses import Response

from .session import Session, weight_options

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def tuned_weights(session: Session, weights: dict[str, str], keep_total: bool) -> dict[str, float]:
    """Every node whose weight the scenario changed (the rebalanced siblings too), id -> weight."""
    scenario = session.scenario_result(weights, keep_total).assessment
    baseline = session.baseline.assessment
    return {node_id: node.weight for node_id, node in scenario.nodes.items()
            if node.weight != baseline.nodes[node_id].weight}


def add_downloads(app: FastAPI, session: Session) -> None:
    stem = Path(session.rules_path).stem

    @app.get("/api/rules.yaml")
    def rules_file(weight: list[str] = Query(default=[]), keep_total: bool = False):
        from .tuned_rules import tuned_rule_text

        weights = tuned_weights(session, weight_options(weight), keep_total)
        text = tuned_rule_text(session.rules_path, weights, session.baseline.assessment.sha256)
        return attachment(text.encode("utf-8"), f"{stem}-tuned.yaml", "application/yaml; charset=utf-8")

    @app.get("/api/results.xlsx")
    def results(weight: list[str] = Query(default=[]), keep_total: bool = False):
        from ..report.excel import write_results

        result = session.scenario_result(weight_options(weight), keep_total)
        with tempfile.TemporaryDirectory(prefix="zonescore-serve-") as folder:
            path = Path(folder) / "results.xlsx"
            with session.lock:
                write_results(result, path)
            content = path.read_bytes()
        return attachment(content, f"{stem}-results.xlsx", XLSX)
