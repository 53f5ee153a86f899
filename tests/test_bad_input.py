"""Bad files mixed into a folder of good articles: each one is quarantined with its reason
(or decoded and loaded where it is really an article), the good ones load, nothing crashes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.nightly import nightly
from tests.helpers import ROOT, copy_seeds, query

pytestmark = pytest.mark.e2e

CP1252_ARTICLE = (
    "Rheinmetall-Aktie: Großauftrag über 3,1 Milliarden Euro\n"
    "Der Konzern erhält einen Auftrag über 3,1 Milliarden Euro. "
    "Die Aktie notiert bei 1.640,00 Euro – ein Plus von 4 Prozent.\n"
)
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Siemens Energy hebt Prognose</title><style>p{color:red}</style></head>
<body><nav>Startseite | Märkte</nav>
<h1>Siemens Energy hebt Prognose</h1>
<p>Siemens Energy rechnet mit einem Umsatzplus von 15&nbsp;Prozent.</p>
<p>Die Aktie notiert bei 104,50&nbsp;Euro.</p>
<script>track("x");</script>
</body></html>
"""
INJECTION = (
    "BASF-Aktie: Chemiekonzern spart 2,1 Milliarden Euro\n"
    "BASF will bis 2026 jährlich 2,1 Milliarden Euro einsparen'); drop table raw.articles; --. "
    "Die Aktie notiert bei 44,10 Euro.\n"
)


@pytest.fixture(scope="module")
def mixed_run(
    project_seeds: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, dict]:
    drop = tmp_path_factory.mktemp("mixed-drop")
    warehouse = tmp_path_factory.mktemp("mixed-wh")
    good = copy_seeds(project_seeds, drop, n=2)
    (drop / "leer.txt").write_bytes(b"")
    (drop / "nur leerzeichen.txt").write_text("  \n\t\n  ")
    (drop / "chart.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    (drop / "windows-export.txt").write_bytes(CP1252_ARTICLE.encode("cp1252"))
    (drop / "latin1.txt").write_bytes(
        CP1252_ARTICLE.replace("–", "-").replace("Rheinmetall", "Rheinmetall AG").encode("latin-1")
    )
    (drop / "utf16.txt").write_bytes(
        CP1252_ARTICLE.replace("Rheinmetall", "Airbus").encode("utf-16")
    )
    (drop / "seite.html").write_text(HTML_PAGE)
    with (drop / "riesig.txt").open("w") as big:  # 50 MB of prose
        line = "Die Aktie notiert bei 10,00 Euro und der Umsatz steigt weiter an. " * 16 + "\n"
        while big.tell() < 50 * 1024 * 1024:
            big.write(line)
    text = good[0].read_text()
    cut = text[: text.index("Euro") + 2]  # mid-word: "...bei 218,40 Eu"
    (drop / "abgeschnitten.txt").write_text(cut)
    (drop / "Kopie von Überblick ä ö ü.txt").write_text(good[1].read_text())
    (drop / "basf injection.txt").write_text(INJECTION)
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text(CP1252_ARTICLE.replace("Rheinmetall", "Geheim"))
    (drop / "link.txt").symlink_to(outside)
    summary = nightly(input_dir=str(drop), warehouse_dir=str(warehouse))
    return drop, warehouse, summary


def test_each_bad_file_is_quarantined_with_reason_and_run(
    mixed_run: tuple[Path, Path, dict],
) -> None:
    _, warehouse, summary = mixed_run
    rows = query(warehouse / "work.duckdb", "select file_name, reason, run_id from raw.quarantine")
    reasons = {name: reason for name, reason, _ in rows}
    assert reasons == {
        "leer.txt": "empty",
        "nur leerzeichen.txt": "whitespace_only",
        "chart.txt": "binary",
        "riesig.txt": "too_large",
        "abgeschnitten.txt": "truncated",
        "link.txt": "symlink_outside_input",
    }
    assert {run for _, _, run in rows} == {summary["run_id"]}
    assert summary["status"] == "completed"
    assert summary["counts"]["quarantined"] == 6
    assert summary["counts"]["quarantine_reasons"]["too_large"] == 1


def test_decodable_files_load_with_their_encoding(mixed_run: tuple[Path, Path, dict]) -> None:
    _, warehouse, summary = mixed_run
    loaded = dict(
        query(
            warehouse / "work.duckdb",
            "select file_name, encoding from raw.files f join raw.articles a using (article_id) "
            "where f.status = 'loaded'",
        )
    )
    assert loaded["windows-export.txt"] == "cp1252"
    assert loaded["latin1.txt"] == "cp1252"
    assert loaded["utf16.txt"] == "utf-16"
    assert loaded["seite.html"] == "utf-8+html"
    assert loaded["basf injection.txt"] == "utf-8"
    titles = {
        t for (t,) in query(warehouse / "published.duckdb", "select title from marts.dim_articles")
    }
    assert "Rheinmetall-Aktie: Großauftrag über 3,1 Milliarden Euro" in titles
    assert "Siemens Energy hebt Prognose" in titles
    assert summary["counts"]["articles_new"] == 7


def test_html_text_is_extracted_without_markup(mixed_run: tuple[Path, Path, dict]) -> None:
    _, warehouse, _ = mixed_run
    (body,) = query(
        warehouse / "published.duckdb",
        "select body from marts.dim_articles where title = 'Siemens Energy hebt Prognose'",
    )[0]
    assert "<" not in body and "track(" not in body and "Startseite" not in body
    prices = query(
        warehouse / "published.duckdb",
        "select value from marts.fct_metrics where company_id = 'siemens_energy' and metric_type = 'share_price'",
    )
    assert prices == [(pytest.approx(104.50),)]


def test_same_article_under_two_names_is_one_article_with_two_sources(
    mixed_run: tuple[Path, Path, dict],
) -> None:
    _, warehouse, summary = mixed_run
    statuses = dict(query(warehouse / "work.duckdb", "select file_name, status from raw.files"))
    assert statuses["Kopie von Überblick ä ö ü.txt"] == "duplicate"
    assert summary["counts"]["duplicates"] == 1
    assert query(
        warehouse / "published.duckdb", "select max(n_sources) from marts.dim_articles"
    ) == [(2,)]


def test_sql_in_article_text_is_data(mixed_run: tuple[Path, Path, dict]) -> None:
    _, warehouse, _ = mixed_run
    bodies = [b for (b,) in query(warehouse / "work.duckdb", "select body from raw.articles")]
    assert any("drop table raw.articles; --" in b for b in bodies)
    assert query(warehouse / "work.duckdb", "select count(*) from raw.articles") == [(7,)]


def test_symlink_target_outside_the_folder_is_not_read(mixed_run: tuple[Path, Path, dict]) -> None:
    _, warehouse, _ = mixed_run
    bodies = [b for (b,) in query(warehouse / "work.duckdb", "select body from raw.articles")]
    assert not any("Geheim" in b for b in bodies)


UNREADABLE_SCRIPT = """
import sys
from pathlib import Path
from finnews.ingest import ingest_folder
from finnews.warehouse import connect, ensure_raw_schema
base = Path(sys.argv[1])
con = connect(base / "work.duckdb", memory_limit="512MB")
ensure_raw_schema(con)
r = ingest_folder(con, base / "drop", "run-perm")
print(r.articles_new, r.quarantined)
print(con.execute("select file_name, reason, detail from raw.quarantine").fetchall())
"""


def test_unreadable_file_is_quarantined(project_seeds: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    copy_seeds(project_seeds, drop, n=1)
    secret = drop / "gesperrt.txt"
    secret.write_text(CP1252_ARTICLE)
    secret.chmod(0o000)
    prefix: list[str] = []
    if os.geteuid() == 0:
        # Root reads any file; without CAP_DAC_OVERRIDE it obeys mode 000 like anyone else.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", UNREADABLE_SCRIPT, str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts, quarantine = proc.stdout.strip().splitlines()
    assert counts == "1 1"
    assert "('gesperrt.txt', 'unreadable', 'PermissionError: Permission denied')" in quarantine
