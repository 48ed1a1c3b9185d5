"""`lms seed-demo`: a demo cohort with realistic activity."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.learning.demo import seed_learners


@click.command("seed-demo")
@click.option("--learners", default=20, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--cohort", "cohort_name", default=None, help="Cohort name (default: Demo cohort N).")
@click.option("--seed", default=1, show_default=True, type=int)
@with_appcontext
def seed_demo(learners: int, cohort_name: str | None, seed: int) -> None:
    """Create a cohort of learners at different points of the course, with quiz attempts and pilot work."""
    name = seed_learners(learners, cohort_name, seed)
    click.echo(f"Added {learners} demo learners to {name}.")
