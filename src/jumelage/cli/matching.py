"""Commands for matching: recommended partners, and the matcher measured on real links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from jumelage.cli.common import app, country_code, emit, fail, handles_errors, open_cli_registry

if TYPE_CHECKING:
    pass

# The matcher's modes and the evaluation's splits (matching.scoring.MODES,
# matching.evaluation.SPLITS; tests/cli/test_startup.py keeps them equal).
MODES = ("similar", "contrast")
SPLITS = ("random", "recent")


@app.command()
@handles_errors
def match(
    name: str = typer.Argument(..., help="Name (any language we hold), internal id or QID."),
    mode: str = typer.Option("similar", help="similar (common characteristics) or contrast."),
    limit: int = typer.Option(10, help="How many candidates.", min=1, max=100),
    country: str = typer.Option(None, help="ISO country code to narrow the name search."),
    partner_country: list[str] = typer.Option(
        None, "--partner-country", help="Only candidates in this country (repeat for several)."
    ),
    region: list[str] = typer.Option(
        None, "--region", help="Only candidates in this admin area, e.g. FR-BRE (repeatable)."
    ),
    min_population: int = typer.Option(None, help="Smallest population of a candidate.", min=0),
    max_population: int = typer.Option(None, help="Largest population of a candidate.", min=0),
    min_km: float = typer.Option(None, help="Nearest a candidate may be, in km.", min=0),
    max_km: float = typer.Option(None, help="Farthest a candidate may be, in km.", min=0),
    language: str = typer.Option(None, help="An official language of the candidate's country."),
    include_linked: bool = typer.Option(
        False, "--include-linked", help="Also places already linked with this one."
    ),
    json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Recommend partners for a municipality, each with a score and its reasons."""
    from jumelage.cli.core import find_one
    from jumelage.matching.recommend import Constraints
    from jumelage.services import matching as matching_service

    if mode not in MODES:
        fail(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}", 2)
    registry = open_cli_registry()
    mid = find_one(registry, name, country_code(country))
    constraints = Constraints(
        countries=tuple(str(country_code(c, "--partner-country")) for c in partner_country or ()),
        regions=tuple(r.upper() for r in region or ()),
        min_population=min_population,
        max_population=max_population,
        min_km=min_km,
        max_km=max_km,
        language=language.lower() if language else None,
        exclude_linked=not include_linked,
    )
    result = matching_service.recommendations(
        registry.engine,
        mid,
        mode,
        constraints,
        limit,
        matching_service.weights_dir(registry.settings),
    )
    if json:
        emit(result)
        return
    _print_recommendations(result)


def _print_recommendations(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    place = result["municipality"]
    table = Table(
        title=f"{place['name']} ({place['country']}) — {result['mode']} — "
        f"{result['candidates']} candidates",
        show_lines=True,
    )
    for column in ("#", "candidate", "country", "score", "reasons (contribution)"):
        table.add_column(column)
    for item in result["items"]:
        m = item["municipality"]
        reasons = "\n".join(f"{r['contribution']:+.2f}  {r['text']}" for r in item["reasons"])
        table.add_row(
            str(item["rank"]), m["name"], m["country"] or "", f"{item['score']:.2f}", reasons
        )
    Console().print(table)


@app.command("evaluate-matching")
@handles_errors
def evaluate_matching(
    seed: int = typer.Option(
        1, help="The first seed (of the split, the learning, the tie-breaks)."
    ),
    seeds: int = typer.Option(10, help="How many seeds, from --seed on.", min=1),
    holdout: float = typer.Option(0.1, help="Share of links hidden (random split)."),
    split: str = typer.Option(
        "random", help="random, or recent: hide links first recorded since 2018."
    ),
    sample: int = typer.Option(
        None, help="Only this many municipalities ask, per seed (a quick look).", min=1
    ),
    json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Hide links, rebuild every feature from the rest, and measure where the hidden
    partners rank: recall@10, recall@50 and MRR of the matcher and of the baselines,
    as mean and range over the seeds, overall and per population."""
    if split not in SPLITS:
        fail(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}", 2)
    if not 0.0 < holdout < 1.0:
        fail("--holdout lies strictly between 0 and 1", 2)
    from jumelage.cli.core import progress_bar
    from jumelage.matching.evaluation import evaluate_seeds
    from jumelage.store import queries_matching

    registry = open_cli_registry()
    with registry.engine.connect() as conn:
        data = queries_matching.match_data(conn)
    chosen = tuple(range(seed, seed + seeds))
    with progress_bar("evaluating") as tick:

        def shown(place: int, count: int, done: int, total: int) -> None:
            tick(f"seed {chosen[place - 1]} ({place}/{count})", done, total)
            if done == total:
                typer.echo(f"seed {chosen[place - 1]} done ({place}/{count})", err=True)

        report = evaluate_seeds(data, split, holdout, chosen, progress=shown, sample=sample)
    if json:
        emit(report)
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    from rich.console import Console

    console = Console()
    seeds = report["seeds"]
    title = (
        f"{report['definition']}: {report['queries']:.0f} municipalities asked on average; "
        f"seeds {seeds[0]}–{seeds[-1]}: mean (min–max)"
    )
    console.print(_spread_table(title, report["spread"]))
    ratios = ", ".join(str(r) for r in report["ratio_per_seed"])
    typer.echo(
        f"matcher / best baseline ({report['best_baseline']}) on recall@10: "
        f"{report['ratio_recall@10']} on the means; per seed: {ratios}"
    )
    for label, found in report["populations"].items():
        name = label.replace("_", " ")
        console.print(_spread_table(name, found["spread"]))
        ratios = ", ".join(str(r) for r in found["ratio_per_seed"])
        typer.echo(
            f"{name}: matcher / best baseline ({found['best_baseline']}) on recall@10: "
            f"{found['ratio_recall@10']} on the means; per seed: {ratios}"
        )


def _spread_table(title: str, spread: dict[str, dict[str, dict[str, float]]]) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for column in ("method", "recall@10", "recall@50", "MRR"):
        table.add_column(column)
    for name, figures in spread.items():
        cells = [
            f"{f['mean']:.4f} ({f['min']:.4f}–{f['max']:.4f})"
            for f in (figures["recall@10"], figures["recall@50"], figures["mrr"])
        ]
        table.add_row(name, *cells)
    return table
