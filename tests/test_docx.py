"""Word input: the numbers Word generates, notes, tracked changes, fields, merged cells, text boxes, legacy
fonts and every kind of bad Word file, each read end to end; the sample reports as Word files."""
import io
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from extract import process_file
from extract.load import InputError
from extract.readers import ReadOptions, read
from extract.readers.docx import format_number, read_docx
from extract.table_figures import _rows_of

from conftest import ROOT

sys.path.insert(0, str(ROOT / "samples"))
import make_formats  # noqa: E402  the OOXML vocabulary the sample renderer writes with
from make_formats import NS, REL, ROOT_NS, WML  # noqa: E402

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Styles as Word writes them: Times New Roman 13 pt by default, headings 1-3 bold and linked to list 1.
STYLES = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:cs="Times New Roman"/><w:sz w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Heading2"/>'
    '<w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="2"/></w:pPr>'
    '<w:rPr><w:i/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Part"><w:name w:val="Part"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    '<w:style w:type="character" w:customStyle="1" w:styleId="Hidden"><w:name w:val="Hidden"/>'
    '<w:rPr><w:vanish/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
    '<w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/>'
    '<w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/>'
    '</w:tblBorders></w:tblPr></w:style>')


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, style: str = "", suffix: str = "space") -> str:
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{pstyle}'
            f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


# The lists of a report: headings (I. / 1. / 2.1.) linked to the heading styles, items (1. / a)), bullets.
NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>'
    + lvl(0, "upperRoman", "%1.", style="Heading1") + lvl(1, "decimal", "%2.", style="Heading2")
    + lvl(2, "decimal", "%2.%3.", style="Heading3") + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>'
    + lvl(0, "decimal", "%1.", suffix="tab") + lvl(1, "lowerLetter", "%2)") + '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="hybridMultilevel"/>'
    + lvl(0, "bullet", "\uf0b7") + '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
    '</w:lvlOverride><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
    '</w:lvlOverride></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/>'
    '</w:lvlOverride></w:num>')
SEPARATORS = ('<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
              '<w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{0}>')


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str, style: str | None = None, num: tuple[int, int] | None = None, ppr: str = "") -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    content = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{content}</w:p>"


def note(kind: str, number: int, *paras: str) -> str:
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle '
                   f'w:val="FootnoteReference"/></w:rPr><w:{kind}Ref/></w:r>{run(" " + p)}</w:p>' for p in paras)
    return f'<w:{kind} w:id="{number}">{body}</w:{kind}>'


def reference(kind: str, number: int, custom: str = "") -> str:
    mark = f' w:customMarkFollows="1"' if custom else ""
    text = f"<w:t>{custom}</w:t>" if custom else ""
    return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:{kind}Reference{mark} w:id="{number}"/>{text}</w:r>')


def word_file(path: Path, body: str, *, styles: str = STYLES, numbering: str = NUMBERING, footnotes: str = "",
              endnotes: str = "", header: str = "", comments: str = "") -> Path:
    """A .docx as Word writes it: content types, relationships, the body and the parts it refers to."""
    parts = {"word/styles.xml": ("styles", f"<w:styles {ROOT_NS}>{styles}</w:styles>"),
             "word/numbering.xml": ("numbering", f"<w:numbering {ROOT_NS}>{numbering}</w:numbering>"),
             "word/footnotes.xml": ("footnotes", f"<w:footnotes {ROOT_NS}>{SEPARATORS.format('footnote')}"
                                                 f"{footnotes}</w:footnotes>"),
             "word/endnotes.xml": ("endnotes", f"<w:endnotes {ROOT_NS}>{SEPARATORS.format('endnote')}"
                                               f"{endnotes}</w:endnotes>")}
    if header:
        parts["word/header1.xml"] = ("header", f"<w:hdr {ROOT_NS}>{header}</w:hdr>")
    if comments:
        parts["word/comments.xml"] = ("comments", f"<w:comments {ROOT_NS}>{comments}</w:comments>")
    section = ('<w:sectPr>' + ('<w:headerReference w:type="default" r:id="rId5"/>' if header else "")
               + '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" '
                 'w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>')
    document = f"<w:document {ROOT_NS}><w:body>{body}{section}</w:body></w:document>"
    ids = {"styles": "rId1", "numbering": "rId2", "footnotes": "rId3", "endnotes": "rId4", "header": "rId5",
           "comments": "rId6"}
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/>'
             + "".join(f'<Override PartName="/{name}" ContentType="{WML}.{kind}+xml"/>'
                       for name, (kind, _) in parts.items()) + "</Types>")
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    document_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     + "".join(f'<Relationship Id="{ids[kind]}" Type="{REL}/{kind}" Target="{name[5:]}"/>'
                               for name, (kind, _) in parts.items()) + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", HEAD + types)
        archive.writestr("_rels/.rels", HEAD + rels)
        archive.writestr("word/_rels/document.xml.rels", HEAD + document_rels)
        archive.writestr("word/document.xml", HEAD + document)
        for name, (_, xml) in parts.items():
            archive.writestr(name, HEAD + xml)
    return path


def texts(layout, role: str = "body") -> list[str]:
    return [line.text for line in layout.lines if line.role == role]


def figures(result, **where) -> list[tuple]:
    rows = result.figures
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return [(r["raw"], r["kind"], r["value"] if r["kind"] != "ratio" else (r["numerator"], r["denominator"]),
             r["section"]) for r in rows.to_dict("records")]


# ----------------------------------------------------------------- numbering

PART_ONE = "".join([
    para("Phần thứ nhất:", style="Part"),
    para("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024", style="Part"),
    para("LĨNH VỰC KINH TẾ", style="Heading1"),
    para("Thương mại, dịch vụ", style="Heading2"),
    para("Toàn phường có 412 hộ kinh doanh cá thể đang hoạt động."),
    para("Thu, chi ngân sách", style="Heading2"),
    para("Thu ngân sách", style="Heading3"),
    para("Thu ngân sách phường ước thực hiện 8.315.420.000đ/6.200.000.000đ, đạt 134,12% dự toán."),
    para("LĨNH VỰC VĂN HÓA - XÃ HỘI", style="Heading1"),
    para("Giáo dục và đào tạo", style="Heading2"),
    # a slip typed by hand: the list is switched off and the number written as the report has it
    para("2.2. Công tác khuyến học", style="Heading3", num=(0, 2)),
    para("Hội Khuyến học trao thưởng cho 84 học sinh."),
])
PART_TWO = "".join([
    para("Phần thứ hai:", style="Part"),
    para("CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025", style="Heading1", num=(2, 0)),
    para("Phấn đấu tổng thu ngân sách đạt trên 10 tỷ đồng.", num=(3, 0)),
    para("Thu nhập bình quân đầu người đạt 80 triệu đồng/người/năm.", num=(3, 0)),
    para("trong đó khu vực dịch vụ tăng 5%;", num=(3, 1)),
    para("NHIỆM VỤ, GIẢI PHÁP", style="Heading1", num=(2, 0)),
    para("Tập trung các giải pháp tăng thu ngân sách.", num=(4, 0)),
    para("Hoàn thành 03 nhà văn hóa tổ dân phố.", num=(5, 0)),
    para("Giữ vững an ninh chính trị.", num=(6, 0)),
])
REPORT_WITH_NUMBERED_HEADINGS = PART_ONE + PART_TWO


def test_heading_and_list_numbers_that_word_generates_are_in_the_text(tmp_path):
    layout = read_docx(str(word_file(tmp_path / "numbered.docx", REPORT_WITH_NUMBERED_HEADINGS)))
    assert texts(layout) == [
        "Phần thứ nhất:", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024",
        "I. LĨNH VỰC KINH TẾ", "1. Thương mại, dịch vụ",
        "Toàn phường có 412 hộ kinh doanh cá thể đang hoạt động.",
        "2. Thu, chi ngân sách", "2.1. Thu ngân sách",
        "Thu ngân sách phường ước thực hiện 8.315.420.000đ/6.200.000.000đ, đạt 134,12% dự toán.",
        "II. LĨNH VỰC VĂN HÓA - XÃ HỘI", "1. Giáo dục và đào tạo",        # a new Roman heading restarts 1.
        "2.2. Công tác khuyến học", "Hội Khuyến học trao thưởng cho 84 học sinh.",
        "Phần thứ hai:", "I. CÁC CHỈ TIÊU CHỦ YẾU NĂM 2025",                # a list with startOverride restarts
        "1. Phấn đấu tổng thu ngân sách đạt trên 10 tỷ đồng.",
        "2. Thu nhập bình quân đầu người đạt 80 triệu đồng/người/năm.",
        "a) trong đó khu vực dịch vụ tăng 5%;",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "1. Tập trung các giải pháp tăng thu ngân sách.",                     # a second group of items
        "- Hoàn thành 03 nhà văn hóa tổ dân phố.",                          # a bullet, as the text has it
        "3. Giữ vững an ninh chính trị.",                                     # a list told to start at 3
    ]
    heading = next(line for line in layout.lines if line.text.startswith("2.1."))
    item = next(line for line in layout.lines if line.text.startswith("1. Phấn đấu"))
    assert heading.bold_start and heading.bold and not item.bold_start
    assert [line.paragraph for line in layout.lines] == list(range(1, len(layout.lines) + 1))
    assert layout.format == "docx" and layout.encoding == "unicode" and set(layout.boxes) == {None}


def test_generated_numbers_make_the_section_tree(tmp_path):
    result = process_file(word_file(tmp_path / "numbered.docx", REPORT_WITH_NUMBERED_HEADINGS))
    sections = result.sections.set_index("path")
    assert list(sections.index) == [
        "Phần thứ nhất", "Phần thứ nhất > I", "Phần thứ nhất > I > 1", "Phần thứ nhất > I > 2",
        "Phần thứ nhất > I > 2 > 2.1", "Phần thứ nhất > II", "Phần thứ nhất > II > 1",
        "Phần thứ nhất > II > 1 > 2.2", "Phần thứ hai", "Phần thứ hai > I", "Phần thứ hai > I > 1",
        "Phần thứ hai > I > 2", "Phần thứ hai > II", "Phần thứ hai > II > 1", "Phần thứ hai > II > 3"]
    assert sections.loc["Phần thứ nhất > I > 2 > 2.1", "type"] == "heading"
    assert sections.loc["Phần thứ hai > I > 1", "type"] == "numbered_item"      # a numbered line not in bold
    assert figures(result, kind="percent") == [("134,12%", "percent", 134.12, "Phần thứ nhất > I > 2 > 2.1"),
                                               ("5%", "percent", 5.0, "Phần thứ hai > I > 2")]
    assert ("84 học sinh", "count", 84.0, "Phần thứ nhất > II > 1 > 2.2") in figures(result)
    assert result.figures["paragraph"].notna().all()
    hh = result.figures.set_index("raw")
    assert hh.loc["412 hộ kinh doanh cá thể", "paragraph"] == 5


@pytest.mark.parametrize("number,number_format,shown", [
    (4, "upperRoman", "IV"), (9, "upperRoman", "IX"), (14, "lowerRoman", "xiv"), (2, "upperLetter", "B"),
    (28, "lowerLetter", "bb"), (7, "decimalZero", "07"), (12, "decimal", "12"), (3, "ordinalText", "3"),
    (5, "none", ""),
])
def test_a_counter_is_shown_in_its_format(number, number_format, shown):
    assert format_number(number, number_format) == shown


def test_a_level_used_before_the_level_above_it_starts_that_level(tmp_path):
    """As Word and LibreOffice count: "1.1" before any "1." starts the upper level at 1, so the next upper
    item is the second (LibreOffice writes .doc lists this way when it converts them)."""
    numbering = (
        '<w:abstractNum w:abstractNumId="7">' + lvl(0, "upperRoman", "%1.") + lvl(1, "decimal", "%2.") +
        '</w:abstractNum><w:abstractNum w:abstractNumId="2">' + lvl(0, "upperRoman", "%1.") +
        lvl(1, "decimal", "%2.") + '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>')
    body = "".join([para("KINH TẾ", num=(7, 0)), para("Thương mại", num=(2, 1)), para("Ngân sách", num=(2, 1)),
                    para("VĂN HÓA - XÃ HỘI", num=(2, 0)), para("Giáo dục", num=(2, 1))])
    layout = read_docx(str(word_file(tmp_path / "lists.docx", body, numbering=numbering)))
    assert texts(layout) == ["I. KINH TẾ", "1. Thương mại", "2. Ngân sách", "II. VĂN HÓA - XÃ HỘI", "1. Giáo dục"]


def test_a_list_defined_through_a_numbering_style_is_numbered(tmp_path):
    styles = STYLES + ('<w:style w:type="numbering" w:customStyle="1" w:styleId="ReportList"><w:name '
                       'w:val="Report List"/><w:pPr><w:numPr><w:numId w:val="9"/></w:numPr></w:pPr></w:style>')
    numbering = ('<w:abstractNum w:abstractNumId="0"><w:numStyleLink w:val="ReportList"/></w:abstractNum>'
                 '<w:abstractNum w:abstractNumId="5"><w:styleLink w:val="ReportList"/>'
                 + lvl(0, "upperRoman", "%1.") + '</w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
                 '<w:num w:numId="9"><w:abstractNumId w:val="5"/></w:num>')
    body = para("KINH TẾ", num=(1, 0)) + para("XÃ HỘI", num=(1, 0))
    layout = read_docx(str(word_file(tmp_path / "style-list.docx", body, styles=styles, numbering=numbering)))
    assert texts(layout) == ["I. KINH TẾ", "II. XÃ HỘI"]


# ----------------------------------------------------------------- notes

def test_footnotes_and_endnotes_are_markers_and_bodies(tmp_path):
    body = "".join([
        para("Phần thứ nhất:", style="Part"),
        para("LĨNH VỰC VĂN HÓA - XÃ HỘI", style="Heading1"),
        para(run("Tỷ lệ hộ gia đình đạt danh hiệu gia đình văn hóa năm 2024"), reference("footnote", 1),
             run(" tăng so với năm trước"), reference("footnote", 3, custom="*"),
             run("; trao 375 suất quà"), reference("endnote", 1), run(".")),
        para("LĨNH VỰC QUỐC PHÒNG - AN NINH", style="Heading1"),
        para(run("Tuyển quân đạt 100% chỉ tiêu"), reference("footnote", 2), run(".")),
    ])
    footnotes = (note("footnote", 1, "Trong đó 2.917/3.064 hộ đạt 95,20%.") +
                 note("footnote", 2, "14 thanh niên nhập ngũ,", "đạt 100% kế hoạch.") +
                 note("footnote", 3, "Số liệu đến ngày 30/11/2024: 41 suất quà."))
    endnotes = note("endnote", 1, "Tổng giá trị 154.100.000đ.")
    path = word_file(tmp_path / "notes.docx", body, footnotes=footnotes, endnotes=endnotes)
    layout = read_docx(str(path))
    # footnotes numbered in order of reference, endnotes after them, a note with its own mark ("*") last
    assert [(n, layout.text[:at].rsplit(" ", 1)[-1]) for n, at in layout.markers] == \
        [(1, "2024"), (4, "trước"), (3, "quà"), (2, "tiêu")]
    assert "năm 2024 tăng so với năm trước; trao 375 suất quà." in layout.text     # no mark in the text
    # each body after the text, led by its mark as Word shows it: a count that opens a note ("14 thanh
    # niên") is then never taken for the note's number
    notes = [(line.footnote, line.text.strip()) for line in layout.lines if line.role == "footnote"]
    assert notes == [(1, "1 Trong đó 2.917/3.064 hộ đạt 95,20%."), (2, "2 14 thanh niên nhập ngũ,"),
                     (2, "đạt 100% kế hoạch."), (3, "3 Tổng giá trị 154.100.000đ."),
                     (4, "* Số liệu đến ngày 30/11/2024: 41 suất quà.")]
    result = process_file(path)
    assert result.documents.iloc[0]["footnotes"] == 4
    by_raw = result.figures.set_index("raw")
    assert by_raw.loc["95,20%", "section"] == "footnote 1"
    assert by_raw.loc["95,20%", "anchor_section"] == "Phần thứ nhất > I"
    assert by_raw.loc["14 thanh niên", "section"] == "footnote 2"
    assert by_raw.loc["14 thanh niên", "anchor_section"] == "Phần thứ nhất > II"
    assert by_raw.loc["154.100.000đ", "section"] == "footnote 3"
    assert by_raw.loc["375 suất quà", "section"] == "Phần thứ nhất > I"


# ----------------------------------------------------------------- what a run shows

def test_tracked_changes_are_read_as_accepted(tmp_path):
    revision = 'w:author="Văn phòng UBND" w:date="2024-12-04T09:15:00Z"'
    body = "".join([
        para(run("Giải quyết việc làm cho 236 lao động"),
             f'<w:ins w:id="101" {revision}>{run(", trong đó 14 người đi làm việc ở nước ngoài")}</w:ins>',
             f'<w:del w:id="102" {revision}><w:r><w:delText xml:space="preserve">, 57 hộ nghèo</w:delText>'
             f'</w:r></w:del>', run(".")),
        para(f'<w:moveFrom w:id="103" {revision}>{run("Trao 999 suất quà cũ. ")}</w:moveFrom>',
             run("Hỗ trợ xây mới nhà ở cho 01 hộ nghèo."),
             f'<w:moveTo w:id="104" {revision}>{run(" Trao 167 suất quà.")}</w:moveTo>'),
        # a paragraph deleted whole (its text and its mark): gone; a deleted mark alone joins two paragraphs
        para(f'<w:del w:id="105" {revision}>{run("Xóa 888 hộ.").replace("w:t ", "w:delText ").replace("</w:t>", "</w:delText>")}</w:del>',
             ppr=f'<w:rPr><w:del w:id="106" {revision}/></w:rPr>'),
        para(run("Tổng thu ngân sách đạt"), ppr=f'<w:rPr><w:del w:id="107" {revision}/></w:rPr>'),
        para(run(" 12.746.000.000đ.")),
    ])
    path = word_file(tmp_path / "tracked.docx", body)
    layout = read_docx(str(path))
    assert texts(layout) == [
        "Giải quyết việc làm cho 236 lao động, trong đó 14 người đi làm việc ở nước ngoài.",
        "Hỗ trợ xây mới nhà ở cho 01 hộ nghèo. Trao 167 suất quà.",
        "Tổng thu ngân sách đạt 12.746.000.000đ."]
    raws = set(process_file(path).figures["raw"])
    assert {"14 người", "167 suất quà", "12.746.000.000đ"} <= raws
    assert not {"57 hộ nghèo", "999 suất quà", "888 hộ"} & raws


def test_what_runs_hold_is_read_as_word_shows_it(tmp_path):
    symbol = '<w:r><w:sym w:font="Symbol" w:char="F0B3"/></w:r>'
    check = '<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>\uf0fc\uf0a8</w:t></w:r>'
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGEFIELD '
             'SoHo </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("2.810") +
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    body = "".join([
        para(run("Tỷ lệ hộ nghèo giảm còn"), run(" "), symbol, run(" 0,38%.")),
        para(run("Trường đạt chuẩn quốc gia "), check, run(": 3 trường.")),
        para(run("Toàn phường có "), field, run(" hộ dân; "),
             '<w:fldSimple w:instr=" DOCPROPERTY Tong "><w:r><w:t>9.391</w:t></w:r></w:fldSimple>', run(" công dân.")),
        para(run("Kinh phí"), '<w:r><w:tab/></w:r>', run("65.000.000đ"), '<w:r><w:br/></w:r>',
             run("trong đó ngân sách"), '<w:r><w:noBreakHyphen/></w:r>', run("xã hội hóa 40.000.000đ.")),
        para(run("kết quả thực hiện nhiệm vụ năm 2024", "<w:caps/>")),
        para(run("Chuyển đổi số đạt 96,28%"), run(" ghi chú nội bộ 77 hộ", '<w:rStyle w:val="Hidden"/>'),
             run(" ("), run("đúng hạn", "<w:vanish/>"), run("kế hoạch)."),
             run(" Ph\u00adường bảo đảm tiến độ.")),
        # a field whose code never ends (a broken file) hides its own paragraph's rest, not the document's
        para(run("Ghi chú"), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> SEQ Bang '
             '</w:instrText></w:r>', run("1")),
        para(run("Trao 167 suất quà.")),
        # a table of contents repeats the headings: left out
        para('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" \\h </w:instrText>'
             '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("I. KINH TẾ\t3")),
        para(run("II. VĂN HÓA\t5"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
    ])
    layout = read_docx(str(word_file(tmp_path / "runs.docx", body)))
    assert texts(layout) == [
        "Tỷ lệ hộ nghèo giảm còn ≥ 0,38%.",
        "Trường đạt chuẩn quốc gia ✓☐: 3 trường.",
        "Toàn phường có 2.810 hộ dân; 9.391 công dân.",
        "Kinh phí\t65.000.000đ", "trong đó ngân sách-xã hội hóa 40.000.000đ.",
        "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024",                              # set in capitals
        "Chuyển đổi số đạt 96,28% (kế hoạch). Phường bảo đảm tiến độ.",  # hidden text left out
        "Ghi chú", "Trao 167 suất quà.",
    ]
    broken = [line for line in layout.lines if line.text.startswith(("Kinh phí", "trong đó"))]
    assert len({line.paragraph for line in broken}) == 1, "a line break stays in its paragraph"


def test_a_style_separator_runs_a_heading_into_its_paragraph(tmp_path):
    """A hidden paragraph mark (Word's style separator) shows the heading and the text as one paragraph,
    numbered as the heading."""
    body = (para("VĂN HÓA - XÃ HỘI", style="Heading1") + para("Văn hóa", style="Heading2")
            + para("Công tác văn hóa:", style="Heading3", ppr="<w:rPr><w:vanish/></w:rPr>")
            + para(" Phong trào Toàn dân đoàn kết có 2.917/3.064 hộ đạt gia đình văn hóa."))
    path = word_file(tmp_path / "separator.docx", body)
    assert texts(read_docx(str(path)))[-1] == \
        "1.1. Công tác văn hóa: Phong trào Toàn dân đoàn kết có 2.917/3.064 hộ đạt gia đình văn hóa."
    sections = process_file(path).sections
    assert list(sections["path"]) == ["I", "I > 1", "I > 1 > 1.1"]
    assert sections.iloc[-1]["type"] == "inline_heading" and sections.iloc[-1]["title"] == "Công tác văn hóa"


def test_a_text_box_is_read_once_where_it_is_anchored(tmp_path):
    box = para("Độc lập - Tự do - Hạnh phúc")
    alternate = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
        'distL="114300" distR="114300" simplePos="0" relativeHeight="251658241" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:extent cx="3096000" cy="223200"/>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>'
        '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape id="Text Box 1" '
        f'type="#_x0000_t202"><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>')
    body = para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", alternate) + para("Báo cáo tình hình kinh tế - xã hội.")
    layout = read_docx(str(word_file(tmp_path / "box.docx", body)))
    assert texts(layout) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                             "Báo cáo tình hình kinh tế - xã hội."]


def test_headers_footers_and_comments_are_not_the_report(tmp_path):
    comment = '<w:comment w:id="0" w:author="A">' + para("Kiểm tra lại 555 hộ") + "</w:comment>"
    body = para(run("Toàn phường có 2.810 hộ"), '<w:commentRangeStart w:id="0"/>', run(" dân"),
                '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
                run(" sinh sống ở các tổ dân phố."))
    header = para("Số: 287/BC-UBND, trang 1 có 444 hộ")
    path = word_file(tmp_path / "margins.docx", body, header=header, comments=comment)
    assert read_docx(str(path)).text == "Toàn phường có 2.810 hộ dân sinh sống ở các tổ dân phố."
    assert list(process_file(path).figures["raw"]) == ["2.810 hộ dân"]


def test_content_controls_are_read(tmp_path):
    body = ('<w:sdt><w:sdtPr><w:alias w:val="Kết quả"/></w:sdtPr><w:sdtContent>'
            + para(run("Thu ngân sách đạt "), '<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent>'
                   + run("134,12%") + '</w:sdtContent></w:sdt>', run(" dự toán.")) + '</w:sdtContent></w:sdt>')
    layout = read_docx(str(word_file(tmp_path / "controls.docx", body)))
    assert texts(layout) == ["Thu ngân sách đạt 134,12% dự toán."]


# ----------------------------------------------------------------- tables

def cell(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{para(text) if text else '<w:p/>'}</w:tc>"


NESTED = '<w:tbl><w:tr>' + cell("xã hội") + cell("tự nguyện") + '</w:tr></w:tbl>'
APPENDIX = "".join([
    para("PHỤ LỤC", style="Part"),
    '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="9072" w:type="dxa"/></w:tblPr><w:tblGrid>'
    + "".join(f'<w:gridCol w:w="{w}"/>' for w in (624, 3515, 1588, 1134, 1191, 1021)) + '</w:tblGrid>',
    '<w:tr><w:trPr><w:tblHeader/></w:trPr>'
    + cell("STT", '<w:vMerge w:val="restart"/>') + cell("Chỉ tiêu", '<w:vMerge w:val="restart"/>')
    + cell("Đơn vị tính", '<w:vMerge w:val="restart"/>') + cell("Năm 2025", '<w:gridSpan w:val="2"/>')
    + cell("Tỷ lệ (%)", '<w:vMerge w:val="restart"/>') + '</w:tr>',
    '<w:tr><w:trPr><w:tblHeader/></w:trPr>' + cell("", "<w:vMerge/>") + cell("", "<w:vMerge/>")
    + cell("", "<w:vMerge/>") + cell("Kế hoạch") + cell("Thực hiện") + cell("", "<w:vMerge/>") + '</w:tr>',
    '<w:tr>' + cell("1") + cell("Thu ngân sách phường") + cell("triệu đồng") + cell("6.200") + cell("8.315,42")
    + cell("134,12") + '</w:tr>',
    '<w:tr>' + cell("2") + '<w:tc><w:tcPr/>' + para("Người tham gia bảo hiểm") + NESTED + '<w:p/></w:tc>'
    + cell("người") + cell("48")
    + cell("52") + cell("108,33") + '</w:tr>',
    '</w:tbl>',
])


def test_a_merged_cell_table_gives_cells_on_the_grid_and_figures_by_row_and_column(tmp_path):
    path = word_file(tmp_path / "appendix.docx", APPENDIX)
    layout = read_docx(str(path))
    grid = [[c["text"] for c in row] for row in _rows_of(layout.tables)["T1"]]
    assert grid == [["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "", "Tỷ lệ (%)"],
                    ["", "", "", "Kế hoạch", "Thực hiện", ""],
                    ["1", "Thu ngân sách phường", "triệu đồng", "6.200", "8.315,42", "134,12"],
                    ["2", "Người tham gia bảo hiểm xã hội tự nguyện", "người", "48", "52", "108,33"]]
    rows = [line for line in layout.lines if line.role == "table"]
    assert rows[2].text == "1 | Thu ngân sách phường | triệu đồng | 6.200 | 8.315,42 | 134,12"
    assert all(layout.text[c["start"]:c["end"]] == c["text"] for c in layout.tables)
    assert len({line.paragraph for line in rows}) == 4
    result = process_file(path)
    table = result.figures[result.figures["table_id"] == "T1"].set_index(["row", "col"])
    assert table.loc[(2, 3), "col_header"] == "Năm 2025 > Kế hoạch"
    assert table.loc[(2, 4), "col_header"] == "Năm 2025 > Thực hiện"
    assert table.loc[(2, 3), "row_label"] == "Thu ngân sách phường"
    assert (table.loc[(2, 3), "kind"], table.loc[(2, 3), "value"]) == ("money", 6_200_000_000)
    assert (table.loc[(3, 4), "kind"], table.loc[(3, 4), "value"], table.loc[(3, 4), "unit"]) == ("count", 52, "người")
    assert set(table["section"]) == {"PHỤ LỤC"}
    checks = result.checks[result.checks["check"] == "table_row"]
    assert len(checks) == 2 and checks["consistent"].all()


def test_a_layout_table_is_read_as_its_paragraphs(tmp_path):
    """The heading block of a report (unit and number beside the motto and date) is a table without
    rules: its paragraphs are the report's text, cell after cell."""
    heading = ('<w:tbl><w:tblPr><w:tblW w:w="9072" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/>'
               '<w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="3629"/>'
               '<w:gridCol w:w="5443"/></w:tblGrid><w:tr>'
               '<w:tc>' + para("ỦY BAN NHÂN DÂN") + para("PHƯỜNG HÒA BÌNH") + '</w:tc>'
               '<w:tc>' + para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + para("Độc lập - Tự do - Hạnh phúc") +
               '</w:tc></w:tr><w:tr><w:tc>' + para("Số: 287/BC-UBND") + '</w:tc><w:tc>'
               + para("Hòa Bình, ngày 05 tháng 12 năm 2024") + '</w:tc></w:tr></w:tbl>')
    body = heading + para("Toàn phường có 412 hộ kinh doanh.")
    layout = read_docx(str(word_file(tmp_path / "heading.docx", body)))
    assert texts(layout) == ["ỦY BAN NHÂN DÂN", "PHƯỜNG HÒA BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                             "Độc lập - Tự do - Hạnh phúc", "Số: 287/BC-UBND", "Hòa Bình, ngày 05 tháng 12 năm 2024",
                             "Toàn phường có 412 hộ kinh doanh."]
    assert layout.tables == []


# ----------------------------------------------------------------- legacy fonts

def test_legacy_fonts_are_read_into_unicode(tmp_path):
    tcvn3 = '<w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/>'
    capitals = '<w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/>'
    vni = '<w:rFonts w:ascii="VNI-Times" w:hAnsi="VNI-Times"/>'
    body = "".join([
        para(run("B¸O C¸O", capitals)),
        para(run("Tæng thu ng©n s¸ch ph", tcvn3), f'<w:r><w:rPr>{tcvn3}</w:rPr><w:softHyphen/></w:r>',
             run("êng ®¹t 8.315.420.000®, b»ng 134,12% dù to¸n.", tcvn3)),
        para(run("Toaøn phöôøng coù 412 hoä kinh doanh.", vni)),
    ])
    path = word_file(tmp_path / "legacy.docx", body)
    layout = read_docx(str(path))
    assert texts(layout) == ["BÁO CÁO", "Tổng thu ngân sách phường đạt 8.315.420.000đ, bằng 134,12% dự toán.",
                             "Toàn phường có 412 hộ kinh doanh."]
    assert layout.encoding == "mixed"
    result = process_file(path)
    assert result.documents.iloc[0]["encoding"] == "mixed"
    assert {"8.315.420.000đ", "134,12%", "412 hộ kinh doanh"} <= set(result.figures["raw"])
    only_tcvn3 = word_file(tmp_path / "tcvn3.docx", body.rsplit("<w:p>", 1)[0])
    assert read_docx(str(only_tcvn3)).encoding == "tcvn3"


# ----------------------------------------------------------------- bad files

def good_docx(tmp_path) -> bytes:
    return word_file(tmp_path / "good.docx", para("Toàn phường có 412 hộ kinh doanh cá thể đang hoạt động.")) \
        .read_bytes()


def garbled(data: bytes, name: str) -> bytes:
    """DATA with the compressed bytes of part NAME overwritten."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 4
    return data[:start] + b"\xff" * 16 + data[start + 16:]


def with_document(tmp_path, document: bytes, name: str) -> Path:
    source = io.BytesIO(good_docx(tmp_path))
    path = tmp_path / name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = document if info.filename == "word/document.xml" else original.read(info)
            archive.writestr(info.filename, data)
    return path


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                   for n in range(1, 10))
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
          b'<w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


@pytest.mark.parametrize("name,make,cause", [
    ("truncated.docx", lambda tmp: good_docx(tmp)[:400], "corrupt or truncated Word file"),
    ("garbled.docx", lambda tmp: garbled(good_docx(tmp), "word/document.xml"), "corrupt or truncated Word file"),
    ("locked.docx", lambda tmp: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "EncryptedPackage".encode("utf-16-le")
     + bytes(1024), "password-protected Office file: a password is needed"),
    ("bomb.docx", lambda tmp: with_document(tmp, BOMB, "b.docx").read_bytes(),
     "unsafe Word file: word/document.xml declares a document type (lolz): entity expansion is refused"),
    ("zipbomb.docx", lambda tmp: with_document(
        tmp, b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             + b" " * (24 << 20) + b"</w:body></w:document>", "z.docx").read_bytes(),
     "word/document.xml would expand to 24 MB from 0.0"),
    ("malformed.docx", lambda tmp: with_document(tmp, b"<w:document><w:body>", "m.docx").read_bytes(),
     "corrupt Word file: word/document.xml is not well-formed XML"),
])
def test_a_bad_word_file_is_an_error_with_its_cause(tmp_path, name, make, cause):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    row = process_file(path).documents.iloc[0]
    assert row["status"] == "error" and row["error"].startswith(cause), row["error"]


def test_a_zip_without_a_word_document_is_not_read_as_one(tmp_path):
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<w:styles/>")
    with pytest.raises(InputError, match="not a Word document: the package has no word/document.xml"):
        read_docx(str(path))
    row = process_file(path).documents.iloc[0]
    assert row["status"] in ("error", "skipped") and row["error"]


def test_a_word_file_in_the_strict_vocabulary_is_read(tmp_path):
    path = word_file(tmp_path / "strict.docx", para("Toàn phường có 412 hộ kinh doanh."))
    strict = tmp_path / "strict-iso.docx"
    with zipfile.ZipFile(path) as original, zipfile.ZipFile(strict, "w") as archive:
        for info in original.infolist():
            data = original.read(info).replace(NS["w"].encode(),
                                                b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            archive.writestr(info.filename, data)
    assert texts(read_docx(str(strict))) == ["Toàn phường có 412 hộ kinh doanh."]


# ----------------------------------------------------------------- the sample reports

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))

@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample-docx")
    return {sample.stem: make_formats.make_formats(sample, out, {"docx"})["docx"] for sample in SAMPLES}


def figure_keys(result) -> Counter:
    rows = result.figures[result.figures["table_id"].isna()]
    return Counter((r["kind"], r["numerator"] if r["kind"] == "ratio" else r["value"],
                    r["denominator"] if r["kind"] == "ratio" else None, r["section"]) for r in rows.to_dict("records"))


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_a_sample_as_word_gives_the_figures_of_its_text(sample_docx, sample):
    """Generated heading numbers, real footnotes, a tracked insertion and deletion, the motto in a text
    box, a running head and a page field: the same figures in the same sections as the text."""
    result = process_file(sample_docx[sample.stem])
    assert result.ok and result.documents.iloc[0]["format"] == "docx"
    assert figure_keys(result) == figure_keys(process_file(sample))


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_a_sample_as_word_has_the_table_cells_of_its_pdf(sample_docx, sample):
    """The same appendix cells as the PDF reader finds (the PDF repeats its header rows on a new page and
    wraps long cells, which the table stage undoes), and the same table figures."""
    def grid(source):
        return {table: [["".join(c["text"].split()) for c in row] for row in rows]
                for table, rows in _rows_of(source.layout.tables).items()}

    def table_figures(result):
        rows = result.figures[result.figures["table_id"].notna()]
        return sorted((r["table_id"], r["row"], r["col"], r["kind"], r["value"], r["unit"], r["row_label"],
                       r["col_header"], r["section"]) for r in rows.to_dict("records"))
    pdf = sample.with_suffix(".pdf")
    assert grid(read(sample_docx[sample.stem])) == grid(read(pdf))
    word, printed = process_file(sample_docx[sample.stem]), process_file(pdf)
    assert table_figures(word) == table_figures(printed)
    assert (word.checks["check"] == "table_row").sum() == (printed.checks["check"] == "table_row").sum() > 0
