"""Browser fixtures: a live server on a loopback port and a Playwright page in headless Chromium.

Playwright drives Debian's Chromium (/usr/bin/chromium) rather than downloading its own
browser. When that binary is missing the browser tests are skipped with a message, unless
QUIRE_REQUIRE_BROWSER=1 (CI) makes that a failure.

The live server serves the test `app` fixture's application, so rows written by the factory
fixtures (committed to the same database file) are what the browser sees.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

CHROMIUM = Path(os.environ.get("QUIRE_CHROMIUM", "/usr/bin/chromium"))
BROWSER_REQUIRED = os.environ.get("QUIRE_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@dataclass
class LiveServer:
    """A running server: its base URL (no trailing slash) and the app it serves."""

    url: str
    app: Flask
    server: BaseWSGIServer


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """Serve the test app on 127.0.0.1 on a free port in a daemon thread, for one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, server=server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if BROWSER_REQUIRED:
            pytest.fail(f"{message} (QUIRE_REQUIRE_BROWSER=1 makes this a failure)", False)
        pytest.skip(f"{message}; skipping browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (own cookies and storage) for one test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def shots(request) -> Path:
    """The test's output folder (test-results/<test name>/) for screenshots."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    folder = RESULTS / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
