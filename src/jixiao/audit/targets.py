"""Approved targets (批复的绩效目标): what P09 compares the form's 年度指标值 with.

A targets file is canonical form JSON (``{"forms": [...]}`` or one form object) holding,
per project, the approved indicators; only ``project``, ``year`` and each indicator's
``name`` and ``target`` (and optionally ``level1``/``level2``) are read. A form's approved
targets are found by project name (whitespace ignored) and, when both give one, year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.context import squash
from jixiao.model import FormFileError, SelfEvaluation, forms_from_json_text, load_forms


class TargetsError(ValueError):
    """A targets file that cannot be read; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class ApprovedIndicator:
    name: str
    target: str


@dataclass
class ApprovedTargets:
    """Approved indicators by (project, year)."""

    projects: dict[str, list[tuple[int | None, list[ApprovedIndicator]]]] = field(
        default_factory=dict
    )

    @classmethod
    def from_forms(cls, forms: list[SelfEvaluation]) -> ApprovedTargets:
        out = cls()
        for form in forms:
            rows = [ApprovedIndicator(r.name, r.target) for r in form.indicators]
            out.projects.setdefault(squash(form.project), []).append((form.year, rows))
        return out

    @classmethod
    def from_json_dict(cls, data: Any, source: str = "") -> ApprovedTargets:
        import json

        try:
            forms = forms_from_json_text(
                json.dumps(data, ensure_ascii=False), source or "<targets>"
            )
        except FormFileError as err:
            raise TargetsError(f"批复指标文件无法读取：{err}") from None
        return cls.from_forms(forms)

    def for_form(self, form: SelfEvaluation) -> list[ApprovedIndicator] | None:
        """The approved indicators of this form's project (and year), or None."""
        entries = self.projects.get(squash(form.project))
        if not entries:
            return None
        for year, rows in entries:
            if year is None or form.year is None or year == form.year:
                return rows
        return None


def load_targets(path: str | Path) -> ApprovedTargets:
    """Read an approved-targets file (canonical form JSON)."""
    try:
        forms = load_forms(path)
    except FormFileError as err:
        raise TargetsError(f"批复指标文件无法读取：{err}") from None
    return ApprovedTargets.from_forms(forms)
