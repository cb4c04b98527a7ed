"""The vendored Apache ECharts is the pinned file with its licence, and is installed with the package."""
import hashlib

from scoring.assets import ECHARTS_SHA256, ECHARTS_VERSION, asset_path, echarts_js


def test_echarts_is_the_pinned_file():
    assert hashlib.sha256(echarts_js().encode("utf-8")).hexdigest() == ECHARTS_SHA256
    assert f"echarts@{ECHARTS_VERSION}" in asset_path("echarts", "README.md").read_text(encoding="utf-8")


def test_echarts_licence_is_shipped():
    assert "Apache License" in asset_path("echarts", "LICENSE").read_text(encoding="utf-8")
    assert asset_path("echarts", "NOTICE").is_file()
