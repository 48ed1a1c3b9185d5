"""Loading the app for a command: a clear message, not a traceback, when the course or settings are wrong."""
from __future__ import annotations

import sys

import click
from flask import Flask

from lms import create_app
from lms.config import ConfigError
from lms.content.model import CourseInvalid


def load_app() -> Flask:
    try:
        return create_app()
    except CourseInvalid as exc:
        click.echo("The course is not valid, so the app cannot start:", err=True)
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        sys.exit(1)
    except ConfigError as exc:
        click.echo(f"Configuration problem: {exc}", err=True)
        sys.exit(1)
