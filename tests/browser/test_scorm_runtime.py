"""Each SCORM package run in a real SCORM runtime (scorm-again, from npm) in headless Chromium.

The unzipped package and a small test LMS page (tests/browser/scorm_lms/) are served over HTTP on free local
ports; the LMS page records every call the lesson makes. Shown for SCORM 1.2 and 2004: the call sequence, a
session time measured from initialise to finish, finishing on pagehide where unload is not allowed, a relaunch
that keeps a passed status, and API discovery past a frame of another origin and through the opener.
"""
from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lms.interop.scorm import write_package

pytestmark = pytest.mark.browser

RUNTIME = Path(__file__).resolve().parents[1] / "node_modules" / "scorm-again" / "dist"
LMS_PAGES = Path(__file__).parent / "scorm_lms"
LESSON = "content/lessons/basics-one.html"
CALLS = {"1.2": {"init": "LMSInitialize", "get": "LMSGetValue", "set": "LMSSetValue", "commit": "LMSCommit", "finish": "LMSFinish",
                 "status": "cmi.core.lesson_status", "time": "cmi.core.session_time"},
         "2004": {"init": "Initialize", "get": "GetValue", "set": "SetValue", "commit": "Commit", "finish": "Terminate",
                  "status": "cmi.completion_status", "time": "cmi.session_time"}}
VERSIONS = pytest.mark.parametrize("version", ["1.2", "2004"])


class _Quiet(SimpleHTTPRequestHandler):
    headers_to_add: dict[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.headers_to_add.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(root: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve a folder on a free port of 127.0.0.1 until the block ends."""
    handler = type("Handler", (_Quiet,), {"headers_to_add": headers or {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def site(app, tmp_path):
    """A folder with the unzipped package (content/), scorm-again (runtime/) and the test LMS pages."""
    assert (RUNTIME / "scorm12.js").is_file(), "scorm-again is missing: `make test` installs it (npm ci in tests/)"

    def build(version: str) -> Path:
        root = tmp_path / f"site-{version}"
        archive = tmp_path / f"package-{version}.zip"
        with archive.open("wb") as out:
            write_package(app.extensions["lms.course"], out, version)
        with zipfile.ZipFile(archive) as package:
            package.extractall(root / "content")
        (root / "runtime").mkdir()
        for name in ("scorm12.js", "scorm2004.js"):
            shutil.copy(RUNTIME / name, root / "runtime" / name)
        for page in LMS_PAGES.iterdir():
            shutil.copy(page, root / page.name)
        return root

    return build


def launcher(lms: str, version: str, sco: str | None, state: dict | None = None) -> str:
    query = {"version": version, **({"sco": sco} if sco else {}), **({"state": json.dumps(state)} if state else {})}
    return f"{lms}/launcher.html?{urllib.parse.urlencode(query)}"


def wait_for(page, version: str, name: str) -> None:
    page.wait_for_function(f"() => window.calls.some(c => c.name === {json.dumps(CALLS[version][name])})", timeout=10_000)


def leave(frame_owner) -> None:
    """Navigate the lesson's frame elsewhere, as an LMS does when the learner moves on."""
    frame_owner.evaluate("document.querySelector('iframe').src = 'about:blank'")


def seconds(version: str, value: str) -> float:
    if version == "2004":
        match = re.fullmatch(r"PT(\d+)H(\d+)M(\d+(?:\.\d{1,2})?)S", value)
        assert match, value
        return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])
    match = re.fullmatch(r"(\d{2,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)", value)
    assert match, value
    return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])


def check_clean_run(calls: list[dict], version: str) -> None:
    """Initialise first, finish once and last, every call accepted by the runtime."""
    names = CALLS[version]
    order = [c["name"] for c in calls]
    assert order[0] == names["init"] and order[-1] == names["finish"] and order.count(names["finish"]) == 1
    assert order.count(names["init"]) == 1
    assert all(c["error"] == "0" for c in calls), [c for c in calls if c["error"] != "0"]
    assert all(c["result"] == "true" for c in calls if c["name"] != names["get"])


@VERSIONS
def test_call_sequence_and_session_time(site, page, version):
    names = CALLS[version]
    with serve(site(version)) as lms:
        page.goto(launcher(lms, version, f"{lms}/{LESSON}"))
        wait_for(page, version, "commit")
        page.wait_for_timeout(1000)
        assert not page.evaluate("window.calls.some(c => c.args[1] === 'completed')")  # not before the end is seen
        page.frame_locator("iframe").locator("#end").scroll_into_view_if_needed()  # the learner reads to the end
        page.wait_for_function(f"() => window.calls.some(c => c.name === '{names['set']}' && c.args[1] === 'completed')")
        page.wait_for_timeout(1300)
        leave(page)
        wait_for(page, version, "finish")
        calls = page.evaluate("window.calls")
        status = page.evaluate("window.lmsApi.cmi.core ? window.lmsApi.cmi.core.lesson_status : window.lmsApi.cmi.completion_status")
    check_clean_run(calls, version)
    sets = [(c["args"][0], c["args"][1]) for c in calls if c["name"] == names["set"]]
    statuses = [value for key, value in sets if key == names["status"]]
    assert statuses == ["incomplete", "completed"]  # a fresh lesson: begun, then its end seen
    times = [value for key, value in sets if key == names["time"]]
    assert times and 2.2 <= seconds(version, times[-1]) < 30  # measured from initialise to finish
    order = [c["name"] for c in calls]
    time_at = max(i for i, c in enumerate(calls) if c["name"] == names["set"] and c["args"][0] == names["time"])
    assert order[time_at + 1:] in ([names["commit"], names["finish"]], [names["set"], names["commit"], names["finish"]])
    assert status == "completed"


@VERSIONS
def test_time_so_far_is_kept_when_the_page_is_hidden(site, page, version):
    """A phone may discard a backgrounded page without pagehide: hiding it commits the time so far, not finishing."""
    names = CALLS[version]
    with serve(site(version)) as lms:
        page.goto(launcher(lms, version, f"{lms}/{LESSON}"))
        wait_for(page, version, "commit")
        page.wait_for_timeout(1100)
        page.evaluate("""() => { const doc = document.querySelector('iframe').contentDocument;
            Object.defineProperty(doc, 'visibilityState', {value: 'hidden', configurable: true});
            doc.dispatchEvent(new Event('visibilitychange')); }""")
        calls = page.evaluate("window.calls")
    assert calls[-2]["name"] == names["set"] and calls[-2]["args"][0] == names["time"] and calls[-1]["name"] == names["commit"]
    assert seconds(version, calls[-2]["args"][1]) >= 1 and names["finish"] not in [c["name"] for c in calls]


@VERSIONS
def test_finishes_on_pagehide_where_unload_is_not_allowed(site, page, version):
    with serve(site(version), {"Permissions-Policy": "unload=()"}) as lms:
        page.goto(launcher(lms, version, f"{lms}/{LESSON}"))
        wait_for(page, version, "commit")
        page.wait_for_timeout(1100)
        leave(page)
        wait_for(page, version, "finish")
        calls = page.evaluate("window.calls")
        assert page.evaluate("window.unloadFired") is False  # the policy held: no unload handler ran
    check_clean_run(calls, version)
    time = [c["args"][1] for c in calls if c["name"] == CALLS[version]["set"] and c["args"][0] == CALLS[version]["time"]][-1]
    assert seconds(version, time) >= 1


RELAUNCH = {"1.2": [({"cmi": {"core": {"lesson_status": "passed"}}}, "passed"),
                    ({"cmi": {"core": {"lesson_status": "failed"}}}, "failed")],
            "2004": [({"cmi": {"completion_status": "completed", "success_status": "passed"}}, "completed")]}


@pytest.mark.parametrize(("version", "state", "kept"), [(v, s, k) for v, cases in RELAUNCH.items() for s, k in cases])
def test_relaunch_keeps_the_status_the_lms_holds(site, page, version, state, kept):
    names = CALLS[version]
    with serve(site(version)) as lms:
        page.goto(launcher(lms, version, f"{lms}/{LESSON}", state))
        wait_for(page, version, "commit")
        page.wait_for_timeout(500)
        leave(page)
        wait_for(page, version, "finish")
        calls = page.evaluate("window.calls")
        cmi = page.evaluate("JSON.parse(JSON.stringify(window.lmsApi.cmi))")
    check_clean_run(calls, version)
    assert not [c for c in calls if c["name"] == names["set"] and c["args"][0] == names["status"]]  # never written
    if version == "2004":
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    else:
        assert cmi["core"]["lesson_status"] == kept


@VERSIONS
def test_discovery_past_a_frame_of_another_origin(site, page, version):
    """LMS (origin A) > a frame of origin B > the lesson (origin A): the lesson skips B and finds A's API."""
    root = site(version)
    with serve(root) as lms, serve(root) as other:
        page.goto(launcher(lms, version, f"{other}/wrapper.html?sco=" + urllib.parse.quote(f"{lms}/{LESSON}")))
        wait_for(page, version, "commit")
        leave(page)
        wait_for(page, version, "finish")
        calls = page.evaluate("window.calls")
    check_clean_run(calls, version)


@VERSIONS
def test_discovery_through_the_opener_of_a_window_of_another_origin(site, page, version):
    """The LMS (origin A) opens a window of origin B that frames the lesson (origin A): found through top.opener."""
    root = site(version)
    with serve(root) as lms, serve(root) as other:
        page.goto(launcher(lms, version, None))
        with page.expect_popup() as opened:
            page.evaluate("url => { window.open(url, 'lesson'); }",
                          f"{other}/wrapper.html?sco=" + urllib.parse.quote(f"{lms}/{LESSON}"))
        popup = opened.value
        wait_for(page, version, "commit")
        leave(popup)
        wait_for(page, version, "finish")
        calls = page.evaluate("window.calls")
    check_clean_run(calls, version)
