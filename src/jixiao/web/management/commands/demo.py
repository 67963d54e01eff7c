"""``python -m jixiao.web demo``: load the demo tree, users and forms when the database is empty."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.web.demo import load_demo, users_table


class Command(BaseCommand):
    help = "载入演示数据（组织、用户、自评表），数据库已有表单时只补齐组织和用户"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", default="examples/jiangqiao-2024.json")
        parser.add_argument("--generated", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        added = load_demo(Path(options["seed"]), options["generated"])
        if added:
            self.stdout.write(f"已载入 {added} 张演示自评表。")
        self.stdout.write(users_table())
