"""Each unit's project list of a round: typed in (one 项目名称 a line) or read from an Excel
项目清单, checked row by row with a Chinese message naming the row, then stored."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import xlsxwriter
from django.db import transaction
from openpyxl import load_workbook

from jixiao.ingest.xlsx import check_xlsx_zip
from jixiao.limits import LimitExceeded
from jixiao.web.models import Organisation
from jixiao.web.rounds.models import Round, RoundProject, RoundUnit, project_key

NAME_MAX = 300
CODE_MAX = 60
MAX_ROWS = 20_000
HEADER_ROWS = 10  # the header is looked for in the first rows
# Header captions (whitespace removed) → column role
HEADERS = {
    "单位名称": "unit",
    "预算单位": "unit",
    "单位编码": "unit_code",
    "项目名称": "name",
    "项目编码": "code",
    "金额": "amount",
    "金额（万元）": "amount",
    "金额(万元)": "amount",
}


@dataclass
class Listed:
    """One project of a unit's list, as read (row: its line or spreadsheet row)."""

    unit: Organisation
    name: str
    code: str = ""
    amount: int | None = None  # hundredths
    row: int = 0


def parse_lines(text: str, unit: Organisation) -> tuple[list[Listed], list[str]]:
    """A typed list: one 项目名称 a line; blank lines are skipped."""
    out: list[Listed] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), start=1):
        name = line.strip()
        if not name:
            continue
        if len(name) > NAME_MAX:
            errors.append(f"{unit.name} 第{i}行：项目名称不能超过 {NAME_MAX} 个字")
            continue
        key = project_key(name)
        if key in seen:
            errors.append(f"{unit.name} 第{i}行：项目“{name}”与第{seen[key]}行重复")
            continue
        seen[key] = i
        out.append(Listed(unit, name, row=i))
    return out, errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value: Any) -> int | None:
    """金额 as integer hundredths; ValueError for what is not a non-negative number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or number < 0 or number >= Decimal(10) ** 14:
        raise ValueError
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _has_unit_codes() -> bool:
    return any(f.name == "code" for f in Organisation._meta.get_fields())


class _Units:
    """The 预算单位 a list may name: by name (whitespace removed) and by 单位编码."""

    def __init__(self, units: Iterable[Organisation]) -> None:
        self.by_name: dict[str, list[Organisation]] = {}
        self.by_code: dict[str, Organisation] = {}
        codes = _has_unit_codes()
        for u in units:
            self.by_name.setdefault(project_key(u.name), []).append(u)
            code = str(getattr(u, "code", "") or "") if codes else ""
            if code:
                self.by_code[code.strip()] = u

    def find(self, name: str, code: str) -> tuple[Organisation | None, str]:
        if code:
            if not _has_unit_codes():
                return None, f"系统中的单位尚无单位编码，请改用“单位名称”列（单位编码“{code}”）"
            unit = self.by_code.get(code)
            if unit is None:
                return None, f"找不到单位编码为“{code}”的预算单位"
            return unit, ""
        if not name:
            return None, "缺少单位名称"
        found = self.by_name.get(project_key(name), [])
        if not found:
            return None, f"找不到预算单位“{name}”（须为本财政局下的预算单位，名称与单位树一致）"
        if len(found) > 1:
            return None, f"预算单位“{name}”有重名，请用“单位编码”列区分"
        return found[0], ""


def read_workbook(
    data: bytes, units: Iterable[Organisation], filename: str = "项目清单"
) -> tuple[list[Listed], list[str]]:
    """An Excel 项目清单 (.xlsx, first sheet): columns 单位名称 or 单位编码, 项目名称, and
    optionally 项目编码, 金额. Returns the projects and one message per bad row."""
    try:
        check_xlsx_zip(data, filename)  # the importers' limits: no zip bomb is opened
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitExceeded as err:  # a zip bomb; a damaged file is told below
        return [], [str(err)]
    except Exception:  # any unreadable upload: zip, XML, content types
        return [], [f"{filename}：不是有效的 .xlsx 工作簿（请用 Excel 或 WPS 另存为 .xlsx）"]
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        columns: dict[str, int] = {}
        header_row = 0
        for number, row in enumerate(rows, start=1):
            captions = ["".join(_text(c).split()) for c in row]
            found = {HEADERS[c]: i for i, c in enumerate(captions) if c in HEADERS}
            if "name" in found:
                columns, header_row = found, number
                break
            if number >= HEADER_ROWS:
                break
        if not columns:
            return [], [
                f"{filename}：前 {HEADER_ROWS} 行中找不到表头（需要“项目名称”列，"
                "以及“单位名称”或“单位编码”列）"
            ]
        if "unit" not in columns and "unit_code" not in columns:
            return [], [f"{filename}：第{header_row}行表头缺少“单位名称”或“单位编码”列"]
        return _read_rows(rows, columns, header_row, _Units(units), filename)
    finally:
        book.close()


def _read_rows(
    rows: Iterable[tuple[Any, ...]],
    columns: dict[str, int],
    header_row: int,
    units: _Units,
    filename: str,
) -> tuple[list[Listed], list[str]]:
    def cell(row: tuple[Any, ...], role: str) -> Any:
        i = columns.get(role)
        return row[i] if i is not None and i < len(row) else None

    out: list[Listed] = []
    errors: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows, start=header_row + 1):
        if all(_text(c) == "" for c in row):
            continue
        if len(out) + len(errors) >= MAX_ROWS:
            errors.append(f"{filename}：超过 {MAX_ROWS} 行，请分批导入")
            break
        place = f"第{number}行"
        unit, problem = units.find(_text(cell(row, "unit")), _text(cell(row, "unit_code")))
        name = _text(cell(row, "name"))
        code = _text(cell(row, "code"))
        if unit is None:
            errors.append(f"{place}：{problem}")
            continue
        if not name:
            errors.append(f"{place}：缺少项目名称")
            continue
        if len(name) > NAME_MAX:
            errors.append(f"{place}：项目名称不能超过 {NAME_MAX} 个字")
            continue
        if len(code) > CODE_MAX:
            errors.append(f"{place}：项目编码不能超过 {CODE_MAX} 个字符")
            continue
        try:
            amount = _amount(cell(row, "amount"))
        except ValueError:
            errors.append(f"{place}：金额“{_text(cell(row, 'amount'))}”不是有效的非负数")
            continue
        key = (unit.pk, project_key(name))
        if key in seen:
            errors.append(f"{place}：{unit.name}的项目“{name}”与第{seen[key]}行重复")
            continue
        seen[key] = number
        out.append(Listed(unit, name, code, amount, number))
    if not out and not errors:
        errors.append(f"{filename}：表头下没有项目")
    return out, [f"{filename} {e}" if e.startswith("第") else e for e in errors]


def template_workbook() -> bytes:
    """The 项目清单 template: the columns, two example rows and how to fill it in."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    sheet = book.add_worksheet("项目清单")
    for col, (caption, width) in enumerate(
        (
            ("单位名称", 36),
            ("单位编码", 14),
            ("项目名称", 40),
            ("项目编码", 18),
            ("金额（万元）", 14),
        )
    ):
        sheet.write(0, col, caption, head)
        sheet.set_column(col, col, width)
    sheet.write_row(1, 0, ["上海市嘉定区某某中心", "", "某某项目", "", 120.5])
    sheet.write_row(2, 0, ["上海市嘉定区某某中心", "", "另一项目", "", ""])
    notes = book.add_worksheet("说明")
    notes.set_column(0, 0, 90)
    for i, line in enumerate(
        (
            "每行一个项目：“单位名称”或“单位编码”填一项即可，“项目名称”必填；“项目编码”“金额（万元）”可不填。",
            "单位名称须与系统单位树中的预算单位名称一致；重名的单位请填单位编码。",
            "项目名称须与该单位自评表上的“项目名称”一致（忽略空格），才会计为已填报。",
            "导入时，文件中出现的单位自动加入任务范围，其项目追加到清单；已有的同名项目更新编码与金额。",
            "请删去本模板中的示例行后再导入。",
        )
    ):
        notes.write(i, 0, line)
    book.close()
    return buffer.getvalue()


@transaction.atomic
def replace_unit_list(rnd: Round, unit: Organisation, listed: list[Listed]) -> tuple[int, int]:
    """Make ``unit``'s list exactly ``listed`` (code and amount of projects that stay are
    kept). Returns (added, removed)."""
    current = {p.key: p for p in RoundProject.objects.filter(round=rnd, organisation=unit)}
    wanted = {project_key(item.name): item for item in listed}
    gone = [p.pk for k, p in current.items() if k not in wanted]
    RoundProject.objects.filter(pk__in=gone).delete()
    added = 0
    for position, (key, item) in enumerate(wanted.items()):
        project = current.get(key)
        if project is None:
            RoundProject(round=rnd, organisation=unit, name=item.name, position=position).save()
            added += 1
        elif project.position != position or project.name != item.name:
            project.position, project.name = position, item.name
            project.save(update_fields=["position", "name", "key"])
    return added, len(gone)


@transaction.atomic
def merge_listed(rnd: Round, listed: list[Listed]) -> tuple[int, int]:
    """Add imported projects (their units join the scope); a project already listed gets the
    file's 项目编码 and 金额. Returns (added, updated)."""
    in_scope = set(rnd.units.values_list("organisation_id", flat=True))
    for unit_id in dict.fromkeys(item.unit.pk for item in listed):
        if unit_id not in in_scope:
            RoundUnit.objects.create(round=rnd, organisation_id=unit_id)
    current = {(p.organisation_id, p.key): p for p in rnd.projects.all()}
    next_position: dict[int, int] = {}
    for p in current.values():
        next_position[p.organisation_id] = max(
            next_position.get(p.organisation_id, 0), p.position + 1
        )
    added = updated = 0
    for item in listed:
        project = current.get((item.unit.pk, project_key(item.name)))
        if project is None:
            position = next_position.get(item.unit.pk, 0)
            next_position[item.unit.pk] = position + 1
            project = RoundProject(
                round=rnd,
                organisation=item.unit,
                name=item.name,
                code=item.code,
                amount=item.amount,
                position=position,
            )
            project.save()
            current[(item.unit.pk, project.key)] = project
            added += 1
        elif (project.code, project.amount) != (item.code, item.amount):
            project.code, project.amount = item.code, item.amount
            project.save(update_fields=["code", "amount"])
            updated += 1
    return added, updated
