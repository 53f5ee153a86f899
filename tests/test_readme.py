"""The README's analyst queries print exactly what the README shows, on the sample data."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from flows.nightly import nightly
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e

EXAMPLE = re.compile(r"```sql\n(?P<sql>.*?)\n```\n```text\n(?P<out>.*?)\n```", re.S)
DUCKDB_CLI = Path(ROOT / ".venv" / "bin" / "duckdb")


def examples() -> list[tuple[str, str]]:
    return [(m["sql"], m["out"]) for m in EXAMPLE.finditer((ROOT / "README.md").read_text())]


@pytest.fixture(scope="module")
def published(project_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("readme-wh")
    nightly(input_dir=str(project_seeds), warehouse_dir=str(warehouse))
    return warehouse / "published.duckdb"


def test_readme_has_five_examples() -> None:
    assert len(examples()) == 5


@pytest.mark.parametrize("index", range(5))
def test_readme_example_output_is_what_the_cli_prints(published: Path, index: int) -> None:
    cli = DUCKDB_CLI if DUCKDB_CLI.exists() else Path(subprocess.getoutput("command -v duckdb"))
    sql, expected = examples()[index]
    out = subprocess.run(
        [str(cli), "-readonly", str(published), "-c", sql],
        capture_output=True, text=True, check=True,
    ).stdout.rstrip("\n")  # fmt: skip
    assert out == expected
