"""``python -m jixiao.web jixiao_form_pages``: draw and keep the form page's parts (official
layout with notes, panel of computed results) of every stored form whose kept parts are
missing or were drawn by another version of the code or under another forced policy
(web/form_cache.py). A form stored by this version has them; run this after an upgrade, a
change of ``JIXIAO_POLICY`` or a restore, so that the first view of each form is read, not
drawn. Without it the pages are the same, drawn when first asked for."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.web import form_cache


class Command(BaseCommand):
    help = "为已存的自评表生成表单页面（审核视图与计算结果），供首次打开时直接读取"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200, help="每批表数（默认 200）")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int) -> None:
            self.stdout.write(f"已检查 {done} 张表")

        drawn = form_cache.draw_missing(max(1, options["batch_size"]), progress)
        self.stdout.write(self.style.SUCCESS(f"完成：生成 {drawn} 张表的页面"))
