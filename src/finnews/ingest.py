"""Load new article files from the drop folder into raw.articles; quarantine the rest.

Reading and decoding is per file (I/O bound); cleaning, date inference and the checks on the
cleaned prose run as polars expressions over the whole batch. Article text enters DuckDB only
as Arrow data, never inside a SQL string.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from finnews.clean import clean_articles
from finnews.decode import Decoded, decode_bytes
from finnews.progress import track
from finnews.pubdate import infer_published_date
from finnews.warehouse import append_frames

ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
# Bulk files: one article per JSON line / Parquet row, with `text` and optional `id`, `published`.
BULK_SUFFIXES = {".jsonl", ".ndjson", ".parquet"}
# An article is a few KB; anything this large is an export or a mistake, not one article.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Articles cleaned and written per transaction: bounds memory on large drops.
DEFAULT_BATCH_DOCS = 20_000
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class IngestResult:
    files_seen: int
    files_unchanged: int
    articles_new: int
    duplicates: int
    quarantined: int
    quarantine_reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Batch:
    """What one ingest collects before writing it in one transaction."""

    run_id: str
    docs: list[dict[str, object]] = field(default_factory=list)
    files: list[dict[str, object]] = field(default_factory=list)
    quarantine: list[dict[str, object]] = field(default_factory=list)
    unchanged: int = 0

    def reject(
        self, meta: dict[str, object], reason: str, detail: str, text: str | None = None
    ) -> None:
        self.quarantine.append(
            {k: meta.get(k) for k in ("path", "file_name", "size_bytes")}
            | {"run_id": self.run_id, "reason": reason, "detail": detail, "raw_text": text}
        )
        self.files.append({**meta, "status": "quarantined"})


def list_input_files(input_dir: Path) -> list[Path]:
    """Article files below `input_dir` (symlinks included, not followed), in a stable order."""
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder does not exist: {input_dir}")
    found: list[Path] = []
    for folder, dirs, names in os.walk(input_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES | BULK_SUFFIXES:
                continue
            found.append(path)
    return sorted(found)


def _file_meta(path: Path, run_id: str) -> dict[str, object]:
    return {"path": str(path), "file_name": path.name, "run_id": run_id}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _outside(path: Path, root: Path) -> Path | None:
    """The target of a symlink that leaves `root` (or is broken), else None."""
    target = path.resolve()
    if not target.exists():
        return target
    return None if target.is_relative_to(root) else target


def _read(
    batch: _Batch, path: Path, root: Path, seen: set[tuple[str, str]], max_bytes: int
) -> None:
    meta = _file_meta(path, batch.run_id)
    if path.is_symlink():
        target = _outside(path, root)
        if target is not None:
            reason = "broken_symlink" if not target.exists() else "symlink_outside_input"
            batch.reject(meta, reason, f"points to {target}; not followed")
            return
    try:
        stat = path.stat()
        meta |= {
            "size_bytes": stat.st_size,
            "modified_at": datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None),
        }
        # Same path, size and mtime as a file already read: unchanged, not even re-read (a
        # nightly run over a million files must not hash them all again).
        if seen.get(str(path)) == (stat.st_size, meta["modified_at"]):
            batch.unchanged += 1
            return
        is_bulk = path.suffix.lower() in BULK_SUFFIXES
        if is_bulk or stat.st_size > max_bytes:
            meta["file_sha256"] = _sha256(path)  # streamed: never the whole file in memory
            if is_bulk:
                _read_bulk(batch, path, meta)
            else:
                batch.reject(meta, "too_large", f"{stat.st_size} bytes > limit of {max_bytes}")
            return
        data = path.read_bytes()
        meta["file_sha256"] = hashlib.sha256(data).hexdigest()
    except OSError as exc:
        batch.reject(meta, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
        return
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        text = data.decode("utf-8", errors="replace") if decoded.reason == "truncated" else None
        batch.reject(meta, decoded.reason, decoded.detail, text)
        return
    batch.docs.append({**meta, "raw_text": decoded.text, "encoding": decoded.encoding})


def _bulk_records(path: Path) -> list[tuple[str, object]]:
    """(record key, record) pairs; a line that is not JSON stays as its raw string."""
    if path.suffix.lower() == ".parquet":
        frame = pl.read_parquet(path)
        return [(str(i), row) for i, row in enumerate(frame.iter_rows(named=True))]
    records: list[tuple[str, object]] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append((f"line{number}", json.loads(line)))
            except json.JSONDecodeError:
                records.append((f"line{number}", line))
    return records


def _read_bulk(batch: _Batch, path: Path, meta: dict[str, object]) -> None:
    """Each record becomes a document `path#id`; the bulk file itself is recorded as read."""
    batch.files.append({**meta, "status": "bulk"})
    for key, record in _bulk_records(path):
        text = record.get("text") if isinstance(record, dict) else None
        name = str(record.get("id") or key) if isinstance(record, dict) else key
        rec_meta = {**meta, "path": f"{path}#{name}", "file_name": name, "file_sha256": None,
                    "size_bytes": len(text.encode()) if isinstance(text, str) else None}  # fmt: skip
        if not isinstance(text, str):
            batch.reject(rec_meta, "bad_record", "record is not a JSON object with a text field",
                         record if isinstance(record, str) else None)  # fmt: skip
            continue
        if not text.strip():
            batch.reject(rec_meta, "whitespace_only", "record text is empty")
            continue
        published = record.get("published")
        batch.docs.append({**rec_meta, "raw_text": text, "encoding": f"utf-8+{path.suffix.lower()[1:]}",
                           "record_published": str(published) if published else None})  # fmt: skip


def _title(body: pl.Expr) -> pl.Expr:
    """A short first line is a headline; otherwise the first sentence, capped."""
    first_line = body.str.extract(r"^([^\n]*)", 1)
    first_sentence = body.str.extract(r"^(.{1,200}?[.!?])(?:\s|$)", 1)
    return (
        pl.when(first_line.str.len_chars() <= 120)
        .then(first_line)
        .otherwise(pl.coalesce(first_sentence, first_line.str.slice(0, 200)))
    )


def _cut_off(body: pl.Expr) -> pl.Expr:
    """Prose that stops mid-sentence: its last paragraph is long and has no closing mark."""
    last_paragraph = body.str.extract(r"(?s)(?:^|\n)([^\n]*)$", 1)
    return (last_paragraph.str.len_chars() > 60) & ~last_paragraph.str.contains(
        r"[.!?…:;\"“”»«')\]]\s*$"
    )


def _article_id(body: str) -> str:
    # Identity is the prose, not the bytes: whitespace and ads around it do not matter.
    normalized = " ".join(body.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:24]


_DOC_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "run_id": pl.String, "file_sha256": pl.String,
    "size_bytes": pl.Int64, "modified_at": pl.Datetime("us"), "raw_text": pl.String,
    "encoding": pl.String, "record_published": pl.String,
}  # fmt: skip
_FILE_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "file_sha256": pl.String, "size_bytes": pl.Int64,
    "modified_at": pl.Datetime("us"), "status": pl.String, "article_id": pl.String,
    "run_id": pl.String, "seen_at": pl.Datetime("us"),
}  # fmt: skip
_QUARANTINE_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "reason": pl.String, "detail": pl.String,
    "size_bytes": pl.Int64, "raw_text": pl.String, "run_id": pl.String,
    "quarantined_at": pl.Datetime("us"),
}  # fmt: skip
_ARTICLE_COLUMNS = [
    "article_id", "source_path", "title", "body", "boilerplate", "raw_text", "encoding",
    "published_date", "published_date_method", "published_date_note", "run_id", "loaded_at",
]  # fmt: skip


def _prepare(docs: list[dict[str, object]]) -> pl.DataFrame:
    frame = pl.DataFrame(docs, schema=_DOC_SCHEMA)
    cleaned = infer_published_date(clean_articles(frame.lazy())).collect()
    return cleaned.with_columns(
        _title(pl.col("body")).alias("title"),
        _cut_off(pl.col("body")).alias("cut_off"),
        pl.Series("article_id", [_article_id(b) for b in cleaned["body"]], dtype=pl.String),
    )


_META_KEYS = ("path", "file_name", "run_id", "file_sha256", "size_bytes", "modified_at")


def _meta_of(row: dict[str, object]) -> dict[str, object]:
    return {k: row[k] for k in _META_KEYS}


def _existing_ids(con: duckdb.DuckDBPyConnection, ids: pl.Series) -> set[str]:
    """Which of `ids` the warehouse already holds (a join in DuckDB, not a full id list)."""
    if ids.is_empty():
        return set()
    con.register("_batch_ids", pl.DataFrame({"article_id": ids}).to_arrow())
    try:
        rows = con.execute(
            "select article_id from raw.articles semi join _batch_ids using (article_id)"
        ).fetchall()
    finally:
        con.unregister("_batch_ids")
    return {r[0] for r in rows}


def _flush(con: duckdb.DuckDBPyConnection, batch: _Batch, now: datetime) -> tuple[int, int]:
    """Clean, dedup and write one batch in one transaction; returns (new, duplicates)."""
    articles = _prepare(batch.docs)
    body_len = pl.col("body").str.len_chars()
    for row in articles.filter(body_len == 0).iter_rows(named=True):
        batch.reject(
            _meta_of(row),
            "no_prose",
            "nothing left after removing ads and teasers",
            row["raw_text"],
        )
    for row in articles.filter(pl.col("cut_off") & (body_len > 0)).iter_rows(named=True):
        tail = row["body"][-40:].replace("\n", " ")
        batch.reject(
            _meta_of(row), "truncated", f"text stops mid-sentence: …{tail}", row["raw_text"]
        )
    articles = articles.filter((body_len > 0) & ~pl.col("cut_off"))

    existing = _existing_ids(con, articles["article_id"])
    articles = articles.with_columns(
        (
            ~pl.col("article_id").is_in(list(existing)) & pl.col("article_id").is_first_distinct()
        ).alias("is_new")
    )
    statuses = articles.select(
        *_META_KEYS,
        pl.when("is_new").then(pl.lit("loaded")).otherwise(pl.lit("duplicate")).alias("status"),
        "article_id",
    )
    new = articles.filter("is_new").with_columns(
        pl.col("path").alias("source_path"),
        pl.lit(batch.run_id).alias("run_id"),
        pl.lit(now).alias("loaded_at"),
    )
    files = pl.concat(
        [
            pl.DataFrame(
                batch.files, schema={k: v for k, v in _FILE_SCHEMA.items() if k != "seen_at"}
            ),
            statuses.cast({k: v for k, v in _FILE_SCHEMA.items() if k in statuses.columns}),
        ],
        how="diagonal_relaxed",
    ).with_columns(pl.lit(now).alias("seen_at"))
    append_frames(
        con,
        {
            "raw.articles": new.select(_ARTICLE_COLUMNS),
            "raw.files": files,
            "raw.quarantine": pl.DataFrame(
                [{**r, "quarantined_at": now} for r in batch.quarantine], schema=_QUARANTINE_SCHEMA
            ),
        },
        stage="ingest",
    )
    return new.height, articles.height - new.height


def ingest_folder(
    con: duckdb.DuckDBPyConnection,
    input_dir: Path,
    run_id: str,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_docs: int = DEFAULT_BATCH_DOCS,
) -> IngestResult:
    """Read new files in batches of about `batch_docs` articles, each batch one transaction
    (memory stays bounded; a crash keeps the batches already written)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    root = input_dir.resolve()
    files = list_input_files(input_dir)
    seen = {
        path: (size, modified)
        for path, size, modified in con.execute(
            "select path, size_bytes, modified_at from raw.files where file_sha256 is not null"
        ).fetchall()
    }
    new = duplicates = unchanged = 0
    reasons: dict[str, int] = {}
    batch = _Batch(run_id)
    for path in track(files, len(files), "ingest", unit="file"):
        _read(batch, path, root, seen, max_bytes)
        if len(batch.docs) >= batch_docs:
            n, d = _flush(con, batch, now)
            new, duplicates, unchanged = new + n, duplicates + d, unchanged + batch.unchanged
            for q in batch.quarantine:
                reasons[str(q["reason"])] = reasons.get(str(q["reason"]), 0) + 1
            batch = _Batch(run_id)
    n, d = _flush(con, batch, now)
    new, duplicates, unchanged = new + n, duplicates + d, unchanged + batch.unchanged
    for q in batch.quarantine:
        reasons[str(q["reason"])] = reasons.get(str(q["reason"]), 0) + 1
    return IngestResult(
        files_seen=len(files),
        files_unchanged=unchanged,
        articles_new=new,
        duplicates=duplicates,
        quarantined=sum(reasons.values()),
        quarantine_reasons=reasons,
    )
