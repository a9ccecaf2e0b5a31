"""The ten-seed tables of benchmarks/MATCHING.md, from `evaluate-matching --json` reports.

    python benchmarks/matching_tables.py REPORT.json [REPORT.json …] --out combined.json

Each report is one split: a run of several seeds, or one seed; reports of one split
run one seed at a time are combined with `evaluation.summarise` (the same figures as
one run of all the seeds). Prints the Markdown tables and writes the combined report.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from jumelage.matching.evaluation import POPULATIONS, summarise

TARGET_MEAN, TARGET_SEED = 1.5, 1.3


def combined(paths: list[Path]) -> dict[str, Any]:
    reports: list[dict[str, Any]] = []
    for path in paths:
        report = json.loads(path.read_text())
        reports += report.get("per_seed", [report])
    reports.sort(key=lambda r: r["seed"])
    return summarise(reports)


def _cell(f: dict[str, float]) -> str:
    return f"{f['mean']:.4f} ({f['min']:.4f}–{f['max']:.4f})"


def method_table(spread: dict[str, dict[str, dict[str, float]]]) -> list[str]:
    lines = ["| method | recall@10 | recall@50 | MRR |", "|---|---:|---:|---:|"]
    order = sorted(spread, key=lambda m: -spread[m]["recall@10"]["mean"])
    for name in order:
        f = spread[name]
        lines.append(f"| {name} | {_cell(f['recall@10'])} | {_cell(f['recall@50'])} | "
                     f"{_cell(f['mrr'])} |")  # fmt: skip
    return lines


def seed_table(report: dict[str, Any]) -> list[str]:
    head = "| seed | asked | matcher r@10 | best baseline (r@10) | ratio |"
    for label in POPULATIONS:
        head += f" {label.replace('_', ' ')}: best baseline, ratio |"
    lines = [head, "|---" * (5 + len(POPULATIONS)) + "|"]
    for r in report["per_seed"]:
        m = r["metrics"]
        best = r["best_baseline"]
        row = (f"| {r['seed']} | {r['queries']:,} | {m['matcher']['recall@10']:.4f} | "
               f"{best} ({m[best]['recall@10']:.4f}) | **{r['ratio_recall@10']}** |")  # fmt: skip
        for label in POPULATIONS:
            p = r["populations"][label]
            row += f" {p['best_baseline']}, {p['ratio_recall@10']} |"
        lines.append(row)
    return lines


def verdict(report: dict[str, Any]) -> list[str]:
    ratios = [r for r in report["ratio_per_seed"] if r is not None]
    mean = sum(ratios) / len(ratios)
    warm = report["populations"]["with_training_partners"]
    warm_ratios = [r for r in warm["ratio_per_seed"] if r is not None]
    return [
        f"- ratio to the best baseline, recall@10: on the means {report['ratio_recall@10']}; "
        f"per seed mean {mean:.3f}, min {min(ratios)}, max {max(ratios)} "
        f"(target: mean ≥ {TARGET_MEAN}: {'met' if mean >= TARGET_MEAN else 'not met'}; "
        f"every seed ≥ {TARGET_SEED}: {'met' if min(ratios) >= TARGET_SEED else 'not met'})",
        f"- with training partners: on the means {warm['ratio_recall@10']} against "
        f"{warm['best_baseline']}; per seed min {min(warm_ratios)}, max {max(warm_ratios)} "
        f"(target ≥ {TARGET_SEED}: "
        f"{'met' if (warm['ratio_recall@10'] or 0) >= TARGET_SEED else 'not met'})",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = combined(args.reports)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    lines = [f"### {report['split']} split: seeds {', '.join(map(str, report['seeds']))}", ""]
    lines += [f"{report['definition']}; {report['queries']:.0f} municipalities asked per seed.", ""]
    lines += [*method_table(report["spread"]), "", *verdict(report), ""]
    lines += ["Per seed:", "", *seed_table(report), ""]
    for label in POPULATIONS:
        found = report["populations"][label]
        asked = sum(r[label]["matcher"]["queries"] for r in report["per_seed"]) / len(
            report["per_seed"]
        )
        lines += [f"{label.replace('_', ' ').capitalize()} ({asked:.0f} asked per seed):", ""]
        lines += [*method_table(found["spread"]), ""]
    north_south = report["north_south_partners"]
    lines += [
        "North–South hidden partners, recall@50 (means over the seeds): "
        + ", ".join(f"{mode} mode {f['recall@50']:.4f}" for mode, f in north_south.items())
        + f" ({north_south['similar']['queries']:.0f} municipalities asked per seed)",
        "",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
