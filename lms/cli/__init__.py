"""The `lms` command: one group, one module per command family."""
from __future__ import annotations

from flask.cli import FlaskGroup, routes_command, shell_command

from lms.cli import certs, course, db, demo, export, mail, run, users
from lms.cli.appload import load_app

cli = FlaskGroup(create_app=load_app, add_default_commands=False, add_version_option=False, load_dotenv=False,
                 help="The TSP training LMS.")
for command in (shell_command, routes_command, course.check_course_command, db.db_group, run.run_command,
                users.users_group, demo.seed_demo, export.export_group, certs.certificates_group, mail.mail_group):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="lms")
