"""Peer benchmarks: one assessment against the assessments in any number of dataset folders.

Each folder is checked whole first (`package.read_dataset`); one that fails
is named and skipped, never half-read. DuckDB then reads the checked files
of every folder at once (`read_parquet` over the list of files, columns
matched by name, each row's source file recorded) and works out, for the
overall score, each readiness dimension and each of the five business
cases: how many peer assessments have a score (n) and from how many
authorities, the lower quartile, median and upper quartile, and where this
assessment stands among them.

Which assessments are peers: those on the same question bank (by id) and
scoring rules as this one, that match every filter given (authority type,
region, service, period), counted once however many folders hold them (the
same assessment key), and not of this assessment's own authority (known by
its pseudonymous key under the officer's export key, or by name in a
dataset with names).

Quartiles are by linear interpolation between the ordered scores (DuckDB's
`quantile_cont`, the same as Python's `statistics.quantiles(method=
"inclusive")`), worked out on the scores as shown, in tenths, so that they
are exact. A figure drawn from fewer than `MIN_PEERS` assessments, or from
fewer than `MIN_PEERS` authorities, is not given at all (only its n is):
with so few, the figure would be one authority's own score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import duckdb

from assess.dataset.keys import ExportKey, normalised
from assess.dataset.package import DatasetFolder, InvalidDataset, read_dataset
from assess.dataset.schema import ASSESSMENTS, CASE_SCORES, DIMENSION_SCORES
from assess.domain.assessment import Assessment
from assess.domain.authority import AUTHORITY_TYPES, REGIONS
from assess.domain.bank import CASES
from assess.domain.errors import BadInput
from assess.domain.scoring import CASE_TITLES, shown_value

MIN_PEERS = 5
QUARTILES = (0.25, 0.5, 0.75)
FigureKind = Literal["overall", "dimension", "case"]
OVERALL = "overall"
GLOB_CHARACTERS = "*?["
PATTERN_PROBLEM = (
    "its name has * ? or [ in it, which DuckDB would read as a pattern; rename the folder"
)


@dataclass(frozen=True)
class PeerFilters:
    """Which peers to compare with; an empty tuple means any."""

    authority_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()

    def describe(self) -> str:
        """The peer group in words: "county councils in the South East, period 2026/27"."""
        parts = []
        if self.authority_types:
            parts.append(" or ".join(AUTHORITY_TYPES[t] for t in self.authority_types))
        if self.regions:
            parts.append("in " + " or ".join(REGIONS[r] for r in self.regions))
        if self.services:
            parts.append("service " + " or ".join(f"“{s}”" for s in self.services))
        if self.periods:
            parts.append("period " + " or ".join(self.periods))
        return ", ".join(parts) if parts else "every assessment in the datasets"


@dataclass(frozen=True)
class Skipped:
    """A folder left out, and why."""

    folder: Path
    problem: str


@dataclass(frozen=True)
class Source:
    """A folder read, and how many of its assessments were counted as peers."""

    dataset: DatasetFolder
    peers: int


@dataclass(frozen=True)
class Figure:
    """One measure (overall, a dimension or a case): you beside the peers."""

    kind: FigureKind
    id: str
    title: str
    you: Fraction | None  # this assessment's score as shown; None when it has none
    n: int  # peer assessments with a score for this measure
    authorities: int  # the authorities they are of
    lower_quartile: Fraction | None  # None when suppressed
    median: Fraction | None
    upper_quartile: Fraction | None
    below: int | None  # peers scoring lower than you (None when suppressed or no score)
    equal: int | None
    above: int | None

    @property
    def suppressed(self) -> bool:
        return self.n < MIN_PEERS or self.authorities < MIN_PEERS

    @property
    def suppressed_because(self) -> str:
        """Why the figure is not shown, in words ("" when it is shown)."""
        if self.n < MIN_PEERS:
            return f"not shown: fewer than {MIN_PEERS} assessments"
        if self.authorities < MIN_PEERS:
            return f"not shown: fewer than {MIN_PEERS} authorities"
        return ""

    @property
    def position(self) -> str:
        """Where you stand, in words ("" when suppressed or you have no score)."""
        if self.suppressed or self.you is None or self.median is None:
            return ""
        low, mid, high = self.lower_quartile, self.median, self.upper_quartile
        assert low is not None and high is not None
        if self.you > high:
            return "in the top quarter"
        if self.you == high:
            return "at the upper quartile"
        if self.you > mid:
            return "above the median"
        if self.you == mid:
            return "at the median"
        if self.you > low:
            return "below the median"
        if self.you == low:
            return "at the lower quartile"
        return "in the bottom quarter"


@dataclass(frozen=True)
class LeftOut:
    """Assessments in the folders that were not counted as peers, by reason."""

    duplicates: int = 0  # the same assessment key in more than one folder (counted once)
    other_bank: int = 0  # another question bank or scoring rules
    own_authority: int = 0
    filtered: int = 0  # did not match the filters


@dataclass(frozen=True)
class PeerBenchmark:
    assessment: Assessment
    filters: PeerFilters
    sources: tuple[Source, ...]
    skipped: tuple[Skipped, ...]
    read: int  # assessments in the folders read
    left_out: LeftOut
    peers: int  # assessments counted as peers
    authorities: int  # the authorities they are of
    figures: tuple[Figure, ...]


def check_folders(folders: Iterable[Path]) -> tuple[list[DatasetFolder], list[Skipped]]:
    """Every folder checked whole; those that fail are named, with their first problem."""
    good: list[DatasetFolder] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for folder in folders:
        where = folder.resolve()
        if where in seen:
            continue  # the same folder given twice is read once
        seen.add(where)
        if any(character in str(folder) for character in GLOB_CHARACTERS):
            # DuckDB reads a file name as a pattern: it could match files never checked.
            skipped.append(Skipped(folder, PATTERN_PROBLEM))
            continue
        try:
            good.append(read_dataset(folder))
        except InvalidDataset as exc:
            skipped.append(Skipped(folder, exc.problem))
    return good, skipped


def _files(datasets: Sequence[DatasetFolder], table: Any) -> list[str]:
    return [str(d.file(table)) for d in datasets]


def _names_matching(
    con: Any, datasets: Sequence[DatasetFolder], column: str, wanted: Iterable[str]
) -> list[str]:
    """The names as written in datasets with names whose normalised form is wanted."""
    targets = {normalised(w) for w in wanted}
    with_column = [d for d in datasets if d.has(ASSESSMENTS, column)]
    if not targets or not with_column:
        return []
    found = con.execute(
        f"SELECT DISTINCT {column} FROM read_parquet($files, union_by_name = true) "
        f"WHERE {column} IS NOT NULL",
        {"files": _files(with_column, ASSESSMENTS)},
    ).fetchall()
    return [name for (name,) in found if normalised(name) in targets]


def _own_figures(assessment: Assessment) -> list[tuple[FigureKind, str, str, Fraction | None]]:
    result = assessment.result
    figures: list[tuple[FigureKind, str, str, Fraction | None]] = [
        ("overall", OVERALL, "Overall readiness", result.overall)
    ]
    figures += [("dimension", d.id, d.title, d.score) for d in result.dimensions]
    cases = {c.id: c.score for c in result.cases}
    figures += [("case", case, CASE_TITLES[case], cases.get(case)) for case in CASES]
    return [(k, i, t, None if s is None else shown_value(s)) for k, i, t, s in figures]


_PEERS_SQL = """
CREATE TEMP TABLE peer AS
SELECT f.source, a.assessment_key, a.authority_key, a.score,
    row_number() OVER (PARTITION BY a.assessment_key ORDER BY f.source) AS copy,
    coalesce(a.bank_id = $bank AND a.rules_version = $rules, false) AS same_bank,
    {own} AS own,
    {matches} AS matches
FROM read_parquet($files, union_by_name = true, filename = true) AS a
JOIN files AS f ON f.file = a.filename
"""

_FIGURES_SQL = """
WITH chosen AS (
    SELECT source, assessment_key, authority_key, score FROM peer
    WHERE copy = 1 AND same_bank AND NOT own AND matches
),
dims AS (
    SELECT f.source, d.assessment_key, d.dimension_id, d.score
    FROM read_parquet($dimension_files, union_by_name = true, filename = true) AS d
    JOIN files AS f ON f.file = d.filename
),
cases AS (
    SELECT f.source, c.assessment_key, c."case", c.score
    FROM read_parquet($case_files, union_by_name = true, filename = true) AS c
    JOIN files AS f ON f.file = c.filename
),
scores AS (
    SELECT 'overall' AS kind, 'overall' AS id, authority_key, score FROM chosen
    UNION ALL
    SELECT 'dimension', d.dimension_id, c.authority_key, d.score
    FROM chosen AS c JOIN dims AS d ON d.source = c.source AND d.assessment_key = c.assessment_key
    UNION ALL
    SELECT 'case', k."case", c.authority_key, k.score
    FROM chosen AS c JOIN cases AS k ON k.source = c.source AND k.assessment_key = c.assessment_key
),
tenths AS (
    SELECT kind, id, authority_key, CAST(round(score * 10) AS INTEGER) AS t
    FROM scores WHERE score IS NOT NULL
)
SELECT s.kind, s.id, count(*) AS n, count(DISTINCT s.authority_key) AS authorities,
    quantile_cont(s.t, [0.25, 0.5, 0.75]) AS quartiles,
    count(*) FILTER (WHERE s.t < o.t) AS below,
    count(*) FILTER (WHERE s.t = o.t) AS equal,
    count(*) FILTER (WHERE s.t > o.t) AS above
FROM tenths AS s LEFT JOIN own AS o ON o.kind = s.kind AND o.id = s.id
GROUP BY s.kind, s.id
"""


def _contains(parameter: str, column: str) -> str:
    """SQL: the list parameter holds the row's value of `column` (false for an empty value)."""
    return f"coalesce(list_contains(${parameter}::VARCHAR[], a.{column}), false)"


def _any_of(parameter: str, column: str) -> str:
    """SQL: the filter `parameter` is empty (any will do) or holds the row's value."""
    return f"(len(${parameter}::VARCHAR[]) = 0 OR {_contains(parameter, column)})"


def _matches_sql(datasets: Sequence[DatasetFolder]) -> str:
    services = [_contains("service_keys", "service_key")]
    if any(d.has(ASSESSMENTS, "service") for d in datasets):
        services.append(_contains("service_names", "service"))
    return " AND ".join(
        [
            _any_of("types", "authority_type"),
            _any_of("regions", "region"),
            _any_of("periods", "period"),
            f"(len($services::VARCHAR[]) = 0 OR {' OR '.join(services)})",
        ]
    )


def peer_benchmark(
    assessment: Assessment,
    datasets: Sequence[DatasetFolder],
    filters: PeerFilters,
    own_key: ExportKey | None,
    skipped: Sequence[Skipped] = (),
) -> PeerBenchmark:
    """This assessment against the assessments in `datasets` (all checked already)."""
    try:
        return _benchmark(assessment, datasets, filters, own_key, skipped)
    except duckdb.Error as exc:
        # The files were checked a moment ago; one changed or vanished since.
        raise BadInput(f"the datasets could not be read: {str(exc).splitlines()[0]}") from None


def _benchmark(
    assessment: Assessment,
    datasets: Sequence[DatasetFolder],
    filters: PeerFilters,
    own_key: ExportKey | None,
    skipped: Sequence[Skipped],
) -> PeerBenchmark:
    con = duckdb.connect(":memory:")
    con.execute("CREATE TEMP TABLE files (file VARCHAR, source INTEGER)")
    tables = (ASSESSMENTS, DIMENSION_SCORES, CASE_SCORES)
    con.executemany(
        "INSERT INTO files VALUES (?, ?)",
        [(str(d.file(t)), n) for n, d in enumerate(datasets) for t in tables],
    )
    own_figures = _own_figures(assessment)
    con.execute("CREATE TEMP TABLE own (kind VARCHAR, id VARCHAR, t INTEGER)")
    con.executemany(
        "INSERT INTO own VALUES (?, ?, ?)",
        [(k, i, int(s * 10)) for k, i, _, s in own_figures if s is not None],
    )
    with_authority_names = any(d.has(ASSESSMENTS, "authority") for d in datasets)
    own = [_contains("own_keys", "authority_key")]
    if with_authority_names:
        own.append(_contains("own_names", "authority"))
    service_keys = [own_key.service(s) for s in filters.services] if own_key else []
    parameters: dict[str, Any] = {
        "files": _files(datasets, ASSESSMENTS),
        "bank": assessment.bank_id,
        "rules": assessment.result.rules_version,
        "own_keys": [own_key.authority(assessment.authority)] if own_key else [],
        "types": list(filters.authority_types),
        "regions": list(filters.regions),
        "periods": list(filters.periods),
        "services": list(filters.services),
        "service_keys": [k for k in service_keys if k],
    }
    if with_authority_names:
        parameters["own_names"] = _names_matching(
            con, datasets, "authority", [assessment.authority]
        )
    if any(d.has(ASSESSMENTS, "service") for d in datasets):
        parameters["service_names"] = _names_matching(con, datasets, "service", filters.services)
    sql = _PEERS_SQL.format(own=" OR ".join(own), matches=_matches_sql(datasets))
    con.execute(sql, parameters)
    counts = con.execute(
        """
        SELECT count(*),
            count(*) FILTER (WHERE copy > 1),
            count(*) FILTER (WHERE copy = 1 AND NOT same_bank),
            count(*) FILTER (WHERE copy = 1 AND same_bank AND own),
            count(*) FILTER (WHERE copy = 1 AND same_bank AND NOT own AND NOT matches),
            count(*) FILTER (WHERE copy = 1 AND same_bank AND NOT own AND matches),
            count(DISTINCT authority_key)
                FILTER (WHERE copy = 1 AND same_bank AND NOT own AND matches)
        FROM peer
        """
    ).fetchone()
    assert counts is not None
    read, duplicates, other_bank, own, filtered, peers, authorities = counts
    per_source = dict(
        con.execute(
            "SELECT source, count(*) FROM peer "
            "WHERE copy = 1 AND same_bank AND NOT own AND matches GROUP BY source"
        ).fetchall()
    )
    found = {
        (kind, figure_id): (n, count, quartiles, below, equal, above)
        for kind, figure_id, n, count, quartiles, below, equal, above in con.execute(
            _FIGURES_SQL,
            {
                "dimension_files": _files(datasets, DIMENSION_SCORES),
                "case_files": _files(datasets, CASE_SCORES),
            },
        ).fetchall()
    }
    con.close()
    figures = tuple(
        _figure(kind, figure_id, title, you, found.get((kind, figure_id)))
        for kind, figure_id, title, you in own_figures
    )
    return PeerBenchmark(
        assessment=assessment,
        filters=filters,
        sources=tuple(Source(d, per_source.get(n, 0)) for n, d in enumerate(datasets)),
        skipped=tuple(skipped),
        read=read,
        left_out=LeftOut(duplicates, other_bank, own, filtered),
        peers=peers,
        authorities=authorities,
        figures=figures,
    )


def _tenths(value: float) -> Fraction:
    """A quartile of scores in tenths (always a multiple of 1/4, so exact) as a score."""
    return Fraction(value) / 10


def _figure(
    kind: FigureKind,
    figure_id: str,
    title: str,
    you: Fraction | None,
    found: tuple[int, int, list[float], int, int, int] | None,
) -> Figure:
    if found is None:
        return Figure(kind, figure_id, title, you, 0, 0, None, None, None, None, None, None)
    n, authorities, quartiles, below, equal, above = found
    shown = n >= MIN_PEERS and authorities >= MIN_PEERS
    low, mid, high = (_tenths(q) for q in quartiles) if shown else (None, None, None)
    placed = shown and you is not None
    return Figure(
        kind,
        figure_id,
        title,
        you,
        n,
        authorities,
        low,
        mid,
        high,
        below if placed else None,
        equal if placed else None,
        above if placed else None,
    )
