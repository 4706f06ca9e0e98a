"""Names are data, not markup, in a real browser: a user's string never makes it fetch anything.

Owners named as Markdown images (`![t](http://127.0.0.1:9/x.png)`, and one on a port where
Chromium does not refuse to connect) and as a link own finished runs and a search in the store;
the same strings ride in the link as ?owner= and as a config value the page refuses and quotes.
Every page that shows owners or quotes the link is opened while Playwright records each request
the browser makes: none may leave for any host but the app's own, and no image or link to those
addresses may be in the page.
"""
from urllib.parse import quote, urlparse

from rnnlab.config import RunConfig, TrainingOptions
from rnnlab.config.search import SearchConfig
from rnnlab.jobs.store import Store
from tests.e2e.server import free_port, open_url

ELSEWHERE = ("http://127.0.0.1:9/", f"http://127.0.0.1:{free_port()}/")  # the second: a port
# Chromium does not refuse to connect to (it blocks 9, the discard port, before asking)
IMAGE, OPEN_PORT_IMAGE = (f"![t]({host}x.png)" for host in ELSEWHERE)
LINK = f"[here]({ELSEWHERE[0]})"
# An image or a link to those hosts in the page (the app's own links carry the names as
# URL-encoded parameters, which is fine).
MARKUP = ", ".join(f"img[src^='{host}'], a[href^='{host}']" for host in ELSEWHERE)


def finished(store: Store, owner: str, seed: int, search: bool = False) -> int:
    """A run (or a search) that ended at once, so the app's supervisor never trains it."""
    config = RunConfig(training=TrainingOptions(seed=seed))
    run_id = (store.submit_search(SearchConfig(config), owner) if search
              else store.submit(config, owner))
    store.claim(10)
    store.finish(run_id, "failed", error="stopped by the test")
    return run_id


def test_no_request_leaves_for_another_host(server, new_page):
    store = Store(server.home)
    first, second, third = (finished(store, name, seed) for seed, name in
                            enumerate((IMAGE, OPEN_PORT_IMAGE, LINK), start=101))
    search = finished(store, OPEN_PORT_IMAGE, 104, search=True)
    page = new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    name, markup = quote(OPEN_PORT_IMAGE), {}
    for path in (f"?owner={name}", f"train?owner={name}&run={first}",
                 f"train?owner={quote(IMAGE)}&run={second}",
                 f"runs?owner={name}&run={third}&compare={first},{second},{third}",
                 f"tune?owner={name}&search={search}", f"race?owner={name}&race={first},{second}",
                 f"build?owner={quote(LINK)}&l1_cell={name}", f"inside?owner={name}&run={first}"):
        open_url(page, f"{server.url}/{path}")
        page.wait_for_timeout(500)  # room for an image the page might still ask for
        markup[path] = page.locator(MARKUP).count()
    own = urlparse(server.url).netloc
    network = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")]
    assert network, "the browser made no request at all: the log is not recording"
    assert ([url for url in network if urlparse(url).netloc != own],
            {path: count for path, count in markup.items() if count}) == ([], {})
    # The name is shown as typed, in the heading of the run it owns (a WORD JOINER, invisible,
    # keeps the address from becoming a link: rnnlab.data.explain.escape_markdown).
    open_url(page, f"{server.url}/train?run={first}")
    headings = page.get_by_role("heading").all_inner_texts()
    assert any(f"({IMAGE})" in heading.replace("\u2060", "") for heading in headings), headings
