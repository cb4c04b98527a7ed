"""Static files shipped with the package (the vendored Apache ECharts); read with :func:`asset_text`."""
from __future__ import annotations

from importlib import resources

ECHARTS_VERSION = "5.6.0"
ECHARTS_SHA256 = "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"


def asset_path(*parts: str):
    """A Traversable for a shipped file, e.g. ``asset_path("echarts", "echarts.min.js")``."""
    return resources.files(__package__).joinpath(*parts)


def asset_text(*parts: str) -> str:
    return asset_path(*parts).read_text(encoding="utf-8")


def echarts_js() -> str:
    """The vendored ECharts, unchanged (its hash is checked by tests/test_assets.py)."""
    return asset_text("echarts", "echarts.min.js")
