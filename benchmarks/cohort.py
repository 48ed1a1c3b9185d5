"""The trainer's cohort page at programme scale: first-view weight and latency, next to a lesson page.

Run: `.venv/bin/python benchmarks/cohort.py [LEARNERS]` (default 1000).

It builds a fresh SQLite database with `lms db upgrade`, a trainer and a learner account
(`lms users create`), then `lms seed-demo --learners N` (the trainer follows the demo cohort),
serves the app with gunicorn (2 workers, `--no-control-socket`, free ports), and measures:

- the cohort page's first view: HTML bytes (budget 100 KB) and the stylesheet;
- latency (p50, p95) of the cohort page, the "Needs attention" queue and a lesson page, each
  requested one at a time by one client, interleaved so machine noise hits all alike.
Budgets: cohort page HTML <= 102,400 B, p95 < 300 ms. Numbers go to standard output.
"""
from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import PASSWORD, ROOT, free_port, gunicorn, login, page_weight, wait_for  # noqa: E402

WORKERS = 2


def lms(env: dict, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(Path(sys.executable).parent / "lms"), *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, text=True, check=True)
    return done.stdout


def timed(port: int, path: str, cookie: str) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    assert response.status == 200, (path, response.status)
    return elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    learners = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(os.environ.get("BENCH_ROUNDS", "60"))
    tmp = tempfile.mkdtemp(prefix="lms-bench-cohort-")
    env = {**os.environ, "LMS_SECRET_KEY": "benchmark-secret", "LMS_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
           "LMS_INSTANCE_PATH": tmp, "PYTHONPATH": str(ROOT)}
    started = time.time()
    lms(env, "db", "upgrade")
    lms(env, "users", "create", "--email", "trainer@example.org", "--name", "Bench Trainer", "--role", "trainer",
        "--password-stdin", stdin=PASSWORD + "\n")
    lms(env, "users", "create", "--email", "bench@example.org", "--name", "Bench Learner", "--role", "tsp", "--cohort", "Bench",
        "--organisation", "Bench Organisation", "--country", "PH", "--password-stdin", stdin=PASSWORD + "\n")
    lms(env, "seed-demo", "--learners", str(learners))
    print(f"seeded {learners} learners in {time.time() - started:.0f}s", file=sys.stderr)
    from lms.content.loader import load_course

    course = load_course(os.environ.get("LMS_COURSE_DIR") or ROOT / "course")
    lesson = f"/learn/lessons/{next(iter(course.lessons))}"
    port = free_port()
    server = gunicorn("lms:create_app()", port, env, WORKERS)
    try:
        wait_for(port)
        trainer = login(port, "trainer@example.org")
        learner = login(port, "bench@example.org")
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", "/trainer/", headers={"Cookie": trainer})
        cohort_id = re.search(r"/trainer/cohorts/(\d+)", conn.getresponse().read().decode()).group(1)
        cohort = f"/trainer/cohorts/{cohort_id}"
        weight = page_weight(port, cohort, trainer)
        lesson_weight = page_weight(port, lesson, learner)
        pages = {"cohort page": (cohort, trainer), "cohort page, filtered and sorted by last activity":
                 (f"{cohort}?status=started&sort=-last_active", trainer),
                 "needs attention": ("/trainer/queue/", trainer), "lesson page": (lesson, learner)}
        for path, cookie in pages.values():  # warm up each worker
            for _ in range(4):
                timed(port, path, cookie)
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(rounds):
            for name, (path, cookie) in pages.items():
                times[name].append(timed(port, path, cookie))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{learners} learners, gunicorn {WORKERS} workers, SQLite, {rounds} sequential requests per page (interleaved)")
    print(f"cohort page {cohort}: first view HTML {weight['html']} B (budget 102400 B) + CSS {weight['css']} B, "
          f"{weight['requests']} requests")
    print(f"lesson page {lesson}: HTML {lesson_weight['html']} B + CSS {lesson_weight['css']} B")
    for name, values in times.items():
        ms = [v * 1000 for v in values]
        print(f"  {name:52} p50 {statistics.median(ms):6.0f} ms   p95 {percentile(ms, 0.95):6.0f} ms   max {max(ms):6.0f} ms")
    print("budget: cohort page p95 < 300 ms")


if __name__ == "__main__":
    main()
