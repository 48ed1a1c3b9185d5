"""Exports stream with flat memory: peak Python memory while exporting, for a small and a large cohort.

Run: `make bench-exports` (or .venv/bin/python benchmarks/exports.py [SMALL LARGE]).

It seeds demo learners (lessons, quiz attempts, pilot work, certificates) into a fresh
SQLite database, then exports the completion records (CSV and JSON) and the xAPI
statements, measuring the peak memory Python allocates during each export with
tracemalloc. Flat memory means the peak stays about the same when the cohort grows
while the output grows with it. Numbers go to standard output; RESULTS.md keeps
the ones written down.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(make_chunks) -> tuple[int, int]:
    """(bytes written, peak bytes allocated) for consuming an export's chunks."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    size = 0
    for chunk in make_chunks():
        size += len(chunk.encode() if isinstance(chunk, str) else chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return size, peak


def main() -> None:
    small, large = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (200, 1000)
    tmp = tempfile.mkdtemp(prefix="lms-bench-exports-")
    os.environ.update(LMS_SECRET_KEY="benchmark-secret", LMS_DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite",
                      LMS_INSTANCE_PATH=tmp)
    import json

    from lms import create_app
    from lms.cli.demo import seed
    from lms.db.session import get_session, upgrade
    from lms.interop import records as exports
    from lms.interop import xapi

    app = create_app()
    course = app.extensions["lms.course"]
    results = []
    with app.app_context():
        upgrade(app)
        seeded = 0
        for target in (small, large):
            started = time.time()
            while seeded < target:
                step = min(200, target - seeded)
                seed(step, f"Cohort {seeded // 200 + 1}", seed=seeded + 1)
                seeded += step
            print(f"seeded {seeded} learners ({time.time() - started:.0f}s)", file=sys.stderr)
            session = get_session()
            row = {"learners": seeded}
            row["csv"] = measure(lambda s=session: exports.as_csv(exports.records(s, course)))
            row["json"] = measure(lambda s=session: exports.as_json(exports.records(s, course)))
            row["xapi"] = measure(lambda s=session: (json.dumps(x) for x in xapi.statements(s, course, "https://lms.example.org")))
            results.append(row)
    print(f"{'learners':>8} | {'export':6} | {'output':>10} | {'peak memory':>11}")
    for row in results:
        for kind in ("csv", "json", "xapi"):
            size, peak = row[kind]
            print(f"{row['learners']:>8} | {kind:6} | {size / 1024:8.0f} KB | {peak / 1024:8.0f} KB")
    first, last = results[0], results[-1]
    for kind in ("csv", "json", "xapi"):
        grow_out = last[kind][0] / first[kind][0]
        grow_peak = last[kind][1] / first[kind][1]
        print(f"{kind}: {last['learners'] / first['learners']:.0f}x the learners -> output x{grow_out:.1f}, peak memory x{grow_peak:.2f}")


if __name__ == "__main__":
    main()
