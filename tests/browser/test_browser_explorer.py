"""The web explorer in a real browser: Playwright driving Debian's Chromium against a live server.

The server runs in a thread over the serve corpus (tests/data/serve). One test also ingests the dev
articles of ../shared/eval when they are there and saves the Renault page to docs/renault.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("ALLIANCEGRAPH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("ALLIANCEGRAPH_SHARED", ROOT.parent / "shared"))
DEV_DOCS = SHARED / "eval" / "dev" / "docs"
SCREENSHOT = ROOT / "docs" / "renault.png"
TIMEOUT_MS = 15_000

RENAULT_NETWORK = {
    "org:renault",
    "org:nissan",
    "org:mercedes-benz-group",
    "org:general-motors",
    "org:ford",
    "vehicle:renault-clio",
    "plant:renault-flins",
}


# -- fixtures --------------------------------------------------------------------------------------


class LiveServer:
    """uvicorn serving `create_app(db)` on a free localhost port, in a daemon thread."""

    def __init__(self, db: str):
        import uvicorn

        from alliancegraph.serve import create_app

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(create_app(db), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"The test server at {self.url} did not start.")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: run `bash scripts/install-test-deps.sh` (apt-get install chromium)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(serve_db: str) -> Iterator[LiveServer]:
    with LiveServer(serve_db) as live:
        yield live


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, base_url=server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _nodes(page) -> set[str]:
    page.wait_for_selector("#network[data-state=ready]")
    return set((page.get_attribute("#network", "data-nodes") or "").split())


def _wait_nodes(page, test: str) -> None:
    """Wait until the drawn node ids satisfy the JS expression `test` (over `ids`, an array)."""
    page.wait_for_function(
        f"""() => {{
            const n = document.querySelector('#network');
            const ids = (n.dataset.nodes || '').split(' ');
            return n.dataset.state === 'ready' && ({test});
        }}"""
    )


def _click_node(page, node_id: str) -> None:
    box = page.locator("#network").bounding_box()
    at = page.evaluate(f"() => window.cy.getElementById({node_id!r}).renderedPosition()")
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


# -- tests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed,entity", [("Rena", "org:renault")])
def test_browser_search_suggests_and_opens_the_entity_page(page, typed, entity):
    page.goto("/")
    page.wait_for_selector("#stats:has-text('facts')")
    page.locator("#q").press_sequentially(typed, delay=30)
    first = page.locator("#suggestions li").first
    first.wait_for()
    assert first.get_attribute("data-id") == entity
    first.click()
    page.wait_for_url(f"**/entity/{entity.replace(':', '%3A')}")
    assert page.locator("#entity-name").inner_text() == "Renault"
    assert _nodes(page) == RENAULT_NETWORK
    assert page.evaluate("() => window.cy.nodes().length") == len(RENAULT_NETWORK)
    assert page.locator("#facts tbody tr").count() == 9
    assert int(page.get_attribute("#timeline", "data-events") or 0) >= 6


@pytest.mark.parametrize(
    "as_of,gone,kept",
    [
        ("2008-01-01", "org:mercedes-benz-group", "org:nissan"),
        ("2003-06-30", "org:general-motors", "org:nissan"),
    ],
)
def test_browser_as_of_date_removes_a_later_partner(page, as_of, gone, kept):
    page.goto("/entity/Renault")
    assert {gone, kept} <= _nodes(page)
    page.fill("#as-of", as_of)
    _wait_nodes(page, f"!ids.includes({gone!r}) && ids.includes({kept!r})")
    assert f"as_of={as_of}" in page.url
    assert (
        page.locator(
            f"#facts tbody tr:has-text('{'Mercedes' if 'mercedes' in gone else 'General Motors'}')"
        ).count()
        == 0
    )
    assert page.locator(".vis-item.later").count() >= 1
    page.click("#as-of-clear")
    _wait_nodes(page, f"ids.includes({gone!r})")


def test_browser_as_of_from_the_url(page):
    page.goto("/entity/Renault?as_of=2001-01-01")
    assert _nodes(page) == {"org:renault", "org:nissan"}
    assert page.input_value("#as-of") == "2001-01-01"


def test_browser_click_a_neighbour_to_expand_it(page):
    page.goto("/entity/Renault")
    assert "org:mitsubishi-motors" not in _nodes(page)
    _click_node(page, "org:nissan")
    _wait_nodes(page, "ids.includes('org:mitsubishi-motors')")
    assert page.locator("#node-info").inner_text().startswith("Nissan")
    page.click("#node-open")
    page.wait_for_url("**/entity/org%3Anissan")
    assert "org:mitsubishi-motors" in _nodes(page)


@pytest.mark.parametrize(
    "row,head,tail,title,published",
    [
        ("supplies", "Renault", "Daimler", "Renault and Daimler seal a cross-shareholding", "2010-04-07"),
        (
            "Ford Motor Company",
            "Renault",
            "Ford",
            "GM said to weigh an alliance with Renault and Nissan",
            "2006-07-10",
        ),
    ],
)
def test_browser_evidence_panel_marks_the_stated_names(page, row, head, tail, title, published):
    page.goto("/entity/Renault")
    _nodes(page)
    page.locator(f"#facts tbody tr:has-text('{row}')").first.click()
    page.wait_for_selector("#evidence[data-state=ready]")
    item = page.locator("#evidence .evidence-list li").first
    assert item.locator("mark.head").first.inner_text() == head
    assert item.locator("mark.tail").first.inner_text() == tail
    link = item.locator("a.title")
    assert link.inner_text() == title
    assert link.get_attribute("href", timeout=1000).startswith("https://example.org/news/")
    assert published in item.locator(".date").inner_text()


def test_browser_edge_click_opens_its_evidence(page):
    page.goto("/entity/Renault")
    _nodes(page)
    fact = page.evaluate(
        "() => window.cy.edges()"
        ".filter(e => e.data('relation') === 'owns' && e.target().id() === 'org:nissan')[0].id()"
    )
    box = page.locator("#network").bounding_box()
    at = page.evaluate(f"() => window.cy.getElementById({fact!r}).renderedMidpoint()")
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    page.wait_for_selector(f"#evidence[data-fact='{fact}'][data-state=ready]")
    assert "36.8 percent stake in Nissan" in page.locator("#evidence").inner_text()


def test_browser_unknown_entity_shows_the_error_with_suggestions(page):
    response = page.goto("/entity/Renualt")
    assert response.status == 404
    assert "Did you mean: Renault" in page.locator("#error-message").inner_text()


@pytest.mark.model
def test_browser_screenshot_of_renault_from_the_dev_articles(browser, tmp_path):
    """Ingests the dev articles (the real pipeline) and saves the Renault page to docs/renault.png."""
    if not DEV_DOCS.is_dir():
        pytest.skip(f"no dev articles at {DEV_DOCS}")
    from alliancegraph.config import load_settings
    from alliancegraph.pipeline import run

    db = str(tmp_path / "dev.db")
    report = run([DEV_DOCS], load_settings(db=db))
    assert report.documents >= 10
    with LiveServer(db) as live:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=live.url)
        context.set_default_timeout(TIMEOUT_MS)
        tab = context.new_page()
        tab.goto("/entity/Renault")
        nodes = _nodes(tab)
        assert "org:renault" in nodes and len(nodes) >= 3
        tab.wait_for_selector("#timeline[data-state=ready]")
        partner = tab.evaluate(
            "() => window.cy.edges().filter(e => e.data('relation') === 'partner_of')[0]?.id()"
        ) or tab.evaluate("() => window.cy.edges()[0].id()")
        tab.evaluate(f"() => window.entityPage.showEvidence({partner!r})")
        tab.wait_for_selector("#evidence[data-state=ready]")
        tab.wait_for_timeout(300)
        shot = tmp_path / "renault.png"
        tab.screenshot(path=str(shot), full_page=True)
        context.close()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    if not SCREENSHOT.exists() or SCREENSHOT.read_bytes() != shot.read_bytes():
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.stat().st_size > 20_000
