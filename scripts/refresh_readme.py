"""Rewrite the outputs of the README's analyst examples from a published warehouse.

    .venv/bin/python scripts/refresh_readme.py warehouse/published.duckdb

tests/test_readme.py checks that the README and the CLI agree; run this after changing a
query or the sample data, then read the diff.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = re.compile(r"(```sql\n(?P<sql>.*?)\n```\n```text\n)(?P<out>.*?)(\n```)", re.S)


def main(published: str) -> int:
    cli = ROOT / ".venv" / "bin" / "duckdb"
    readme = ROOT / "README.md"

    def run(match: re.Match[str]) -> str:
        out = subprocess.run(
            [str(cli), "-readonly", published, "-c", match["sql"]],
            capture_output=True, text=True, check=True,
        ).stdout.rstrip("\n")  # fmt: skip
        return match.group(1) + out + match.group(4)

    readme.write_text(EXAMPLE.sub(run, readme.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
