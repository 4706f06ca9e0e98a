"""Fixtures for the browser tests: one real server per module, Chromium, a fresh context per test."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.server import CHROMIUM, Server, launch_chromium

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
                allow_module_level=True)

# How long an expect(...) waits for what a person would wait for. Playwright's default is 5 s,
# and CI's two shared cores once took longer to show the Data page's baseline on a fresh server
# (its standby worker was importing TensorFlow beside it). An expectation returns as soon as it
# holds, so a longer limit only slows a test that is failing anyway.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    (root / "data").mkdir()  # an empty data folder: only the bundled New York record, offline
    server = Server(root / "home", root / "data")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def fresh_pages(browser, viewport: dict, **options):
    """A maker of pages, each in a fresh browser context (separate cookies and sessions: separate
    'browsers'), all closed when the test ends."""
    contexts = []

    def make():
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(browser):
    """Pages in fresh browser contexts at a desk's 1400x1000, downloads allowed."""
    yield from fresh_pages(browser, {"width": 1400, "height": 1000}, accept_downloads=True)


@pytest.fixture
def projector(browser):
    """Pages in fresh browser contexts at the projector's 1024x768."""
    yield from fresh_pages(browser, {"width": 1024, "height": 768})
