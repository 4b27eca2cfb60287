"""Every command has help text and appears in the docs (as sqlite-utils tests its docs)."""

from pathlib import Path

import click
import pytest

from claimcheck.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs"


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix}{name} ")


@pytest.mark.parametrize("name,command", list(all_commands(cli)))
def test_command_has_help(name, command):
    assert command.help and len(command.help.strip()) > 20, name


@pytest.mark.parametrize("name", [n for n, _ in all_commands(cli)])
def test_command_is_documented(name):
    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))
    assert f"claimcheck {name}" in text, f"'claimcheck {name}' is not in docs/"


def test_readme_has_exactly_two_commands():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ")]
    assert commands == ["make run", "make test"]
