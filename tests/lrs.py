"""A real Learning Record Store for the tests: Ralph (ralph-malph) with its file-system backend."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

USERNAME, PASSWORD = "lms-tests", "lrs test password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def ralph_lrs():
    """Yield the LRS endpoint URL (…/xAPI), with a user allowed everything."""
    import bcrypt

    root = Path(tempfile.mkdtemp(prefix="lms-lrs-"))
    auth = root / "auth.json"
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    auth.write_text(json.dumps([{"agent": {"mbox": "mailto:lms-tests@example.org"}, "hash": hashed,
                                 "username": USERNAME, "scopes": ["all"]}]))
    port = _free_port()
    ralph = shutil.which("ralph", path=str(Path(sys.executable).parent)) or "ralph"
    env = {**os.environ, "RALPH_AUTH_FILE": str(auth), "RALPH_APP_DIR": str(root / "app")}
    log = (root / "server.log").open("w")  # noqa: SIM115  (the server writes to it until it stops)
    process = subprocess.Popen([ralph, "runserver", "-b", "fs", "--fs-default-directory-path", str(root / "data"),
                                "-h", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=log)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                raise RuntimeError("the LRS did not start: " + (root / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/xAPI"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
