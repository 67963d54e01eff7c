"""What a table is: a 绩效目标申报表, a 绩效目标执行监控表, a 绩效自评表 or something else.

A project's year has three performance documents (the 申报表 with the budget, the 监控表 at
mid-year, the 自评表 after year end); a real export of a project library puts them beside
sheets that are no performance form at all (项目基本信息, 支出计划, 评审报告 …).
:func:`classify` tells a grid's kind from its title (the first short line above the
table, then the sheet's name) and, without a telling title, from its labels: 1–7月执行数 or
完成目标可能性 mark a 监控表, 中期目标 or 中期资金总额 a 申报表, an indicator header with
实际完成值 or 得分 (or 预期目标 beside 实际完成情况) a 自评表. Anything else is ``OTHER`` with the
reason it is skipped, in Chinese. Pure: the grid's text only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from jixiao.ingest.grid import Grid, join_lines
from jixiao.ingest.mapper.labels import Role, label_of, row_roles
from jixiao.ingest.vocabulary import grid_label


class Kind(Enum):
    """The kinds of table an import tells apart."""

    DECLARATION = "declaration"  # 绩效目标申报表 (绩效目标表)
    MONITORING = "monitoring"  # 绩效目标执行监控表
    SELF_EVALUATION = "self_evaluation"  # 绩效自评表
    OTHER = "other"  # not a performance form: skipped


KIND_NAMES: dict[Kind, str] = {
    Kind.DECLARATION: "绩效目标申报表",
    Kind.MONITORING: "绩效目标执行监控表",
    Kind.SELF_EVALUATION: "绩效自评表",
    Kind.OTHER: "其他表",
}

TITLE_ROWS = 6  # the title is among the first rows that hold a single text
TITLE_MAX = 40  # longer single cells are text, not a title
SCAN_ROWS = 80  # rows looked at for labels: every form shows its headers well before

# Titles, matched on the folded text (grid_label: no spaces, no colons).
_MONITORING_TITLE = re.compile(r"监控")
_SELF_TITLE = re.compile(r"自评")
_DECLARATION_TITLE = re.compile(r"绩效目标(申报|申请)|申报表|绩效目标表$|目标申报")
# Labels that only one kind of form carries.
_MONITORING_LABEL = re.compile(
    r"^\d{1,2}[-—~至]\d{1,2}月(执行数|执行率|完成(情况|值)?|实际完成值?)$"
    r"|^完成目标可能性$|^全年预计(执行数|完成(情况|值)?)$"
)
_DECLARATION_LABEL = re.compile(r"^中期(目标|资金总额|指标值?)$")
# What a document's title ends with (项目支出计划, 部门评审报告, 绩效自评表), unlike a
# section heading (三、绩效指标), a year or a unit line above a table.
_DOCUMENT_TITLE = re.compile(r"(表|报告|计划|明细|意见|依据|方案|清单|信息|说明书)$")


@dataclass(frozen=True, slots=True)
class Verdict:
    """A grid's kind, its title as found ("" when none) and, for ``OTHER``, why it is
    skipped (Chinese: "不是绩效表", "空白")."""

    kind: Kind
    title: str = ""
    reason: str = ""


def sheet_name(grid: Grid) -> str:
    """The name a grid is known by in messages: a sheet's own name (工作表“支出计划” →
    支出计划), else its origin."""
    m = re.fullmatch(r"工作表“(.*)”", grid.origin)
    return m.group(1) if m else grid.origin


def grid_title(grid: Grid) -> str:
    """The first short single-text row among the grid's first rows (its title), or ""."""
    for seen, r in enumerate(grid.row_numbers()):
        if seen >= TITLE_ROWS:
            break
        texts = [join_lines(c.text) for c in grid.row_cells(r) if c.text.strip()]
        if len(texts) > 1:
            break
        if len(texts) == 1 and len(texts[0]) <= TITLE_MAX:
            return texts[0]
    return ""


def is_document_title(text: str) -> bool:
    """Whether ``text`` (a table's title) names a document of its own: a performance form's
    title, or one ending as document titles do (项目支出计划, 部门评审报告)."""
    folded = grid_label(text)
    return bool(folded) and (title_kind(text) is not None or bool(_DOCUMENT_TITLE.search(folded)))


def title_kind(text: str) -> Kind | None:
    """The kind a title names (…监控表, …自评表, …申报表 / 绩效目标表), else None."""
    folded = grid_label(text)
    if not folded:
        return None
    if _MONITORING_TITLE.search(folded):
        return Kind.MONITORING
    if _SELF_TITLE.search(folded):
        return Kind.SELF_EVALUATION
    if _DECLARATION_TITLE.search(folded):
        return Kind.DECLARATION
    return None


def _kind_of_labels(grid: Grid) -> tuple[Kind | None, bool]:
    """The kind the grid's labels mark, and whether it is a flat list of many projects'
    indicators (jixiao's own 指标明细 sheet)."""
    self_marks = False
    for seen, r in enumerate(grid.row_numbers()):
        if seen >= SCAN_ROWS:
            break
        cells = grid.row_cells(r)
        labels = tuple(label_of(c.text) for c in cells)
        for label in labels:
            if _MONITORING_LABEL.match(label.text):
                return Kind.MONITORING, False
            if _DECLARATION_LABEL.match(label.text):
                return Kind.DECLARATION, False
        roles = row_roles(labels)
        if Role.FLAT_LIST in roles:
            return None, True
        columns = {lab.indicator_column for lab in labels}
        if Role.INDICATOR_HEADER in roles and columns & {"actual", "score"}:
            self_marks = True
        if any(lab.goal_expected for lab in labels) and any(lab.goal_achieved for lab in labels):
            self_marks = True
    return (Kind.SELF_EVALUATION if self_marks else None), False


def classify(grid: Grid) -> Verdict:
    """The kind of one table (a worksheet, a page's table): by its title, then the sheet's
    name, then its labels; ``OTHER`` with the reason when it is none of the three."""
    if not any(c.text.strip() for c in grid.cells):
        return Verdict(Kind.OTHER, reason="空白")
    title = grid_title(grid)
    for text in (title, sheet_name(grid)):
        kind = title_kind(text)
        if kind is not None:
            return Verdict(kind, title)
    kind, flat = _kind_of_labels(grid)
    if flat:
        return Verdict(Kind.OTHER, title, "多个项目的指标清单，不是单张绩效表")
    if kind is not None:
        return Verdict(kind, title)
    return Verdict(Kind.OTHER, title, "不是绩效表")


def skipped_note(grid: Grid, verdict: Verdict) -> str:
    """The line an import reports for a skipped table: "项目支出计划：不是绩效表，已跳过"."""
    return f"{sheet_name(grid)}：{verdict.reason}，已跳过"
