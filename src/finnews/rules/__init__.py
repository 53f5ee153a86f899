"""Extraction rules as data: the rule files of this folder, loaded and checked.

- `metrics.yaml`: metric types of figures, tried by priority, first that holds wins.
- `events/<type>.yaml`: one file per event type; every rule that fires makes the sentence an
  event of its type, the one of lowest priority names it (`rule_id`).
- `voids.yaml`: named voids (negation, denial, pluperfect, rumour ...) rules refer to.
- `fragments.yaml`: named regex fragments and vocabularies, referenced as `{name}`.

Patterns are written in lower case with umlauts; they are matched on the lower-cased ASCII
shadow of the text (asciify.py), so the loader maps them the same way. The format and how to
add a rule: docs/metrics.md, "Rule files".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from finnews.asciify import asciify_literal, asciify_pattern
from finnews.lexicon import alternation
from finnews.rules.anchors import best_cover

RULES_DIR = Path(__file__).parent
# Views on the ASCII shadow (patterns are asciified for them); the others hold the original
# text (`surface`, the counted `noun`).
SHADOW_VIEWS = {
    "ctx", "topic", "clause", "before", "after", "antecedent", "sentence", "previous", "frame",
}  # fmt: skip
TEXT_VIEWS = {"surface", "noun"}
_REFERENCE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")

# A condition, normalised: ("kind", kinds) | ("match", view, pattern) | ("missing", view)
# | ("entity", type) | ("not", c) | ("all", cs) | ("any", cs).
Condition = tuple[Any, ...]


class RuleError(ValueError):
    """A rule file that cannot be loaded: names the file, the rule and what is wrong."""


@dataclass(frozen=True)
class Void:
    name: str
    scope: str  # sentence | before | after
    pattern: str
    window: int = 0
    unless: str | None = None
    description: str = ""


@dataclass(frozen=True)
class EventRule:
    id: str
    event_type: str
    priority: int
    description: str
    anchors: tuple[str, ...]
    pattern: str | None  # None: a rule fired by figures (`evidence`)
    read: str  # sentence | frame (companies masked as "@")
    requires: Condition | None
    voids: tuple[Void, ...]
    evidence: tuple[str, ...]
    fire: tuple[str, ...]
    silent: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class MetricRule:
    id: str
    metric: str
    priority: int
    description: str
    when: Condition
    fire: tuple[Any, ...]
    silent: tuple[Any, ...]
    # Which measure a forecast figure is of (guidance rules: revenue, ebit, margin, ...).
    measure: str | None = None


# Who an event is about, tried in order until one is known: the first company named in the
# sentence (not after "mit", which names a partner), the subject of the figure that
# evidences it, the article's main company.
ACTOR_SOURCES = ("named_first", "figure_subject", "previous_named", "article_main")
COUNTERPART_SOURCES = ("other_named",)
STATUS_KINDS = ("by_date",)


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    actor: tuple[str, ...]
    counterpart: str
    status: str | None  # by_date: scheduled / reported / announced from the event date
    # Every company named as an actor in the sentence has an event of its own ("In den MDax
    # steigen A, B und C auf"), not only the first.
    each_named: bool = False
    # Companies that never act in events of the type (index providers of an index_change).
    never: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    events: tuple[EventRule, ...]
    metrics: tuple[MetricRule, ...]
    event_types: tuple[str, ...]
    types: dict[str, EventType]
    vocabularies: dict[str, tuple[str, ...]]
    metric_fragments: dict[str, str]

    def event_rule(self, rule_id: str) -> EventRule:
        return next(r for r in self.events if r.id == rule_id)

    @property
    def metric_types(self) -> list[str]:
        names = dict.fromkeys(r.metric for r in self.metrics if r.metric != "other")
        return [*names, "other"]


class _Expander:
    """Expands `{name}` references to fragments and vocabularies, recursively."""

    def __init__(self, fragments: dict[str, Any], vocabularies: dict[str, list[str]]) -> None:
        self.fragments = fragments
        self.vocabularies = vocabularies

    def __call__(self, pattern: str | list[str], where: str, depth: int = 0) -> str:
        if isinstance(pattern, list):
            pattern = "|".join(pattern)
        if depth > 10:
            raise RuleError(f"{where}: fragment references nest too deep (a cycle?)")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in self.vocabularies:
                return alternation([w.lower() for w in self.vocabularies[name]])
            if name in self.fragments:
                return f"(?:{self(self.fragments[name], where, depth + 1)})"
            raise RuleError(f"{where}: unknown fragment {{{name}}}")

        return _REFERENCE.sub(replace, pattern)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{path.name}: expected a mapping at the top")
    return data


def _compile_check(pattern: str, where: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from exc
    # The engine runs patterns with polars' (Rust) regex, which has no look-around.
    if re.search(r"\(\?<?[=!]", pattern):
        raise RuleError(f"{where}: look-around is not supported by the engine's regex")
    return pattern


def _condition(
    raw: Any, expand: _Expander, named: dict[str, Any], where: str, depth: int = 0
) -> Condition:
    """The normalised form of a condition written in a rule file."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise RuleError(f"{where}: a condition is a mapping with one key, got {raw!r}")
    ((key, value),) = raw.items()
    if key == "kind":
        return ("kind", tuple(value))
    if key == "missing":
        return ("missing", value)
    if key == "entity":
        return ("entity", value)
    if key == "not":
        return ("not", _condition(value, expand, named, where, depth))
    if key in ("all", "any"):
        return (key, tuple(_condition(v, expand, named, where, depth) for v in value))
    if key == "ref":
        if value not in named or depth > 10:
            raise RuleError(f"{where}: unknown condition {value!r}")
        return _condition(named[value], expand, named, f"{where} -> {value}", depth + 1)
    if key in SHADOW_VIEWS | TEXT_VIEWS:
        pattern = expand(value, where)
        if key in SHADOW_VIEWS:
            pattern = asciify_pattern(pattern)
        return ("match", key, _compile_check(pattern, where))
    raise RuleError(f"{where}: unknown condition key {key!r}")


def _voids(path: Path, expand: _Expander) -> tuple[dict[str, Void], dict[str, list[str]]]:
    data = _load(path)
    voids: dict[str, Void] = {}
    for raw in data["voids"]:
        where = f"{path.name}: void {raw.get('name')}"
        if raw.get("scope") not in ("sentence", "before", "after"):
            raise RuleError(f"{where}: scope must be sentence, before or after")
        unless = raw.get("unless")
        voids[raw["name"]] = Void(
            name=raw["name"],
            scope=raw["scope"],
            pattern=_compile_check(asciify_pattern(expand(raw["pattern"], where)), where),
            window=int(raw.get("window", 0)),
            unless=asciify_pattern(expand(unless, where)) if unless else None,
            description=raw.get("description", ""),
        )
    return voids, data.get("sets", {})


def _resolve_voids(
    names: list[str], voids: dict[str, Void], sets: dict[str, list[str]], where: str
) -> tuple[Void, ...]:
    out: list[Void] = []
    for name in names:
        if name in sets:
            out.extend(_resolve_voids(sets[name], voids, sets, where))
        elif name in voids:
            out.append(voids[name])
        else:
            raise RuleError(f"{where}: unknown void {name!r}")
    return tuple(dict.fromkeys(out))


def _event_type(path: Path, data: dict[str, Any]) -> EventType:
    roles = data.get("roles") or {}
    actor = tuple(roles.get("actor", ACTOR_SOURCES))
    counterpart = roles.get("counterpart", "other_named")
    status = data.get("status")
    if not set(actor) <= set(ACTOR_SOURCES):
        raise RuleError(f"{path.name}: roles.actor must come from {ACTOR_SOURCES}")
    if counterpart not in COUNTERPART_SOURCES:
        raise RuleError(f"{path.name}: roles.counterpart must be one of {COUNTERPART_SOURCES}")
    if status is not None and status not in STATUS_KINDS:
        raise RuleError(f"{path.name}: status must be one of {STATUS_KINDS}")
    each_named = roles.get("each_named", False)
    if not isinstance(each_named, bool):
        raise RuleError(f"{path.name}: roles.each_named must be true or false")
    never = roles.get("never", [])
    if not isinstance(never, list) or not all(isinstance(c, str) for c in never):
        raise RuleError(f"{path.name}: roles.never must be a list of company ids")
    return EventType(
        data["event_type"], data.get("description", ""), actor, counterpart, status, each_named,
        tuple(never),
    )  # fmt: skip


def _anchors(
    given: list[str] | str | None, pattern: str | None, read: str, where: str
) -> tuple[str, ...]:
    """A pattern rule's literal anchors: as written, or `auto` (the longest literals one of
    which every match of the pattern contains, from its parse tree)."""
    if pattern is None:
        return ()
    if given == "auto":
        derived = best_cover(pattern, "@" if read == "frame" else None)
        if not derived:
            raise RuleError(f"{where}: no literal every match contains; write its anchors")
        return tuple(derived)
    if not given:
        raise RuleError(f"{where}: a pattern rule needs literal anchors (or anchors: auto)")
    return tuple(_shadow_anchor(a.lower()) for a in given)


def _shadow_anchor(word: str) -> str:
    """A literal every spelling of `word` contains in the shadow. A pattern's "ß" reads
    "ss?" (the Swiss "ss" too), so an anchor cannot span it: "bußgeld" anchors on "geld",
    "schließ" on "schlies" (the first s is always there)."""
    if "ß" not in word:
        return asciify_literal(word)
    first, *rest = asciify_literal(word.replace("ß", "\0")).split("\0")
    return max([first + "s", *rest], key=len)


def _event_rules(
    path: Path, expand: _Expander, voids: dict[str, Void], sets: dict[str, list[str]]
) -> tuple[EventType, list[EventRule]]:
    data = _load(path)
    event_type = data["event_type"]
    if path.stem != event_type:
        raise RuleError(f"{path.name}: event_type {event_type!r} differs from the file name")
    rules: list[EventRule] = []
    for raw in data["rules"]:
        where = f"{path.name}: rule {raw.get('id')}"
        if not str(raw.get("id", "")).startswith(f"{event_type}."):
            raise RuleError(f"{where}: ids start with the event type ({event_type}.)")
        evidence = tuple(raw.get("evidence", ()))
        pattern = raw.get("pattern")
        if evidence and any(
            voids[v].scope != "sentence" for v in raw.get("voids", []) if v in voids
        ):
            raise RuleError(f"{where}: a figure rule has no match to window; use sentence voids")
        if (pattern is None) == (not evidence):
            raise RuleError(f"{where}: a rule has either a pattern or evidence figures")
        read = raw.get("read", "sentence")
        if read not in ("sentence", "frame"):
            raise RuleError(f"{where}: read must be sentence or frame")
        compiled = (
            None
            if pattern is None
            else _compile_check(asciify_pattern(expand(pattern, where)), where)
        )
        anchors = _anchors(raw.get("anchors"), compiled, read, where)
        requires = raw.get("requires")
        rules.append(
            EventRule(
                id=raw["id"],
                event_type=event_type,
                priority=int(raw["priority"]),
                description=raw.get("description", ""),
                anchors=anchors,
                pattern=compiled,
                read=read,
                requires=None if requires is None else _condition(requires, expand, {}, where),
                voids=_resolve_voids(raw.get("voids", data.get("voids", [])), voids, sets, where),
                evidence=evidence,
                fire=tuple(raw.get("fire") or ()),
                silent=tuple(raw.get("silent") or ()),
                source=path.name,
            )
        )
    return _event_type(path, data), rules


def _metric_rules(path: Path, expand: _Expander) -> tuple[list[MetricRule], dict[str, str]]:
    data = _load(path)
    local = _Expander({**expand.fragments, **data.get("fragments", {})}, expand.vocabularies)
    fragments = {
        k: local(v, f"{path.name}: fragment {k}") for k, v in data.get("fragments", {}).items()
    }
    named = data.get("conditions", {})
    rules = []
    for raw in data["rules"]:
        where = f"{path.name}: rule {raw.get('id')}"
        if not str(raw.get("id", "")).startswith(f"{raw.get('metric')}."):
            raise RuleError(f"{where}: ids start with the metric type ({raw.get('metric')}.)")
        rules.append(
            MetricRule(
                id=raw["id"],
                metric=raw["metric"],
                priority=int(raw["priority"]),
                description=raw.get("description", ""),
                when=_condition(raw["when"], local, named, where),
                fire=tuple(raw.get("fire") or ()),
                silent=tuple(raw.get("silent") or ()),
                measure=raw.get("measure"),
            )
        )
    return sorted(rules, key=lambda r: r.priority), fragments


def _check_unique(ids: list[str], what: str) -> None:
    seen = [i for i in dict.fromkeys(ids) if ids.count(i) > 1]
    if seen:
        raise RuleError(f"{what}: duplicate rule ids {seen}")


@lru_cache(maxsize=4)
def load_rules(directory: Path = RULES_DIR) -> RuleSet:
    """Every rule file of `directory`, expanded, asciified and compiled once (cached)."""
    shared = _load(directory / "fragments.yaml")
    vocabularies = {k: list(v) for k, v in shared.get("vocabularies", {}).items()}
    expand = _Expander(shared.get("fragments", {}), vocabularies)
    voids, sets = _voids(directory / "voids.yaml", expand)
    events: list[EventRule] = []
    types: dict[str, EventType] = {}
    for path in sorted((directory / "events").glob("*.yaml")):
        event_type, rules = _event_rules(path, expand, voids, sets)
        types[event_type.name] = event_type
        events.extend(rules)
    metrics, metric_fragments = _metric_rules(directory / "metrics.yaml", expand)
    _check_unique([r.id for r in events], "events")
    _check_unique([r.id for r in metrics], "metrics.yaml")
    return RuleSet(
        events=tuple(events),
        metrics=tuple(metrics),
        event_types=tuple(types),
        types=types,
        vocabularies={k: tuple(v) for k, v in vocabularies.items()},
        metric_fragments=metric_fragments,
    )
