"""``python -m jixiao.web jixiao_remind``: 催报 — notify the units of open 填报任务 that still
have projects unreported, or are past their deadline (run it daily, e.g. from cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.rounds.models import Round
from jixiao.web.rounds.progress import today
from jixiao.web.rounds.remind import remind


class Command(BaseCommand):
    help = "催报：向尚有项目未填报或已逾期的单位发送通知（仅进行中的填报任务）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", type=int, help="只催报这个填报任务（编号）")
        parser.add_argument(
            "--within-days",
            type=int,
            default=None,
            help="只催报截止日期在 N 天以内（含已逾期）的任务",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = Round.objects.filter(closed=False).select_related("organisation")
        if options["round"] is not None:
            rounds = rounds.filter(pk=options["round"])
            if not rounds.exists():
                raise CommandError(f"没有进行中的填报任务 {options['round']}")
        if options["within_days"] is not None:
            day = today()
            rounds = [r for r in rounds if (r.deadline - day).days <= options["within_days"]]
        total = 0
        for rnd in rounds:
            n = remind(rnd)
            total += n
            self.stdout.write(f"{rnd.title}：催报 {n} 个单位")
        self.stdout.write(f"共催报 {total} 个单位。")
