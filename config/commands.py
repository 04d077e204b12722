"""Shared behaviour for the project's command-line contracts.

Commands that other tools script against promise: exit status 2 and one line
on stderr for any usage or input error. Django's default prints argparse's
usage block; ``OneLineErrorsCommand`` replaces that with the single line.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

USAGE_ERROR = 2


class OneLineErrorsCommand(BaseCommand):
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str) -> None:
            sys.stderr.write(f"{subcommand}: {message}\n")
            sys.exit(USAGE_ERROR)

        parser.error = one_line_error
        return parser

    def fail(self, message: str) -> CommandError:
        return CommandError(message, returncode=USAGE_ERROR)
