"""Literal anchors of a regex: which fixed strings every match must contain.

The event engine finds candidate sentences with one Aho-Corasick pass over all rules'
anchors and runs a rule's regex only where one of its anchors occurs. That is sound only if
the regex cannot match without an anchor; `covered` proves it on the regex's parse tree
(Python's own `re` parser), `best_cover` proposes anchors for a new rule.

Zero-width assertions (`\\b`, `^`) do not break a literal run: "a\\bb" still needs "ab".
Optional parts, classes and repeats that may match nothing break it.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
from collections.abc import Callable
from typing import Any

_Node = tuple[Any, Any]


def _parse(pattern: str) -> list[_Node]:
    return list(sre_parse.parse(pattern))


def _merge_prefixes(seq: list[_Node]) -> list[_Node]:
    """Python's parser factors a common prefix out of an alternation ("gibt|geben|gab" is
    "g" then "ibt|eben|ab"): put the literals right before a branch back into each of its
    alternatives, so that an anchor "gibt" can be seen."""
    out: list[_Node] = []
    for op, arg in seq:
        if op is sre.BRANCH:
            prefix: list[_Node] = []
            while out and out[-1][0] is sre.LITERAL:
                prefix.insert(0, out.pop())
            if prefix:
                arg = (arg[0], [prefix + list(b) for b in arg[1]])
        out.append((op, arg))
    return out


def _runs_and_items(seq: list[_Node], wildcard: str | None) -> tuple[list[str], list[_Node]]:
    """The literal runs of a sequence and the items that are not literals or assertions."""
    seq = _merge_prefixes(seq)
    runs: list[str] = []
    items: list[_Node] = []
    run = ""
    for op, arg in seq:
        if op is sre.LITERAL and chr(arg) != wildcard:
            run += chr(arg)
            continue
        if op is sre.AT:
            continue
        if run:
            runs.append(run)
        run = ""
        items.append((op, arg))
    if run:
        runs.append(run)
    return runs, items


def _mandatory_children(op: Any, arg: Any) -> list[list[_Node]] | None:
    """The sub-sequences an item always matches (all of them, for a branch: one of them)."""
    if op is sre.SUBPATTERN:
        return [list(arg[-1])]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return [list(arg[2])]
    if op is sre.ATOMIC_GROUP:
        return [list(arg)]
    return None


def _seq_covered(seq: list[_Node], anchors: tuple[str, ...], wildcard: str | None) -> bool:
    runs, items = _runs_and_items(seq, wildcard)
    if any(a in run for run in runs for a in anchors):
        return True
    for op, arg in items:
        if op is sre.BRANCH:
            if all(_seq_covered(list(b), anchors, wildcard) for b in arg[1]):
                return True
            continue
        children = _mandatory_children(op, arg)
        if children and all(_seq_covered(c, anchors, wildcard) for c in children):
            return True
    return False


def covered(pattern: str, anchors: list[str], wildcard: str | None = None) -> bool:
    """Every match of `pattern` contains one of `anchors` (proved, not sampled).

    `wildcard` is a character that stands for masked text (the "@" of company frames): it
    is no literal the anchor pass can see."""
    return _seq_covered(_parse(pattern), tuple(anchors), wildcard)


Score = Callable[[list[str]], Any]


def by_length(option: list[str]) -> tuple[int, int]:
    """The most selective set by length alone: its shortest string longest (spaces do not
    count: " de" is as common as "de"), then the fewest strings."""
    return (min(len(s.strip()) for s in option), -len(option))


def _seq_cover(
    seq: list[_Node], wildcard: str | None, score: Score = by_length
) -> list[str] | None:
    runs, items = _runs_and_items(seq, wildcard)
    options: list[list[str]] = [[run] for run in runs]
    for op, arg in items:
        if op is sre.BRANCH:
            parts = [_seq_cover(list(b), wildcard, score) for b in arg[1]]
            if all(p is not None for p in parts):
                options.append(sorted({s for p in parts for s in p or []}))
            continue
        children = _mandatory_children(op, arg)
        if children:
            cover = _seq_cover(children[0], wildcard, score)
            if cover is not None:
                options.append(cover)
    if not options:
        return None
    return max(options, key=score)


def best_cover(
    pattern: str, wildcard: str | None = None, score: Score = by_length
) -> list[str] | None:
    """Literal strings one of which every match contains, the set `score` rates highest
    (by default the longest strings; a scorer can count how many sentences of a sample each
    set lets through); None when the pattern could match without any fixed text."""
    return _seq_cover(_parse(pattern), wildcard, score)
