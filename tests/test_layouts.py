"""Layout declarations (src/jixiao/layouts/*.toml): loading and validation, what each
layout has, recognition from a form or a table's texts, the policy ``auto`` picks, and
docs/layouts.md being current."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.audit.examples import base_form
from jixiao.cli import app
from jixiao.ingest.grid import Cell, Grid
from jixiao.layouts import (
    LayoutError,
    all_layouts,
    builtin_ids,
    choose,
    get_layout,
    layout_of,
    load_layout_file,
    recognise,
)
from jixiao.layouts.docs import render_markdown
from jixiao.model import Indicator, SelfEvaluation, form_from_dict, split_level1

from .conftest import DATA

DOCS = Path(__file__).parent.parent / "docs" / "layouts.md"
SAMPLES = DATA / "samples"
runner = CliRunner()

# The layouts issue #16 asks for, by id.
DECLARED = {
    "national-2020",
    "shanghai-2024",
    "hubei-20",
    "sichuan",
    "hebei",
    "xinjiang",
    "beijing-district",
    "transfer",
    "department-wide",
}


def test_every_layout_of_the_issue_is_declared_and_loads():
    assert set(builtin_ids()) == DECLARED
    layouts = {lay.id: lay for lay in all_layouts()}
    assert layouts["hubei-20"].execution.weights == [Decimal(20)]
    assert layouts["national-2020"].execution.weights == [Decimal(10)]
    assert layouts["hubei-20"].policy == "hubei"
    assert layouts["transfer"].kind == "transfer"
    assert layouts["department-wide"].kind == "department"
    # a variant states only what differs: the rest comes from its base
    assert layouts["shanghai-2024"].fund_rows == layouts["national-2020"].fund_rows
    assert layouts["shanghai-2024"].fields.grade and not layouts["national-2020"].fields.grade


def test_rows_and_columns_by_their_words():
    sichuan = get_layout("sichuan")
    assert [r.id for r in sichuan.fund_rows] == [
        "total", "fiscal", "special", "unit_funds", "other",
    ]  # fmt: skip
    special = sichuan.fund_row("财政专户管理资金")
    assert special is not None and special.field is None  # kept in funds.extras
    fiscal = sichuan.fund_row("财政资金")
    assert fiscal is not None and fiscal.field == "fiscal"
    nature = sichuan.indicator_column("指标性质")
    assert nature is not None and nature.id == "nature" and nature.field is None
    unit = sichuan.column("measure_unit")
    assert unit is not None and unit.label == "度量单位"
    weight = sichuan.indicator_column("权重")
    assert weight is not None and weight.field == "weight"
    # bracketed parts, spaces and 其中 are not part of a label
    transfer = get_layout("transfer")
    assert transfer.fund_column("全年预算数(A)").field == "adjusted"  # type: ignore[union-attr]
    assert get_layout("national-2020").fund_row("其中：本年财政拨款").id == "fiscal"  # type: ignore[union-attr]
    assert get_layout("national-2020").indicator_column("年度 指标值").id == "target"  # type: ignore[union-attr]
    hebei = get_layout("hebei")
    assert hebei.indicator_column("单项指标折算得分").field == "adjusted_score"  # type: ignore[union-attr]
    assert get_layout("national-2020").level2_label("进度指标") == "时效指标"
    assert get_layout("national-2020").level2_label("服务对象满意度") == "服务对象满意度指标"
    assert get_layout("national-2020").level2_label("数量指标") == "数量指标"
    assert get_layout("national-2020").level2_label("打分指标") is None


@pytest.mark.parametrize(
    ("layout_id", "path", "has"),
    [
        ("national-2020", "funds.total.initial", True),
        ("national-2020", "funds.carryover.adjusted", True),
        ("national-2020", "goals.expected", True),
        ("national-2020", "grade", False),
        ("shanghai-2024", "grade", True),
        ("beijing-district", "funds.total.adjusted", False),  # 年初预算数(A) / 全年执行数(B)
        ("beijing-district", "funds.total.initial", True),
        ("transfer", "funds.total.initial", False),  # 全年预算数(A) only
        ("transfer", "funds.carryover.adjusted", False),  # no 上年结转 row
        ("sichuan", "funds.fiscal.executed", True),
        ("hubei-20", "indicators.weight", True),
        ("hebei", "indicators.adjusted_score", True),
        ("national-2020", "indicators.adjusted_score", False),
        ("department-wide", "unit", False),
        ("national-2020", "unit", True),
    ],
)
def test_has_says_which_fields_a_layout_has(layout_id, path, has):
    assert get_layout(layout_id).has(path) is has


def _cells(name: str) -> list[str]:
    """A sample's texts cut at its cell marks (| and line ends), as a reader's cells."""
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return [c for c in re.split(r"\s*\|\s*|\n", text) if c.strip()]


@pytest.mark.parametrize(
    ("sample", "layout_id"),
    [
        ("001_chizhou_tangxi_weituoyewu_2022.txt", "national-2020"),
        ("003_sichuan_qingshen_fgj_gongzi_2023.txt", "sichuan"),
        ("006_anhui_yuan_wlj_wenwubaohu_2022.txt", "national-2020"),
        ("008_hubei_ezhou_xzspj_shiminzhongxin_2021.txt", "national-2020"),  # 10-point form
        ("011_hebei_langfang_shipingongcheng_nuantong_2019.txt", "national-2020"),
        ("013_yunnan_yongde_minglangzhongxue_yingyang_2022.txt", "sichuan"),
        ("019_anhui_suixi_mzj_linshijiuzhu_2019.txt", "transfer"),
        ("021_beijing_haidian_xueyuanlu_qingsao_2016.txt", "beijing-district"),  # run together
    ],
)
def test_the_real_samples_are_recognised_from_their_texts(sample, layout_id):
    placed = recognise(_cells(sample))
    assert placed.layout.id == layout_id, placed.reason


def test_a_grid_is_recognised_by_its_cells():
    texts = ("一级指标", "指标 性质", "指标值", "度量\n单位", "完成值")
    grid = Grid([Cell(0, col, text=t) for col, t in enumerate(texts)])
    placed = recognise(grid)
    assert placed.layout.id == "sichuan"
    assert placed.reason == "按内容识别：有“指标性质”栏、有“度量单位”栏"


def test_the_seed_is_the_shanghai_variant(oracle_forms):
    for form in oracle_forms:
        placed = layout_of(form)
        assert placed.layout.id == "shanghai-2024"
        assert placed.reason == "按内容识别：有“评分等级”栏、地区相符"


def _form(**changes: object) -> SelfEvaluation:
    data = base_form()
    data.update(changes)
    return form_from_dict(data)


def test_a_form_is_placed_by_what_it_holds():
    plain = _form(grade=None)
    assert recognise(plain).layout.id == "national-2020"
    assert recognise(plain).reason == "未见其他版式的标志，按全国通用版式"

    sichuan = _form()
    sichuan.indicators[0] = Indicator(name="人数", extras={"指标性质": "≥", "度量单位": "人"})
    assert recognise(sichuan).layout.id == "sichuan"

    hebei = _form()
    hebei.indicators[0].adjusted_score = Decimal("8.5")
    assert recognise(hebei).layout.id == "hebei"

    twenty = _form()
    twenty.funds.total.weight = Decimal(20)
    placed = recognise(twenty)
    assert placed.layout.id == "hubei-20" and "预算执行分值为 20" in placed.reason

    transfer = _form(title="中央对地方转移支付绩效目标自评表")
    assert recognise(transfer).layout.id == "transfer"

    department = _form(title="部门整体支出绩效自评表")
    assert recognise(department).layout.id == "department-wide"

    xinjiang = _form()
    xinjiang.indicators[0].extras = {"资金来源": "自治区", "指标值设置依据": "计划标准"}
    assert recognise(xinjiang).layout.id == "xinjiang"

    unit_funds = _form()
    unit_funds.funds.extras = {"财政专户管理资金": {"initial": "0"}, "单位资金": {"initial": "0"}}
    assert recognise(unit_funds).layout.id == "sichuan"


def test_a_named_layout_is_honoured_and_an_undeclared_one_is_placed_by_content():
    form = _form(layout="hebei")
    assert layout_of(form).layout.id == "hebei"
    assert layout_of(form).reason == "表上注明的版式"
    unknown = _form(layout="guangxi-2030", grade=None)
    placed = layout_of(unknown)
    assert placed.layout.id == "national-2020"
    assert placed.reason.startswith("表上注明的版式 'guangxi-2030' 未声明；")


@pytest.mark.parametrize(
    ("changes", "policy", "brief"),
    [
        ({"layout": "hubei-20", "unit": "湖北省某厅"}, "hubei", "版式 hubei-20"),
        (
            {"layout": "hubei-20", "department": "保山市财政局", "unit": "保山市某中心"},
            "yunnan-baoshan",
            "版式 hubei-20，云南省保山市单位",
        ),
        ({"layout": "sichuan", "unit": "青神县发改局"}, "sichuan", "版式 sichuan"),
        ({"layout": "hebei"}, "hebei", "版式 hebei"),
        ({"layout": "transfer"}, "transfer", "版式 transfer"),
        (
            {"layout": "national-2020", "department": "教育部", "unit": "教育部考试中心"},
            "central-2021",
            "版式 national-2020，主管部门为中央部门",
        ),
        (
            {"layout": "national-2020", "department": "上海市某局", "unit": "上海市某中心"},
            "shanghai",
            "版式 national-2020，上海市单位",
        ),
        ({"layout": "national-2020", "unit": "某县某局"}, "mof-2020", "版式 national-2020"),
        ({"layout": "xinjiang", "unit": "上海市某中心"}, "shanghai", "版式 xinjiang，上海市单位"),
    ],
)
def test_auto_picks_the_policy_by_layout_and_region(changes, policy, brief):
    choice = choose(_form(**changes))
    assert choice.policy.name == policy
    assert choice.brief == brief
    assert choice.reason.startswith("版式：") and f"口径：{policy}" in choice.reason


def _declaration(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_users_own_declaration_extends_a_base(tmp_path):
    path = _declaration(
        tmp_path,
        'base = "national-2020"\nname = "某省自评表"\n[recognise]\nlabels = ["佐证资料"]\n'
        "[execution]\nweights = [15]\n",
    )
    mine = load_layout_file(path)
    assert mine.id == "mine" and mine.execution.weights == [Decimal(15)]
    assert mine.fund_rows == get_layout("national-2020").fund_rows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('base = "national-2020"\nname = "x"\nfoo = 1\n', "foo: 不认识的键"),
        ('base = "national-2020"\nname = "x"\npolicy = "nowhere"\n', "policy 'nowhere' 无法使用"),
        (
            'base = "national-2020"\nname = "x"\n[[fund_rows]]\nid = "a"\nlabel = "甲"\n'
            'field = "cash"\n',
            "fund_rows.a.field 应为 total、fiscal、carryover、other 之一",
        ),
        (
            'base = "national-2020"\nname = "x"\n[execution]\nsources = [["fiscal", "cash"]]\n',
            "execution.sources 的 'cash' 不是声明的资金行",
        ),
        ('base = "nowhere"\nname = "x"\n', "未知的版式 'nowhere'"),
        ('name = "x"\n[recognise]\nregions = ["("]\n', "recognise.regions 的正则表达式"),
        ('name = "x"\nbase = [1]\n', "base 应为已声明的版式 id"),
        ('name = "x\n', "TOML 格式错误"),
    ],
)
def test_a_bad_declaration_is_refused_naming_the_key(tmp_path, text, message):
    with pytest.raises(LayoutError, match=re.escape(message)):
        load_layout_file(_declaration(tmp_path, text))


def test_docs_layouts_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/layouts.md is stale: run `jixiao layouts --markdown > docs/layouts.md`"
    )
    for layout_id in DECLARED:
        assert f"id：`{layout_id}`" in render_markdown()


def test_cli_lists_and_explains_layouts():
    listed = runner.invoke(app, ["layouts"])
    assert listed.exit_code == 0
    assert "hubei-20" in listed.stdout and "beijing-district" in listed.stdout
    one = runner.invoke(app, ["layouts", "hubei-20"])
    assert one.exit_code == 0
    assert "预算执行：分值 20" in one.stdout
    bad = runner.invoke(app, ["layouts", "nowhere"])
    assert bad.exit_code == 2 and "未知的版式 'nowhere'" in bad.stderr


@pytest.mark.parametrize(
    ("printed", "label", "weight"),
    [
        ("产出指标(60分)", "产出指标", Decimal("60")),
        ("效益指标（30 分）", "效益指标", Decimal("30")),
        ("成本指标(10分", "成本指标", Decimal("10")),  # a scan's OCR dropped the bracket
        ("满意度指标(10.5分）", "满意度指标", Decimal("10.5")),
        ("产出指标", "产出指标", None),
        ("产出指标(60)", "产出指标(60)", None),
        ("产出指标(60分)说明", "产出指标(60分)说明", None),
    ],
)
def test_a_level1_label_and_its_printed_weight(printed: str, label: str, weight) -> None:
    assert split_level1(printed) == (label, weight)
