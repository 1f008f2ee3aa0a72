"""A peer benchmark in every report format: text, Markdown and HTML from one Document; JSON; CSV.

The printed formats share one `Document` (see `assess.reports.document`), so
the terminal, Markdown and HTML say the same thing. JSON gives every figure
as its exact fraction too; CSV has one row per measure. A suppressed figure
(drawn from too few assessments or authorities) is left out of every
format, not just hidden: only its n is given, with the reason in words.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Any

from assess.dataset.peers import MIN_PEERS, Figure, PeerBenchmark
from assess.domain.scoring import format_score
from assess.reports import render_document
from assess.reports.document import (
    Block,
    Column,
    Document,
    Facts,
    Heading,
    Item,
    Items,
    Paragraph,
    Table,
)
from assess.reports.escape import csv_cell
from assess.reports.formats.json import exact

FORMATS = ("text", "markdown", "html", "json", "csv")
FORMAT = "assess-peers"
FORMAT_VERSION = 1

METHOD = (
    "The median and quartiles are of the peers' scores as every report shows them (one "
    "decimal), worked out by linear interpolation between the ordered scores: the method of "
    "DuckDB's quantile_cont and of Python's statistics.quantiles with method \"inclusive\". "
    "Half the peers score at or below the median; a quarter at or below the lower quartile, "
    "and a quarter at or above the upper quartile."
)
SUPPRESSION = (
    f"A figure drawn from fewer than {MIN_PEERS} assessments, or from the assessments of "
    f"fewer than {MIN_PEERS} authorities, is not shown, so that no one authority's scores can "
    "be read from it; how many assessments it would have been drawn from is still given."
)
WHO = (
    "Peers are the assessments in the datasets on the same question bank and scoring rules "
    "as yours that match the peer group, each counted once however many folders hold it, "
    "leaving out your own authority's (recognised by its key under your export key, or by "
    "name in datasets with names). Authorities are counted by their keys: the same authority "
    "exported with two different export keys counts twice."
)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _shown(value: Fraction | None) -> str:
    return format_score(value)


def middle_half(figure: Figure) -> str:
    """ "35.9–46.4": from the lower quartile to the upper ("–" when suppressed)."""
    if figure.lower_quartile is None or figure.upper_quartile is None:
        return "–"
    return f"{_shown(figure.lower_quartile)}–{_shown(figure.upper_quartile)}"


def where_you_stand(figure: Figure) -> str:
    """The last column of a row, in words."""
    if figure.suppressed:
        return figure.suppressed_because.capitalize()
    if figure.you is None:
        return "You have no score for this"
    return f"{figure.position.capitalize()} ({figure.below:,} of {figure.n:,} score lower)"


def _left_out(b: PeerBenchmark) -> str:
    out = b.left_out
    parts = []
    if out.own_authority:
        parts.append(f"{out.own_authority:,} of your own authority's assessments")
    if out.other_bank:
        parts.append(f"{out.other_bank:,} on another question bank or scoring rules")
    if out.filtered:
        parts.append(f"{out.filtered:,} outside the peer group")
    if out.duplicates:
        parts.append(
            _count(out.duplicates, "repeat of an assessment", "repeats of assessments")
            + " in another folder"
        )
    return "; ".join(parts)


def peer_document(b: PeerBenchmark) -> Document:
    """The peer benchmark laid out for the printed formats."""
    a = b.assessment
    folders = len(b.sources)
    facts = [
        ("Assessment", f"{a.title} ({a.id})"),
        ("Period", a.period or "not given"),
        ("Peer group", b.filters.describe()),
        (
            "Peers",
            f"{_count(b.peers, 'assessment', 'assessments')} of "
            f"{_count(b.authorities, 'authority', 'authorities')}, from "
            f"{_count(folders, 'dataset folder', 'dataset folders')}",
        ),
    ]
    left_out = _left_out(b)
    if left_out:
        facts.append(("Left out", left_out))
    blocks: list[Block] = [Facts(tuple(facts))]
    if b.skipped:
        blocks.append(Heading("Folders skipped"))
        blocks.append(
            Paragraph(
                "These folders were not read at all, because they failed the check against "
                "their datapackage.json:",
                tone="warning",
            )
        )
        blocks.append(
            Items(tuple(Item(str(s.folder), (("", s.problem),), tone="warning") for s in b.skipped))
        )
    if not b.peers:
        blocks.append(
            Paragraph(
                "No assessment in the datasets is a peer of this one, so there is nothing to "
                "compare with. Try a wider peer group (fewer filters) or more dataset folders.",
                tone="warning",
            )
        )
    blocks.append(Heading("Your scores against your peers"))
    blocks.append(
        Paragraph(
            "n is how many peer assessments have a score for the measure; the middle half "
            "runs from the lower quartile to the upper quartile."
        )
    )
    blocks.append(
        Table(
            (
                Column("Measure", wide=True),
                Column("You", "right"),
                Column("n", "right"),
                Column("Median", "right"),
                Column("Middle half", "right"),
                Column("Where you stand", wide=True),
            ),
            tuple(
                (
                    f.title,
                    _shown(f.you),
                    f"{f.n:,}",
                    _shown(f.median),
                    middle_half(f),
                    where_you_stand(f),
                )
                for f in b.figures
            ),
        )
    )
    blocks.append(Heading("How this is worked out"))
    blocks += [Paragraph(METHOD), Paragraph(SUPPRESSION), Paragraph(WHO)]
    blocks.append(Heading("Datasets read"))
    blocks.append(
        Table(
            (
                Column("Folder", wide=True),
                Column("Assessments", "right"),
                Column("Peers counted", "right"),
                Column("Names"),
                Column("Exported"),
            ),
            tuple(
                (
                    str(s.dataset.folder),
                    f"{s.dataset.assessments:,}",
                    f"{s.peers:,}",
                    "included" if s.dataset.with_names else "left out",
                    s.dataset.created[:10] or "not given",
                )
                for s in b.sources
            ),
        )
    )
    return Document(f"Against peers: {a.title}", tuple(blocks))


def _value(value: Fraction | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"value": float(value), "shown": format_score(value), "exact": exact(value)}


def _figure_data(f: Figure) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "id": f.id,
        "title": f.title,
        "you": _value(f.you),
        "n": f.n,
        "authorities": f.authorities,
        "suppressed": f.suppressed,
        "suppressed_because": f.suppressed_because,
        "lower_quartile": _value(f.lower_quartile),
        "median": _value(f.median),
        "upper_quartile": _value(f.upper_quartile),
        "position": f.position,
        "below": f.below,
        "equal": f.equal,
        "above": f.above,
    }


def peer_data(b: PeerBenchmark) -> dict[str, Any]:
    a = b.assessment
    filters = b.filters
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "assessment": {
            "id": a.id,
            "authority": a.authority,
            "service": a.service,
            "period": a.period,
            "bank_id": a.bank_id,
            "bank_version": a.bank_version,
        },
        "filters": {
            "authority_types": list(filters.authority_types),
            "regions": list(filters.regions),
            "services": list(filters.services),
            "periods": list(filters.periods),
        },
        "peer_group": filters.describe(),
        "minimum_peers": MIN_PEERS,
        "method": METHOD,
        "peers": {
            "assessments": b.peers,
            "authorities": b.authorities,
            "read": b.read,
            "left_out": {
                "own_authority": b.left_out.own_authority,
                "other_bank_or_rules": b.left_out.other_bank,
                "outside_peer_group": b.left_out.filtered,
                "repeated": b.left_out.duplicates,
            },
        },
        "sources": [
            {
                "folder": str(s.dataset.folder),
                "assessments": s.dataset.assessments,
                "peers": s.peers,
                "with_names": s.dataset.with_names,
                "created": s.dataset.created,
                "export_key_id": s.dataset.key_id,
            }
            for s in b.sources
        ],
        "skipped": [{"folder": str(s.folder), "problem": s.problem} for s in b.skipped],
        "figures": [_figure_data(f) for f in b.figures],
    }


CSV_COLUMNS = (
    "kind",
    "id",
    "measure",
    "you",
    "peers",
    "authorities",
    "lower_quartile",
    "median",
    "upper_quartile",
    "where_you_stand",
    "below",
    "equal",
    "above",
)


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def peer_csv(b: PeerBenchmark) -> str:
    """One row per measure; figures as numbers, suppressed ones empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in b.figures:
        row = (
            f.kind,
            f.id,
            f.title,
            _number(f.you),
            f.n,
            f.authorities,
            _number(f.lower_quartile),
            _number(f.median),
            _number(f.upper_quartile),
            where_you_stand(f),
            f.below,
            f.equal,
            f.above,
        )
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def render_peers(b: PeerBenchmark, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """The peer benchmark in format `fmt` (one of FORMATS)."""
    if fmt == "json":
        return json.dumps(peer_data(b), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return peer_csv(b)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return render_document(peer_document(b), fmt, width=width, color=color)
