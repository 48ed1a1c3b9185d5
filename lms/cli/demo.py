"""`lms seed-demo`: a demo cohort with realistic activity."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.db.session import get_session
from lms.learning.certs import signing_key
from lms.learning.demo import seed_learners
from lms.web.clock import now

BATCH = 100  # learners per transaction: a large cohort neither holds one long write lock nor grows one huge session


def seed(learners: int, cohort_name: str, seed: int = 1) -> None:
    """Seed `learners` demo learners into `cohort_name`, committing after each batch."""
    session = get_session()
    course, key, current = current_app.extensions["lms.course"], signing_key(current_app.config["SECRET_KEY"]), now()
    for batch, first in enumerate(range(0, learners, BATCH)):
        seed_learners(session, course, current, key, min(BATCH, learners - first), cohort_name, seed=seed + batch)
        session.commit()
        session.expunge_all()


@click.command("seed-demo")
@click.option("--learners", default=20, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--cohort", "cohort_name", default=None, help="Cohort name (default: Demo cohort N).")
@click.option("--seed", "seed_value", default=1, show_default=True, type=int)
@with_appcontext
def seed_demo(learners: int, cohort_name: str | None, seed_value: int) -> None:
    """Create a cohort of learners at different points of the course, with quiz attempts and pilot work."""
    name = cohort_name or f"Demo cohort {learners}"
    seed(learners, name, seed_value)
    click.echo(f"Added {learners} demo learners to {name}.")
