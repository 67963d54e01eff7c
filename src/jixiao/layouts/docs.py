"""docs/layouts.md, generated from the declarations (never written by hand).

``jixiao layouts --markdown > docs/layouts.md`` writes it; a test regenerates it and
compares. ``jixiao layouts ID`` prints one layout's section.
"""

from __future__ import annotations

from jixiao.layouts.declaration import (
    DOCUMENT_LABELS,
    KIND_LABELS,
    Label,
    Layout,
    all_layouts,
    plan_layouts,
)
from jixiao.policy import load_policy

_BY_MATCH = "其他地区按评分口径的 `[match]`（上海市单位 → `shanghai`，中央部门 → `central-2021`）"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _words(label: Label) -> str:
    more = f"（又作 {'、'.join(label.synonyms)}）" if label.synonyms else ""
    return f"{label.label}{more}"


def _labels_table(labels: list[Label], where: str, kept: str) -> list[str]:
    lines = ["| id | 表上 | 存入 | 说明 |", "|---|---|---|---|"]
    for lab in labels:
        field = f"`{where}{lab.field}`" if lab.field else kept.format(label=lab.label)
        lines.append(f"| `{lab.id}` | {_cell(_words(lab))} | {field} | {_cell(lab.note)} |")
    return lines


_IND_KEPT = "`indicators[].extras[“{label}”]`"


def _row_label(layout: Layout, row_id: str) -> str:
    return next((r.label for r in layout.fund_rows if r.id == row_id), row_id)


def _yes(flag: bool) -> str:
    return "有" if flag else "无"


def _signs(layout: Layout) -> str:
    """How a layout is recognised, in words."""
    rec = layout.recognise
    if rec.min_points >= 100:
        return "其他版式都未识别时采用（兜底版式）"
    signs = [f"标题含“{w}”（3 分）" for w in rec.title]
    signs += [f"有“{w}”栏（2 分）" for w in rec.labels]
    if rec.execution_weight:
        weights = "、".join(str(w) for w in layout.execution.weights)
        signs.append(f"预算执行分值为 {weights}（2 分）")
    if rec.regions:
        signs.append(f"主管部门或实施单位属于 {'、'.join(rec.regions)}（1 分）")
    return f"{'；'.join(signs)}；至少 {rec.min_points} 分"


def _identity(layout: Layout, heading: str, kind: str) -> list[str]:
    """A layout's section heading and the lines every layout has: id, kind, where, source,
    what differs."""
    return [
        f"{heading} {layout.name}",
        "",
        f"- id：`{layout.id}`（`src/jixiao/layouts/{layout.id}.toml`"
        + (f"，以 `{layout.base}` 为基础）" if layout.base else "）"),
        f"- 表种：{kind}",
        f"- 使用地区：{'；'.join(layout.where)}",
        f"- 来源：{layout.source}",
        f"- 与全国表的区别：{layout.differs}",
    ]


def _tables(*tables: tuple[str, list[Label], str, str]) -> list[str]:
    """Titled label tables: (title, labels, the model path they fill, how a label with no
    field is kept)."""
    lines: list[str] = []
    for title, labels, where, kept in tables:
        lines += [f"{title}：", "", *_labels_table(labels, where, kept), ""]
    return lines


def plan_markdown(layout: Layout) -> list[str]:
    """One 申报表 or 监控表 layout's section."""
    fund_words = (
        "资金列" if layout.document == "declaration" else "资金列（执行数、执行率前印监控期间）"
    )
    declaration = layout.document == "declaration"
    tasks = f"{layout.task_block}（每项任务一行，其下 {layout.task_total} 行即年度资金）"
    lines = [
        *_identity(
            layout, "###", f"{DOCUMENT_LABELS[layout.document]}；表题：{layout.printed_title}"
        ),
        f"- 如何识别：{_signs(layout)}",
        f"- 栏块：{layout.fund_block}；{layout.goal_block if layout.has_medium else '（无中期）'}；"
        f"{layout.indicator_block}",
        "",
        *_tables(
            ("表头", layout.head, "", "`extras[“{label}”]`"),
            (
                "资金行",
                layout.fund_rows,
                "{medium_funds,annual_funds}." if declaration else "funds.",
                "资金的 `extras`（按叫法，去掉“其中：”）",
            ),
            (fund_words, layout.fund_columns, "" if declaration else "funds.*.", ""),
            *([(tasks, layout.tasks, "tasks[].", "")] if layout.tasks else []),
            ("目标", layout.goals, "", ""),
            ("指标列", layout.indicator_columns, "indicators[].", _IND_KEPT),
        ),
    ]
    if layout.causes:
        lines += [
            f"{layout.cause_block}（勾选，存入 `causes`）："
            f"{'、'.join(c.label for c in layout.causes)}；"
            f"{layout.likelihood_block}（勾选一项，存入 `likelihood`）："
            f"{'、'.join(c.label for c in layout.likelihoods)}",
            "",
        ]
    return lines


def layout_markdown(layout: Layout) -> list[str]:
    """One layout's section."""
    if layout.document != "self_evaluation":
        return plan_markdown(layout)
    ex, f = layout.execution, layout.fields
    policy = load_policy(layout.policy)
    regional = [
        f"{'、'.join(rp.regions)} → `{rp.policy}`（{rp.reason}）" for rp in layout.region_policies
    ]
    if layout.policy == "mof-2020":
        regional.append(_BY_MATCH)
    lines = [
        *_identity(layout, "##", KIND_LABELS[layout.kind]),
        f"- 如何识别：{_signs(layout)}",
        f"- 评分口径：`{policy.name}`（{policy.title}）"
        + (f"；{'；'.join(regional)}" if regional else ""),
        f"- 预算执行：分值 {'、'.join(str(w) for w in ex.weights)}；"
        f"执行率 = 全年执行数 ÷ {'年初预算数' if ex.budget == 'initial' else '全年预算数'}；"
        f"{ex.formula}"
        + ("" if ex.scored else "；表上不打分")
        + "；年度资金总额行为 0 时按 "
        + " 或 ".join(" + ".join(_row_label(layout, r) for r in rows) for rows in ex.sources)
        + " 的合计计算",
        f"- 如何计分：{layout.scoring}",
        f"- 栏目：年度总体目标{_yes(f.goals)}；逐行分值{_yes(f.row_weights)}；"
        f"一级指标分值印在标签中{_yes(f.level1_weights)}；逐行得分{_yes(f.row_scores)}；"
        f"总分{_yes(f.total)}；评分等级{_yes(f.grade)}；折算得分{_yes(f.adjusted_scores)}"
        + (f"；勾选框：{'、'.join(layout.checkboxes)}" if layout.checkboxes else ""),
        "",
        *_tables(
            ("表头", layout.head, "", "`extras[“{label}”]`"),
            ("资金行", layout.fund_rows, "funds.", "`funds.extras[“{label}”]`"),
            ("资金列", layout.fund_columns, "funds.*.", "该行的 `extras[“{label}”]`"),
            ("指标列", layout.indicator_columns, "indicators[].", _IND_KEPT),
        ),
    ]
    regional2 = [lab for lab in layout.level2 if lab.synonyms]
    if regional2:
        names = "；".join(f"{'、'.join(lab.synonyms)} → {lab.label}" for lab in regional2)
        lines += [f"二级指标的地方叫法：{names}", ""]
    return lines


_INTRO = """\
# 版式（自评表的样式）

<!-- 由 `jixiao layouts --markdown > docs/layouts.md` 从版式声明生成，请勿手工修改。 -->

全国的财政项目支出绩效自评表都出自 财预〔2020〕10号 附件1，各地又有自己的变体：预算执行
20 分、指标性质 / 度量单位列、折算得分、得分计算方法列、转移支付与部门整体的姊妹表。jixiao
把每一种样式写成一份**版式声明**（`src/jixiao/layouts/ID.toml`，一个文件一种样式，由 pydantic
校验），不为任何省份写代码。声明说明：

- 表头、资金行、资金列、指标列：表上的叫法和别名，以及填入模型的哪个字段（`field`）；没有
  `field` 的行和列照录在表单的 `extras` 中，键为声明的 `label`；
- 这种表有哪些栏目（年度总体目标、逐行分值、一级指标分值、得分、总分、评分等级、折算得分）；
- 预算执行允许的分值（10、20）、执行率的分母（全年预算数或年初预算数）；
- 用哪个评分口径（`src/jixiao/policies/*.toml`），以及哪些地区改用别的口径；
- 如何从内容识别这种表。

## 表单如何带着版式

规范 JSON（docs/form.md）中：`layout` 是版式 id（没有时按内容识别）；预算执行的分值是
`funds.total.weight`（表上所填；版式不允许的分值不用于计分，按版式默认分值计）；四行之外的资金行
（财政专户管理资金、单位资金、中央补助、地方资金 …）在 `funds.extras`，每行是与四行相同的带类型
资金行；多出的指标列在 `indicators[].extras`（按声明的 label），其中的数字列 权重占比 / 折算得分
为 `indicators[].share` / `indicators[].adjusted_score`；印在标签中的一级指标分值在
`level1_weights`；勾选框（项目类别、项目属性）在 `checkboxes`。

导入（文本、PDF、Excel、Word、HTML，都经同一个标签映射器）时，表单的这些部分按所见填入：版式按
内容识别后写入 `layout`；一级指标标签中印出的分值（产出指标(60分)）拆出，标签照模板叫法
（产出指标），分值进 `level1_weights`；写成勾选框的表头栏（☑经常性项目 □一次性项目）进
`checkboxes`；声明中有字段的指标列按声明的叫法读入该字段（河北 指标分值 → 分值，单项指标得分 →
得分，权重占比 → `share`，单项指标折算得分 → `adjusted_score`，总分行的得分在折算得分栏时取该栏）；
其余多出的列照录在 `extras`。表中缺的部分只对版式有的栏目记为缺漏（全国表没有评分等级，不记）。

## 识别

表上注明了 `layout` 就用它。否则逐个版式计分：标题中有声明的词 3 分，有声明的栏目名（整格相同，
忽略空白和括号部分，如“年度指标值(A)”即“年度指标值”）2 分，预算执行分值只有这一族版式允许 2 分，
主管部门或实施单位属于声明的地区 1 分。分数最高且达到该版式 `min_points` 的版式胜出；都达不到时
按全国通用版式。`jixiao.layouts.recognise(form)` 也接受尚未读成表单的表格（单元格）或一组文字，
供导入时先定版式再按版式读。

导入时，读者看到的表头栏目名（资金表和指标表的表头、主管部门及代码）和没能归入任何字段的格
（相邻两格也连起来看，折行的“指标值设置依 / 据”即“指标值设置依据”）都算作标志。从文本读出的
一批表中，一张读得不完整、又没有任何版式标志的表（表头或栏目名在展平中丢失），若同一文件其余
各表都识别为同一版式且多于这类表，就按该版式，并记缺漏“版式：本表读出的文字中没有版式的标志，
按同一文件中其他表的版式（…）”。读得不完整的表，其版式有而未读到的部分也记为缺漏：勾选框（如
湖北式 项目类别、项目属性 未读出两个以上选项）、印出的一级指标分值。

## 评分口径的自动选择

`jixiao score` 和 `jixiao audit` 默认 `--policy auto`：先定版式；版式的 `region_policies` 中
有与主管部门或实施单位相符的地区就用该口径；版式用全国默认口径（`mof-2020`）时再按各口径的
`[match]`（上海市单位 → `shanghai`，中央部门 → `central-2021`）；否则用版式自己的口径。所选的
口径和理由印在标准错误输出上（`评分口径（auto）：shanghai 9 张（版式 shanghai-2024）`），
`score --format json` 中每张表另有 `layout` 和 `choice`。

## 计分与输出

`jixiao.scoring.score_form(form, policy)` 按表的版式计分：版式允许表上所填的预算执行分值时用它
（20 分版式得 20 × 执行率，总分随之相符），否则用口径的分值（版式允许时）或版式的默认分值，
版式不允许的分值（如 10 分栏里的 100）从不用于计分（`execution_weight`，理由写在评分卡的
`execution_weight_note`）；执行率的分母为版式声明的列（北京区级为年初预算数），年度资金总额行为 0
而其下各资金来源行有数时按合计计算（`execution_amounts`；合计的行由版式的
`execution.sources` 声明，每种分法一组，如转移支付的 本年财政拨款 + 其他资金 或 中央补助 +
地方资金，依次取第一组有数的；“其中：…”一类嵌套在某行之下的行不在其中，不会重复计算）；表上无逐行分值、印有一级指标分值时，
按行数均分（按口径的位数舍入，末行取余数，合计恰为印出的分值），标为推算（`weight_derived`，
`derived_weights`）；有 指标性质 / 度量单位 列的版式，目标由 指标性质 + 指标值 + 度量单位 合成
（`layout_target`）；口径 `indicators.adjusted = "share"`（河北）时，折算得分 = 得分 × 权重占比，
总分按折算得分合计。评分卡的 `layout`、`notes` 说明所用版式及版式带来的不同。

输出（HTML / PDF / Excel / Word，同一个视图 `render/view.py`，Excel 与 Word 同一个单元格布局
`render/layout.py`）按版式的叫法写表头、资金行、资金列和指标列（如四川的 总额 / 财政资金 /
调整后预算数 / 权重，北京的 主管部门及代码），四行之外的资金行列在其后，版式多出的资金列（原因、
得分计算方法）在 得分 之后；表头下是勾选框（☑经常性项目 □一次性项目）和表单的其他表头栏；一级
指标带印出的分值（产出指标(60分)）；版式多出的文字指标列（指标性质、度量单位、佐证资料 …）在
实际完成值 之后，数字列（权重占比、单项指标折算得分）在 得分 之后，各占一列；河北的总分得分写在
折算得分栏；版式没有评分等级、表上也没有时不画这一行。这样画出的文件再导入，得到同一张表（版式由内容
识别）。

## 声明一种新版式

1. 在 `src/jixiao/layouts/` 下新建 `ID.toml`（id 与文件名相同，小写字母、数字、`-`）；
   写 `base = "national-2020"`，只写与全国表不同之处（表逐键合并，列表整体替换）：

   ```toml
   id = "example"
   base = "national-2020"
   name = "项目支出绩效自评表（某省）"
   where = ["某省各级"]
   source = "某省财政厅 填报说明"
   differs = "指标表多一列 佐证资料"
   policy = "mof-2020"
   scoring = "同全国表"

   [recognise]
   labels = ["佐证资料"]
   regions = ["^某省"]
   min_points = 3

   [[indicator_columns]]   # 列表整体替换：写出全部指标列
   id = "evidence"
   label = "佐证资料"
   # …其余各列
   ```

2. 计分与全国表不同时，在 `src/jixiao/policies/` 下新建评分口径（`base = "mof-2020"`，只写不同
   之处），在版式中写 `policy = "…"`。
3. 运行 `jixiao layouts --markdown > docs/layouts.md` 更新本文档（有测试核对）。

## 已声明的版式

"""


def render_markdown() -> str:
    """The whole layouts document."""
    layouts = all_layouts()
    out = [
        _INTRO.rstrip("\n"),
        "",
        "| id | 版式 | 使用地区 | 口径 | 预算执行分值 |",
        "|---|---|---|---|---|",
    ]
    for lay in layouts:
        weights = "、".join(str(w) for w in lay.execution.weights)
        where = "；".join(lay.where)
        out.append(
            f"| `{lay.id}` | {_cell(lay.name)} | {_cell(where)} | `{lay.policy}` | {weights} |"
        )
    out.append("")
    for lay in layouts:
        out += layout_markdown(lay)
    out += [_PLANS_INTRO.rstrip("\n"), ""]
    out += ["| id | 版式 | 表种 | 使用地区 |", "|---|---|---|---|"]
    for lay in plan_layouts():
        where = "；".join(lay.where)
        kind = DOCUMENT_LABELS[lay.document]
        out.append(f"| `{lay.id}` | {_cell(lay.name)} | {kind} | {_cell(where)} |")
    out.append("")
    for lay in plan_layouts():
        out += plan_markdown(lay)
    return "\n".join(out).rstrip("\n") + "\n"


_PLANS_INTRO = """\
## 绩效目标申报表与执行监控表的版式

自评表之前的两张表（`jixiao.plans`：绩效目标申报表、绩效目标执行监控表）用同一套版式声明，
声明中写 `document = "declaration"` 或 `"monitoring"`：表题（`title`）、表头、资金行与资金列
（申报表为 中期 / 年度 两列，`field` 为 `medium` / `annual`；监控表为 年初预算数、执行数、执行率、
全年预计执行数）、目标（`goals`：中期目标 / 年度目标，或 年度总体目标）、指标列，监控表另有
偏差原因分析的类别（`causes`）和完成目标可能性的选项（`likelihoods`）。没有模型字段的资金行
（转移支付区域表的 中央补助、地方资金）存入资金的 `extras`。导入时先在同种表的版式中识别
（`jixiao.layouts.recognise_plan`，自评表的识别不看这些版式），再按该版式的叫法读，版式 id 写入
文档的 `layout`；输出（HTML / PDF / Excel / Word）按文档的版式画表题、表头、资金行列、目标和
指标列，画出的文件再导入得到同一份文档。`python -m jixiao.generate N --plans --plan-layout
transfer` 生成某种版式的申报表和监控表。
"""
