"""A real Learning Record Store for the tests: Ralph (ralph-malph) with its file-system backend.

Ralph's file-system LRS backend writes each POST with the "index" operation, which refuses to write to its
statements file once it exists, so every batch after the first would fail with a 500. The server started here is
Ralph's own API app under uvicorn (as `ralph runserver` starts it, minus the code reloader) with that backend set
to append, so it accepts as many batches as are sent.
"""
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
SERVER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # one statements file, appended batch after batch
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


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
    (root / "data").mkdir()
    port = _free_port()
    env = {**os.environ, "RALPH_AUTH_FILE": str(auth), "RALPH_APP_DIR": str(root / "app"),
           "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(root / "data")}
    log = (root / "server.log").open("w")  # noqa: SIM115  (the server writes to it until it stops)
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log)
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
        log.close()
        shutil.rmtree(root, ignore_errors=True)
