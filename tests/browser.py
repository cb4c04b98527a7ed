"""Finding Debian's Chromium for the browser tests.

``chromium()`` returns the browser's path. Where none is installed the test is skipped with the
reason, except under ``CI=true`` (``.ci/run`` installs Debian's chromium), where it fails: a CI
run must not pass by skipping its browser tests.

``CHROMIUM_FLAGS`` are the flags a headless Chromium needs here (root, no GPU, a closed network).
``browser`` is a module-scoped fixture: that Chromium, launched once through Playwright (import it
into a test module that needs it).
"""
from __future__ import annotations

import os
import shutil

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium() -> str:
    for name in (os.environ.get("ZONESCORE_CHROMIUM"), *CANDIDATES):
        path = name and shutil.which(name)
        if path:
            return path
    reason = "no Chromium found (install Debian's package 'chromium', or set ZONESCORE_CHROMIUM)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + " - CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one launch per test module."""
    path = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()
