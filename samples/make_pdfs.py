"""Lay out every sample report in samples/*.txt as a Word-like PDF, samples/<same name>.pdf.

The text samples imitate what a PDF-to-text tool gives for a Word-made report; these PDFs are the
other side of that, made FROM the text samples so that the PDF reader can be tested on them:

- A4, Liberation Serif 13 pt, justified paragraphs with a first-line indent, parts ("Phần thứ ...")
  centred and bold, Roman and Arabic headings bold, two-part headings bold italic;
- the usual two-column header (unit and document number / national motto and date) and the
  "Nơi nhận" / signature block at the end;
- real footnotes: a superscript marker where the marker stood in the text and the body at the foot
  of the same page in smaller type, numbered 1, 2, ... by the word processor;
- the page number centred in the footer;
- an appendix "PHỤ LỤC" on a new page with a ruled table "Một số chỉ tiêu chủ yếu" whose figures
  repeat plan/actual pairs stated in the report (APPENDIX below; a report without an entry there
  gets no appendix); a long table repeats its header rows on each page. Two appendices have a
  two-level header with merged cells (TWO_LEVEL_HEAD), one of them with a row of column numbers.

Pipeline: the text is parsed with the project's own cleaner and section finder (which undo the
PDF-text artefacts: wrapped lines, glued footnote markers, footnote bodies at page ends, page
numbers), turned into a small document model, written as a flat OpenDocument text file (.fodt, one
XML file) in a temporary folder, and converted to PDF by LibreOffice headless.

HOW TO REBUILD (from the project root, as root on Debian):

    apt-get update
    apt-get install -y libreoffice-writer-nogui fonts-liberation   # or libreoffice-writer
    .venv/bin/python samples/make_pdfs.py

The .fodt files are deterministic; LibreOffice stamps each PDF with its creation time and a
document ID, so a rebuilt PDF differs from the committed one in those bytes only.
"""
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(ROOT))

from extract.clean import CleanText, clean, is_caps_line  # noqa: E402
from extract.sections import Section, find_sections  # noqa: E402


# --- Appendix tables -------------------------------------------------------------------------------

@dataclass
class Indicator:
    """One row of the appendix table. plan and actual are written as in the table (Vietnamese
    separators); the rate is computed from them, rounded half up to `decimals`, unless `stated`
    gives the rate the report itself states wrongly (one planted inconsistency per report)."""
    label: str
    unit: str
    plan: str
    actual: str
    decimals: int = 2
    stated: str | None = None


APPENDIX: dict[str, list[Indicator]] = {
    "phuong-hoa-binh-2024": [
        Indicator("Tổng thu ngân sách nhà nước trên địa bàn", "triệu đồng", "9.830", "12.746"),
        Indicator("Thu ngân sách phường", "triệu đồng", "6.200", "8.315,42"),
        Indicator("Thu phí, lệ phí", "triệu đồng", "1.180", "1.236"),
        Indicator("Người tham gia bảo hiểm xã hội tự nguyện", "người", "48", "52", 0),
        Indicator("Hiến máu tình nguyện", "đơn vị máu", "70", "76", 1),
        # Planted in the report (line 301): 99,5 padded to two decimals; 9.342/9.391 = 99,48%.
        Indicator("Kích hoạt định danh điện tử mức 2", "công dân", "9.391", "9.342", stated="99,50"),
    ],
    "thi-tran-dong-son-2023": [
        Indicator("Tổng thu ngân sách nhà nước trên địa bàn", "triệu đồng", "14.500", "17.845,3"),
        Indicator("Thu ngân sách thị trấn", "triệu đồng", "7.860", "9.127"),
        # Planted in the report (line 97): truncated; 8.436/7.860 = 107,33%.
        Indicator("Tổng chi ngân sách thị trấn", "triệu đồng", "7.860", "8.436", stated="107,32"),
        Indicator("Hiến máu tình nguyện", "đơn vị máu", "60", "63", 0),
        Indicator("Giao quân", "thanh niên", "7", "7", 0),
        Indicator("Thu nhận hồ sơ định danh điện tử mức 2", "hồ sơ", "7.064", "6.801"),
    ],
    "xa-an-phu-6thang-2025": [
        # Planted in the report (line 57): transposed digits; 7.666,4/11.830 = 64,8%.
        Indicator("Sản lượng lương thực có hạt vụ Đông Xuân", "tấn", "11.830", "7.666,4", stated="68,4"),
        Indicator("Thu cân đối ngân sách xã", "triệu đồng", "1.850", "2.463"),
        Indicator("Gieo sạ lúa vụ Hè Thu", "ha", "945", "834", 1),
        Indicator("Tiêm phòng lở mồm long móng đợt 1 cho trâu, bò", "con", "1.358", "1.205", 1),
        Indicator("Hiến máu tình nguyện", "đơn vị máu", "40", "46", 0),
        Indicator("Kích hoạt định danh điện tử mức 2", "công dân", "7.946", "7.512"),
    ],
    "phuong-tan-an-2025": [
        Indicator("Tổng giá trị sản xuất các ngành", "tỷ đồng", "2.780", "2.846,35"),
        Indicator("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ", "tỷ đồng", "1.200", "1.254,8"),
        Indicator("Thu nhập bình quân đầu người", "triệu đồng/ người/năm", "82", "82,5"),
        Indicator("Doanh nghiệp thành lập mới", "doanh nghiệp", "25", "27", 0),
        Indicator("Hộ kinh doanh dùng hóa đơn điện tử từ máy tính tiền", "hộ kinh doanh", "838", "534"),
        Indicator("Diện tích gieo cấy lúa cả năm", "ha", "290", "286,5"),
        Indicator("Sản lượng lương thực có hạt", "tấn", "1.800", "1.827,9"),
        Indicator("Tổng thu ngân sách nhà nước trên địa bàn", "triệu đồng", "32.500", "41.795", 1),
        # Planted in the report (line 215): truncated; 9.488/8.200 = 115,7073% -> 115,71%.
        Indicator("Thuế ngoài quốc doanh", "triệu đồng", "8.200", "9.488", stated="115,70"),
        Indicator("Lệ phí trước bạ", "triệu đồng", "5.000", "6.215,4"),
        Indicator("Thuế sử dụng đất phi nông nghiệp", "triệu đồng", "1.050", "1.126,5"),
        Indicator("Tiền sử dụng đất", "triệu đồng", "16.000", "22.738"),
        Indicator("Thu phí, lệ phí", "triệu đồng", "1.250", "1.384,6"),
        Indicator("Thu khác ngân sách", "triệu đồng", "1.000", "842,5"),
        Indicator("Thu ngân sách phường", "triệu đồng", "14.250", "18.436,72"),
        Indicator("Chi ngân sách phường", "triệu đồng", "14.250", "16.927,3"),
        Indicator("Nâng cấp, cải tạo đường giao thông", "km", "4,2", "4,6"),
        Indicator("Lắp đặt đèn chiếu sáng LED", "bóng đèn", "300", "326"),
        Indicator("Bàn giao mặt bằng dự án đường Vành đai 2", "ha", "52,4", "48,6", 1),
        Indicator("Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "giấy chứng nhận", "340", "356", 1),
        Indicator("Trồng mới cây xanh đô thị", "cây", "1.500", "1.850"),
        Indicator("Trẻ dưới 1 tuổi tiêm chủng đầy đủ", "trẻ", "512", "498"),
        Indicator("Người tham gia bảo hiểm y tế", "người", "34.100", "33.964", 1),
        Indicator("Người tham gia bảo hiểm xã hội tự nguyện", "người", "380", "412"),
        Indicator("Giải quyết việc làm mới", "lao động", "700", "742", 0),
        Indicator("Đào tạo nghề", "người", "200", "215", 1),
        Indicator("Giảm hộ nghèo", "hộ", "15", "17"),
        Indicator("Vận động Quỹ \"Vì người nghèo\"", "triệu đồng", "250", "286,4"),
        Indicator("Vận động Quỹ \"Đền ơn đáp nghĩa\"", "triệu đồng", "120", "148,25"),
        Indicator("Xây mới nhà Đại đoàn kết", "nhà", "5", "6", 0),
        Indicator("Hiến máu tình nguyện", "đơn vị máu", "150", "174", 0),
        Indicator("Giao quân", "tân binh", "32", "32", 0),
        Indicator("Kích hoạt định danh điện tử mức 2", "công dân", "28.160", "27.385"),
        Indicator("Tuyên truyền, phổ biến pháp luật", "buổi", "40", "48", 0),
    ],
    "xa-dong-lam-2024": [
        Indicator("Tổng thu ngân sách xã", "triệu đồng", "9.720", "11.846,5"),
        Indicator("Thu cân đối ngân sách xã", "triệu đồng", "2.950", "3.412"),
        Indicator("Thu Quỹ phòng, chống thiên tai", "triệu đồng", "300", "312", 0),
        Indicator("Tiêu chí xã nông thôn mới nâng cao", "tiêu chí", "19", "16"),
        Indicator("Hòa giải thành", "vụ việc", "32", "27", 1),
        # Planted in the report (line 184): two digits swapped; 2.537/2.846 = 89,14%.
        Indicator("Hộ được công nhận Gia đình văn hóa", "hộ", "2.846", "2.537", stated="89,41"),
    ],
    "phuong-van-xuan-2025": [
        Indicator("Tổng thu ngân sách nhà nước trên địa bàn", "triệu đồng", "21.500", "18.642"),
        Indicator("Trẻ dưới 1 tuổi tiêm chủng đầy đủ", "trẻ", "248", "241"),
        Indicator("Giáo viên đạt chuẩn trình độ đào tạo", "giáo viên", "318", "312"),
        Indicator("Vận động Quỹ \"Đền ơn đáp nghĩa\"", "triệu đồng", "150", "186,5"),
        Indicator("Kích hoạt định danh điện tử mức 2", "công dân", "25.102", "24.318"),
        # Planted in the report (line 215): 186/160 = 116,25% -> 116,3%.
        Indicator("Hiến máu tình nguyện", "đơn vị máu", "160", "186", 1, stated="116,5"),
    ],
}

UNIT_KINDS = ("THỊ TRẤN", "PHƯỜNG", "XÃ")
DOC_KINDS = ("BÁO CÁO", "TỜ TRÌNH", "KẾ HOẠCH")
TABLE_HEAD = ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Ước thực hiện", "Tỷ lệ (%)"]
# Appendices whose header has two levels, as many real reports' do: the period over the plan and actual
# columns (a merged cell), the other headers spanning both header rows, and optionally a row of column
# numbers "(1) (2) ... (6)=(5)/(4)" under them.
TWO_LEVEL_HEAD: dict[str, tuple[str, bool]] = {
    "phuong-tan-an-2025": ("Năm 2025", True),
    "xa-an-phu-6thang-2025": ("6 tháng đầu năm 2025", False),
}
COLUMN_NUMBERS = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(5)/(4)"]
TABLE_WIDTHS_CM = [1.1, 6.2, 2.8, 2.0, 2.1, 1.8]          # 16 cm: the text width


def vn_decimal(written: str) -> Decimal:
    """'8.315,42' -> Decimal('8315.42'): '.' groups thousands, ',' marks decimals."""
    return Decimal(written.replace(".", "").replace(",", "."))


def vn_format(value: Decimal, decimals: int) -> str:
    """Decimal('129.664') with 2 decimals -> '129,66', rounded half up (as a person rounds)."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{frac}" if frac else grouped


def rate(row: Indicator) -> str:
    if row.stated is not None:
        return row.stated
    return vn_format(vn_decimal(row.actual) * 100 / vn_decimal(row.plan), row.decimals)


# --- Document model --------------------------------------------------------------------------------

@dataclass
class Span:
    text: str
    style: str | None = None      # a character style name, None for plain text


@dataclass
class Note:
    text: str                     # the footnote body


@dataclass
class Para:
    style: str
    content: list[Span | Note] = field(default_factory=list)


@dataclass
class Merged:
    """A cell that spans COLS columns and ROWS rows; the cells it covers are None in the grid."""
    paras: list[Para]
    cols: int = 1
    rows: int = 1


@dataclass
class Table:
    style: str                    # "Grid" (ruled) or "Layout" (no lines)
    widths_cm: list[float]
    rows: list[list]              # row -> cell: its paragraphs, a Merged cell, or None under a merged one
    header_rows: int = 0          # rows repeated at the top of each page


@dataclass
class Document:
    title: str
    body: list[Para | Table]


def printed_lines(cleaned: CleanText, start: int, end: int) -> list[str]:
    """The cleaned span [start, end) cut back into the source's printed lines. The cleaner joins
    short header and signature lines into one block; their layout needs them apart again."""
    lines: list[list[str]] = []
    last = None
    for i in range(start, end):
        line = cleaned.line_of(cleaned.starts[i])
        if line != last:
            lines.append([])
            last = line
        lines[-1].append(cleaned.text[i])
    return [s for s in ("".join(chars).strip() for chars in lines) if s]


def build_header(lines: list[str]) -> list[Para | Table]:
    """Unit and number on the left, national motto and date on the right, then the centred title."""
    motto = next((i for i, ln in enumerate(lines) if ln.startswith("CỘNG HÒA")), None)
    kind = next((i for i, ln in enumerate(lines) if ln in DOC_KINDS), None)
    if motto is None or kind is None or kind < motto:
        return [Para("Title", [Span(ln)]) for ln in lines]
    left = [Para("HeadUnit" if not ln.startswith("Số") else "HeadNumber", [Span(ln)]) for ln in lines[:motto]]
    right = [Para("HeadMotto", [Span(ln)]) for ln in lines[motto:kind]]
    if right and re.search(r"ngày\s+\d", lines[kind - 1]):
        right[-1].style = "HeadDate"
    title = [ln for ln in lines[kind + 1:] if not ln.startswith("(")]
    note = [ln for ln in lines[kind + 1:] if ln.startswith("(")]
    out: list[Para | Table] = [Table("Layout", [6.4, 9.6], [[left, right]])]
    out.append(Para("DocKind", [Span(lines[kind])]))
    if title:
        out.append(Para("Title", [Span(" ".join(title))]))
    out += [Para("Subtitle", [Span(ln)]) for ln in note]
    return out


def build_closing(lines: list[str]) -> list[Para | Table]:
    """'Nơi nhận' list on the left, the signature (capacity, title, space, name) on the right."""
    sign = next((i for i, ln in enumerate(lines) if re.match(r"(TM|KT|Q)\.|CHỦ TỊCH", ln)), len(lines))
    left = [Para("Recipients" if i else "RecipientsHead", [Span(ln)]) for i, ln in enumerate(lines[:sign])]
    sig_lines = lines[sign:]
    right = [Para("Signature", [Span(ln)]) for ln in sig_lines[:-1]]
    if sig_lines:
        right += [Para("Signature") for _ in range(3)] + [Para("Signature", [Span(sig_lines[-1])])]
    return [Table("Layout", [8.0, 8.0], [[left, right]])]


def build_appendix(rows: list[Indicator], header_lines: list[str],
                   period: tuple[str, bool] | None = None) -> list[Para | Table]:
    number = next((m.group(1) for ln in header_lines if (m := re.match(r"Số:\s*(\S+)", ln))), None)
    date = next((m.group(1) for ln in header_lines if (m := re.search(r"(ngày\s+\d.*\d{4})", ln))), None)
    unit = next((ln for ln in header_lines[1:3] if not ln.startswith("Số")), None)   # "PHƯỜNG TÂN AN"
    out: list[Para | Table] = [Para("AppendixHead", [Span("PHỤ LỤC")]),
                               Para("Title", [Span("Một số chỉ tiêu chủ yếu")])]
    if number and date and unit:
        kind = next((k for k in UNIT_KINDS if unit.startswith(k + " ")), "")
        owner = f"{kind.lower()} {unit[len(kind):].strip().title()}".strip()      # "phường Tân An"
        out.append(Para("Subtitle", [Span(f"(Kèm theo Báo cáo số {number} {date} của UBND {owner})")]))
    grid = table_head(period)
    for i, row in enumerate(rows, 1):
        cells = [("TableCenter", str(i)), ("TableText", row.label), ("TableCenter", row.unit),
                 ("TableNumber", row.plan), ("TableNumber", row.actual), ("TableNumber", rate(row))]
        grid.append([[Para(style, [Span(text)])] for style, text in cells])
    out.append(Table("Grid", TABLE_WIDTHS_CM, grid, header_rows=len(grid) - len(rows)))
    return out


def table_head(period: tuple[str, bool] | None) -> list[list]:
    """The appendix table's header rows: one row, or two levels (see TWO_LEVEL_HEAD)."""
    def head(text: str) -> list[Para]:
        return [Para("TableHead", [Span(text)])]
    if period is None:
        return [[head(h) for h in TABLE_HEAD]]
    title, numbered = period
    tall = [Merged(head(h), rows=2) for h in TABLE_HEAD[:3]]
    rows = [tall + [Merged(head(title), cols=2), None, Merged(head(TABLE_HEAD[5]), rows=2)],
            [None, None, None, head(TABLE_HEAD[3]), head(TABLE_HEAD[4]), None]]
    if numbered:
        rows.append([[Para("TableCenter", [Span(n)])] for n in COLUMN_NUMBERS])
    return rows


def with_notes(text: str, notes: list[tuple[int, str]], strong_end: int = 0,
               strong_style: str = "Strong") -> list[Span | Note]:
    """The paragraph's runs: a leading run in a strong style (inline heading), plain text, and the
    footnotes placed at their offsets."""
    cuts = sorted({0, len(text), strong_end} | {offset for offset, _ in notes})
    content: list[Span | Note] = []
    for a, b in zip(cuts, cuts[1:]):
        content += [Note(body) for offset, body in notes if offset == a]
        if b > a:
            content.append(Span(text[a:b], strong_style if b <= strong_end else None))
    content += [Note(body) for offset, body in notes if offset == len(text)]
    return content


def body_paragraph(text: str, section: Section | None, after_part: bool, notes: list[tuple[int, str]]) -> Para:
    """Style a body block from what the section finder says it is."""
    is_item = bool(re.search(r"[.;]$", text))       # "2. Thu nhập ... đạt 80 triệu đồng." is a list item
    if section is None:
        style = "PartTitle" if after_part and is_caps_line(text) else "Body"
        return Para(style, with_notes(text, notes))
    if section.level == 1:
        return Para("Part", with_notes(text, notes))
    if section.type == "inline_heading":
        colon = text.index(":", section.number_end - section.clean_start) + 1
        strong = "Strong" if section.level <= 3 else "StrongItalic"
        return Para("Body", with_notes(text, notes, colon, strong))
    if section.type == "numbered_item" or is_item:
        return Para("Body", with_notes(text, notes))
    style = {2: "Heading2", 3: "Heading3"}.get(section.level, "Heading4")
    return Para(style, with_notes(text, notes))


def build_document(name: str, source: str) -> Document:
    cleaned = clean(source)
    sections = {s.clean_start: s for s in find_sections(cleaned) if s.type != "footnote"}
    blocks = [b for b in cleaned.blocks if b.footnote is None]
    first = next((i for i, b in enumerate(blocks) if b.start in sections), 0)
    closing = next((i for i, b in enumerate(blocks) if i > first
                    and cleaned.text[b.start:b.end].startswith("Nơi nhận")), len(blocks))

    notes: dict[int, list[tuple[int, str]]] = {}
    for fn in cleaned.footnotes:
        body = cleaned.blocks[fn.block]
        index = cleaned.block_index_at(fn.marker_clean)
        notes.setdefault(index, []).append((fn.marker_clean - cleaned.blocks[index].start,
                                            cleaned.text[body.start:body.end]))

    header_lines = [ln for b in blocks[:first] for ln in printed_lines(cleaned, b.start, b.end)]
    body: list[Para | Table] = build_header(header_lines)
    after_part = False
    for index in range(first, closing):      # body blocks come first in cleaned.blocks: same indexes
        block = blocks[index]
        text = cleaned.text[block.start:block.end]
        section = sections.get(block.start)
        body.append(body_paragraph(text, section, after_part, notes.get(index, [])))
        after_part = section is not None and section.level == 1
    closing_lines = [ln for b in blocks[closing:] for ln in printed_lines(cleaned, b.start, b.end)]
    if closing_lines:
        body += build_closing(closing_lines)
    if name in APPENDIX:
        body += build_appendix(APPENDIX[name], header_lines, TWO_LEVEL_HEAD.get(name))
    kind = next((i for i, ln in enumerate(header_lines) if ln in DOC_KINDS), None)
    title = " ".join(header_lines[kind:kind + 2]) if kind is not None else name    # "BÁO CÁO Tình hình ..."
    return Document(title, body)


# --- Flat OpenDocument XML -------------------------------------------------------------------------

NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}

FONT = "Liberation Serif"
BODY_PT = 13
LINES = 'fo:line-height="140%" fo:margin-bottom="0.21cm"'   # between single and 1.5 lines; 6 pt after

# name -> (paragraph properties, text properties); every style inherits the 13 pt serif default.
PARAGRAPH_STYLES = {
    "Body": (f'fo:text-align="justify" fo:text-indent="1cm" {LINES} fo:orphans="2" fo:widows="2"', ""),
    "Part": (f'fo:text-align="center" {LINES} fo:margin-top="0.2cm" fo:keep-with-next="always"',
             'fo:font-weight="bold"'),
    "PartTitle": (f'fo:text-align="center" {LINES} fo:keep-with-next="always"', 'fo:font-weight="bold"'),
    "Heading2": (f'fo:text-align="justify" {LINES} fo:margin-top="0.1cm" fo:keep-with-next="always"',
                 'fo:font-weight="bold"'),
    "Heading3": (f'fo:text-align="justify" fo:text-indent="1cm" {LINES} fo:keep-with-next="always"',
                 'fo:font-weight="bold"'),
    "Heading4": (f'fo:text-align="justify" fo:text-indent="1cm" {LINES} fo:keep-with-next="always"',
                 'fo:font-weight="bold" fo:font-style="italic"'),
    "HeadUnit": ('fo:text-align="center"', 'fo:font-size="12.5pt" fo:font-weight="bold"'),
    "HeadNumber": ('fo:text-align="center" fo:margin-top="0.2cm"', 'fo:font-size="12.5pt"'),
    "HeadMotto": ('fo:text-align="center"', 'fo:font-size="12.5pt" fo:font-weight="bold"'),
    "HeadDate": ('fo:text-align="center" fo:margin-top="0.2cm"', 'fo:font-size="12.5pt" fo:font-style="italic"'),
    "DocKind": ('fo:text-align="center" fo:margin-top="0.5cm" fo:keep-with-next="always"',
                'fo:font-size="14pt" fo:font-weight="bold"'),
    "Title": ('fo:text-align="center" fo:keep-with-next="always"',
              'fo:font-weight="bold"'),
    "Subtitle": ('fo:text-align="center" fo:margin-bottom="0.3cm" fo:keep-with-next="always"',
                 'fo:font-style="italic"'),
    "AppendixHead": ('fo:text-align="center" fo:break-before="page" fo:keep-with-next="always"',
                     'fo:font-weight="bold"'),
    "RecipientsHead": ('fo:margin-top="0.3cm"', 'fo:font-size="12pt" fo:font-weight="bold" fo:font-style="italic"'),
    "Recipients": ("", 'fo:font-size="11pt"'),
    "Signature": ('fo:text-align="center" fo:margin-top="0.3cm"', 'fo:font-weight="bold"'),
    "TableHead": ('fo:text-align="center"', 'fo:font-size="12pt" fo:font-weight="bold"'),
    "TableText": ('fo:text-align="start"', 'fo:font-size="12pt"'),
    "TableCenter": ('fo:text-align="center"', 'fo:font-size="12pt"'),
    "TableNumber": ('fo:text-align="end"', 'fo:font-size="12pt"'),
    "Footnote": ('fo:text-align="justify" fo:margin-bottom="0.05cm"', 'fo:font-size="10.5pt"'),
    "Footer": ('fo:text-align="center"', 'fo:font-size="12pt"'),
}

# LibreOffice styles footnote numbers only through its own two built-in names.
TEXT_STYLES = {
    "Strong": ("Strong", 'fo:font-weight="bold"'),
    "StrongItalic": ("Strong Italic", 'fo:font-weight="bold" fo:font-style="italic"'),
    "Footnote_20_anchor": ("Footnote anchor", 'style:text-position="super 58%"'),     # in the text
    "Footnote_20_Symbol": ("Footnote Symbol", 'style:text-position="super 58%"'),     # before the body
}

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")   # e.g. a form feed left by a PDF tool


def xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("", text))


def styles_xml() -> str:
    out = [f'<style:default-style style:family="paragraph"><style:paragraph-properties '
           f'style:writing-mode="lr-tb"/><style:text-properties style:font-name="{FONT}" '
           f'fo:font-size="{BODY_PT}pt" fo:language="vi" fo:country="VN" fo:hyphenate="false"/>'
           f'</style:default-style>',
           '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>']
    for name, (para, text) in PARAGRAPH_STYLES.items():
        out.append(f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard">'
                   f'<style:paragraph-properties {para}/><style:text-properties {text}/></style:style>')
    for name, (display, props) in TEXT_STYLES.items():
        out.append(f'<style:style style:name="{name}" style:display-name="{display}" style:family="text">'
                   f'<style:text-properties {props}/></style:style>')
    # Footnotes numbered 1, 2, ... through the document, bodies at the foot of the page, the number
    # superscript both in the text and before the body, as Word does.
    out.append('<text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol" '
               'text:citation-body-style-name="Footnote_20_anchor" text:default-style-name="Footnote" '
               'style:num-format="1" text:start-value="0" text:footnotes-position="page" '
               'text:start-numbering-at="document"/>')
    return "".join(out)


def automatic_styles_xml() -> str:
    page = ('<style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" '
            'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm" '
            'fo:margin-bottom="1.5cm" fo:margin-left="3cm" fo:margin-right="2cm">'
            '<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.1cm" '
            'style:distance-after-sep="0.1cm" style:line-style="solid" style:adjustment="left" '
            'style:rel-width="25%" style:color="#000000"/></style:page-layout-properties>'
            '<style:footer-style><style:header-footer-properties fo:min-height="0.8cm" '
            'fo:margin-top="0.3cm"/></style:footer-style></style:page-layout>')
    tables = ('<style:style style:name="Grid" style:family="table"><style:table-properties style:width="16cm" '
              'table:align="margins" fo:margin-top="0.2cm"/></style:style>'
              '<style:style style:name="Layout" style:family="table"><style:table-properties style:width="16cm" '
              'table:align="margins"/></style:style>'
              '<style:style style:name="Row" style:family="table-row"><style:table-row-properties '
              'fo:keep-together="always"/></style:style>'
              '<style:style style:name="GridCell" style:family="table-cell"><style:table-cell-properties '
              'fo:border="0.5pt solid #000000" fo:padding="0.08cm" style:vertical-align="middle"/></style:style>'
              '<style:style style:name="LayoutCell" style:family="table-cell"><style:table-cell-properties '
              'fo:border="none" fo:padding="0cm"/></style:style>')
    return page + tables


def master_xml() -> str:
    return ('<style:master-page style:name="Standard" style:page-layout-name="A4"><style:footer>'
            '<text:p text:style-name="Footer"><text:page-number text:select-page="current">1</text:page-number>'
            '</text:p></style:footer></style:master-page>')


def paragraph_xml(para: Para, notes: list[int]) -> str:
    """notes is a one-item counter shared by the document, for the note ids and citations."""
    parts = []
    for item in para.content:
        if isinstance(item, Note):
            notes[0] += 1
            parts.append(f'<text:note text:id="ftn{notes[0]}" text:note-class="footnote">'
                         f'<text:note-citation>{notes[0]}</text:note-citation><text:note-body>'
                         f'<text:p text:style-name="Footnote"><text:s/>{xml_text(item.text)}</text:p>'
                         f'</text:note-body></text:note>')
        elif item.style:
            parts.append(f'<text:span text:style-name="{item.style}">{xml_text(item.text)}</text:span>')
        else:
            parts.append(xml_text(item.text))
    return f'<text:p text:style-name="{para.style}">{"".join(parts)}</text:p>'


def table_xml(table: Table, index: int, notes: list[int]) -> tuple[str, str]:
    """The table's column styles (automatic styles) and the table itself."""
    name = f"Table{index}"
    cell_style = "GridCell" if table.style == "Grid" else "LayoutCell"
    columns = []
    for k, width in enumerate(table.widths_cm):
        columns.append(f'<style:style style:name="{name}.C{k}" style:family="table-column">'
                       f'<style:table-column-properties style:column-width="{width}cm"/></style:style>')

    def cell_xml(cell) -> str:
        if cell is None:
            return "<table:covered-table-cell/>"
        spans = ""
        if isinstance(cell, Merged):
            spans = "".join(f' table:number-{what}-spanned="{n}"' for what, n in (("columns", cell.cols),
                                                                                  ("rows", cell.rows)) if n > 1)
            cell = cell.paras
        return (f'<table:table-cell table:style-name="{cell_style}" office:value-type="string"{spans}>'
                + ("".join(paragraph_xml(p, notes) for p in cell) or '<text:p text:style-name="Standard"/>')
                + "</table:table-cell>")

    def row_xml(row: list) -> str:
        return f'<table:table-row table:style-name="Row">{"".join(cell_xml(c) for c in row)}</table:table-row>'

    head = "".join(row_xml(r) for r in table.rows[:table.header_rows])
    rows = "".join(row_xml(r) for r in table.rows[table.header_rows:])
    cols = "".join(f'<table:table-column table:style-name="{name}.C{k}"/>' for k in range(len(table.widths_cm)))
    head = f"<table:table-header-rows>{head}</table:table-header-rows>" if head else ""
    body = f'<table:table table:name="{name}" table:style-name="{table.style}">{cols}{head}{rows}</table:table>'
    return "".join(columns), body


def to_fodt(doc: Document) -> str:
    notes = [0]
    column_styles, body = [], []
    for item in doc.body:
        if isinstance(item, Table):
            styles, xml = table_xml(item, len(column_styles) + 1, notes)
            column_styles.append(styles)
            body.append(xml)
        else:
            body.append(paragraph_xml(item, notes))
    ns = " ".join(f"xmlns:{k}={quoteattr(v)}" for k, v in NAMESPACES.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {ns} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            f'<office:meta><dc:title>{xml_text(doc.title)}</dc:title><dc:language>vi-VN</dc:language></office:meta>'
            f'<office:font-face-decls><style:font-face style:name="{FONT}" svg:font-family="&apos;{FONT}&apos;" '
            'style:font-family-generic="roman" style:font-pitch="variable"/></office:font-face-decls>'
            f"<office:styles>{styles_xml()}</office:styles>"
            f'<office:automatic-styles>{automatic_styles_xml()}{"".join(column_styles)}</office:automatic-styles>'
            f"<office:master-styles>{master_xml()}</office:master-styles>"
            f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>\n')


# --- Conversion ------------------------------------------------------------------------------------

def convert(fodt_files: list[Path], outdir: Path, workdir: Path) -> None:
    """One LibreOffice run for all files, with its own throw-away profile so that it neither needs
    nor disturbs a user's profile or an office already running."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice not found: apt-get install -y libreoffice-writer-nogui fonts-liberation")
    profile = (workdir / "profile").as_uri()
    for f in fodt_files:
        (outdir / f"{f.stem}.pdf").unlink(missing_ok=True)     # so that a failed conversion shows
    run = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(outdir), *map(str, fodt_files)],
                         capture_output=True, text=True, timeout=600)
    missing = [f.stem for f in fodt_files if not (outdir / f"{f.stem}.pdf").exists()]
    if run.returncode or missing:
        sys.exit(f"LibreOffice failed (exit {run.returncode}) for: {', '.join(missing)}\n{run.stderr}")


def check_font() -> None:
    """Without the font LibreOffice silently substitutes another one; refuse instead."""
    fc_match = shutil.which("fc-match")
    if fc_match and FONT not in subprocess.run([fc_match, FONT], capture_output=True, text=True).stdout:
        sys.exit(f"{FONT} is not installed: apt-get install -y fonts-liberation")


def main() -> None:
    check_font()
    sources = sorted(SAMPLES.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="make_pdfs-") as tmp:
        workdir = Path(tmp)
        fodt_files = []
        for path in sources:
            doc = build_document(path.stem, path.read_text(encoding="utf-8"))
            xml = to_fodt(doc)
            ElementTree.fromstring(xml)         # malformed XML: fail here, LibreOffice only says "could not be loaded"
            fodt = workdir / f"{path.stem}.fodt"
            fodt.write_text(xml, encoding="utf-8")
            fodt_files.append(fodt)
        convert(fodt_files, SAMPLES, workdir)
    for path in sources:
        print(f"samples/{path.stem}.pdf")


if __name__ == "__main__":
    main()
