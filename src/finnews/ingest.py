"""Load new article files from the drop folder into raw.articles; quarantine the rest.

Reading and decoding is per file (I/O bound); cleaning, hashing inputs and date inference run
as polars expressions over the whole batch. Article text enters DuckDB only as Arrow data.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from finnews.clean import clean_articles
from finnews.decode import Decoded, decode_bytes
from finnews.pubdate import infer_published_date
from finnews.warehouse import append_frames

ARTICLE_SUFFIXES = {".txt", ".text", ".md"}


@dataclass(frozen=True)
class IngestResult:
    files_seen: int
    files_unchanged: int
    articles_new: int
    duplicates: int
    quarantined: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def list_input_files(input_dir: Path) -> list[Path]:
    """Article files below `input_dir`, in a stable order."""
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder does not exist: {input_dir}")
    return sorted(
        p for p in input_dir.rglob("*") if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()
    )


def _seen_files(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute(
        "select path, file_sha256 from raw.files where file_sha256 is not null"
    ).fetchall()
    return {(r[0], r[1]) for r in rows}


def _title(body: pl.Expr) -> pl.Expr:
    """A short first line is a headline; otherwise the first sentence, capped."""
    first_line = body.str.extract(r"^([^\n]*)", 1)
    first_sentence = body.str.extract(r"^(.{1,200}?[.!?])(?:\s|$)", 1)
    return (
        pl.when(first_line.str.len_chars() <= 120)
        .then(first_line)
        .otherwise(pl.coalesce(first_sentence, first_line.str.slice(0, 200)))
    )


def _article_id(body: str) -> str:
    # Identity is the prose, not the bytes: whitespace and ads around it do not matter.
    normalized = " ".join(body.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:24]


def ingest_folder(
    con: duckdb.DuckDBPyConnection, input_dir: Path, run_id: str, now: datetime | None = None
) -> IngestResult:
    now = now or datetime.now(UTC).replace(tzinfo=None)
    files = list_input_files(input_dir)
    seen = _seen_files(con)
    docs: list[dict[str, object]] = []
    file_rows: list[dict[str, object]] = []
    quarantine: list[dict[str, object]] = []
    unchanged = 0
    for path in files:
        base = {"path": str(path), "file_name": path.name, "run_id": run_id}
        try:
            data = path.read_bytes()
            stat = path.stat()
        except OSError as exc:
            quarantine.append({**base, "reason": "unreadable", "detail": str(exc)})
            file_rows.append({**base, "status": "quarantined"})
            continue
        sha = hashlib.sha256(data).hexdigest()
        if (str(path), sha) in seen:
            unchanged += 1
            continue
        meta = {
            **base,
            "file_sha256": sha,
            "size_bytes": len(data),
            "modified_at": datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None),
        }
        decoded = decode_bytes(data)
        if not isinstance(decoded, Decoded):
            quarantine.append({**base, "reason": decoded.reason, "detail": decoded.detail,
                               "size_bytes": len(data)})  # fmt: skip
            file_rows.append({**meta, "status": "quarantined"})
            continue
        docs.append({**meta, "raw_text": decoded.text, "encoding": decoded.encoding})

    articles = _prepare(docs)
    empty = articles.filter(pl.col("body").str.len_chars() == 0)
    for row in empty.iter_rows(named=True):
        quarantine.append({"path": row["path"], "file_name": row["file_name"], "run_id": run_id,
                           "reason": "no_prose", "size_bytes": row["size_bytes"],
                           "detail": "nothing left after removing ads and teasers"})  # fmt: skip
        file_rows.append({**_meta_of(row), "status": "quarantined"})
    articles = articles.filter(pl.col("body").str.len_chars() > 0)

    existing = {r[0] for r in con.execute("select article_id from raw.articles").fetchall()}
    is_new = ~pl.col("article_id").is_in(list(existing)) & pl.col("article_id").is_first_distinct()
    articles = articles.with_columns(is_new.alias("is_new"))
    for row in articles.iter_rows(named=True):
        status = "loaded" if row["is_new"] else "duplicate"
        file_rows.append({**_meta_of(row), "status": status, "article_id": row["article_id"]})
    new = articles.filter("is_new").with_columns(
        pl.col("path").alias("source_path"),
        pl.lit(run_id).alias("run_id"),
        pl.lit(now).alias("loaded_at"),
    )
    _write(con, new, file_rows, quarantine, now)
    return IngestResult(
        files_seen=len(files),
        files_unchanged=unchanged,
        articles_new=new.height,
        duplicates=articles.height - new.height,
        quarantined=len(quarantine),
    )


def _meta_of(row: dict[str, object]) -> dict[str, object]:
    keys = ("path", "file_name", "run_id", "file_sha256", "size_bytes", "modified_at")
    return {k: row[k] for k in keys}


def _prepare(docs: list[dict[str, object]]) -> pl.DataFrame:
    schema = {
        "path": pl.String, "file_name": pl.String, "run_id": pl.String,
        "file_sha256": pl.String, "size_bytes": pl.Int64, "modified_at": pl.Datetime("us"),
        "raw_text": pl.String, "encoding": pl.String,
    }  # fmt: skip
    frame = pl.DataFrame(docs, schema=schema)
    cleaned = infer_published_date(clean_articles(frame.lazy())).collect()
    return cleaned.with_columns(
        _title(pl.col("body")).alias("title"),
        pl.Series("article_id", [_article_id(b) for b in cleaned["body"]], dtype=pl.String),
    )


def _write(
    con: duckdb.DuckDBPyConnection,
    new: pl.DataFrame,
    file_rows: list[dict[str, object]],
    quarantine: list[dict[str, object]],
    now: datetime,
) -> None:
    files_df = pl.DataFrame(
        [{**r, "seen_at": now} for r in file_rows],
        schema={
            "path": pl.String,
            "file_name": pl.String,
            "file_sha256": pl.String,
            "size_bytes": pl.Int64,
            "modified_at": pl.Datetime("us"),
            "status": pl.String,
            "article_id": pl.String,
            "run_id": pl.String,
            "seen_at": pl.Datetime("us"),
        },  # fmt: skip
    )
    quarantine_df = pl.DataFrame(
        [{**r, "quarantined_at": now} for r in quarantine],
        schema={
            "path": pl.String,
            "file_name": pl.String,
            "reason": pl.String,
            "detail": pl.String,
            "size_bytes": pl.Int64,
            "run_id": pl.String,
            "quarantined_at": pl.Datetime("us"),
        },  # fmt: skip
    )
    article_cols = [
        "article_id", "source_path", "title", "body", "boilerplate", "raw_text", "encoding",
        "published_date", "published_date_method", "published_date_note", "run_id", "loaded_at",
    ]  # fmt: skip
    tables = {
        "raw.articles": new.select(article_cols),
        "raw.files": files_df,
        "raw.quarantine": quarantine_df,
    }
    append_frames(con, tables)
