"""Importing 1,000 people through the admin page: wall time, and how long a learner's requests wait meanwhile.

Run: `make bench-import` (or .venv/bin/python benchmarks/import.py [ROWS] [ROWS_WITH_PASSWORDS]).

A fresh SQLite database is served by gunicorn (2 sync workers, as in `make bench`). While an
administrator uploads a CSV, a learner keeps reading a lesson and adding a pilot log entry (a read
and a write, one after the other). We report the import's wall time and the learner's request times
before, during and after it. First the invitation import (no password column: ROWS rows, default
1,000), then, for comparison, a file that gives every row a password (hashed one by one with
scrypt; ROWS_WITH_PASSWORDS rows, default 50, because each takes about a tenth of a second).
Numbers go to standard output; RESULTS.md keeps the ones written down.
"""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.run import PASSWORD, ROOT, free_port, gunicorn, wait_for  # noqa: E402


def signed_in(base: str, email: str) -> requests.Session:
    client = requests.Session()
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', client.get(f"{base}/login").text).group(1)
    response = client.post(f"{base}/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, allow_redirects=False)
    assert response.status_code == 302, response.status_code
    return client


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)


def csv_body(rows: int, start: int, passwords: bool) -> bytes:
    lines = ["email,name,role,cohort" + (",password" if passwords else "")]
    for i in range(start, start + rows):
        lines.append(f"person{i}@example.org,Person {i},tsp,Imported" + (f",password number {i}" if passwords else ""))
    return ("\n".join(lines) + "\n").encode()


def learner_loop(base: str, lesson: str, stop: threading.Event, samples: list) -> None:
    """Read the lesson, add a pilot log entry; record (start time, seconds, kind) for each request."""
    client = signed_in(base, "learner@example.org")
    while not stop.is_set():
        started = time.time()
        page = client.get(f"{base}/learn/lessons/{lesson}")
        samples.append((started, time.time() - started, "read", page.status_code))
        started = time.time()
        done = client.post(f"{base}/learn/pilot/log", allow_redirects=False, data={  # a new row each time: a real write
            "csrf_token": token_of(page.text), "entry_date": time.strftime("%Y-%m-%d", time.gmtime()), "did": "benchmark entry"})
        samples.append((started, time.time() - started, "write", done.status_code))
        time.sleep(0.05)


def summary(samples: list, since: float, until: float) -> str:
    picked = [s for s in samples if since <= s[0] < until]
    if not picked:
        return "no requests"
    times = sorted(s[1] * 1000 for s in picked)
    failed = sum(1 for s in picked if s[3] >= 400)
    return (f"{len(picked)} requests, median {statistics.median(times):.0f} ms, "
            f"slowest {times[-1]:.0f} ms" + (f", {failed} failed" if failed else ""))


def run_import(base: str, admin: requests.Session, lesson: str, rows: int, start: int, passwords: bool) -> None:
    samples: list = []
    stop = threading.Event()
    thread = threading.Thread(target=learner_loop, args=(base, lesson, stop, samples))
    thread.start()
    time.sleep(3)
    token = token_of(admin.get(f"{base}/admin/").text)
    began = time.time()
    response = admin.post(f"{base}/admin/users/import", data={"csrf_token": token},
                          files={"file": ("people.csv", csv_body(rows, start, passwords), "text/csv")}, timeout=600)
    ended = time.time()
    time.sleep(3)
    stop.set()
    thread.join()
    kind = "with a password column (scrypt per row)" if passwords else "invitations (no password column)"
    imported = response.status_code == 200 and f"Imported {rows} accounts" in response.text
    outcome = "imported" if imported else f"NOT imported (HTTP {response.status_code})"
    print(f"\n{rows} rows, {kind}: {outcome}, wall time {ended - began:.2f} s ({(ended - began) / rows * 1000:.1f} ms a row)")
    print(f"  learner before: {summary(samples, 0, began)}")
    print(f"  learner during: {summary(samples, began, ended)}")
    print(f"  learner after:  {summary(samples, ended, float('inf'))}")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    hashed_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    tmp = tempfile.mkdtemp(prefix="lms-bench-import-")
    env = {**os.environ, "LMS_SECRET_KEY": "benchmark-secret", "LMS_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
           "LMS_INSTANCE_PATH": tmp, "PYTHONPATH": str(ROOT), "LMS_MAIL_URL": "",
           "LMS_ENV": "development"}  # plain-HTTP cookies for the local client
    setup = (
        "from lms import create_app; from lms.db.session import upgrade, get_session; from lms.learning.accounts import create_user;"
        "app = create_app(); ctx = app.app_context(); ctx.push(); upgrade(app);"
        f"create_user(get_session(), 'admin@example.org', 'Bench Admin', 'admin', {PASSWORD!r});"
        f"create_user(get_session(), 'learner@example.org', 'Bench Learner', 'tsp', {PASSWORD!r}, 'Bench');"
        "get_session().commit()"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, cwd=ROOT)
    from lms.content.loader import load_course

    lesson = next(iter(load_course(os.environ.get("LMS_COURSE_DIR") or ROOT / "course").lessons))
    port = free_port()
    server = gunicorn("lms:create_app()", port, env, 2)
    try:
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        admin = signed_in(base, "admin@example.org")
        print(f"SQLite, gunicorn with 2 sync workers; a learner reads /learn/lessons/{lesson} and adds a pilot log entry, in a loop")
        run_import(base, admin, lesson, rows, 0, passwords=False)
        run_import(base, admin, lesson, hashed_rows, rows, passwords=True)
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=10)
        if errors.strip():
            print("server errors:", errors.decode()[-3000:])


if __name__ == "__main__":
    main()
