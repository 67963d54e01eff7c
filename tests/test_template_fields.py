"""What a form's template has, read from text (``jixiao.ingest.template_fields``): check
boxes on the head's lines, the signs of a layout in cells no field took, the layout of a
file's other forms for a form whose signs the reading lost, and a gap for each part of its
layout a partial reading did not give."""

from __future__ import annotations

from jixiao.ingest import read_text
from jixiao.ingest.template_fields import (
    complete_template_fields,
    finish_layouts,
    head_label_tail,
    label_tail_taken,
    split_checkboxes,
    stacked_labels,
)
from jixiao.model import Indicator, Level1Weight, SelfEvaluation, Source, Unmapped

from .conftest import SEED_TEXT

BOXES = "项目类别 ☑经常性项目 □一次性项目 项目属性 □新增项目 ☑延续项目"


def test_split_checkboxes_cuts_a_head_text_at_its_first_check_box_field():
    assert split_checkboxes(f"上海市某单位 {BOXES}") == (
        "上海市某单位",
        {"项目类别": "☑经常性项目 □一次性项目", "项目属性": "□新增项目 ☑延续项目"},
    )
    # glued, with a colon: the same fields
    assert split_checkboxes("某单位项目类别：□经常性项目☑一次性项目")[1] == {
        "项目类别": "□经常性项目☑一次性项目"
    }
    # no box or tick, or a box under no check-box label: the text whole
    assert split_checkboxes("上海市某单位 项目类别 经常性项目") == (
        "上海市某单位 项目类别 经常性项目",
        {},
    )
    assert split_checkboxes("某单位 备注 ☑已核") == ("某单位 备注 ☑已核", {})


def test_the_seed_reader_reads_check_boxes_printed_on_the_head_lines():
    """A Hubei head printed on one line by ``pdftotext -raw`` (项目类别 … 项目属性 … after
    the 实施单位): the boxes are read, the 实施单位 keeps only its own text."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    head = "管理中心\n"
    assert text.count(head) >= 1
    got = read_text(text.replace(head, f"管理中心\n{BOXES}\n", 1), "boxes.txt")
    first = got[0]
    assert first.unit == "上海市嘉定区江桥镇城市运行管理中心"
    assert [(b.label, b.options, b.checked) for b in first.checkboxes] == [
        ("项目类别", ["经常性项目", "一次性项目"], ["经常性项目"]),
        ("项目属性", ["新增项目", "延续项目"], ["延续项目"]),
    ]
    assert first.extras == {} and not first.gaps
    assert all(not f.checkboxes for f in got[1:])


def test_a_wrapped_head_label_takes_back_its_tail_from_the_value():
    assert head_label_tail("主管部门", "及代码 顾村镇") == ("主管部门及代码", "顾村镇")
    assert head_label_tail("主管部门及", "代码\n顾村镇") == ("主管部门及代码", "顾村镇")
    assert head_label_tail("实施单位", "及 代码：某中心") == ("实施单位及代码", "某中心")
    # a value that only begins like a tail, or a label no declared one goes on from
    assert head_label_tail("主管部门", "及时办") == ("主管部门", "及时办")
    assert head_label_tail("备注", "及代码 x") == ("备注", "及代码 x")


def test_a_wrapped_head_labels_tail_on_a_line_of_its_own():
    """One mechanism for both: the tail glued to the value, or (the fast reader's lines)
    the label's first piece on its line and the rest on a line of its own below the value."""
    lines = ["及代码 顾村镇 实施单位 某中心", "项目类别"]
    assert label_tail_taken("主管部门", lines) == (
        "主管部门及代码",
        ["顾村镇 实施单位 某中心", "项目类别"],
    )
    lines = ["及", "顾村镇 实施单位 某中心", "代码"]
    assert label_tail_taken("主管部门", lines) == ("主管部门及代码", ["顾村镇 实施单位 某中心"])
    lines = ["", "顾村镇", "代码"]  # no first piece: nothing to go on from
    assert label_tail_taken("主管部门", lines) == ("主管部门", lines)


def test_the_seed_reader_reads_a_wrapped_department_label():
    """主管部门及代码 printed over two lines (北京 districts): the 主管部门 is its own text."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    got = read_text(text.replace("主管部门 江桥镇", "主管部门\n及代码 江桥镇", 1), "dept.txt")
    assert got[0].department == "江桥镇" and not got[0].gaps


def _form(**changes) -> SelfEvaluation:
    return SelfEvaluation(project="某项目", **changes)


def test_cells_no_field_took_are_signs_of_the_layout():
    """新疆's added columns, unread as columns (their header lost), still place the form;
    a label wrapped over two cells (指标值设置依 | 据) is joined."""
    form = _form(
        unmapped=[Unmapped(place="第3行", text=t) for t in ("指标值设置依", "据", "资金来源")]
    )
    assert complete_template_fields(form).layout == "xinjiang"
    plain = _form(unmapped=[Unmapped(place="第3行", text="某某")])
    assert complete_template_fields(plain).layout == "national-2020"


def test_a_form_that_lost_its_signs_takes_its_siblings_layout_and_names_what_it_lacks():
    hubei = [
        _form(layout="hubei-20", gaps=["第9行：未找到金额单位（万元 / 元）"]) for _ in range(2)
    ]
    stray = _form(layout="national-2020", gaps=["表中未找到：主管部门、实施单位"])
    forms = finish_layouts([*hubei, stray])
    assert stray.layout == "hubei-20"
    assert stray.gaps[1].startswith(
        "版式：本表读出的文字中没有版式的标志，按同一文件中其他表的版式"
    )
    # the parts of the Hubei layout no reading gave: check boxes, printed 一级 weights
    for form in forms:
        assert any(g.startswith("项目类别、项目属性：勾选框未能完整读出") for g in form.gaps)
        assert any(g.startswith("一级指标：未读到印出的一级指标分值") for g in form.gaps)
    assert finish_layouts(forms) == forms and len(stray.gaps) == 4  # twice: no new gap


def test_a_partial_form_names_a_printed_level1_weight_it_lost():
    """A partial reading that gave some 一级 weights but not that of a 一级 its rows name
    (湖北's 产出指标(40分), its 分) printed beside a 二级 piece and lost with it: seed 108 of
    jixiao's PDF, ``-raw``, before the fast reader read it) says so; one that gave each
    一级's weight does not."""

    def hubei(weights: dict[str, int]) -> SelfEvaluation:
        rows = [Indicator(level1=label, level2="数量指标") for label in ("成本指标", "产出指标")]
        return _form(
            layout="hubei-20",
            gaps=["某缺口"],
            indicators=rows,
            level1_weights=[Level1Weight(label=k, weight=v) for k, v in weights.items()],
        )

    lost, whole = hubei({"成本指标": 10}), hubei({"成本指标": 10, "产出指标": 40})
    finish_layouts([lost, whole])
    assert any(g.startswith("一级指标：未读到印出的一级指标分值") for g in lost.gaps)
    assert not any(g.startswith("一级指标") for g in whole.gaps)


def test_siblings_decide_only_when_they_agree_and_outnumber_the_stray():
    mixed = [
        _form(layout="hubei-20", gaps=["某缺口"]),
        _form(layout="hebei", gaps=["某缺口"]),
        _form(layout="national-2020", gaps=["某缺口"]),
    ]
    assert finish_layouts(mixed)[2].layout == "national-2020"
    even = [
        _form(layout="xinjiang", gaps=["某缺口"]),
        _form(layout="national-2020", gaps=["某缺口"]),
    ]
    assert finish_layouts(even)[1].layout == "national-2020"
    # a form read whole is never re-placed, nor given gaps
    whole = [_form(layout="hubei-20"), _form(layout="hubei-20"), _form(layout="national-2020")]
    assert finish_layouts(whole)[2].layout == "national-2020"
    assert not any(f.gaps for f in whole)


def _at(*words: tuple[int, str]) -> str:
    """A line laid out by position: each word at its column (characters)."""
    line = ""
    for col, word in words:
        line = line.ljust(col) + word
    return line


def test_stacked_labels_join_a_header_cell_wrapped_over_lines():
    """pdftotext -layout prints a wrapped header cell a line apart or two, centred among
    its neighbours' lines: joined by the columns they share (characters, not widths)."""
    lines = [
        _at((20, "单项指")),
        _at((0, "一级"), (8, "单项指标得"), (14, "权重占")),
        _at((20, "标折算")),
        _at((0, "指标"), (10, "分"), (15, "比")),
        _at((21, "得分")),
    ]
    got = stacked_labels(lines)
    assert {"单项指标折算得分", "单项指标得分", "权重占比", "一级指标"} <= set(got)
    assert stacked_labels([_at((0, "甲")), "", "", _at((0, "乙"))]) == ["甲", "乙"]  # too far


def test_a_laid_out_form_is_placed_by_its_wrapped_header_labels():
    """河北's 单项指标得分 / 权重占比 wrapped in a ``pdftotext -layout`` header no reading
    placed: the form is still recognised as 河北's."""
    lines = [
        "财政项目支出绩效自评表",
        "项目名称    某项目",
        _at((40, "单项指标得"), (48, "权重占")),
        _at((0, "一级 二级 三级指标    年度指标值   实际完成值"), (42, "分"), (49, "比")),
    ]
    form = _form(layout="national-2020", gaps=["某缺口"])
    form.source = Source(file="x.txt", start_line=1, end_line=4)
    assert finish_layouts([form], "\n".join(lines))[0].layout == "hebei"
