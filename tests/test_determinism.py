"""The extraction gives the same rows whatever Python's hash seed: no tie between companies
is left to the order of a hash (set or group order)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import ROOT

# Team-written: a bankrupt builder named with and without the second word of its name.
_SCRIPT = """
import datetime
from tests.helpers import extract_texts
body = (
    "Die Pleite der Alpine Bau GmbH wirkt nach. Der Baukonzern Alpine hatte Schulden von "
    "2,6 Milliarden Euro. Die Alpine Bau beschäftigte 4.900 Mitarbeiter."
)
ex = extract_texts({"a": body}, datetime.date(2025, 10, 1))
print(sorted(ex.figures.select("value", "company_id").rows()))
print(sorted(ex.mentions.select("char_start", "company_id").rows()))
"""


def _run(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=300,
    )  # fmt: skip
    return done.stdout


def test_two_names_of_one_organisation_at_one_place_give_the_same_rows_under_any_seed() -> None:
    outputs = {seed: _run(seed) for seed in ("1", "2", "3")}
    assert len(set(outputs.values())) == 1, outputs
    # The longer name is the organisation where both start at one place.
    assert "(4900.0, 'alpine_bau')" in outputs["1"]
