"""`python -m certificates sample OUT.pdf [NAME]`: write a sample certificate (for the README picture)."""
from __future__ import annotations

import sys
from datetime import date

from . import CertificateData, new_code, render_pdf, verify_url


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "sample":
        print("usage: python -m certificates sample OUT.pdf [NAME]", file=sys.stderr)
        return 2
    code = new_code(b"sample key")
    cert = CertificateData(code=code, learner_name=argv[2] if len(argv) > 2 else "সুমাইয়া আক্তার",
                           course_title="Gender-inclusive harm reduction: training for technical support providers",
                           kind_label="Core training completed", issued_on=date(2026, 11, 25), study_hours=7,
                           organisation="TSP Training Programme")
    with open(argv[1], "wb") as out:
        out.write(render_pdf(cert, verify_url("https://lms.example.org", code)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
