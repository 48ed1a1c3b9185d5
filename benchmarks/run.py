"""Benchmarks for the budgets in DESIGN.md. Run: `make bench` (or .venv/bin/python benchmarks/run.py).

- lesson page weight: HTML + CSS bytes, number of requests, third-party hosts;
- throughput of a lesson page against a bare Flask "hello world", both under gunicorn with the
  same workers on this machine, measured in one run so the ratio is fair on a noisy machine.
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


def login(port: int, email: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)
    body = f"csrf_token={token}&email={email}&password={PASSWORD.replace(' ', '+')}"
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


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


def page_weight(port: int, path: str, cookie: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path, headers={"Cookie": cookie})
    html = conn.getresponse().read()
    text = html.decode()
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
            "repeat_requests": requests - kept}


def main() -> None:
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    seconds = float(os.environ.get("BENCH_SECONDS", "8"))
    threads = int(os.environ.get("BENCH_THREADS", "8"))
    tmp = tempfile.mkdtemp(prefix="lms-bench-")
    env = {**os.environ, "LMS_SECRET_KEY": "benchmark-secret", "LMS_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
           "LMS_INSTANCE_PATH": tmp, "PYTHONPATH": str(ROOT)}
    setup = (
        "from lms import create_app; from lms.db.session import upgrade, get_session; from lms.learning.accounts import create_user;"
        "from lms.cli.demo import seed; app = create_app();"
        "ctx = app.app_context(); ctx.push(); upgrade(app);"
        f"create_user(get_session(), 'bench@example.org', 'Bench Learner', 'tsp', {PASSWORD!r}, 'Bench');"
        "get_session().commit(); seed(200, 'Bench')"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=ROOT)
    from lms.content.loader import load_course

    course = load_course(os.environ.get("LMS_COURSE_DIR") or ROOT / "course")
    lesson = next(iter(course.lessons))
    heaviest = max(course.lessons, key=lambda lid: len(course.lessons[lid].html))
    lms_port, hello_port = free_port(), free_port()
    servers = [gunicorn("lms:create_app()", lms_port, env, workers), gunicorn("benchmarks.hello:app", hello_port, env, workers)]
    try:
        wait_for(lms_port)
        wait_for(hello_port)
        cookie = login(lms_port, "bench@example.org")
        weight = page_weight(lms_port, f"/learn/lessons/{lesson}", cookie)
        heavy = page_weight(lms_port, f"/learn/lessons/{heaviest}", cookie)
        load(lms_port, f"/learn/lessons/{lesson}", cookie, threads, 1)  # warm up
        load(hello_port, "/", None, threads, 1)
        lesson_rps = load(lms_port, f"/learn/lessons/{lesson}", cookie, threads, seconds)
        hello_rps = load(hello_port, "/", None, threads, seconds)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    print(f"lesson page /learn/lessons/{lesson}: HTML {weight['html']} B + CSS {weight['css']} B = {weight['total']} B "
          f"(budget 51200 B), {weight['requests']} requests (budget 3; {weight['repeat_requests']} on a repeat view), "
          f"third-party hosts: {weight['third_party'] or 'none'}")
    print(f"heaviest lesson /learn/lessons/{heaviest}: HTML {heavy['html']} B + CSS {heavy['css']} B = {heavy['total']} B, "
          f"{heavy['requests']} requests, third-party hosts: {heavy['third_party'] or 'none'}")
    print(f"throughput with {workers} gunicorn workers, {threads} client threads, {seconds:g}s each:")
    print(f"  hello world {hello_rps:8.0f} req/s")
    print(f"  lesson page {lesson_rps:8.0f} req/s  -> ratio {lesson_rps / hello_rps:.2f} (budget >= 0.50)")


if __name__ == "__main__":
    main()
