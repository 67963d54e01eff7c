"""Approved targets (批复的绩效目标): what P09 compares the form's 年度指标值 with.

They come from 绩效目标申报表 (:mod:`jixiao.plans`; per project and year the latest 调整,
else the 批复: :meth:`ApprovedTargets.from_declarations`, :func:`load_plans`) or, for a
bare CLI run, from a targets file: canonical form JSON (``{"forms": [...]}`` or one form
object) holding, per project, the approved indicators; only ``project``, ``year`` and each
indicator's ``name`` and ``target`` are read. A form's approved targets are found by
project name (whitespace ignored) and, when both give one, year. ``origin`` names where they
came from in P09's messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.context import squash
from jixiao.model import FormFileError, SelfEvaluation, forms_from_json_text, load_forms
from jixiao.plans import TargetDeclaration, latest_declaration, load_documents


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
    origin: str = "批复指标文件"  # where the targets came from, in P09's messages

    @classmethod
    def from_declarations(cls, declarations: list[TargetDeclaration]) -> ApprovedTargets:
        """The 年度 indicators of each project and year's approved 申报表 (the latest 调整,
        else the 批复, else the latest of any stage: :func:`jixiao.plans.latest_declaration`)."""
        out = cls(origin="批复的绩效目标申报表")
        for key in dict.fromkeys(d.key for d in declarations):
            chosen = latest_declaration(declarations, key[0], key[1])
            if chosen is None or any(
                year == chosen.year for year, _ in out.projects.get(key[0], [])
            ):
                continue
            rows = [ApprovedIndicator(i.name, i.target) for i in chosen.indicators]
            out.projects.setdefault(key[0], []).append((chosen.year, rows))
        return out

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


def load_plans(paths: list[Path]) -> ApprovedTargets:
    """The approved targets of the 申报表 in canonical JSON files (as ``jixiao import``
    writes them: ``{"forms": [...], "declarations": [...]}``)."""
    declarations: list[TargetDeclaration] = []
    for path in paths:
        try:
            docs = load_documents(path)
        except FormFileError as err:
            raise TargetsError(f"绩效目标申报表无法读取：{err}") from None
        if not docs.declarations:
            raise TargetsError(f"{path}: 文件中没有绩效目标申报表（declarations 为空）")
        declarations.extend(docs.declarations)
    return ApprovedTargets.from_declarations(declarations)
