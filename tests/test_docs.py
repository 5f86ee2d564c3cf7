"""The README documents the tables as extract/schema.py defines them."""
import regex

from extract import schema

from conftest import ROOT


def test_readme_lists_every_column_of_every_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, table in schema.TABLES.items():
        line = regex.search(rf"^- `{name}`:(.*?)(?=^- `|^#)", readme, regex.M | regex.S)
        assert line, f"README has no entry for the {name} table"
        documented = regex.findall(r"`([a-z_][a-z0-9_]*)`", line.group(1))
        assert documented == table.names, name


def test_readme_opens_with_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("## ")[0]
    assert "make run" in head and "make test" in head
