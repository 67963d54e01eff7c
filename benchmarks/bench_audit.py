"""Auditing generated forms: all rules of the registry, scorecard computed once per form.

Run: ``.venv/bin/python benchmarks/bench_audit.py [--count N] [--seed S] [--policy NAME]``.
Input: ``jixiao.generate.generate_forms(N, seed)`` (generation is not timed).
Target: 10,000 forms in under 10 s.
"""

from __future__ import annotations

import os
import time
from collections import Counter

from jixiao.audit import audit_forms
from jixiao.generate import generate_forms
from jixiao.policy import load_policy
from jixiao.scoring import score_form
from machine import describe, generated_forms_parser  # benchmarks/machine.py


def main() -> None:
    args = generated_forms_parser(__doc__, policy=True).parse_args()
    policy = load_policy(args.policy)

    start = time.perf_counter()
    forms = generate_forms(args.count, args.seed)
    generated = time.perf_counter() - start
    rows = sum(len(f.indicators) for f in forms)
    print(f"机器: {describe()}")
    print(
        f"输入: generate_forms({args.count}, seed={args.seed}) → {len(forms)} 张表，"
        f"{rows} 个指标（生成用时 {generated:.2f} s，不计入）；口径 {policy.name}"
    )

    start = time.perf_counter()
    for form in forms:
        score_form(form, policy)
    scoring = time.perf_counter() - start
    print(f"负载: {' '.join(f'{x:.2f}' for x in os.getloadavg())}（1/5/15 分钟平均）")
    print(f"仅评分: {scoring:.2f} s（{scoring / len(forms) * 1000:.3f} ms/表）")

    start, cpu = time.perf_counter(), time.process_time()
    audits = audit_forms(forms, policy)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    findings = sum(len(a.findings) for a in audits)
    print(
        f"审核（含评分）: {elapsed:.2f} s（{elapsed / len(forms) * 1000:.3f} ms/表；"
        f"本进程 CPU {cpu:.2f} s），"
        f"{findings} 条发现；目标 10,000 张 < 10 s："
        f"{'达到' if elapsed * 10_000 / len(forms) < 10 else '未达到'}"
    )
    by_rule = Counter(f.rule for a in audits for f in a.findings)
    top = "，".join(f"{rule} {n}" for rule, n in by_rule.most_common(12))
    print(f"发现最多的规则: {top}")


if __name__ == "__main__":
    main()
