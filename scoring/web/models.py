"""Requests and answers of the page's API (pydantic models).

Weights arrive as JSON values and are handed to the CLI's own checks as the texts of
``--weight NODE=VALUE`` (:func:`scoring.web.session.weight_texts`), so that a bad weight gets the
CLI's words; the models only fix the shape of a request.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class WhatifRequest(BaseModel):
    """``POST /api/whatif`` and ``/api/lines``: the weights changed (node id or label -> value)."""

    model_config = ConfigDict(extra="forbid")
    weights: dict[str, Any] = Field(default_factory=dict)
    keep_total: bool = False


class RobustnessRequest(WhatifRequest):
    """``POST /api/robustness``: random weights around the weights given (``zonescore robustness``)."""

    draws: int = 1000
    spread: float = 0.2
    seed: int = 20231231


class ProblemRecord(BaseModel):
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    found: str | None = None
    expected: str | None = None


class ErrorAnswer(BaseModel):
    """Every refused request: the CLI's message (``error``: as the CLI prints it) and its problems."""

    error: str
    summary: str
    problems: list[ProblemRecord] = Field(default_factory=list)


class LineRecord(BaseModel):
    outcome: str
    label: str
    from_bottom: bool
    baseline: float | None
    scenario: float | None


class TreeNode(BaseModel):
    id: str
    label: str
    weight: float
    parent: str | None
    depth: int
    group: bool


class PageSetup(BaseModel):
    """``GET /api/setup``: what the page needs to draw itself (tree, outcomes, its words)."""

    title: str
    language: str
    full_score: float
    precision: int
    nodes: list[TreeNode]
    outcomes: list[dict[str, str]]
    words: dict[str, str]
    max_draws: int
    keep_total: bool  # whether the full score can be kept (zonescore whatif --keep-total)
