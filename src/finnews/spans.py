"""Find every regex match in a column of texts, with character offsets, as polars rows.

polars has no "find all with positions" for regexes, and `str.find` returns byte offsets.
The trick: `extract_all("(?s).*?(?:P)")` splits each text into consecutive chunks, each
ending with one match of P. The chunks are contiguous, so a running sum of their character
lengths gives each match's end; re-anchoring P at the chunk's end recovers the match itself
(and its named groups) with exactly the same boundaries.
"""

from __future__ import annotations

import polars as pl


def find_spans(
    frame: pl.DataFrame | pl.LazyFrame,
    text_col: str,
    pattern: str,
    keep: list[str],
) -> pl.LazyFrame:
    """One row per non-overlapping match of `pattern` in `text_col`.

    Returns the `keep` columns, `char_start`, `char_end` (Python string slicing offsets into
    the text), `surface` (the matched text) and one column per named group of `pattern`.
    """
    chunk = rf"(?s).*?(?:{pattern})"
    anchored = rf"(?s)^.*?(?P<surface>{pattern})$"
    return (
        frame.lazy()
        .select(*keep, pl.col(text_col).str.extract_all(chunk).alias("_chunk"))
        .with_row_index("_doc")
        .explode("_chunk")
        .drop_nulls("_chunk")
        .with_columns(
            pl.col("_chunk")
            .str.len_chars()
            .cum_sum()
            .over("_doc")
            .cast(pl.Int64)
            .alias("char_end"),
            pl.col("_chunk").str.extract_groups(anchored).alias("_groups"),
        )
        .unnest("_groups")
        .with_columns(
            (pl.col("char_end") - pl.col("surface").str.len_chars().cast(pl.Int64)).alias(
                "char_start"
            )
        )
        .drop("_chunk", "_doc")
    )
