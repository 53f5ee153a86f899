"""Load new article files from the drop folder into raw.articles; quarantine the rest.

Reading and decoding is per file (I/O bound); cleaning, date inference and the checks on the
cleaned prose run as polars expressions over the whole batch. Article text enters DuckDB only
as Arrow data, never inside a SQL string.

What is read and hashed when: a path whose size, mtime, ctime and inode all equal its last
read is unchanged and not opened at all. Any other regular file is read and its bytes hashed
(SHA-256); if the hash equals the last hash seen for that path it is still unchanged (no new
version, only its new stat is recorded), otherwise it is a new version. ctime and inode are
part of the check because tools keep or restore mtime (`cp -p`, `rsync -t`, `touch -r`) but
cannot set ctime back.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import stat
import sys
import threading
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

import duckdb
import polars as pl

from finnews.clean import clean_articles
from finnews.decode import Decoded, decode_bytes
from finnews.progress import track
from finnews.pubdate import infer_published_date
from finnews.truncation import is_cut_off
from finnews.warehouse import append_frames

ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
# Bulk files: one article per JSON line / Parquet row, with `text` and optional `id`, `published`.
BULK_SUFFIXES = {".jsonl", ".ndjson", ".parquet"}
# An article is a few KB; anything this large is an export or a mistake, not one article.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Articles cleaned and written per transaction: bounds memory on large drops.
DEFAULT_BATCH_DOCS = 20_000
_HASH_CHUNK = 1 << 20
# Files ahead of the one being read whose reading the kernel is asked to start.
PREFETCH = 64
# A folder holding one of these is a warehouse of ours, never input, wherever it lies.
_WAREHOUSE_FILES = ("work.duckdb", "published.duckdb")
# The run folders under warehouse/runs/ (see runs.new_run_id): reports, GX docs, dbt logs.
_RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# What a directory entry is when it is not a regular file (named in the quarantine detail).
_KINDS = (
    (stat.S_ISFIFO, "fifo (named pipe)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISDIR, "directory"),
)


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
    # Files unchanged by hash whose stat moved on: their last raw.files row gets the new stat.
    restat: list[dict[str, object]] = field(default_factory=list)
    unchanged: int = 0

    def reject(
        self, meta: dict[str, object], reason: str, detail: str, text: str | None = None
    ) -> None:
        self.quarantine.append(
            {k: meta.get(k) for k in ("path", "file_name", "size_bytes")}
            | {"run_id": self.run_id, "reason": reason, "detail": detail, "raw_text": text}
        )
        self.files.append({**meta, "status": "quarantined"})

    def checkpoint(self) -> tuple[int, int, int, int, int]:
        return (
            len(self.docs), len(self.files), len(self.quarantine), len(self.restat),
            self.unchanged,
        )  # fmt: skip

    def rollback(self, mark: tuple[int, int, int, int, int]) -> None:
        """Forget what was collected since `mark` (a file that failed half-way)."""
        del self.docs[mark[0] :], self.files[mark[1] :], self.quarantine[mark[2] :]
        del self.restat[mark[3] :]
        self.unchanged = mark[4]


class _Seen(NamedTuple):
    """The last read of a path: its stat then and the hash of its bytes."""

    size_bytes: int | None
    modified_at: datetime | None
    ctime_ns: int | None
    inode: int | None
    file_sha256: str
    seen_at: datetime

    def same_stat(self, st: os.stat_result) -> bool:
        """Whether `st` is the stat of this read. Rows written before ctime/inode were
        recorded never match: hashed once, then kept. The integers are compared first: an
        unchanged folder's pass builds a datetime only for the files whose other fields all
        match."""
        return (
            self.ctime_ns is not None
            and self.ctime_ns == st.st_ctime_ns
            and self.inode == st.st_ino
            and self.size_bytes == st.st_size
            and self.modified_at == _mtime(st)
        )


@dataclass
class _Listing:
    # Paths as strings, spelled as str(Path) spells them: a Path per entry was most of the
    # listing's time (110k files: 1.5 of 2.9 s), and only the files read need one.
    files: list[str] = field(default_factory=list)
    unreadable_dirs: list[tuple[Path, OSError]] = field(default_factory=list)


def list_input_files(input_dir: Path, exclude_dirs: Sequence[Path] = ()) -> list[Path]:
    """Article files below `input_dir` (symlinks included, not followed), in a stable order.

    Folders in `exclude_dirs` and folders of ours (holding work.duckdb or published.duckdb,
    or a runs/ folder of run ids) are skipped: a warehouse inside the drop folder, with its
    HTML reports, is never input. Folders that cannot be listed are skipped too.
    """
    return [Path(p) for p in _scan(input_dir, exclude_dirs).files]


def _suffix(name: str) -> str:
    """`Path(name).suffix.lower()`, without building the Path."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _scan(input_dir: Path, exclude_dirs: Sequence[Path]) -> _Listing:
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder does not exist: {input_dir}")
    listing = _Listing()
    excluded = _excluded_below(input_dir, exclude_dirs)
    wanted = ARTICLE_SUFFIXES | BULK_SUFFIXES

    def unlisted(exc: OSError) -> None:
        # A folder we may not list loses its own files, not the whole night.
        listing.unreadable_dirs.append((Path(exc.filename or input_dir), exc))

    for folder, dirs, names in os.walk(input_dir, onerror=unlisted, followlinks=False):
        here = Path(folder)
        if here != input_dir and _is_ours(here, dirs, names):
            dirs[:] = []
            continue
        rel = here.relative_to(input_dir)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and rel / d not in excluded)
        # What str(here / name) starts with: "" for ".", "/" for the root, else "here/".
        prefix = str(here / "_")[:-1]
        listing.files.extend(
            prefix + name for name in names if not name.startswith(".") and _suffix(name) in wanted
        )
    # Path order (by parts), with the list compare done in C: every path shares the input
    # folder's parts, so splitting at "/" orders them as Path.parts does.
    listing.files.sort(key=lambda p: p.split("/"))
    return listing


def _excluded_below(input_dir: Path, exclude_dirs: Sequence[Path]) -> set[Path]:
    """`exclude_dirs` that lie below `input_dir`, relative to it (the input itself is read)."""
    root = input_dir.resolve()
    below: set[Path] = set()
    for folder in exclude_dirs:
        resolved = Path(folder).resolve()
        if resolved != root and resolved.is_relative_to(root):
            below.add(resolved.relative_to(root))
    return below


def _is_ours(folder: Path, dirs: list[str], names: list[str]) -> bool:
    """A warehouse folder (its DuckDB files) or its runs/ folder, whatever it is called."""
    if any(name in names for name in _WAREHOUSE_FILES):
        return True
    return folder.name == "runs" and any(_RUN_ID.fullmatch(d) for d in dirs)


def _shown(path: Path | str) -> str:
    """`path` as stored. A name that is not UTF-8 reaches Python with lone surrogates
    (surrogateescape), which Arrow and DuckDB cannot store: its bad bytes become `\\xNN`."""
    text = str(path)
    if text.isascii() or not _LONE_SURROGATE.search(text):
        return text
    return os.fsencode(text).decode("utf-8", errors="backslashreplace")


def _file_meta(path: Path | str, run_id: str) -> dict[str, object]:
    # basename of a path spelled as str(Path) spells it is its Path(...).name
    name = os.path.basename(path)
    return {"path": _shown(path), "file_name": _shown(name), "run_id": run_id}


def _mtime(st: os.stat_result) -> datetime:
    return datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None)


def _stat_meta(st: os.stat_result) -> dict[str, object]:
    return {
        "size_bytes": st.st_size,
        "modified_at": _mtime(st),
        "ctime_ns": st.st_ctime_ns,
        "inode": st.st_ino,
    }


def _sha256(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the entry is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for is_kind, name in _KINDS if is_kind(mode)), "special file")


def _why_not_opened(path: str, root: Path) -> tuple[str, str] | None:
    """(reason, detail) for an entry that must not be opened, decided from lstat/stat alone:
    opening a FIFO waits for a writer forever, and a socket or device is no article."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        try:
            target = Path(os.path.realpath(path, strict=True))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                link = _shown(os.readlink(path))
                return "symlink_loop", f"points to {link}, a loop of symlinks; not followed"
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                target = Path(os.path.realpath(path))
                return "broken_symlink", f"points to {_shown(target)}; not followed"
            raise
        if not target.is_relative_to(root):
            return "symlink_outside_input", f"points to {_shown(target)}; not followed"
        kind = _kind(os.stat(target).st_mode)
        return None if kind is None else ("not_a_regular_file", f"symlink to a {kind}; not opened")
    kind = _kind(mode)
    return None if kind is None else ("not_a_regular_file", f"{kind}; not opened")


class _NotRegular(Exception):
    """What was opened is not a regular file (swapped in after the lstat check)."""


@contextmanager
def _open_regular(path: str, flags: int = 0) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    # O_NONBLOCK: a FIFO put in place after the lstat check opens at once instead of waiting
    # for a writer, and fstat then tells what was really opened. Regular reads are unchanged.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | flags)
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(fd)
        kind = _kind(st.st_mode)
        if kind is not None:
            raise _NotRegular(kind)
        yield handle, st


def _read_guarded(
    batch: _Batch,
    path: str,
    root: Path,
    seen: dict[str, _Seen],
    max_bytes: int,
    plain: bool = False,
) -> None:
    """`_read`, with any unexpected error confined to its file: what the file had added to the
    batch is taken back and the file is quarantined `unreadable` with the error."""
    mark = batch.checkpoint()
    try:
        _read(batch, path, root, seen, max_bytes, plain)
    except (Exception, pl.exceptions.PanicException) as exc:  # a polars panic is no Exception
        batch.rollback(mark)
        batch.reject(_file_meta(path, batch.run_id), "unreadable", f"{type(exc).__name__}: {exc}")


def _read(
    batch: _Batch,
    path: str,
    root: Path,
    seen: dict[str, _Seen],
    max_bytes: int,
    plain: bool = False,
) -> None:
    """One directory entry: quarantined, skipped as unchanged, or collected for the batch.

    `plain`: the read-ahead's lstat found a regular file (no symlink) whose stat differs from
    its last read, so it is opened without another lstat and stat; O_NOFOLLOW, so a symlink
    swapped in since fails with ELOOP and is judged in full like any other entry."""
    meta = _file_meta(path, batch.run_id)
    last = seen.get(str(meta["path"]))
    try:
        if plain:
            try:
                _load(batch, path, meta, last, max_bytes, os.O_NOFOLLOW)
                return
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
        problem = _why_not_opened(path, root)
        if problem is not None:
            batch.reject(meta, *problem)
            return
        st = os.stat(path)
        meta |= _stat_meta(st)
        if last is not None and last.same_stat(st):
            batch.unchanged += 1  # not opened: a night over a million files hashes none
            return
        _load(batch, path, meta, last, max_bytes)
    except _NotRegular as exc:
        batch.reject(meta, "not_a_regular_file", f"{exc}; replaced after listing, not read")
    except OSError as exc:
        batch.reject(meta, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")


def _load(
    batch: _Batch,
    path: str,
    meta: dict[str, object],
    last: _Seen | None,
    max_bytes: int,
    flags: int = 0,
) -> None:
    with _open_regular(path, flags) as (handle, st):
        meta |= _stat_meta(st)
        _read_open(batch, path, handle, meta, last, max_bytes)


def _read_open(
    batch: _Batch,
    path: str,
    handle: BinaryIO,
    meta: dict[str, object],
    last: _Seen | None,
    max_bytes: int,
) -> None:
    """Hash an opened regular file, then load it, or quarantine it, or keep it as unchanged."""
    is_bulk = _suffix(os.path.basename(path)) in BULK_SUFFIXES
    size = int(meta["size_bytes"])
    data = None if is_bulk or size > max_bytes else handle.read()
    # Bulk and oversized files are hashed as a stream: never a whole export in memory.
    meta["file_sha256"] = _sha256(handle) if data is None else hashlib.sha256(data).hexdigest()
    if last is not None and meta["file_sha256"] == last.file_sha256:
        batch.restat.append({k: meta[k] for k in _RESTAT_SCHEMA if k in meta} | {"seen_at": last.seen_at})  # fmt: skip
        batch.unchanged += 1
        return
    if meta["path"] != str(path):
        decoded = decode_bytes(data) if data is not None else None
        text = decoded.text if isinstance(decoded, Decoded) else None
        detail = "name is not valid UTF-8; stored with its bad bytes as \\xNN"
        batch.reject(meta, "undecodable_name", detail, text)
    elif is_bulk:
        handle.seek(0)
        _read_bulk(batch, Path(path), handle, meta)
    elif data is None:
        batch.reject(meta, "too_large", f"{size} bytes > limit of {max_bytes}")
    else:
        _read_article(batch, data, meta)


def _read_article(batch: _Batch, data: bytes, meta: dict[str, object]) -> None:
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        text = data.decode("utf-8", errors="replace") if decoded.reason == "truncated" else None
        batch.reject(meta, decoded.reason, decoded.detail, text)
        return
    batch.docs.append({**meta, "raw_text": decoded.text, "encoding": decoded.encoding,
                       "decode_errors": decoded.decode_errors})  # fmt: skip


class _BadBulkFile(ValueError):
    """A bulk file that is not what its suffix says, or holds no article text at all."""


def _bulk_records(path: Path, handle: BinaryIO) -> list[tuple[str, object]]:
    """(record key, record) pairs; a line that is not JSON stays as its raw string."""
    if path.suffix.lower() == ".parquet":
        return _parquet_records(handle)
    records: list[tuple[str, object]] = []
    lines = io.TextIOWrapper(handle, encoding="utf-8", errors="replace")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line{number}", json.loads(line)))
        except json.JSONDecodeError:
            records.append((f"line{number}", line))
    lines.detach()  # the caller owns (and closes) the binary handle
    return records


def _parquet_records(handle: BinaryIO) -> list[tuple[str, object]]:
    try:
        frame = pl.read_parquet(handle)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        raise _BadBulkFile(f"not a Parquet file: {exc}") from exc
    if "text" not in frame.columns:
        raise _BadBulkFile(f"missing column 'text' (columns: {', '.join(frame.columns)})")
    return [(str(i), row) for i, row in enumerate(frame.iter_rows(named=True))]


def _storable(value: object) -> tuple[str, int]:
    """`value` as text Arrow can store: JSON may spell lone surrogates ("\\ud800"), which
    become U+FFFD (and are counted as decode errors)."""
    return _LONE_SURROGATE.subn("\ufffd", str(value))


def _read_bulk(batch: _Batch, path: Path, handle: BinaryIO, meta: dict[str, object]) -> None:
    """Each record becomes a document `path#id`; the bulk file itself is recorded as read.
    A file with no record holding a `text` string is one quarantined file, not N records."""
    try:
        records = _bulk_records(path, handle)
        if not any(isinstance(r, dict) and isinstance(r.get("text"), str) for _, r in records):
            raise _BadBulkFile("no record has a 'text' field" if records else "no records")
    except _BadBulkFile as exc:
        batch.reject(meta, "bad_bulk_file", str(exc))
        return
    batch.files.append({**meta, "status": "bulk"})
    for key, record in records:
        _add_record(batch, path, meta, key, record)


def _add_record(
    batch: _Batch, path: Path, meta: dict[str, object], key: str, record: object
) -> None:
    raw = record.get("text") if isinstance(record, dict) else None
    name = _storable(record.get("id") or key)[0] if isinstance(record, dict) else key
    text, replaced = _storable(raw) if isinstance(raw, str) else (None, 0)
    rec_meta = {**meta, "path": f"{meta['path']}#{name}", "file_name": name, "file_sha256": None,
                "size_bytes": len(text.encode()) if text is not None else None}  # fmt: skip
    if text is None:
        batch.reject(rec_meta, "bad_record", "record is not a JSON object with a text field",
                     _storable(record)[0] if isinstance(record, str) else None)  # fmt: skip
        return
    if not text.strip():
        batch.reject(rec_meta, "whitespace_only", "record text is empty")
        return
    published = record.get("published")
    batch.docs.append({**rec_meta, "raw_text": text, "encoding": f"utf-8+{path.suffix.lower()[1:]}",
                       "decode_errors": replaced,
                       "record_published": _storable(published)[0] if published else None})  # fmt: skip


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


# What str.split() splits at (the characters str.isspace() holds for), in regex classes.
_SPACE_CODES = [cp for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
_SPACES = "".join(f"\\x{{{cp:x}}}" for cp in _SPACE_CODES)
_NOT_SPACE_SPACES = "".join(f"\\x{{{cp:x}}}" for cp in _SPACE_CODES if cp != ord(" "))
# A run of them that is not one plain space, which stays as it is: replacing every gap
# between two words (most of them one space) made the fold ~4x slower.
_SPACE_RUN = f"(?:[{_NOT_SPACE_SPACES}][{_SPACES}]*| [{_SPACES}]+)"


def _article_ids(bodies: pl.Series) -> pl.Series:
    """`_article_id` of each body: the whitespace folded by polars over the whole batch
    (str.split per body was ~40% of the ids' time), the SHA-256 per body in hashlib."""
    # Each run becomes one space, and the ends are stripped: " ".join(body.split()).
    folded = bodies.str.replace_all(_SPACE_RUN, " ").str.strip_chars(" ").cast(pl.Binary)
    ids = [hashlib.sha256(b).hexdigest()[:24] for b in folded.to_list()]
    return pl.Series("article_id", ids, dtype=pl.String)


_DOC_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "run_id": pl.String, "file_sha256": pl.String,
    "size_bytes": pl.Int64, "modified_at": pl.Datetime("us"), "raw_text": pl.String,
    "encoding": pl.String, "record_published": pl.String, "ctime_ns": pl.Int64,
    "inode": pl.UInt64, "decode_errors": pl.Int32,
}  # fmt: skip
_FILE_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "file_sha256": pl.String, "size_bytes": pl.Int64,
    "modified_at": pl.Datetime("us"), "status": pl.String, "article_id": pl.String,
    "run_id": pl.String, "seen_at": pl.Datetime("us"), "ctime_ns": pl.Int64, "inode": pl.UInt64,
}  # fmt: skip
# Key (path, seen_at) of the raw.files row to update, and the stat that replaces its own.
_RESTAT_SCHEMA = {
    "path": pl.String, "seen_at": pl.Datetime("us"), "modified_at": pl.Datetime("us"),
    "ctime_ns": pl.Int64, "inode": pl.UInt64,
}  # fmt: skip
_QUARANTINE_SCHEMA = {
    "path": pl.String, "file_name": pl.String, "reason": pl.String, "detail": pl.String,
    "size_bytes": pl.Int64, "raw_text": pl.String, "run_id": pl.String,
    "quarantined_at": pl.Datetime("us"),
}  # fmt: skip
_ARTICLE_COLUMNS = [
    "article_id", "source_path", "title", "body", "boilerplate", "raw_text", "encoding",
    "published_date", "published_date_method", "published_date_note", "run_id", "loaded_at",
    "decode_errors", "dateline_place", "agency",
]  # fmt: skip


def _prepare(docs: list[dict[str, object]]) -> pl.DataFrame:
    # Column lists, not one dict per row: polars builds a frame of rows ~5x slower.
    frame = pl.DataFrame({k: [d.get(k) for d in docs] for k in _DOC_SCHEMA}, schema=_DOC_SCHEMA)
    cleaned = infer_published_date(clean_articles(frame.lazy())).collect()
    return cleaned.with_columns(
        _title(pl.col("body")).alias("title"),
        is_cut_off(pl.col("body")).alias("cut_off"),
        _article_ids(cleaned["body"]),
    )


_META_KEYS = (
    "path", "file_name", "run_id", "file_sha256", "size_bytes", "modified_at", "ctime_ns", "inode",
)  # fmt: skip


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
    tables = {
        "raw.articles": new.select(_ARTICLE_COLUMNS),
        "raw.files": files,
        "raw.quarantine": pl.DataFrame(
            [{**r, "quarantined_at": now} for r in batch.quarantine], schema=_QUARANTINE_SCHEMA
        ),
    }
    with _one_thread(con):
        append_frames(con, tables, stage="ingest")
    _record_restat(con, batch.restat)
    return new.height, articles.height - new.height


@contextmanager
def _one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB on one thread while it appends a batch. On two threads its insert of the
    articles' text took about twice the CPU for the same rows (20k articles, 3 appends:
    ~7 s CPU against ~3.6 s, wall 4.4-8.4 s against 3.5-4.3 s), and the reader thread
    wants the other core meanwhile."""
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    con.execute("set threads = 1")
    try:
        yield
    finally:
        con.execute(f"set threads = {int(threads)}")


def _record_restat(con: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> None:
    """Give the last raw.files row of each file unchanged by hash its new stat, so the next
    night finds it unchanged by stat alone instead of hashing it again. Outside the batch's
    transaction on purpose: losing it costs one more hash, never a wrong version."""
    if not rows:
        return
    con.register("_restat", pl.DataFrame(rows, schema=_RESTAT_SCHEMA).to_arrow())
    try:
        con.execute(
            "update raw.files f set modified_at = r.modified_at, ctime_ns = r.ctime_ns, "
            "inode = r.inode from _restat r where f.path = r.path and f.seen_at = r.seen_at"
        )
    finally:
        con.unregister("_restat")


def _last_reads(con: duckdb.DuckDBPyConnection) -> dict[str, _Seen]:
    """Per path, its latest raw.files row that was read (has a hash)."""
    rows = con.execute(
        "select path, size_bytes, modified_at, ctime_ns, inode, file_sha256, seen_at "
        "from raw.files where file_sha256 is not null "
        "qualify row_number() over (partition by path order by seen_at desc) = 1"
    ).fetchall()
    return {row[0]: _Seen(*row[1:]) for row in rows}


def _unchanged_by_stat(path: str, seen: dict[str, _Seen]) -> bool | None:
    """True for a regular file (no symlink) whose stat equals its last read, False for
    another regular file, None for anything else (judged by `_read` in full). One lstat: the
    common case of a night, most of a big folder unchanged, costs no more."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode):
        return None
    last = seen.get(_shown(path))
    return last is not None and last.same_stat(st)


def _prefetch(path: str, seen: dict[str, _Seen]) -> bool | None:
    """`_unchanged_by_stat` (True: it need not be read; False: a regular file to read);
    for a file to read, ask the kernel to start reading it. A cold folder read one file
    after the other waits on the disk for each; with the hint, reads ahead overlap (about
    2x on this machine's disk). Any error is None: left to the real read, judged in full."""
    try:
        verdict = _unchanged_by_stat(path, seen)
        if verdict is False:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)
        return verdict
    except OSError:
        return None


def _read_ahead(files: list[str], seen: dict[str, _Seen]) -> Iterator[tuple[str, bool | None]]:
    """Each of `files` and its `_prefetch` verdict, judged PREFETCH files ahead, where a
    file to be read gets its read-ahead hint."""
    verdicts = [_prefetch(path, seen) for path in files[:PREFETCH]]
    for i, path in enumerate(files):
        if i + PREFETCH < len(files):
            verdicts.append(_prefetch(files[i + PREFETCH], seen))
        yield path, verdicts[i]


def _read_batches(
    listing: _Listing,
    seen: dict[str, _Seen],
    root: Path,
    run_id: str,
    max_bytes: int,
    batch_docs: int,
    stop: threading.Event,
) -> Generator[_Batch, None, None]:
    """The listed files read into batches of about `batch_docs` articles, in listing order
    (the first of duplicates in that order is the one loaded). Ends early once `stop` is set."""
    batch = _Batch(run_id)
    for folder, exc in listing.unreadable_dirs:
        detail = f"{type(exc).__name__}: {exc.strerror or exc}; its files were not listed"
        batch.reject(_file_meta(folder, run_id), "unreadable_folder", detail)
    files = listing.files
    for path, verdict in track(_read_ahead(files, seen), len(files), "ingest", "file"):
        if stop.is_set():
            return
        if verdict:
            batch.unchanged += 1  # not opened: a night over a million files hashes none
            continue
        _read_guarded(batch, path, root, seen, max_bytes, plain=verdict is False)
        if len(batch.docs) >= batch_docs:
            yield batch
            batch = _Batch(run_id)
    yield batch


def _read_behind(batches: Iterator[_Batch], stop: threading.Event) -> Generator[_Batch, None, None]:
    """Each of `batches`, the next one read on a thread while the caller writes this one.

    Reading is Python per file and holds the GIL; cleaning (polars) and the insert (DuckDB)
    release it, so the two overlap on a second core. Batches stay in order, one read ahead
    at most (memory: two batches). A consumer that stops (an error, SIGTERM in the main
    thread) sets `stop`, and the reader ends at its next file."""
    with ThreadPoolExecutor(1, thread_name_prefix="ingest-read") as pool:
        try:
            pending = pool.submit(next, batches, None)
            while (batch := pending.result()) is not None:
                pending = pool.submit(next, batches, None)
                yield batch
        finally:
            stop.set()


def ingest_folder(
    con: duckdb.DuckDBPyConnection,
    input_dir: Path,
    run_id: str,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_docs: int = DEFAULT_BATCH_DOCS,
    exclude_dirs: Sequence[Path] = (),
    read_behind: bool = True,
) -> IngestResult:
    """Read new files in batches of about `batch_docs` articles, each batch one transaction
    (memory stays bounded; a crash keeps the batches already written). Folders in
    `exclude_dirs` (the warehouse) are never read; every error is confined to its file.
    `read_behind`: the next batch is read on a thread while one is written (same rows)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    listing = _scan(input_dir, exclude_dirs)
    seen = _last_reads(con)
    stop = threading.Event()
    batches = _read_batches(listing, seen, input_dir.resolve(), run_id, max_bytes, batch_docs, stop)
    new = duplicates = unchanged = 0
    reasons: dict[str, int] = {}
    # closing: an error in a flush stops the reader now, not when the generator is collected.
    with closing(_read_behind(batches, stop) if read_behind else batches) as ordered:
        for batch in ordered:
            n, d = _flush(con, batch, now)
            new, duplicates, unchanged = new + n, duplicates + d, unchanged + batch.unchanged
            for q in batch.quarantine:
                reasons[str(q["reason"])] = reasons.get(str(q["reason"]), 0) + 1
    return IngestResult(
        files_seen=len(listing.files),
        files_unchanged=unchanged,
        articles_new=new,
        duplicates=duplicates,
        quarantined=sum(reasons.values()),
        quarantine_reasons=reasons,
    )
