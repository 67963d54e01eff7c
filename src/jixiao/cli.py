"""The ``jixiao`` command. Thin: reading, scoring and formatting live in the core modules."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from jixiao.ingest import IngestError, read_forms
from jixiao.layouts import choose, head_policy
from jixiao.messages import os_reason
from jixiao.model import FormFileError, SelfEvaluation
from jixiao.plans import Documents, Monitoring, TargetDeclaration
from jixiao.policy import (
    AUTO,
    DEFAULT,
    Policy,
    PolicyError,
    builtin_names,
    load_policy,
)
from jixiao.scoring import Compared, Scorecard, score_form
from jixiao.web.serve import THREADS, WORKERS  # (no Django: serve imports it when it runs)

app = typer.Typer(
    help="jixiao 绩效 — 财政项目支出绩效自评表的精确数据、评分与审核。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

FilesArg = Annotated[
    list[Path], typer.Argument(help="表单文件（JSON、文本、PDF、Excel、HTML）", show_default=False)
]
PolicyOpt = Annotated[
    str,
    typer.Option(
        "--policy",
        "-p",
        help="评分口径：auto（默认，按每张表的版式和地区选择，并说明所选）、内置名称（见 "
        "jixiao policies）或 TOML 文件路径",
    ),
]


def fail(message: str) -> NoReturn:
    """One line in Chinese on stderr, exit status 2 (unreadable input or bad option)."""
    err.print(f"错误：{message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


@app.callback()
def limits_options(
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", help="导入上限：每个 PDF 最多页数")
    ] = None,
    max_cells: Annotated[
        int | None, typer.Option("--max-cells", help="导入上限：每个工作表或表格最多单元格数")
    ] = None,
    max_forms: Annotated[
        int | None, typer.Option("--max-forms", help="导入上限：每个文件最多自评表张数")
    ] = None,
    limit: Annotated[
        list[str] | None,
        typer.Option(
            "--limit",
            help="其他导入上限，名称=值（可重复），如 max_json_depth=64；"
            "也可用环境变量 JIXIAO_MAX_…",
        ),
    ] = None,
) -> None:
    """jixiao 绩效 — 财政项目支出绩效自评表的精确数据、评分与审核。"""
    from jixiao import limits

    given: dict[str, str | int] = {}
    for item in limit or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--limit 应写成 名称=值（收到 {item!r}）")
        given[key] = value
    for option, number in (
        ("max_pages", max_pages),
        ("max_cells", max_cells),
        ("max_forms", max_forms),
    ):
        if number is not None:
            given[option] = number
    try:
        limits.configure(limits.Limits.from_env().with_values(given, source="--limit "))
    except ValueError as e:
        fail(str(e))


def read_inputs(files: list[Path]) -> list[SelfEvaluation]:
    """All forms of all files through the importers (by content); exit 2 on the first failure."""
    forms: list[SelfEvaluation] = []
    for path in files:
        if not path.exists():
            fail(f"{path}: 文件不存在")
        try:
            forms.extend(read_forms(path))
        except (IngestError, FormFileError) as e:
            fail(str(e))
    return forms


# What a command needs of its input files, and how its absence is said.
_WANTED = {
    "forms": "财政项目支出绩效自评表可审核",
    "monitorings": "绩效目标执行监控表",
    "plans": "绩效目标申报表或执行监控表",
}


def read_input_documents(files: list[Path], want: str = "forms") -> Documents:
    """Every document of every file (自评表, 申报表, 监控表); exit 2 on the first failure or
    when no file holds a document of the kind ``want`` (``forms``, ``monitorings``, or
    ``plans``: 申报表 or 监控表)."""
    from jixiao.ingest import read_documents

    docs = Documents()
    for path in files:
        if not path.exists():
            fail(f"{path}: 文件不存在")
        try:
            docs.extend(read_documents(path))
        except (IngestError, FormFileError) as e:
            fail(str(e))
    found = docs.declarations or docs.monitorings if want == "plans" else getattr(docs, want)
    if not found:
        fail(f"{files[0]}{' 等' if len(files) > 1 else ''}: 没有{_WANTED[want]}")
    return docs


def read_policy(name: str) -> Policy:
    try:
        return load_policy(DEFAULT if name == AUTO else name)
    except PolicyError as e:
        fail(str(e))


def form_policies(name: str, forms: list[SelfEvaluation]) -> tuple[list[Policy], Policy]:
    """One policy per form, and the one the batch is headed with (the most frequent).

    ``auto`` chooses by each form's layout and region (:func:`jixiao.layouts.choose`) and
    says on stderr which policy it chose for how many forms and why.
    """
    if name != AUTO:
        pol = read_policy(name)
        return [pol] * len(forms), pol
    chosen = [choose(f) for f in forms]
    counts = Counter((c.policy.name, c.brief) for c in chosen)
    parts = [f"{n} {count} 张（{why}）" for (n, why), count in counts.most_common()]
    err.print(f"评分口径（auto）：{'；'.join(parts)}", markup=False, soft_wrap=True)
    policies = [c.policy for c in chosen]
    return policies, head_policy(policies)


def _s(value: Any) -> str:
    return "-" if value is None else str(value)


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _form_json(form: SelfEvaluation, card: Scorecard) -> dict[str, Any]:
    return {
        "project": form.project,
        "unit": form.unit,
        "year": form.year,
        "source": form.source_dict(),
        "scorecard": card.to_dict(),
    }


def _both(c: Compared) -> str:
    """The computed value; declared → computed where they differ."""
    if c.matches:
        return _s(c.computed)
    return f"{_s(c.declared)} → {_s(c.computed)}"


def _score_table(pairs: list[tuple[SelfEvaluation, Scorecard]], policy: Policy) -> Table:
    layouts = "、".join(dict.fromkeys(card.layout for _, card in pairs))
    table = Table(title=f"评分结果（口径：{policy.name} {policy.title}；版式：{layouts}）")
    for head in ("项目名称", "执行率(%)", "执行得分", "总分", "等级", "一致"):
        table.add_column(head, justify="left" if head == "项目名称" else "right")
    for form, card in pairs:
        table.add_row(
            form.label,
            _both(card.rate),
            _both(card.execution_score),
            _both(card.total),
            _both(card.grade),
            _mark(card.matches),
        )
    return table


def _print_differences(form: SelfEvaluation, card: Scorecard) -> None:
    rows = [i for i in card.indicators if not i.matches]
    notes = list(card.notes)
    if card.execution_weight_note.startswith("表上预算执行分值"):  # one the layout disallows
        notes.insert(0, card.execution_weight_note)
    if not rows and not card.unscored and not notes:
        return
    for note in notes:
        out.print(f"\n{form.label}：{note}", markup=False)
    if rows:
        out.print(f"\n[bold]{form.label}[/bold]：与规则不一致的指标")
        table = Table(show_header=True)
        for head in ("行", "三级指标", "分值", "填报得分", "建议得分", "说明"):
            table.add_column(head)
        for r in rows:
            why = f"{r.reason}（{r.basis}）" if r.basis else r.reason
            weight = f"{_s(r.weight)}（推算）" if r.weight_derived else _s(r.weight)
            table.add_row(str(r.position), r.name, weight, _s(r.declared), _s(r.recommended), why)
        out.print(table)
    for line in card.unscored:
        out.print(f"  · 无法计算：{line}", markup=False)


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="文件或目录（txt/json/pdf/xlsx/xls/docx/doc/wps/html）", show_default=False
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出文件（默认写到标准输出）")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json 或 csv")] = "json",
) -> None:
    """导入自评表（按内容识别格式），输出规范 JSON 或每个指标一行的 CSV，并报告导入情况。"""
    from jixiao.ingest.batch import expand, import_files, summary
    from jixiao.model import dump_forms
    from jixiao.plans import Documents
    from jixiao.tabular import to_csv

    if format not in ("json", "csv"):
        fail(f"--format 只能是 json 或 csv（收到 {format!r}）")
    files = expand(paths)
    if not files:
        fail("没有可导入的文件（目录中没有 txt/json/pdf/xlsx/xls/docx/doc/wps/html 文件）")
    if len(files) >= PROGRESS_FROM:
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("导入", total=len(files))
            results = import_files(files, lambda _: bar.advance(task))
    else:
        results = import_files(files)
    forms = [f for r in results for f in r.forms]
    docs = Documents(
        forms=forms,
        declarations=[d for r in results for d in r.declarations],
        monitorings=[m for r in results for m in r.monitorings],
    )
    if not len(docs):
        failed = [r.error for r in results if r.error]
        fail(failed[0] if len(failed) == 1 else f"{len(failed)} 个文件都未能导入：{failed[0]} 等")
    if format == "json":  # 申报表 and 监控表 beside the forms (docs/form.md)
        doc = (docs.dumps() if docs.declarations or docs.monitorings else dump_forms(forms)) + "\n"
    else:
        doc = to_csv(forms, bom=output is not None)
    if output is None:
        sys.stdout.write(doc)
    else:
        try:
            output.write_text(doc, encoding="utf-8", newline="")
        except OSError as e:
            fail(f"{output}: 无法写入（{os_reason(e)}）")
    for line in summary(results):
        err.print(line, markup=False, soft_wrap=True)
    if any(r.error for r in results):
        raise typer.Exit(1)


@app.command()
def score(
    files: FilesArg,
    policy: PolicyOpt = AUTO,
    format: Annotated[str, typer.Option("--format", "-f", help="table 或 json")] = "table",
) -> None:
    """按评分口径重算执行率、得分、总分与等级，并与表上填报值逐项比较。"""
    if format not in ("table", "json"):
        fail(f"--format 只能是 table 或 json（收到 {format!r}）")
    if policy != AUTO:
        read_policy(policy)
    forms = read_inputs(files)
    each, pol = form_policies(policy, forms)
    pairs = [(f, score_form(f, p)) for f, p in zip(forms, each, strict=True)]
    if format == "json":
        name = AUTO if policy == AUTO else pol.name
        doc = {"policy": name, "forms": [_form_json(f, c) for f, c in pairs]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        return
    out.print(_score_table(pairs, pol))
    for form, card in pairs:
        _print_differences(form, card)
    agree = sum(1 for _, c in pairs if c.matches)
    out.print(f"\n共 {len(pairs)} 张表，{agree} 张与规则完全一致。")


PROGRESS_FROM = 20  # files: show a progress bar from this many on


@app.command()
def audit(
    files: FilesArg,
    policy: PolicyOpt = AUTO,
    format: Annotated[str, typer.Option("--format", "-f", help="text、json 或 md")] = "text",
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="有此级别及以上的问题时退出码为 1：error、warning、never"),
    ] = "error",
    targets: Annotated[
        Path | None, typer.Option("--targets", help="批复指标文件（规范 JSON），用于 P09")
    ] = None,
    plan: Annotated[
        list[Path] | None,
        typer.Option(
            "--plan",
            help="批复的绩效目标申报表（jixiao import 写出的 JSON，可重复），用于 P09；"
            "不给时用输入文件中的申报表",
        ),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="表的顺序：input（输入顺序）或 inflation（虚高从大到小）")
    ] = "input",
) -> None:
    """按审核规则检查自评表，列出问题、位置和修改建议（文本、JSON 或 Markdown 审核意见）。"""
    from jixiao.audit import ApprovedTargets, TargetsError, audit_forms, load_plans, load_targets
    from jixiao.audit.report import (
        FAIL_ON,
        exit_code,
        ranking,
        render_json,
        render_markdown,
        render_text,
    )

    if format not in ("text", "json", "md"):
        fail(f"--format 只能是 text、json 或 md（收到 {format!r}）")
    if fail_on not in FAIL_ON:
        fail(f"--fail-on 只能是 error、warning、info 或 never（收到 {fail_on!r}）")
    if sort not in ("input", "inflation"):
        fail(f"--sort 只能是 input 或 inflation（收到 {sort!r}）")
    if policy != AUTO:
        read_policy(policy)
    if targets is not None and plan:
        fail("--targets 与 --plan 只能给一个")
    approved = None
    try:
        if targets is not None:
            approved = load_targets(targets)
        elif plan:
            approved = load_plans(plan)
    except TargetsError as e:
        fail(str(e))
    docs = read_input_documents(files)
    forms = docs.forms
    if approved is None and docs.declarations:  # 申报表 imported with the forms
        approved = ApprovedTargets.from_declarations(docs.declarations)
    each, pol = form_policies(policy, forms)
    audits = audit_forms(forms, each, approved, monitorings=docs.monitorings)  # M04 with 监控表
    if sort == "inflation":
        audits = ranking(audits)
    render = {"text": render_text, "json": render_json, "md": render_markdown}[format]
    sys.stdout.write(render(audits, pol))
    raise typer.Exit(exit_code(audits, fail_on))


@app.command()
def render(
    files: FilesArg,
    to: Annotated[
        str, typer.Option("--to", "-t", help="输出格式：pdf、xlsx、docx 或 html")
    ] = "pdf",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="以 .pdf/.xlsx/.docx/.html 结尾则合并为一个文件，否则为目录"
        ),
    ] = None,
    reviewer: Annotated[
        bool, typer.Option("--reviewer", help="审核人视图：在表旁标注计算值与审核意见")
    ] = False,
    report: Annotated[
        bool, typer.Option("--report", help="输出审核意见书（汇总表与逐表审核意见），而非自评表")
    ] = False,
    policy: PolicyOpt = AUTO,
    summary: Annotated[
        bool,
        typer.Option("--summary", help="输出部门项目支出绩效自评总结报告（docx、pdf 或 html）"),
    ] = False,
    department: Annotated[
        str | None, typer.Option("--department", help="总结报告：只汇总该主管部门的表")
    ] = None,
    expected: Annotated[
        int | None,
        typer.Option("--expected", min=1, help="总结报告：应开展自评的项目数（计算覆盖率）"),
    ] = None,
    projects: Annotated[
        Path | None,
        typer.Option("--projects", help="总结报告：应开展自评的项目清单（每行一个项目名称）"),
    ] = None,
    plans: Annotated[
        bool,
        typer.Option(
            "--plans", help="输出输入文件中的绩效目标申报表和执行监控表（pdf、xlsx、docx 或 html）"
        ),
    ] = False,
) -> None:
    """按官方样式输出自评表（PDF、Excel、Word 或 HTML）、审核意见书、部门自评总结报告，
    或绩效目标申报表与执行监控表（--plans）。"""
    if summary:
        render_summary(files, to, output, policy, department, expected, projects)
        return
    if plans:
        render_plans(files, to, output)
        return
    from jixiao.audit import audit_forms
    from jixiao.render.batch import FORMATS, default_output, write_output
    from jixiao.render.report import write_report
    from jixiao.render.reviewer import review_audit

    if to not in FORMATS:
        fail(f"--to 只能是 pdf、xlsx、docx 或 html（收到 {to!r}）")
    if (reviewer or report) and to in ("xlsx", "docx"):
        fail("--reviewer 和 --report 只适用于 pdf 和 html；Excel 和 Word 只输出表上填报的内容")
    forms = read_inputs(files)
    if not forms:
        fail("输入文件中没有表单")
    pol, audits, each = None, None, list[Policy]()
    if reviewer or report or to == "xlsx":  # Excel: the audits fill its 汇总 sheet
        each, pol = form_policies(policy, forms)
        audits = audit_forms(forms, each)
    target = output or default_output(files[0], to)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"生成 {to.upper()}", total=len(forms))
        try:
            if report and audits is not None and pol is not None:
                written = write_report(audits, pol, to, target, lambda _: bar.advance(task))
            else:
                reviews = (
                    [review_audit(a, p) for a, p in zip(audits, each, strict=True)]
                    if reviewer and audits
                    else None
                )
                written = write_output(
                    forms, to, target, reviews, lambda _: bar.advance(task), audits
                )
        except OSError as e:
            fail(f"{e.filename or target}: 无法写入（{os_reason(e)}）")
    what = "审核意见书" if report else "自评表"
    where = written[0] if len(written) == 1 else target
    out.print(f"已输出 {len(forms)} 张表的{what} → {where}", markup=False)


def render_plans(files: list[Path], to: str, output: Path | None) -> None:
    """``render --plans``: the 申报表 and 监控表 of the inputs in their official layouts, one
    file (each document on its own page or sheet)."""
    from jixiao.render.batch import default_output
    from jixiao.render.plans import (
        render_plans_docx,
        render_plans_html,
        render_plans_pdf,
        render_plans_xlsx,
    )

    if to not in ("pdf", "xlsx", "docx", "html"):
        fail(f"--plans 的 --to 只能是 pdf、xlsx、docx 或 html（收到 {to!r}）")
    docs = read_input_documents(files, want="plans")
    documents: list[TargetDeclaration | Monitoring] = [*docs.declarations, *docs.monitorings]
    target = output or default_output(files[0], to)
    try:
        if to == "html":
            target.write_text(render_plans_html(documents), encoding="utf-8")
        else:
            render = {"pdf": render_plans_pdf, "xlsx": render_plans_xlsx}.get(to, render_plans_docx)
            target.write_bytes(render(documents))
    except OSError as e:
        fail(f"{target}: 无法写入（{os_reason(e)}）")
    counts = f"申报表 {len(docs.declarations)} 张、监控表 {len(docs.monitorings)} 张"
    out.print(f"已输出{counts} → {target}", markup=False, soft_wrap=True)


def render_summary(
    files: list[Path],
    to: str,
    output: Path | None,
    policy: str,
    department: str | None,
    expected: int | None,
    projects: Path | None,
) -> None:
    """``render --summary``: the 部门项目支出绩效自评总结报告 of the forms (of one department)."""
    from jixiao.audit import audit_forms
    from jixiao.render.summary import SUMMARY_FORMATS, summary_bytes
    from jixiao.summary import select_department, summarize

    if to not in SUMMARY_FORMATS:
        fail(f"--summary 的 --to 只能是 docx、pdf 或 html（收到 {to!r}）")
    if expected is not None and projects is not None:
        fail("--expected 与 --projects 只能给一个")
    listed = None
    if projects is not None:
        try:
            listed = projects.read_text(encoding="utf-8-sig").splitlines()
        except OSError as e:
            fail(f"{projects}: 无法读取项目清单（{os_reason(e)}）")
        except UnicodeDecodeError:
            fail(f"{projects}: 项目清单应为 UTF-8 文本，每行一个项目名称")
    if policy != AUTO:
        read_policy(policy)
    forms = read_inputs(files)
    if department is not None:
        forms = select_department(forms, department)
        if not forms:
            fail(f"输入文件中没有主管部门为“{department}”的表")
    if not forms:
        fail("输入文件中没有表单")
    each, pol = form_policies(policy, forms)
    figures = summarize(
        audit_forms(forms, each), pol, department=department, expected=expected, projects=listed
    )
    target = output or default_summary_output(files[0], to)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(summary_bytes(figures, to))
    except OSError as e:
        fail(f"{e.filename or target}: 无法写入（{os_reason(e)}）")
    out.print(f"已输出 {len(forms)} 张表的部门项目支出绩效自评总结报告 → {target}", markup=False)


def default_summary_output(first_input: Path, to: str) -> Path:
    return Path(f"{first_input.stem}-总结报告.{to}")


@app.command()
def sample(
    files: FilesArg,
    count: Annotated[
        int | None, typer.Option("--count", "-n", min=1, help="每个主管部门抽取的表数")
    ] = None,
    share: Annotated[
        str | None,
        typer.Option("--share", help="每个主管部门抽取的比例（0–1，向上取整，至少 1 张）"),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by", help="抽取方式：random（随机）、inflation（虚高优先）、errors（错误多优先）"
        ),
    ] = "random",
    seed: Annotated[
        int | None, typer.Option("--seed", help="随机种子（不给则生成一个并记录在结果中）")
    ] = None,
    policy: PolicyOpt = AUTO,
    format: Annotated[str, typer.Option("--format", "-f", help="table 或 json")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="把抽样结果（JSON）写入文件")
    ] = None,
) -> None:
    """抽查复核：按主管部门抽取自评表（随机并记录种子，或虚高优先、错误多优先），结果可重现。"""
    from decimal import Decimal, InvalidOperation

    from jixiao.audit import audit_forms
    from jixiao.sampling import BASIS, METHODS, draw_sample

    if by not in METHODS:
        fail(f"--by 只能是 random、inflation 或 errors（收到 {by!r}）")
    if (count is None) == (share is None):
        fail("请给出 --count 或 --share 之一")
    fraction = None
    if share is not None:
        try:
            fraction = Decimal(share)
        except InvalidOperation:
            fraction = None
        if fraction is None or not Decimal(0) < fraction <= Decimal(1):
            fail(f"--share 应为 0 到 1 之间的小数（收到 {share!r}）")
    if format not in ("table", "json"):
        fail(f"--format 只能是 table 或 json（收到 {format!r}）")
    if policy != AUTO:
        read_policy(policy)
    forms = read_inputs(files)
    if not forms:
        fail("输入文件中没有表单")
    each, _ = form_policies(policy, forms)
    drawn = draw_sample(audit_forms(forms, each), by, count=count, share=fraction, seed=seed)  # type: ignore[arg-type]
    doc = json.dumps(drawn.to_dict(), ensure_ascii=False, indent=1) + "\n"
    if output is not None:
        try:
            output.write_text(doc, encoding="utf-8")
        except OSError as e:
            fail(f"{output}: 无法写入（{os_reason(e)}）")
    if format == "json":
        sys.stdout.write(doc)
        return
    how = METHODS[by] + (f"，种子 {drawn.seed}" if drawn.seed is not None else "")
    table = Table(title=f"抽查复核样本（{how}；{BASIS}）")
    for head in ("主管部门", "项目名称", "实施单位", "年度", "虚高", "错误"):
        table.add_column(head)
    for d in drawn.departments:
        for x in d.drawn:
            table.add_row(
                f"{d.department}（{len(d.drawn)}/{d.population}）",
                x.project,
                x.unit,
                _s(x.year),
                _s(x.inflation),
                str(x.errors),
            )
    out.print(table)
    total = sum(len(d.drawn) for d in drawn.departments)
    out.print(f"共 {len(drawn.departments)} 个主管部门，抽取 {total} 张表。", markup=False)


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(help="规则编号，如 X05", metavar="ID")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="输出 docs/rules.md")] = False,
) -> None:
    """列出审核规则；给出编号时解释该规则（理由、依据、修改建议、示例）。"""
    from jixiao.audit import REGISTRY, SEVERITY_LABELS
    from jixiao.audit.docs import render_markdown, rule_markdown

    if markdown:
        sys.stdout.write(render_markdown())
        return
    if rule_id is not None:
        r = REGISTRY.get(rule_id)
        if r is None:
            fail(f"没有规则 {rule_id!r}（用 jixiao rules 查看全部）")
        sys.stdout.write("\n".join(rule_markdown(r)))
        return
    table = Table(title=f"审核规则（{len(REGISTRY)} 条）")
    for head in ("编号", "类别", "严重程度", "标题"):
        table.add_column(head)
    for r in REGISTRY:
        table.add_row(r.id, r.family_title, SEVERITY_LABELS[r.severity], r.title)
    out.print(table)


@app.command()
def layouts(
    layout_id: Annotated[
        str | None, typer.Argument(help="版式 id，如 hubei-20", metavar="ID")
    ] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="输出 docs/layouts.md")] = False,
) -> None:
    """列出已声明的版式（自评表样式）；给出 id 时说明该版式如何识别、有哪些栏目、如何计分。"""
    from jixiao.layouts import LayoutError, all_layouts, get_layout
    from jixiao.layouts.docs import layout_markdown, render_markdown

    if markdown:
        sys.stdout.write(render_markdown())
        return
    if layout_id is not None:
        try:
            layout = get_layout(layout_id)
        except LayoutError as e:
            fail(str(e))
        sys.stdout.write("\n".join(layout_markdown(layout)))
        return
    table = Table(title="已声明的版式")
    for head in ("id", "版式", "口径", "预算执行分值"):
        table.add_column(head)
    for lay in all_layouts():
        weights = "、".join(str(w) for w in lay.execution.weights)
        table.add_row(lay.id, lay.name, lay.policy, weights)
    out.print(table)


@app.command()
def policies() -> None:
    """列出内置评分口径及其主要参数。"""
    table = Table(title="内置评分口径")
    for head in ("名称", "执行率", "反向指标", "定性档次", "等级"):
        table.add_column(head)
    rounding = {"half_up": "四舍五入", "down": "截断", "half_even": "银行家舍入"}
    titles = []
    for name in builtin_names():
        p = load_policy(name)
        ex, ind = p.execution, p.indicators
        bands = "、".join(f"≥{b.min}% {(b.share * ex.weight).normalize():f}分" for b in ex.bands)
        how = f"按区间：{bands}" if ex.method == "bands" else "执行率 × 分值"
        table.add_row(
            p.name,
            f"{ex.weight}分，{how}，{rounding[ex.rate_rounding]}{ex.rate_places}位",
            "A/B" if ind.reverse_formula == "ratio" else "1−(B−A)/A",
            f"{ind.qualitative_met}/{ind.qualitative_partial}",
            " ".join(f"{b.grade}≥{b.min}" for b in p.grades[:-1]),
        )
        titles.append(f"{p.name}：{p.title}")
    out.print(table)
    for line in titles:
        out.print(line, markup=False)


@app.command()
def web(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn 工作进程数")] = WORKERS,
    threads: Annotated[int, typer.Option(help="每个工作进程的线程数")] = THREADS,
    seed: Annotated[Path, typer.Option(help="演示数据：种子表单（规范 JSON）")] = Path(
        "examples/jiangqiao-2024.json"
    ),
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="数据库为空时载入演示数据")] = True,
    task_workers: Annotated[
        int, typer.Option("--task-workers", help="同时启动的后台任务进程数（0：不启动）")
    ] = 1,
) -> None:
    """启动 Web 系统：迁移数据库、载入演示数据（空库时）、gunicorn 与后台任务进程。"""
    from jixiao.web.serve import serve

    serve(host, port, workers, seed, demo, threads, task_workers)


@app.command()
def worker(
    interval: Annotated[float, typer.Option(help="队列为空时每隔几秒查看一次")] = 1.0,
) -> None:
    """后台任务进程：执行排队的批量导出和导入（与 Web 系统使用同一数据库和文件存储）。"""
    from jixiao.web.serve import run_worker

    run_worker(interval)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="备份文件（.tar.gz）")],
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="数据库写成通用的 JSON 数据（不用 pg_dump），可恢复到 SQLite 或 PostgreSQL",
        ),
    ] = False,
) -> None:
    """备份整个 Web 系统：数据库（SQLite 或 PostgreSQL）和全部存储文件（佐证材料等）。"""
    from jixiao.web.serve import setup_django

    setup_django()
    from jixiao.web.backup import BackupError
    from jixiao.web.backup import backup as write_backup

    try:
        summary = write_backup(target, portable=portable)
    except (BackupError, OSError) as e:
        fail(str(e))
    out.print(f"已备份到 {target}", markup=False)
    for line in summary.lines():
        out.print(f"  {line}", markup=False)


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="备份文件（jixiao backup 写的 .tar.gz）")],
    yes: Annotated[bool, typer.Option("--yes", help="不再询问，直接覆盖当前数据")] = False,
) -> None:
    """从备份恢复整个 Web 系统：先清空当前数据库，再载入备份的数据和文件。"""
    if not source.exists():
        fail(f"{source}: 文件不存在")
    if not yes and not typer.confirm("恢复会清空当前数据库中的全部数据，确定继续吗？"):
        fail("已取消，数据未改动")
    from jixiao.web.serve import setup_django

    setup_django()
    from jixiao.web.backup import BackupError
    from jixiao.web.backup import restore as read_backup

    try:
        summary = read_backup(source)
    except (BackupError, OSError) as e:
        fail(str(e))
    out.print(f"已从 {source} 恢复", markup=False)
    for line in summary.lines():
        out.print(f"  {line}", markup=False)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()


@app.command()
def monitor(
    files: FilesArg,
    format: Annotated[str, typer.Option("--format", "-f", help="text 或 json")] = "text",
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="有此级别及以上的问题时退出码为 1：error、warning、never"),
    ] = "error",
    policy: Annotated[
        str,
        typer.Option("--policy", "-p", help="评分口径（M01 的预警比例、各规则的严重程度）"),
    ] = "mof-2020",
) -> None:
    """检查绩效目标执行监控表（M01 执行进度、M02 完成目标可能性、M03 预计执行数），
    并对照同一项目年度的自评表（M04 监控时“完全不可能”却自评满分）。"""
    from jixiao.audit import SEVERITY_RANK, Finding
    from jixiao.audit.monitoring import audit_monitoring, july_contradictions

    if format not in ("text", "json"):
        fail(f"--format 只能是 text 或 json（收到 {format!r}）")
    if fail_on not in ("error", "warning", "info", "never"):
        fail(f"--fail-on 只能是 error、warning、info 或 never（收到 {fail_on!r}）")
    pol = read_policy(policy)
    docs = read_input_documents(files, want="monitorings")
    results: list[tuple[Monitoring | SelfEvaluation, str, list[Finding]]] = [
        (m, m.title, audit_monitoring(m, pol)) for m in docs.monitorings
    ]
    for form in docs.forms:
        found = july_contradictions(form, docs.monitorings, pol)
        if found:
            results.append((form, form.title, found))
    if format == "json":
        data = {
            "documents": [
                {
                    "title": title,
                    "project": doc.project,
                    "year": doc.year,
                    "findings": [f.to_dict() for f in found],
                }
                for doc, title, found in results
            ]
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        for doc, title, found in results:
            out.print(f"== {doc.label}（{doc.year or '年度不详'}年度）{title}", markup=False)
            if not found:
                out.print("  未发现问题。", markup=False)
            for f in found:
                out.print(f"  [{f.severity_label}] {f.rule} {f.title}", markup=False)
                out.print(f"      位置：{f.place}", markup=False)
                out.print(f"      发现：{f.message}", markup=False)
                if f.values_text:
                    out.print(f"      {f.values_text}", markup=False)
                out.print(f"      修改：{f.fix}", markup=False)
    if fail_on != "never":
        limit = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] <= limit for _, _, found in results for f in found):
            raise typer.Exit(1)


@app.command()
def generate(
    count: Annotated[int, typer.Argument(min=1, help="项目数", metavar="COUNT")],
    seed: Annotated[int, typer.Option("--seed", help="随机种子（同一种子结果相同）")] = 0,
    policy: Annotated[str, typer.Option("--policy", "-p", help="评分口径")] = "shanghai",
    plans: Annotated[
        bool, typer.Option("--plans", help="同时生成每个项目的绩效目标申报表和执行监控表")
    ] = False,
    plan_layout: Annotated[
        str,
        typer.Option(
            "--plan-layout",
            help="申报表和监控表的版式：national、transfer、department-wide 或 jiaxian-2016",
        ),
    ] = "national",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件（不给则输出到标准输出）")
    ] = None,
) -> None:
    """生成模拟数据（规范 JSON）：自评表；--plans 另生成申报表和监控表（--plan-layout 选版式）。"""
    from jixiao.generate import generate_forms
    from jixiao.generate_plans import generate_year, plan_family
    from jixiao.layouts import LayoutError
    from jixiao.model import dump_forms

    pol = read_policy(policy)
    if plans:
        try:
            layouts = plan_family(plan_layout)
        except LayoutError as err:
            fail(f"--plan-layout {plan_layout!r} 未声明（{err}）")
        text = generate_year(count, seed, policy=pol, plan_layouts=layouts).dumps()
    else:
        text = dump_forms(generate_forms(count, seed, policy=pol))
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")
