"""Generating realistic forms: ``jixiao.generate.generate_forms`` (scored under the policy).

Run: ``.venv/bin/python benchmarks/bench_generate.py [--count N] [--seed S]``.
Each round starts cold (the generator's and the parser's caches emptied), as a fresh process.
"""

from __future__ import annotations

import time

from jixiao import generate
from jixiao.values import parse_value
from machine import describe, generated_forms_parser


def main() -> None:
    args = generated_forms_parser(__doc__).parse_args()
    generate.generate_forms(1, args.seed)  # load the policy once, outside the timing

    best = best_cpu = float("inf")
    for _ in range(3):
        generate._SCORES.clear()
        parse_value.cache_clear()
        start, cpu = time.perf_counter(), time.process_time()
        forms = generate.generate_forms(args.count, args.seed)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    rows = sum(len(f.indicators) for f in forms)
    print(f"machine: {describe()}")
    print(f"output: {len(forms)} forms, {rows} indicator rows, seed {args.seed}")
    print(f"generate: {best:.3f} s (best of 3) = {len(forms) / best:,.0f} forms/s")
    print(f"cpu time: {best_cpu:.3f} s = {len(forms) / best_cpu:,.0f} forms per cpu-second")


if __name__ == "__main__":
    main()
