"""Benchmarks for the budgets in DESIGN.md. Run: `make bench` (or .venv/bin/python benchmarks/run.py).

- lesson page weight: HTML + CSS bytes, number of requests, third-party hosts;
  for a lesson in each interface language (en, bn, hi, km, fil);
- throughput of a lesson page against the project's floor (benchmarks/floor_app.py's /lesson: the least a
  signed-in lesson view does on this stack; budget: lesson >= floor) and a bare Flask "hello world" (the
  ceiling, reported), all three under gunicorn with the same workers on this machine, measured in one run,
  interleaved in rounds, so the ratios are fair on a noisy machine.
Numbers go to standard output; RESULTS.md keeps the ones written down.
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password 1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def gunicorn(target: str, port: int, env: dict, workers: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def session_cookie(response: http.client.HTTPResponse, default: str | None = None) -> str:
    """The `session=...` pair from a response's Set-Cookie headers (a sign-in also sets a device cookie)."""
    for header in response.msg.get_all("Set-Cookie") or []:
        pair = header.split(";")[0]
        if pair.startswith("session="):
            return pair
    if default is None:
        raise AssertionError("no session cookie in the response")
    return default


def login(port: int, email: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = session_cookie(response)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)
    body = f"csrf_token={token}&email={email}&password={PASSWORD.replace(' ', '+')}"
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return session_cookie(response)


def load(port: int, path: str, cookie: str | None, threads: int, seconds: float) -> float:
    """Requests per second from `threads` keep-alive clients for `seconds`."""
    counts = [0] * threads
    stop = time.time() + seconds

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Cookie": cookie} if cookie else {}
        while time.time() < stop:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            counts[index] += 1

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.time() - started)


def floor_login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login1")
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
    return session_cookie(response)


def choose_language(port: int, cookie: str, code: str) -> str:
    """GET /language/<code>, as the language menu's link does; returns the session cookie that remembers it."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", f"/language/{code}", headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, (code, response.status)
    return session_cookie(response, cookie)


def page_weight(port: int, path: str, cookie: str, required: bool = True) -> dict | None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    html = response.read()
    if response.status == 403 and not required:  # a lesson this learner may not open yet
        return None
    assert response.status == 200, (path, response.status, response.getheader("Location"))
    text = html.decode()
    lang = re.search(r'<html[^>]*\blang="([^"]+)"', text)
    assets = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', text)
    icon = re.findall(r'<link[^>]+rel="icon"[^>]+href="([^"]+)"', text)
    css = 0
    kept = 0  # assets the browser keeps (max-age), so a repeat view does not ask for them again
    for asset in assets:
        if asset.split("?")[0].endswith(".css"):
            conn.request("GET", asset, headers={"Cookie": cookie})
            response = conn.getresponse()
            css += len(response.read())
            kept += bool(re.search(r"max-age=[1-9]", response.getheader("Cache-Control") or ""))
    third_party = [a for a in assets + icon if re.match(r"https?://", a) and "127.0.0.1" not in a]
    requests = 1 + len(assets) + sum(1 for i in icon if not i.startswith("data:"))
    return {"html": len(html), "css": css, "total": len(html) + css, "requests": requests, "third_party": third_party,
            "repeat_requests": requests - kept, "lang": lang.group(1) if lang else None}


LANGUAGES = ("en", "bn", "hi", "km", "fil")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> None:
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    seconds = float(os.environ.get("BENCH_SECONDS", "3"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    threads = int(os.environ.get("BENCH_THREADS", "8"))
    tmp = tempfile.mkdtemp(prefix="lms-bench-")
    env = {**os.environ, "LMS_SECRET_KEY": "benchmark-secret", "LMS_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
           "LMS_INSTANCE_PATH": tmp, "FLOOR_DB": f"{tmp}/floor.sqlite", "PYTHONPATH": str(ROOT)}
    setup = (
        "from lms import create_app; from lms.db.session import upgrade, get_session; from lms.learning.accounts import create_user;"
        "from lms.cli.demo import seed; app = create_app();"
        "ctx = app.app_context(); ctx.push(); upgrade(app);"
        f"create_user(get_session(), 'bench@example.org', 'Bench Learner', 'tsp', {PASSWORD!r}, 'Bench');"
        "get_session().commit(); seed(200, 'Bench');"
        "import benchmarks.floor_app"  # creates the floor's database once, before its workers start
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=ROOT)
    from lms.content.loader import load_course

    course = load_course(os.environ.get("LMS_COURSE_DIR") or ROOT / "course")
    lesson = next(iter(course.lessons))
    lesson_path = f"/learn/lessons/{lesson}"
    ports = {"lms": free_port(), "floor": free_port(), "hello": free_port()}
    targets = {"lms": "lms:create_app()", "floor": "benchmarks.floor_app:app", "hello": "benchmarks.hello:app"}
    servers = [gunicorn(targets[name], port, env, workers) for name, port in ports.items()]
    rates: dict[str, list[float]] = {"lesson": [], "floor": [], "hello": []}
    weights: dict[str, dict] = {}
    try:
        for port in ports.values():
            wait_for(port)
        cookie = login(ports["lms"], "bench@example.org")
        floor_cookie = floor_login(ports["floor"])
        weight = page_weight(ports["lms"], lesson_path, cookie)  # first view, as before: records progress
        measure = {
            "lesson": lambda s: load(ports["lms"], lesson_path, cookie, threads, s),
            "floor": lambda s: load(ports["floor"], "/lesson", floor_cookie, threads, s),
            "hello": lambda s: load(ports["hello"], "/", None, threads, s),
        }
        order = list(measure)
        for name in order:  # warm up
            measure[name](1)
        for round_ in range(rounds):  # interleaved, the order rotated each round so no one always goes first
            for name in order[round_ % 3:] + order[:round_ % 3]:
                rates[name].append(measure[name](seconds))
        for code in LANGUAGES:  # each language on every lesson: the first one, and the heaviest in that language
            language_cookie = choose_language(ports["lms"], cookie, code)
            pages = {lid: page_weight(ports["lms"], f"/learn/lessons/{lid}", language_cookie, required=False)
                     for lid in course.lessons}
            pages = {lid: page for lid, page in pages.items() if page is not None}
            heaviest = max(pages, key=lambda lid: pages[lid]["total"])
            weights[code] = {"first": pages[lesson], "heaviest_id": heaviest, "heaviest": pages[heaviest], "open": len(pages)}
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    print(f"lesson page {lesson_path}: HTML {weight['html']} B + CSS {weight['css']} B = {weight['total']} B "
          f"(budget 51200 B), {weight['requests']} requests (budget 3; {weight['repeat_requests']} on a repeat view), "
          f"third-party hosts: {weight['third_party'] or 'none'}")
    print("page weight by interface language (set with GET /language/<code>; budget 51200 B, 3 requests, no third-party "
          "hosts), over the lessons this learner may open:")
    for code, w in weights.items():
        first, heavy = w["first"], w["heaviest"]
        hosts = sorted({h for p in (first, heavy) for h in p["third_party"]}) or "none"
        print(f"  {code:3} (html lang={first['lang']}): first lesson {first['html']} + {first['css']} = {first['total']} B, "
              f"{first['requests']} requests ({first['repeat_requests']} repeat); heaviest {w['heaviest_id']} "
              f"{heavy['html']} + {heavy['css']} = {heavy['total']} B, {heavy['requests']} requests, of {w['open']}/{len(course.lessons)} open "
              f"lessons; third-party: {hosts}")
    print(f"throughput with {workers} gunicorn workers, {threads} client threads, {rounds} interleaved rounds of "
          f"{seconds:g}s each (req/s per round; median):")
    for name, label in (("hello", "hello world (ceiling)"), ("floor", "floor /lesson"), ("lesson", "lesson page")):
        print(f"  {label:22} {' '.join(f'{r:7.0f}' for r in rates[name])}  median {median(rates[name]):7.0f}")
    per_round = [lesson / floor for lesson, floor in zip(rates["lesson"], rates["floor"], strict=True)]
    lesson_rps, floor_rps, hello_rps = (median(rates[n]) for n in ("lesson", "floor", "hello"))
    verdict = "met" if lesson_rps / floor_rps >= 1.0 else "NOT met"
    print(f"  lesson / floor {lesson_rps / floor_rps:.2f} (per round {', '.join(f'{r:.2f}' for r in per_round)}; "
          f"budget >= 1.00: {verdict})")
    print(f"  lesson / hello {lesson_rps / hello_rps:.2f} (ceiling, reported); floor / hello {floor_rps / hello_rps:.2f}")


if __name__ == "__main__":
    main()
