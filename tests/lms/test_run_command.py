"""`lms run` (what `make run` calls): serves the shipped course on SQLite and prints demo logins once."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

LMS = Path(sys.executable).with_name("lms")


def start(instance: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env["LMS_INSTANCE_PATH"] = str(instance)
    proc = subprocess.Popen([str(LMS), "run", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "lms users set-password" in line or "Log in with an account" in line:
            return proc, "".join(lines)
    proc.kill()
    raise AssertionError("lms run did not start:\n" + "".join(lines))


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def test_run_serves_the_shipped_course_and_prints_demo_logins_once(tmp_path):
    proc, out = start(tmp_path)
    try:
        url = re.search(r"on (http://127\.0\.0\.1:\d+/)", out).group(1)
        password = re.search(r"tsp\s+tsp@example\.org\s+(\S+)", out).group(1)
        web = requests.Session()
        page = web.get(url + "login", timeout=10).text
        token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
        dashboard = web.post(url + "login", data={"csrf_token": token, "email": "tsp@example.org", "password": password}, timeout=10)
        assert dashboard.status_code == 200
        assert "Women who inject drugs and HIV" in dashboard.text  # the shipped course, not the test fixture
        assert "Log out" in dashboard.text
    finally:
        stop(proc)
    # A second start on the same database creates nothing and prints no password.
    proc, out = start(tmp_path)
    stop(proc)
    assert "tsp@example.org" not in out and "Log in with an account you created" in out
