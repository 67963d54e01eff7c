"""Which of a form's rarely present related rows exist (佐证材料, 抽查复核 tasks, 批注, a
scan's uncertain cells), in one
statement written once per process: the form's page skips the query (and the ORM's
compiling of it) for each kind the form has none of, as most forms have none."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router

from jixiao.web.models import Attachment, EvaluationForm, RowComment, UncertainCell
from jixiao.web.recheck.models import RecheckTask

_KINDS = (Attachment, RecheckTask, RowComment, UncertainCell)
_SQL: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Present:
    files: bool
    rechecks: bool
    notes: bool
    scan: bool = False  # uncertain cells of a scan (checked or not)


def related_present(obj: EvaluationForm) -> Present:
    """Whether ``obj`` has 佐证材料, 复核 tasks, 批注 and a scan's uncertain cells (current:
    read now)."""
    alias = router.db_for_read(EvaluationForm)
    connection = connections[alias]
    sql = _SQL.get(alias)
    if sql is None:
        quote = connection.ops.quote_name
        parts = [
            f"EXISTS (SELECT 1 FROM {quote(m._meta.db_table)} "
            f"WHERE {quote(m._meta.get_field('form').column)} = %s)"
            for m in _KINDS
        ]
        sql = _SQL[alias] = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [obj.pk] * len(_KINDS))
        files, rechecks, notes, scan = cursor.fetchone()
    return Present(bool(files), bool(rechecks), bool(notes), bool(scan))
