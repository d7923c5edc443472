"""Both pages in a real browser (headless Chromium): the text renders, hostile input runs nothing,
and opening a page makes no network request.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it when it is missing); without
it these tests skip and say so. Each page is loaded with ``--dump-dom`` (the DOM after scripts
would have run) and a net log; a local HTTP server that hostile text points at counts requests.
A control page without escaping shows that the checks catch what they look for.
"""

from __future__ import annotations

import html
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from stanceclf.cli import main

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and Path(p).exists()), None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
    ),
]
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


@pytest.fixture
def trap():
    """A local HTTP server recording every path asked of it: hostile text points here."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def hostile_statements(base: str) -> list[str]:
    return [
        "<script>document.title='PWNED'</script>We back the tram plan.",
        f'"><img src="{base}/img" onerror="document.title=\'PWNED\'">They oppose the fuel tax.',
        f"<link rel=stylesheet href={base}/css><iframe src={base}/frame></iframe>We agree only if it is free.",
        f'<div style="background:url({base}/bg)">x</div><script src="{base}/js"></script>Nobody knows.',
    ]


def open_page(path: Path, tmp_path: Path, *extra: str) -> tuple[str, list[tuple[str, str]]]:
    """The page's DOM after loading, and every request a page started (url, initiator)."""
    net_log = tmp_path / f"{path.stem}.netlog.json"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={net_log}", *extra]
    done = subprocess.run(
        [*command, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )
    log = json.loads(net_log.read_text(encoding="utf-8"))
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requests = [
        (event["params"]["url"], event["params"].get("initiator", ""))
        for event in log["events"]
        if kinds.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in event.get("params", {})
    ]
    # the browser's own service requests (updates, time) have no initiating page: "not an origin"
    return done.stdout, [(url, who) for url, who in requests if who != "not an origin"]


def rendered_text(dom: str) -> str:
    """The text of the DOM without its tags, entities decoded: what a reader sees, tips included."""
    return html.unescape(re.sub(r"<[^>]+>", "", dom))


def screenshot_flags(out: Path) -> tuple[str, ...]:
    """Flags for :func:`open_page` that also photograph the page (in the same browser run)."""
    return "--window-size=1000,1400", f"--screenshot={out}"


def assert_png(out: Path) -> None:
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_checks_catch_a_page_that_runs_script_and_fetches(tmp_path, trap):
    base, hits = trap
    control = tmp_path / "control.html"
    control.write_text("<html><body>" + "".join(hostile_statements(base)) + "</body></html>", encoding="utf-8")
    dom, requests = open_page(control, tmp_path)
    assert "<title>PWNED</title>" in dom and hits and requests


def test_the_article_page_renders_its_text_runs_nothing_and_fetches_nothing(tmp_path, trap):
    base, hits = trap
    article = tmp_path / "article.txt"
    article.write_text(" ".join(hostile_statements(base)) + "\nThe council will vote on Monday.\n", encoding="utf-8")
    page = tmp_path / "article.html"
    result = CliRunner().invoke(main, ["predict", "--input", str(article), "--sentences", "--output", str(page)])
    assert result.exit_code == 0, result.output
    dom, requests = open_page(page, tmp_path, *screenshot_flags(tmp_path / "article.png"))
    assert "<title>stanceclf: stance by sentence</title>" in dom and "PWNED</title>" not in dom
    assert "<img" not in dom and "<iframe" not in dom and "<link" not in dom
    text = rendered_text(dom)
    assert "<script>document.title='PWNED'</script>We back the tram plan." in text  # shown as text
    assert "The council will vote on Monday." in text and "5 sentences by stance" in text
    assert hits == [] and requests == []
    assert_png(tmp_path / "article.png")


def test_the_report_renders_its_parts_runs_nothing_and_fetches_nothing(tmp_path, trap, write_csv, model_file):
    base, hits = trap
    rows = [(text, label, "trams") for text, label in zip(hostile_statements(base), ["oppose"] * 4)]
    rows += [("We back the plan.", "support", "trams"), ("We reject it.", "oppose", "tax")]
    data = write_csv(tmp_path / "data.csv", rows)
    page = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["evaluate", str(data), "--model", str(model_file), "--report", str(page)])
    assert result.exit_code == 0, result.output
    dom, requests = open_page(page, tmp_path, *screenshot_flags(tmp_path / "report.png"))
    assert "PWNED</title>" not in dom and "<img" not in dom and "<iframe" not in dom
    for part in ("Confusion matrix", "Reliability", "Scores per target", "most confident mistakes"):
        assert part in dom
    assert dom.count("<svg") == 2
    assert "<script>document.title='PWNED'</script>We back the tram plan." in rendered_text(dom)
    assert hits == [] and requests == []
    assert_png(tmp_path / "report.png")


def test_the_actor_table_page_renders_runs_nothing_fetches_nothing_and_links_its_sentences(tmp_path, trap):
    pytest.importorskip("syntok")
    base, hits = trap
    article = tmp_path / "article.txt"
    hostile = " ".join(hostile_statements(base))
    article.write_text(
        f"Trams for Porto\n\nAna Ruiz said she would back the tram plan. {hostile}\n\nThe union has rejected it.\n",
        encoding="utf-8",
    )
    page = tmp_path / "actors.html"
    result = CliRunner().invoke(main, ["summarize", str(article), "--output", str(page)])
    assert result.exit_code == 0, result.output
    dom, requests = open_page(page, tmp_path, *screenshot_flags(tmp_path / "actors.png"))
    assert "<title>stanceclf: who stands where</title>" in dom and "PWNED</title>" not in dom
    assert "<img" not in dom and "<iframe" not in dom and "<link" not in dom
    text = rendered_text(dom)
    assert "Who stands where" in text and "Ana Ruiz" in text and "the union" in text
    assert "<script>document.title='PWNED'</script>We back the tram plan." in text
    anchors = re.findall(r'href="#(s\d+)"', dom)
    assert anchors and all(f'id="{anchor}"' in dom for anchor in anchors)
    assert hits == [] and requests == []
    assert_png(tmp_path / "actors.png")
