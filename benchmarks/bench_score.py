"""Scoring generated forms: the scorecard (执行率, 得分, 总分, 等级) of each form.

Run: ``.venv/bin/python benchmarks/bench_score.py [--count N] [--seed S] [--policy NAME]``.
Input: ``jixiao.generate.generate_forms(N, seed)`` (generation is not timed).
"""

from __future__ import annotations

import time

from jixiao.generate import generate_forms
from jixiao.policy import load_policy
from jixiao.scoring import score_form
from jixiao.values import parse_value
from machine import describe, generated_forms_parser


def main() -> None:
    args = generated_forms_parser(__doc__, policy=True).parse_args()
    policy = load_policy(args.policy)
    forms = generate_forms(args.count, args.seed)
    rows = sum(len(f.indicators) for f in forms)

    best = float("inf")
    for _ in range(3):
        parse_value.cache_clear()  # each round parses every value again
        start = time.perf_counter()
        cards = [score_form(f, policy) for f in forms]
        best = min(best, time.perf_counter() - start)
    agree = sum(card.matches for card in cards)
    print(f"machine: {describe()}")
    print(f"input: {len(forms)} generated forms, {rows} indicator rows, policy {policy.name}")
    print(f"score: {best:.3f} s (best of 3) = {len(forms) / best:,.0f} forms/s")
    print(f"scorecards matching the declared values: {agree} of {len(forms)}")


if __name__ == "__main__":
    main()
