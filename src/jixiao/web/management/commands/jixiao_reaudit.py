"""``python -m jixiao.web jixiao_reaudit``: audit every stored form again under the rules and
policy in force now, in batches, and store what changed (findings, counts, computed
columns). A form's findings are stored when it is saved; after an upgrade that changes the
rules, or a change of ``JIXIAO_POLICY``, run this once so that lists, 待办 and the dashboard
show the new findings. Documents, versions, times and history are not touched."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.policy import PolicyError, builtin_names
from jixiao.web import core, records
from jixiao.web.models import EvaluationForm


class Command(BaseCommand):
    help = "按当前规则和评分口径重新审核全部已存的自评表（分批进行），更新审核结果"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="每批表数（默认 500）")
        parser.add_argument(
            "--policy",
            help="评分口径（默认为系统设置的口径，未设置时每张表按其版式与地区自动选择；"
            f"内置：{'、'.join(builtin_names())}）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计会变化的表，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            policy = core.policy(options["policy"]) if options["policy"] else core.forced()
        except PolicyError as err:
            raise CommandError(f"没有这个评分口径：{err}") from None
        named = policy.name if policy is not None else "每张表按其版式与地区自动选择"
        size = max(1, options["batch_size"])
        ids = list(EvaluationForm.objects.order_by("id").values_list("id", flat=True))
        totals = records.ReauditCounts()
        for start in range(0, len(ids), size):
            batch = records.reaudit_batch(ids[start : start + size], policy, options["dry_run"])
            totals.add(batch)
            self.stdout.write(
                f"第 {start // size + 1} 批：{batch.forms} 张表，{batch.changed} 张有变化"
            )
            for problem in batch.problems:
                self.stdout.write(f"  {problem}")
        self.stdout.write(totals.summary(named, options["dry_run"]))
