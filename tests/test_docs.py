"""The project's own documentation: present, linked, and naming every command and method."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from cryptex_desktop.api.client import CryptexClient
from cryptex_desktop.sandbox.api_methods import METHODS
from cryptex_desktop.sandbox.cli import FEE_ENV, RATE_LIMIT_ENV, build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def test_every_relative_link_in_the_readme_and_docs_leads_to_a_file() -> None:
    for page in _pages():
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_nothing_points_outside_the_project() -> None:
    for page in _pages():
        assert "../shared" not in page.read_text(encoding="utf-8"), page.name


def test_the_readme_links_the_docs_index() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/README.md" in readme and "docs/api.md" in readme


def _commands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every command and subcommand of ``parser``, as ("coupon list", its parser)."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((f"{prefix}{name}", sub))
                found.extend(_commands(sub, f"{prefix}{name} "))
    return found


def test_every_sandbox_command_and_flag_is_in_the_sandbox_docs() -> None:
    page = (DOCS / "sandbox.md").read_text(encoding="utf-8")
    for command, parser in _commands(build_parser()):
        assert f"cryptex-sandbox {command}" in page, command
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in page, (command, flag)
    assert RATE_LIMIT_ENV in page and FEE_ENV in page


def test_every_api_method_and_client_method_is_in_the_api_docs() -> None:
    page = (DOCS / "api.md").read_text(encoding="utf-8")
    for method in METHODS:
        assert f"### {method}" in page, method
    for name in (n for n in vars(CryptexClient) if not n.startswith("_") and n != "close"):
        assert f"client.{name}(" in page, name
