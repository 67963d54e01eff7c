"""Scanned forms: rendered by jixiao, rasterised by pdftoppm, then sealed, skewed, blurred,
speckled and JPEG-compressed (jixiao.synthetic_scan) and read back by OCR.

Few pages are read (OCR takes seconds a page, with one ONNX Runtime thread here); the
benchmark (benchmarks/bench_import_scan.py) reads more. The table finder, which needs no
OCR, is tested on more pages.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.ingest import IngestError, read_bytes
from jixiao.ingest.batch import import_file
from jixiao.ingest.scan_pages import image_kind
from jixiao.ingest.scan_table import (
    binary,
    drop_red,
    page_tables,
    skew_angle,
)
from jixiao.limits import use
from jixiao.model import SelfEvaluation
from jixiao.render.pdf import render_pdf
from jixiao.synthetic_scan import degrade, encode, rasterise, scanned_pdf, stamp

from .scans import Reading, compare, same_text

os.environ.setdefault("JIXIAO_OCR_THREADS", "1")  # two cores shared by the whole suite
SKEWS = [1.8, -2.0, 0.7]
DOUBT = re.compile(r"^第(\d+)页(表格第\d+行第\d+列(（[^）]*）)?|表格外文字)：")


@pytest.fixture(scope="module")
def seed_pages(oracle_forms: list[SelfEvaluation]) -> list:
    """The first three seed forms (one page each) at 150 dpi, as printed."""
    return rasterise(render_pdf(oracle_forms[:3]), 150)


@pytest.fixture(scope="module")
def seed_scan(seed_pages) -> list:
    return [degrade(p, seed=i, skew=SKEWS[i]) for i, p in enumerate(seed_pages)]


@pytest.fixture(scope="module")
def seed_read(seed_scan) -> list[SelfEvaluation]:
    """The three scanned pages as one image-only PDF, read by content."""
    return read_bytes(scanned_pdf(seed_scan, dpi=150), "扫描件.pdf")


def _total(readings: list[Reading]) -> tuple[int, int]:
    return sum(r.exact for r in readings), sum(r.fields for r in readings)


# ----------------------------------------------------------------- tables without OCR


def test_the_table_finder_finds_every_cell_of_a_sealed_skewed_scan(seed_pages, seed_scan) -> None:
    for clean, scan in zip(seed_pages, seed_scan, strict=True):
        want, got = page_tables(clean)[1], page_tables(scan)[1]
        assert len(want) == len(got) == 1
        assert len(got[0].cells) == len(want[0].cells)
    # the seed's first form: 150 cells (head, funds, goals, 12 indicator rows, totals)
    assert len(page_tables(seed_pages[0])[1][0].cells) == 150


@pytest.mark.parametrize("angle", [-2.0, -0.6, 1.3, 2.0])
def test_skew_is_measured_to_a_tenth_of_a_degree(seed_pages, angle: float) -> None:
    scan = degrade(seed_pages[1], seed=7, skew=angle, seal=None, noise=0, blur=0)
    grey, _ = drop_red(scan)
    # the page was turned by ``angle``: turning it back takes ``-angle``
    assert abs(skew_angle(binary(grey, 1.0)) + angle) <= 0.1


def test_a_red_seal_is_dropped_and_the_print_under_it_kept(seed_pages) -> None:
    page = seed_pages[0]
    h, w = page.shape[:2]
    sealed = stamp(page, (w // 2, h // 3), w // 10)
    grey, seal = drop_red(sealed)
    assert seal is not None and seal.mean() > 1  # the seal is found
    plain = drop_red(page)[0]
    ink_under = (plain < 128) & (seal > 0)
    paper_under = (plain > 250) & (seal > 0)
    assert ink_under.sum() > 100 and paper_under.sum() > 1000
    assert (grey[ink_under] < 160).mean() > 0.9  # black print stays dark
    assert (grey[paper_under] > 200).mean() > 0.9  # the seal's red becomes paper


def test_300_dpi_finds_the_same_cells_as_150(oracle_forms) -> None:
    pdf = render_pdf(oracle_forms[3:4])
    low, high = rasterise(pdf, 150, last=1)[0], rasterise(pdf, 300, last=1)[0]
    counts = [len(page_tables(p)[1][0].cells) for p in (low, high)]
    assert counts[0] == counts[1] > 50


def test_a_label_a_seal_spoilt_by_one_character_is_read_as_the_label() -> None:
    from jixiao.ingest.ocr import TextBox
    from jixiao.ingest.scan import _cell_text, as_label

    assert as_label("实际竞成情况") == "实际完成情况"
    assert as_label("年度指栎值") == "年度指标值"
    # values are never guessed at: digits, names, short words
    assert as_label("≥8O.00(%)") is None
    assert as_label("聘用联勤队员数量") is None
    assert as_label("健全") is None
    unsure = TextBox(0, 0, 90, 20, "实际竞成情况", score=0.7, least=0.4)
    assert _cell_text([unsure]) == ("实际完成情况", 0.4, "实际竞成情况")
    sure = TextBox(0, 0, 90, 20, "实际竞成情况", score=0.99, least=0.95)
    assert _cell_text([sure]) == ("实际竞成情况", 0.95, "")  # a sure reading is kept


# ------------------------------------------------------------------------ inputs


def test_images_are_told_by_their_bytes() -> None:
    import numpy as np

    page = np.full((40, 30, 3), 255, np.uint8)
    assert image_kind(encode(page, "png")) == "png"
    assert image_kind(encode(page, "jpeg")) == "jpeg"
    assert image_kind(encode(page, "tiff")) == "tiff"
    assert image_kind(b"%PDF-1.7") is None


def test_scans_are_told_without_parsing_for_their_time_limit(oracle_forms) -> None:
    import numpy as np

    from jixiao.ingest.scan_pages import likely_scan_pages

    page = np.full((40, 30, 3), 255, np.uint8)
    assert likely_scan_pages(encode(page, "jpeg")) == 1
    assert likely_scan_pages(scanned_pdf([page, page, page])) == 3
    assert likely_scan_pages(b"%PDF-1.4\n1 0 obj <</Type /Page /Resources <</Font 2 0 R>>>>") == 0
    # fonts hidden in compressed object streams: the content is asked (pdftotext finds text)
    rendered = render_pdf(oracle_forms[:2])
    assert b"/Font" not in rendered and b"/ObjStm" in rendered
    assert likely_scan_pages(rendered) == 0
    assert likely_scan_pages(b"{}") == 0
    # a PDF poppler cannot read: taken for a scan of the pages seen in its bytes (more time)
    assert likely_scan_pages(b"%PDF-1.4\n1 0 obj <</Type /Page>>\n2 0 obj <</Type /Page>>") == 2
    with use(max_scan_pages=2):
        assert likely_scan_pages(scanned_pdf([page, page, page])) == 2


def test_a_picture_without_a_ruled_table_says_so() -> None:
    import numpy as np

    page = np.full((400, 300, 3), 255, np.uint8)
    with pytest.raises(IngestError, match=r"^照片\.dat: 扫描件中没有找到带框线的表格"):
        read_bytes(encode(page, "jpeg"), "照片.dat")


def test_scan_limits_name_the_file_and_page() -> None:
    import numpy as np

    page = np.full((400, 300, 3), 255, np.uint8)
    with use(max_scan_pixels=100_000), pytest.raises(IngestError) as err:
        read_bytes(encode(page, "png"), "大图.png")
    assert str(err.value) == "大图.png: 第 1 页图像 300×400 像素，超过上限（每页最多 100000 像素）"
    from PIL import Image

    frames = [Image.fromarray(page) for _ in range(3)]
    import io

    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    with (
        use(max_scan_pages=2),
        pytest.raises(IngestError, match=r"^多页\.tif: 扫描件有 3 页，超过上限"),
    ):
        read_bytes(out.getvalue(), "多页.tif")


# --------------------------------------------------------------------- read by OCR


def test_a_scanned_pdf_of_three_forms_reads_back(seed_read, oracle_forms, shanghai) -> None:
    assert [f.project for f in seed_read] == [f.project for f in oracle_forms[:3]]
    readings = [compare(g, w, shanghai) for g, w in zip(seed_read, oracle_forms, strict=False)]
    assert [r.silent for r in readings] == [[], [], []]  # nothing wrong passes unflagged
    exact, fields = _total(readings)
    # 150 dpi, sealed and blurred: 449 of 458 fields exact when this was written
    assert exact / fields >= 0.98, [r.flagged + r.caught for r in readings]
    assert [f.source.page for f in seed_read] == [1, 2, 3]


def test_every_uncertain_cell_is_a_gap_with_page_and_place(seed_read) -> None:
    doubts = [(f, g) for f in seed_read for g in f.gaps if "请对照扫描件核对" in g]
    assert doubts  # a sealed, speckled 150 dpi scan has some
    for form, gap in doubts:
        m = DOUBT.match(gap)
        assert m, gap
        assert int(m.group(1)) == form.source.page


def test_a_two_page_form_as_tiff_continues_its_table(generated_forms, mof, tmp_path) -> None:
    """A generated form over two pages at 200 dpi, as one multi-page TIFF: the table on the
    second page continues the first (one form, every indicator)."""
    from jixiao.render.pdf import layout

    form = next(f for f in generated_forms if len(layout(f).pages) == 2)
    pages = rasterise(render_pdf([form]), 200)
    scans = [degrade(p, seed=10 + i, seal=(0.6, 0.75)) for i, p in enumerate(pages)]
    from PIL import Image

    images = [Image.fromarray(p[:, :, ::-1]) for p in scans]
    path = tmp_path / "两页.tif"
    images[0].save(path, "TIFF", save_all=True, append_images=images[1:], compression="jpeg")
    result = import_file(path)
    assert result.error is None
    [got] = result.forms
    assert got.source.page == 1 and got.source.end_page == 2
    assert len(got.indicators) == len(form.indicators)
    reading = compare(got, form, mof)
    assert reading.exact / reading.fields >= 0.98, reading.flagged + reading.caught
    assert reading.silent == []


@pytest.mark.parametrize(
    "layout_id",
    # exact fields when this was written (the pages fitted to A4): 河北 145/146, 四川 145/146
    # (its 一级 header, read 级指标, named by the columns' order), 湖北 161/162 (check boxes
    # read from the image), 北京 106/106 (a line the detector drew over the rule between two
    # narrow cells is cut at it, and a narrow cell's stacked words are read line by line),
    # 新疆 105/106 (A4 landscape, two pages: its header printed again on the second is
    # dropped though one cell read 上年完成值。 on the first)
    ["hebei", "sichuan", "hubei-20", "beijing-district", "xinjiang"],
)
def test_a_scan_of_another_layout_reads_with_nothing_wrong_unflagged(layout_id: str, mof) -> None:
    """A generated form of a regional layout (of twelve, the first with the fewest pages),
    sealed, skewed and blurred at 150 dpi: read in its own layout, ≥ 98 % of its fields
    exact and every other one in the gaps or caught by the audit."""
    from jixiao.generate import layout_forms
    from jixiao.render.pdf import layout

    forms = layout_forms(12, layout_id, seed=3)
    fewest = min(len(layout(f).pages) for f in forms)
    form = next(f for f in forms if len(layout(f).pages) == fewest)
    pages = rasterise(render_pdf([form]), 150)
    scans = [degrade(p, seed=5 + i, skew=1.3) for i, p in enumerate(pages)]
    [got] = read_bytes(scanned_pdf(scans, dpi=150), "扫描件.pdf")
    assert got.layout == layout_id
    assert got.source.page == 1 and (got.source.end_page or 1) == len(pages)
    reading = compare(got, form, mof)
    assert reading.silent == []
    assert reading.exact / reading.fields >= 0.98, reading.flagged
    if layout_id == "hubei-20":  # its check boxes, read from the image
        assert [(b.label, b.options, b.checked) for b in got.checkboxes] == [
            (b.label, b.options, b.checked) for b in form.checkboxes
        ]


# ------------------------------------------------------------- reading, piece by piece


def test_a_header_printed_again_is_told_through_a_speck_or_one_misread_cell() -> None:
    from types import SimpleNamespace

    from jixiao.ingest.scan import _same_row_texts

    def row(y: float, *texts: str) -> list:
        return [
            (100.0 * k, y, 100.0 * k + 90, y + 40, None, SimpleNamespace(text=t))
            for k, t in enumerate(texts)
        ]

    header = ("一级\n指标", "二级\n指标", "三级指标", "年度指标值", "上年完\n成值", "分值")
    first = row(0, *header) + row(50, "产出指标", "数量指标", "场次", "≥20场", "18场", "10")
    assert _same_row_texts(first, row(0, *header), 10)
    speck = (*header[:4], "上年完\n成值。", "分值")
    assert _same_row_texts(first, row(0, *speck), 10)  # punctuation is no word
    misread = (*header[:3], "年度指标直", "上年完\n成值。", "分值")
    assert _same_row_texts(first, row(0, *misread), 10)  # one misread of six
    twice = (*header[:2], "三级指标", "年度指标直", "上年完\n戚值", "分值")
    assert not _same_row_texts(first, row(0, *twice), 10)  # two misread: not the header
    assert not _same_row_texts(first, row(0, "产出指标", "数量指标", "场次", "≥20场", "18场"), 10)
    short = row(0, "一级指标", "二级指标", "三级指标", "分值")  # under five cells: all alike
    assert _same_row_texts(short, row(0, "一级指标", "二级指标", "三级指标", "分值"), 10)
    assert not _same_row_texts(short, row(0, "一级指标", "二级指标", "三级指杯", "分值"), 10)


def _sign_line(bar: bool, opens: str = "<", size: int = 14) -> object:
    """A grey line image: a comparison sign (drawn as two strokes, with the slanted bar of
    a Chinese font's ≤ below when ``bar``), then a digit 1 as tall as ``size``."""
    import cv2
    import numpy as np

    line = np.full((size + 16, 60), 255, np.uint8)
    top, mid = 8, 8 + size // 2 - 2
    half = int(size * 0.28)  # a < stands some 0.6 of the digits (the seed print)
    point, end = (4, mid), (4 + 10, mid - half)
    low = (4 + 10, mid + half)
    if opens == ">":
        point, end, low = (14, mid), (4, mid - half), (4, mid + half)
    cv2.line(line, point, end, 0, 2)
    cv2.line(line, point, low, 0, 2)
    if bar:  # the bar, parallel to the lower stroke, just below it
        cv2.line(line, (point[0], point[1] + 4), (low[0], low[1] + 4), 0, 2)
    cv2.rectangle(line, (24, top), (26, top + size - 1), 0, -1)  # the digit
    return line


def test_a_sign_is_told_by_its_glyph() -> None:
    from jixiao.ingest.ocr import sign_glyph

    assert sign_glyph(_sign_line(bar=True)) == "≤"
    assert sign_glyph(_sign_line(bar=True, opens=">")) == "≥"
    assert sign_glyph(_sign_line(bar=False)) == "<"
    assert sign_glyph(_sign_line(bar=False, opens=">")) == ">"
    import numpy as np

    assert sign_glyph(np.full((30, 60), 255, np.uint8)) is None  # nothing to measure


def test_a_character_passed_over_makes_the_line_unsure() -> None:
    """CTC columns: 1, blank, 0, then a blank column where the model was not sure that
    nothing stands (a % it passed over), then ), each away from the others."""
    import numpy as np

    from jixiao.ingest.ocr import _decode

    chars = ["blank", "1", "0", "%", ")", "（"]

    def column(**probs: float) -> list[float]:
        row = [probs.get(c, 0.0) for c in ("blank", "one", "zero", "pct", "close", "paren")]
        return row

    sure = [
        column(one=0.99, blank=0.01),
        column(blank=1.0),
        column(blank=1.0),
        column(zero=0.98, blank=0.02),
        column(blank=1.0),
        column(blank=1.0),
    ]
    passed_over = [column(blank=0.85, pct=0.1, one=0.05)]
    end = [column(blank=1.0), column(blank=1.0), column(close=0.97, blank=0.03)]
    decoded = _decode(np.array(sure + passed_over + end), chars)
    assert decoded.text == "10)"
    assert decoded.dropped == pytest.approx(0.85)
    assert _decode(np.array([*sure, column(blank=1.0), *end]), chars).dropped == 1.0
    # a blank column whose best other guess is a bracket does not count
    bracket = [column(blank=0.6, paren=0.4)]
    assert _decode(np.array(sure + bracket + end), chars).dropped == 1.0


def test_document_numbers_and_colons_as_printed() -> None:
    from jixiao.ingest.scan import _doc_numbers, as_label

    assert _doc_numbers("根据嘉委办发[2020】17号文") == "根据嘉委办发〔2020〕17号文"
    assert _doc_numbers("奉府办发(2023)17号文《…》") == "奉府办发〔2023〕17号文《…》"
    assert _doc_numbers("（2020-2022年）") == "（2020-2022年）"
    assert _doc_numbers("2020年(2020)") == "2020年(2020)"  # no 号 after it
    assert _doc_numbers("20:00") == "20.00"
    assert _doc_numbers("10,00") == "10.00"
    assert _doc_numbers("10,000") == "10,000"
    assert _doc_numbers("会议 20:00 开始") == "会议 20:00 开始"
    assert as_label("核行率(%）") == "执行率(%）"  # the unit suffix is not part of the guess
    assert as_label("出勤率(%)") is None


def test_a_lone_character_in_a_wide_cell_is_found() -> None:
    import numpy as np

    from jixiao.ingest.scan import _unread_ink
    from jixiao.ingest.scan_table import CellBox

    page = np.full((100, 400), 255, np.uint8)
    cell = CellBox(0, 0, 400, 60)
    assert _unread_ink(page, cell, 1.0) is None
    page[40:42, 50:52] = 0  # a speck
    assert _unread_ink(page, cell, 1.0) is None
    page[20:36, 200:214] = 0  # a character
    x0, y0, x1, y1 = _unread_ink(page, cell, 1.0)
    assert (x0, y0, x1, y1) == (196, 16, 218, 40)


# ------------------------------------------------------------- brackets that do not pair

_PLAIN = st.text(st.sampled_from("0123456789.平方米个%≥ 指标"), max_size=12)
_PAIRS = [("(", ")"), ("（", "）"), ("[", "]"), ("【", "】"), ("〔", "〕"), ("《", "》")]


def test_brackets_that_do_not_pair() -> None:
    from jixiao.ingest.scan import brackets_pair

    assert brackets_pair("4800.00(平方米)")
    assert brackets_pair("100.00(%）")  # the engine mixes the widths: one kind
    assert brackets_pair("嘉委办发〔2020〕17号（见《通知》）")
    assert not brackets_pair("4800.00(平方米")  # the benchmark's dropped bracket
    assert not brackets_pair("4800.00平方米)")
    assert not brackets_pair(")(")
    assert not brackets_pair("《通知）")  # a title mark closed by a bracket


@given(_PLAIN, _PLAIN, _PLAIN, st.sampled_from(_PAIRS), st.booleans())
def test_a_bracket_dropped_from_a_paired_text_leaves_it_unpaired(
    head: str, inner: str, tail: str, pair: tuple[str, str], drop_opening: bool
) -> None:
    from jixiao.ingest.scan import brackets_pair

    opening, closing = pair
    assert brackets_pair(head + inner + tail)
    assert brackets_pair(f"{head}{opening}{inner}{closing}{tail}")
    dropped = f"{head}{inner}{closing}{tail}" if drop_opening else f"{head}{opening}{inner}{tail}"
    assert not brackets_pair(dropped)


def test_a_sure_reading_with_an_unpaired_bracket_is_a_gap() -> None:
    from jixiao.ingest.grid import Cell, Grid
    from jixiao.ingest.scan import Read, ScanGrids, _scan_cells, in_doubt

    sure = Read(1, "4800.00(平方米", least=0.99)
    assert in_doubt(sure)
    assert not in_doubt(Read(1, "4800.00(平方米)", least=0.99))
    assert in_doubt(Read(1, "4800.00(平方米)", least=0.80))
    cell = Cell(2, 4, text=sure.text)
    grid = Grid(
        [Cell(0, 0, text="项目名称"), cell], address=lambda r, c: f"第1页表格第{r + 1}行第{c + 1}列"
    )
    scan = ScanGrids([grid], {id(cell): (grid, cell, sure)})
    [(form, kept)] = _scan_cells(scan, [], "扫描件.pdf")  # the gap, written with its cell
    assert form is None and kept.page == 1 and kept.text == "4800.00(平方米"
    assert kept.note == (
        "第1页表格第3行第5列：文字识别存疑（括号不成对，置信度 0.99），"
        "读作“4800.00(平方米”，请对照扫描件核对"
    )


# ------------------------------------------------------- uncertain cells for the editor


def test_each_uncertain_cell_names_its_field_page_box_and_crop(seed_read) -> None:
    """The gaps' uncertain cells are kept on the form as ScanCell: the field they fed
    (found by mapping again with markers), page, box, reading and a small PNG."""
    import cv2
    import numpy as np

    from jixiao.model import field_values

    cells = [(f, c) for f in seed_read for c in f.scan_cells]
    assert cells
    for form, cell in cells:
        assert cell.note in form.gaps
        assert cell.page == form.source.page
        x0, y0, x1, y1 = cell.box
        assert 0 <= x0 < x1 <= 1300 and 0 <= y0 < y1 <= 1800  # A4 at 150 dpi
        assert cell.crop.startswith(b"\x89PNG") and len(cell.crop) < 20_000
        image = cv2.imdecode(np.frombuffer(cell.crop, np.uint8), cv2.IMREAD_GRAYSCALE)
        assert image.shape[1] >= min(x1 - x0, 640) and image.shape[0] <= 240
        assert f"置信度 {cell.confidence:.2f}" in cell.note or "未识别出文字" in cell.note
    placed = [(f, c) for f, c in cells if c.path]
    assert len(placed) >= 0.8 * len(cells), [c.note for _, c in cells if not c.path]
    for form, cell in placed:
        value = dict(field_values(form))[cell.path]
        shown = "" if value is None else str(value)
        # the field holds what the cell read (a number as parsed, an empty value as None)
        assert same_text(shown) in same_text(cell.text) or value is None, (cell.path, cell.text)
    assert not any(
        c.crop for c in (SelfEvaluation.model_validate(seed_read[0].to_json_dict())).scan_cells
    )


def _boxes_line(inside: list[str]) -> object:
    """A grey line at 150 dpi with a 13-pixel square frame for each of ``inside``: "tick"
    (a check mark in it), "empty", or "faint" (a few dots: neither); a stroke like a
    character's (十) between each two; blurred as a scan is."""
    import cv2
    import numpy as np

    line = np.full((40, 60 * len(inside) + 20), 255, np.uint8)
    for k, what in enumerate(inside):
        x, y = 10 + 60 * k, 12
        cv2.rectangle(line, (x, y), (x + 12, y + 12), 0, 1)
        if what == "tick":
            cv2.line(line, (x + 3, y + 6), (x + 5, y + 9), 0, 2)
            cv2.line(line, (x + 5, y + 9), (x + 10, y + 3), 0, 2)
        elif what == "faint":
            for dx, dy in ((4, 4), (7, 7)):
                line[y + dy : y + dy + 2, x + dx : x + dx + 2] = 0
        cv2.line(line, (x + 30, y + 6), (x + 44, y + 6), 0, 1)  # 十
        cv2.line(line, (x + 37, y - 1), (x + 37, y + 13), 0, 1)
    return cv2.GaussianBlur(line, (3, 3), 0.7)


def test_check_boxes_are_found_and_told_ticked_by_their_ink() -> None:
    from jixiao.ingest.scan_boxes import find_boxes

    line = _boxes_line(["tick", "empty", "faint", "empty"])
    found = find_boxes(line, 0, 0, line.shape[1], line.shape[0], 1.0)
    assert [b.x0 // 60 for b in found] == [0, 1, 2, 3]  # the frames, not the 十
    assert [b.ticked for b in found[:2]] == [True, False]
    assert [b.sure for b in found] == [True, True, False, True]  # a few dots: not sure
    assert all(abs(b.x1 - b.x0 - 13) <= 2 for b in found)
    import numpy as np

    blank = np.full((40, 200), 255, np.uint8)
    assert find_boxes(blank, 0, 0, 200, 40, 1.0) == []


def _header(texts: list[str]) -> list:
    from jixiao.ingest.grid import Cell
    from jixiao.ingest.scan import Read

    return [(Cell(3, k, 1, 1, t), Read(1, t, 0.76)) for k, t in enumerate(texts)]


NATIONAL = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


@pytest.mark.parametrize("short", [0, 1])
def test_a_header_cell_read_short_is_named_by_the_columns_order(short: int) -> None:
    """级指标 (一 or 二 dropped) is 一级指标 before 二级指标, 二级指标 between 一级 and 三级:
    by the columns' order, and kept as what was read (so it stays in the gaps)."""
    from jixiao.ingest.scan import _name_by_order

    cells = _header([*NATIONAL[:short], "级指标", *NATIONAL[short + 1 :]])
    _name_by_order(cells)
    assert [c.text for c, _ in cells] == NATIONAL
    assert cells[short][1].text == NATIONAL[short]
    assert cells[short][1].read_as == "级指标"


@pytest.mark.parametrize(
    "texts",
    [
        ["序号", *NATIONAL[1:]],  # not part of 一级指标: another column
        ["级指标", "指标", *NATIONAL[2:]],  # two unknown cells: none is named by elimination
        ["一级指标", "级指标", "级指标", *NATIONAL[3:]],  # no 三级 (name): no header row
    ],
)
def test_a_header_cell_is_not_named_when_the_order_does_not_decide(texts: list[str]) -> None:
    from jixiao.ingest.scan import _name_by_order

    cells = _header(texts)
    _name_by_order(cells)
    assert [c.text for c, _ in cells] == texts
    assert all(r.read_as == "" for _, r in cells)
