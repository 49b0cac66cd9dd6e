"""The `ipsmatch` command line."""

from __future__ import annotations

from importlib import import_module

import typer

app = typer.Typer(help="ipsmatch: job matching for IPS supported employment.", no_args_is_help=True)

# Sub-command modules each define `register(app)`; they live in service/commands/.
COMMAND_MODULES = [
    "service.commands.serve",
    "service.commands.rank",
    "service.commands.occupations",
    "service.commands.demo",
    "service.commands.evaluate",
    "service.commands.imports",
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        import_module(name).register(app)


_register_all()


def main() -> None:
    app()
