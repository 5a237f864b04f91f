"""The README is checked against the code: every command and option it shows exists."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from podium.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_commands_exist():
    text = README.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S))
    shell = "\n".join(line.split(" #")[0] for line in blocks.splitlines())  # commands, not comments
    used = re.findall(r"(?:^|[\s/|])podium (\w+)([^\n#]*)", shell, re.M)
    assert used, "the README shows no podium command"
    for name, rest in used:
        assert name in group.commands, f"README shows `podium {name}`, which does not exist"
        options = {o for p in group.commands[name].params for o in getattr(p, "opts", [])}
        for opt in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest):
            assert opt in options, f"README shows `podium {name} {opt}`, which does not exist"


def test_readme_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
