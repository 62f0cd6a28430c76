"""Matching benchmark: score every pair of N firms from one region against N from another.

Profiles are generated with a fixed seed from the shipped HS 2022 and ISIC Rev.4 lists,
clustered by trade the way real delegations are (a firm's codes come from a few related
chapters/divisions), then `planner.matching.scoring.score_pairs` scores them all.
No database and no app: the scoring core is pure.

    .venv/bin/python bench/matching_bench.py [--sizes 100 300 1000] [--seed 7] [--repeat 3]

Prints a table; the target is under 5 s for 1,000 × 1,000. "all pairs s" is the scoring
(reasons are built on first use); "+ reasons s" is building every pair's reasons afterwards.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.matching.scoring import (  # noqa: E402
    PRODUCT,
    SECTOR,
    FirmProfile,
    Interest,
    Rules,
    rank_partners,
    score_pairs,
)

LANGUAGE_SETS = {"kr": [("fa",), ("fa", "en"), ("fa", "en", "ru")], "ch": [("ru",), ("ru", "en")]}
EXHIBITION_SECTORS = ("0710", "0729", "0810", "0990", "2410", "2420", "2824")


def _codes() -> tuple[list[str], list[str]]:
    with (ROOT / "data" / "hs2022" / "harmonized-system.csv").open(encoding="utf-8") as handle:
        hs = [row["hscode"] for row in csv.DictReader(handle)]
    with (ROOT / "data" / "isic4" / "isic4-en.csv").open(encoding="utf-8") as handle:
        isic = [row["code"] for row in csv.DictReader(handle) if row["code"].isdigit()]
    return hs, isic


def generate(per_region: int, seed: int) -> list[FirmProfile]:
    """`per_region` firms in each of two regions, with 2–5 needs and 2–5 offers each."""
    rng = random.Random(seed)
    hs, isic = _codes()
    chapters = sorted({code[:2] for code in hs})
    divisions = sorted({code[:2] for code in isic})
    hs_by_chapter: dict[str, list[str]] = {}
    for code in hs:
        hs_by_chapter.setdefault(code[:2], []).append(code)
    isic_by_division: dict[str, list[str]] = {}
    for code in isic:
        isic_by_division.setdefault(code[:2], []).append(code)
    trades = [(rng.sample(chapters, 3), rng.sample(divisions, 2)) for _ in range(60)]

    def interest() -> Interest:
        chosen_chapters, chosen_divisions = trade
        if rng.random() < 0.75:
            return Interest(PRODUCT, rng.choice(hs_by_chapter[rng.choice(chosen_chapters)]))
        return Interest(SECTOR, rng.choice(isic_by_division[rng.choice(chosen_divisions)]))

    profiles = []
    for index in range(2 * per_region):
        region = "kr" if index < per_region else "ch"
        trade = rng.choice(trades)
        activities = tuple(rng.choice(isic_by_division[division]) for division in trade[1][:1])
        profiles.append(FirmProfile(
            id=index + 1, region=region, languages=frozenset(rng.choice(LANGUAGE_SETS[region])),
            activities=activities,
            offers=tuple(interest() for _ in range(rng.randint(2, 5))),
            needs=tuple(interest() for _ in range(rng.randint(2, 5))),
        ))
    return profiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rules = Rules(who_can_meet="cross-region", exhibition_sectors=EXHIBITION_SECTORS)
    print(f"{'firms':>13} {'pairs allowed':>14} {'pairs scored':>13} {'all pairs s':>12} {'+ reasons s':>12} "
          f"{'one firm ms':>12} {'target':>8}")
    for size in args.sizes:
        profiles = generate(size, args.seed)
        timings, scored, pairs = [], 0, []
        for _ in range(args.repeat):
            started = time.perf_counter()
            pairs = score_pairs(profiles, rules)
            timings.append(time.perf_counter() - started)
            scored = len(pairs)
        started = time.perf_counter()
        for pair in pairs:
            pair.reasons  # every explanation built too, as if all were shown
        reasons_s = time.perf_counter() - started
        started = time.perf_counter()
        for firm in profiles[:20]:
            rank_partners(profiles, firm.id, rules, limit=20)
        one_ms = (time.perf_counter() - started) / 20 * 1000
        best = min(timings)
        verdict = "ok" if size < 1000 or best < 5 else "SLOW"
        print(f"{size:>6} × {size:<5} {size * size:>14,} {scored:>13,} {best:>12.2f} {reasons_s:>12.2f} "
              f"{one_ms:>12.1f} {verdict:>8}")
    print(f"(best of {args.repeat}; median of the last size {statistics.median(timings):.2f} s; seed {args.seed})")


if __name__ == "__main__":
    main()
