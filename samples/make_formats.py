"""Render a sample report (samples/*.txt) in the formats a ward archive holds, made the way offices
make them, from the document model of make_pdfs.py: OUTDIR/<name>.<format> for each format of FORMATS.

    .venv/bin/python samples/make_formats.py OUTDIR [SAMPLE.txt ...] [--formats docx,doc,...]

What the readers meet in each format:

- docx, written as OOXML. Heading numbers ("I.", "1.", "2.1.") are not in the runs: they come from
  word/numbering.xml, one multilevel list (upperRoman "%1.", decimal "%2.", "%2.%3.", each followed by a
  space, w:suff) linked to the styles Heading1-3 (w:numPr in the style) and set again on each heading
  paragraph. Each part ("Phần thứ ...", typed) restarts the list through a new w:num with a
  w:startOverride on every level, as Word's "Restart numbering" does. A heading whose written number
  breaks the sequence (a numbering slip in the report: "2.2." under "1.") keeps it typed and turns the
  list off with numId 0. Numbered items ("1. Phấn đấu ...") are a second, one-level list, each group a
  w:num of its own restarting at 1. Inline headings ("2.1 Công tác văn hóa:", bold runs) and dash items
  are typed. Footnotes: word/footnotes.xml, ids 1..N after the separators -1 and 0, w:footnoteReference
  marks in the runs. One tracked insertion (w:ins, a clause of the report: part of the text) and one
  tracked deletion (w:del/w:delText, a figure the report does not have: not part of it); settings.xml
  shows the final text (w:revisionView). The national motto is in a floating text box in the header
  table, written twice as Word does, DrawingML (mc:Choice) and VML (mc:Fallback): read one of them.
  The page header (the document number) and the footer (a PAGE field: fldChar begin, instrText,
  separate, its last result "1", end) are not the report's text.
- doc, rtf, odt: that docx converted by LibreOffice; numbering, footnotes and tracked changes kept. The
  .doc ones (the legacy ones too) are converted from the same document with each restarted list a list
  of its own (a copy of the abstract list, no w:startOverride): LibreOffice's .doc export drops a
  startOverride, so that its own reading of the .doc gives "1. Hạn chế" for "2." and "I. NHIỆM VỤ" for
  "II."; a .doc Word writes keeps the restart, and numbers as the report does.
- tcvn3.doc: every run typed in TCVN3 and the font .VnTime, its text the legacy bytes read as cp1252
  (U+00AD is ư, not a soft hyphen). Capitals-only runs are in .VnTimeH: in the header block, the title
  and the table head typed with caps lock ("B¸O C¸O": plain capitals, TCVN3's capital codes, lowercase
  codes for toned capitals), elsewhere (headings, part titles) typed in lowercase codes ("lÜnh vùc kinh
  tÕ"). A toned capital inside a .VnTime run ("Ủy") is a one-letter .VnTimeH run.
- vni.doc: every run in VNI and the font VNI-Times. mixed.doc: paragraphs alternately TCVN3 and VNI,
  all in .VnTime (the VNI ones too), as when documents are pasted together.
- tcvn3.pdf, vni.pdf: those documents printed to PDF with fonts named .VnTime, .VnTimeH, VNI-Times
  (Liberation Serif under those names: the glyphs are the Latin-1 ones, as where the legacy font is
  missing); the text layer holds the legacy characters ("B¸o c¸o", "Baùo caùo"), and TCVN3's ư the
  hyphen that WinAnsiEncoding gives its code ("m-a" for mưa).
- scan300.pdf, scan150.pdf, scan200.pdf: the committed samples/<name>.pdf as greyscale JPEG page images,
  one per page and nothing else; at 150 dpi each page skewed (0.5-1.4°, alternately) and speckled, as a
  photocopy; at 200 dpi as a flatbed scanner's JPEG: a little out of focus, skewed 1.5-2.1°, paper grey
  and lit unevenly, sensor noise, compressed hard (quality 45).
- browser.pdf: the report as a web page (the portal's copy: paragraphs and spans styled as in the PDF,
  footnotes as notes at the end of the page, tables with their merged cells) printed to PDF by headless
  Chromium, as "Save as PDF" does: each word placed on its own, with no space glyph between words (the
  gap between them a little over a tenth of the type size), the raised note numbers in smaller type.
- xlsx (samples with an appendix): the appendix table on one sheet, three title rows, a two-level
  header with merged cells, numbers as numbers with a number format (#,##0 / #,##0.0 ...), rates a
  formula with its cached value, or the typed value where the report states a wrong rate. Strings are
  inline (openpyxl writes no sharedStrings.xml).

LibreOffice (soffice) makes doc, rtf, odt and the legacy formats, each run with a throw-away profile of
its own; no network. Chromium prints browser.pdf, with a throw-away profile too. The docx and xlsx are the same bytes on every run; LibreOffice's files are not.
"""
import argparse
import io
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

import numpy as np
import pypdfium2 as pdfium
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from PIL import Image, ImageFilter

SAMPLES = Path(__file__).resolve().parent
sys.path.insert(0, str(SAMPLES))

from make_pdfs import (APPENDIX, BODY_PT, FONT, PARAGRAPH_STYLES, TABLE_WIDTHS_CM,  # noqa: E402
                       TEXT_STYLES, TWO_LEVEL_HEAD, Document, Indicator, Merged, Note, Para, Span, Table,
                       build_document, rate, table_head, vn_decimal, xml_text)

FORMATS = ("docx", "doc", "rtf", "odt", "tcvn3.doc", "vni.doc", "mixed.doc", "tcvn3.pdf", "vni.pdf",
           "scan300.pdf", "scan150.pdf", "scan200.pdf", "browser.pdf", "xlsx")
LEGACY = {"tcvn3.doc", "vni.doc", "mixed.doc", "tcvn3.pdf", "vni.pdf"}
CONVERTED = {"doc", "rtf", "odt"} | LEGACY                       # made by LibreOffice
AUTHOR = "Văn phòng UBND"
REVISION_DATE = "2024-12-04T09:15:00Z"
ZIP_DATE = (2024, 12, 4, 9, 15, 0)                                # fixed, so the docx is byte-stable


# --- What the docx adds to the model ---------------------------------------------------------------

@dataclass
class Tracked:
    """A tracked change: an insertion is part of the final text, a deletion is not."""
    text: str
    kind: str                     # "ins" or "del"


@dataclass
class TextBox:
    paras: list[Para]


@dataclass
class Numbered:
    """A paragraph whose number Word generates: list (num id) and level; the text has no number."""
    para: Para
    num_id: int
    level: int


# A run's text -> its pieces as typed: (font, text as the keyboard driver stored it). A font of None
# keeps the document's default font.
Typist = Callable[[str], list[tuple[str | None, str]]]


# How a document is typed: (paragraph number through the document, its model style) -> its typist.
TypistFor = Callable[[int, str], Typist]


def plain(text: str) -> list[tuple[str | None, str]]:
    return [(None, text)]


def typed_in_unicode(number: int, style: str) -> Typist:
    return plain


HEADING_LEVELS = {"Heading2": 0, "Heading3": 1, "Heading4": 2}     # model style -> list level
HEADING_STYLES = {"Heading2": "Heading1", "Heading3": "Heading2", "Heading4": "Heading3"}
HEADING_NUMBER = re.compile(r"(?:([IVXLC]+)|(\d+)|(\d+)\.(\d+))\.\s+")
ITEM_NUMBER = re.compile(r"(\d+)\.\s+")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
HEADINGS_ABSTRACT, ITEMS_ABSTRACT = 0, 1


def roman_value(numeral: str) -> int:
    values = [ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def written_number(m: re.Match) -> list[int]:
    """The heading number as written: [2] for "II.", [2] for "2.", [2, 1] for "2.1."."""
    if m[1]:
        return [roman_value(m[1])]
    return [int(m[2])] if m[2] else [int(m[3]), int(m[4])]


def strip_number(para: Para, length: int) -> Para:
    """The paragraph without its first LENGTH characters (the typed number and the space after it)."""
    first, *rest = para.content
    return Para(para.style, [Span(first.text[length:], first.style)] + rest)


@dataclass
class Numbering:
    """The lists of one document: w:num id -> (abstract list, restarts its levels)."""
    nums: dict[int, tuple[int, bool]] = field(default_factory=dict)

    def new(self, abstract: int) -> int:
        num_id = len(self.nums) + 1
        self.nums[num_id] = (abstract, any(a == abstract for a, _ in self.nums.values()))
        return num_id


def number_headings(body: list, numbering: Numbering) -> list:
    """Heading and numbered-item paragraphs whose typed number the list would give become Numbered
    (number cut from the text); a part restarts the heading list. A heading whose number the list
    cannot give (a slip such as "2.2." under "1.") keeps it typed."""
    out: list = []
    heading_list = numbering.new(HEADINGS_ABSTRACT)
    counters = [0, 0, 0]
    items: tuple[int, int] | None = None          # (num id, last item number) of the current group
    for item in body:
        if not isinstance(item, Para) or not item.content or not isinstance(item.content[0], Span):
            out.append(item)
            items = None
            continue
        first = item.content[0].text
        if item.style == "Part" and any(counters):
            heading_list, counters = numbering.new(HEADINGS_ABSTRACT), [0, 0, 0]
        if item.style in HEADING_LEVELS:
            level = HEADING_LEVELS[item.style]
            m = HEADING_NUMBER.match(first)
            expected = counters[1:level] + [counters[level] + 1]       # "%2.%3." shows the level above
            if m and written_number(m) == expected:
                counters[level] = expected[-1]
                counters[level + 1:] = [0] * (2 - level)
                out.append(Numbered(strip_number(item, m.end()), heading_list, level))
            else:
                out.append(Numbered(item, 0, level))
            items = None
            continue
        m = ITEM_NUMBER.match(first)
        if item.style == "Body" and m and item.content[0].style is None:
            number = int(m[1])
            if items is not None and number == items[1] + 1:
                items = (items[0], number)
            elif number == 1:
                items = (numbering.new(ITEMS_ABSTRACT), 1)
            else:
                items = None
            if items is not None:
                out.append(Numbered(strip_number(item, m.end()), items[0], 0))
                continue
        else:
            items = None
        out.append(item)
    return out


def track_changes(body: list) -> None:
    """One tracked insertion (a clause of the report with a figure, so part of the text) and, in a
    later paragraph, one tracked deletion (an earlier figure that the text no longer has)."""
    clause = re.compile(r"; [^;]*?\d[^;]*?(?=;)")
    count = re.compile(r"(?<=\s)(\d+) hộ\b")
    inserted = False
    for item in body:
        para = item.para if isinstance(item, Numbered) else item
        if not isinstance(para, Para) or para.style != "Body":
            continue
        for k, span in enumerate(para.content):
            if not isinstance(span, Span) or span.style:
                continue
            pattern = count if inserted else clause
            if not (m := pattern.search(span.text)):
                continue
            before, after = span.text[:m.start()], span.text[m.start() if inserted else m.end():]
            if inserted:
                deleted = f"{int(m[1]) + 4:0{len(m[1])}d} hộ "
                para.content[k:k + 1] = [Span(before), Tracked(deleted, "del"), Span(after)]
                return
            para.content[k:k + 1] = [Span(before), Tracked(m.group(), "ins"), Span(after)]
            inserted = True
            break


def motto_in_text_box(body: list) -> None:
    """The national motto line of the header table moves into a text box."""
    header = body[0]
    if not isinstance(header, Table) or len(header.rows[0]) < 2:
        return
    right = header.rows[0][1]
    for k, para in enumerate(right):
        if para.style == "HeadMotto" and k > 0:
            right[k] = Para("HeadMotto", [TextBox([para])])
            return


def page_header_text(body: list) -> str:
    """What the running head shows: the document number, as many offices put it."""
    header = body[0]
    if isinstance(header, Table):
        for para in header.rows[0][0]:
            if para.style == "HeadNumber":
                return "".join(s.text for s in para.content if isinstance(s, Span))
    return ""


# --- OOXML ------------------------------------------------------------------------------------------

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
}
ROOT_NS = " ".join(f"xmlns:{k}={quoteattr(v)}" for k, v in NS.items()) + ' mc:Ignorable="w14"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
TWIPS_PER_CM = 567
EMU_PER_CM = 360000
BODY_FONT = "Times New Roman"
BODY_SIZE = 26                                     # half points: 13 pt
LINE = 336                                         # line height in 240ths: 1.4 lines
KEEP, BOLD, ITALIC = "<w:keepNext/>", "<w:b/>", "<w:i/>"
CENTER, JUSTIFY, RIGHT = '<w:jc w:val="center"/>', '<w:jc w:val="both"/>', '<w:jc w:val="right"/>'
INDENT = '<w:ind w:firstLine="567"/>'
TABS = '<w:tabs><w:tab w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs>'


def spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    rule = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/>'


def heading(level: int) -> str:
    """A heading style's own paragraph properties: on the heading list (num 1) at LEVEL."""
    return (f'{KEEP}<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr>'
            + spacing(120 if level == 0 else 60, 120, LINE) + (INDENT if level else "") + JUSTIFY
            + f'<w:outlineLvl w:val="{level}"/>')


BODY_PPR = spacing(0, 120, LINE) + INDENT + JUSTIFY   # set on each body paragraph, as typists do
# Word styles: id -> (name, paragraph properties, run properties). Heading1-3 carry the heading list.
STYLES = {
    "Heading1": ("heading 1", heading(0), BOLD),
    "Heading2": ("heading 2", heading(1), BOLD),
    "Heading3": ("heading 3", heading(2), BOLD + ITALIC),
    "Part": ("Part", KEEP + spacing(240, 0, LINE) + CENTER, BOLD),
    "PartTitle": ("Part Title", KEEP + spacing(0, 120, LINE) + CENTER, BOLD),
    "HeadUnit": ("Head Unit", CENTER, BOLD + size(25)),
    "HeadNumber": ("Head Number", spacing(120) + CENTER, size(25)),
    "HeadMotto": ("Head Motto", CENTER, BOLD + size(25)),
    "HeadDate": ("Head Date", spacing(120) + CENTER, ITALIC + size(25)),
    "DocKind": ("Document Kind", KEEP + spacing(280) + CENTER, BOLD + size(28)),
    "Title": ("Title", KEEP + CENTER, BOLD),
    "Subtitle": ("Subtitle", KEEP + spacing(0, 170) + CENTER, ITALIC),
    "AppendixHead": ("Appendix", KEEP + "<w:pageBreakBefore/>" + CENTER, BOLD),
    "RecipientsHead": ("Recipients Head", spacing(170), BOLD + ITALIC + size(24)),
    "Recipients": ("Recipients", "", size(22)),
    "Signature": ("Signature", spacing(170) + CENTER, BOLD),
    "TableHead": ("Table Head", CENTER, BOLD + size(24)),
    "TableText": ("Table Text", "", size(24)),
    "TableCenter": ("Table Center", CENTER, size(24)),
    "TableNumber": ("Table Number", RIGHT, size(24)),
    "FootnoteText": ("footnote text", spacing() + JUSTIFY, size(21)),
    "Header": ("header", TABS + RIGHT, ITALIC + size(20)),
    "Footer": ("footer", TABS + CENTER, size(24)),
}
MODEL_STYLES = {"Body": None, "Part": "Part", **HEADING_STYLES}    # others keep their model name


def docx_style(model_style: str) -> str | None:
    return MODEL_STYLES.get(model_style, model_style)


def styles_xml(font: str) -> str:
    out = [f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
           f'w:cs="{font}"/><w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="vi-VN" '
           'w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing '
           'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>',
           '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
           '</w:style>',
           '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name '
           'w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
           '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
           '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
           '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
           '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" '
           'w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
           '</w:tblPr></w:style>']
    for style_id, (name, ppr, rpr) in STYLES.items():
        out.append(f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
                   f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
                   f'<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {ROOT_NS}>'
            + "".join(out) + "</w:styles>")


def numbering_xml(numbering: Numbering, restarts_as_lists: bool = False) -> str:
    """word/numbering.xml; a list that restarts is a w:num with a w:startOverride on every level, or with
    RESTARTS_AS_LISTS a list of its own (a copy of its abstract list)."""
    heading_levels = [("upperRoman", "%1.", "Heading1", 0), ("decimal", "%2.", "Heading2", 567),
                      ("decimal", "%2.%3.", "Heading3", 567)]

    def level(ilvl: int, fmt: str, text: str, style: str | None, indent: int) -> str:
        pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
        return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
                f'<w:suff w:val="space"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="0" w:firstLine="{indent}"/></w:pPr></w:lvl>')
    headings = [level(i, *spec) for i, spec in enumerate(heading_levels)]
    headings += [level(i, "decimal", "".join(f"%{k}." for k in range(2, i + 2)), None, 567) for i in range(3, 9)]
    items = [level(0, "decimal", "%1.", None, 567)]
    items += [level(i, "lowerLetter", f"%{i + 1})", None, 567 * (i + 1)) for i in range(1, 9)]
    out = [f'<w:abstractNum w:abstractNumId="{HEADINGS_ABSTRACT}"><w:nsid w:val="2B4A1C0E"/>'
           f'<w:multiLevelType w:val="multilevel"/><w:tmpl w:val="7A3C5E12"/>{"".join(headings)}</w:abstractNum>',
           f'<w:abstractNum w:abstractNumId="{ITEMS_ABSTRACT}"><w:nsid w:val="5D1E7F30"/>'
           f'<w:multiLevelType w:val="hybridMultilevel"/><w:tmpl w:val="1C9A4B62"/>{"".join(items)}</w:abstractNum>']
    nums = []
    for num_id, (abstract, restarts) in numbering.nums.items():
        if restarts and restarts_as_lists:
            copy = len(out)
            out.append(re.sub(r'w:abstractNumId="\d+"><w:nsid w:val="[0-9A-F]+"/>',
                              f'w:abstractNumId="{copy}"><w:nsid w:val="{0x3C000000 + copy:08X}"/>', out[abstract], count=1))
            nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{copy}"/></w:num>')
            continue
        overrides = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>'
                            for i in range(9)) if restarts else ""
        nums.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>')
    out += nums
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {ROOT_NS}>'
            + "".join(out) + "</w:numbering>")


def caps_only(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def font_xml(font: str | None) -> str:
    return f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>' if font else ""


def text_xml(text: str, tag: str = "w:t") -> str:
    return f'<{tag} xml:space="preserve">{xml_text(text)}</{tag}>'


class DocxWriter:
    """Writes one Document as the parts of a docx. TYPIST_FOR gives, per paragraph, how its runs are
    typed: the font and the text as the keyboard driver stored it."""

    def __init__(self, typist_for: TypistFor):
        self.typist_for = typist_for
        self.paragraphs = 0
        self.footnotes: list[str] = []
        self.revisions = 100                       # w:id of tracked changes, apart from the footnotes'
        self.shapes = 0

    def run(self, text: str, typist: Typist, rpr: str = "", tag: str = "w:t") -> str:
        runs = []
        for font, typed in typist(text):
            props = font_xml(font) + rpr
            runs.append(f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}{text_xml(typed, tag)}</w:r>')
        return "".join(runs)

    def paragraph(self, para: Para, numbered: tuple[int, int] | None = None) -> str:
        typist = self.typist_for(self.paragraphs, para.style)
        self.paragraphs += 1
        style = docx_style(para.style)
        props = f'<w:pStyle w:val="{style}"/>' if style else ""
        if numbered is not None:
            num_id, level = numbered
            props += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        if style is None:
            props += BODY_PPR
        mark_font = typist(para_text(para))[0][0]
        if mark_font:
            props += f"<w:rPr>{font_xml(mark_font)}</w:rPr>"
        runs = []
        for item in para.content:
            if isinstance(item, Note):
                self.footnotes.append(self.footnote(item.text))
                runs.append(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                            f'<w:footnoteReference w:id="{len(self.footnotes)}"/></w:r>')
            elif isinstance(item, Tracked):
                self.revisions += 1
                tag = "w:t" if item.kind == "ins" else "w:delText"
                runs.append(f'<w:{item.kind} w:id="{self.revisions}" w:author="{AUTHOR}" w:date="{REVISION_DATE}">'
                            f"{self.run(item.text, typist, tag=tag)}</w:{item.kind}>")
            elif isinstance(item, TextBox):
                runs.append(self.text_box(item))
            elif item.text:
                rpr = {"Strong": "<w:b/>", "StrongItalic": "<w:b/><w:i/>"}.get(item.style or "", "")
                runs.append(self.run(item.text, typist, rpr))
        return f'<w:p><w:pPr>{props}</w:pPr>{"".join(runs)}</w:p>'

    def footnote(self, text: str) -> str:
        number = len(self.footnotes) + 1
        typist = self.typist_for(self.paragraphs, "Footnote")
        self.paragraphs += 1
        font = typist(text)[0][0]
        mark = f"<w:rPr>{font_xml(font)}</w:rPr>" if font else ""
        return (f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>{mark}</w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                f'{self.run(" " + text, typist)}</w:p></w:footnote>')

    def text_box(self, box: TextBox) -> str:
        """A floating text box, DrawingML for Word 2010 and later with its VML fallback."""
        self.shapes += 1
        content = "".join(self.paragraph(p) for p in box.paras)
        width, height = int(8.6 * EMU_PER_CM), int(0.62 * EMU_PER_CM)
        name = f"Text Box {self.shapes}"
        choice = (
            f'<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            f'relativeHeight="{251658240 + self.shapes}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{self.shapes}" name="{name}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{width}" cy="{height}"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" '
            'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>')
        fallback = (
            '<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="{name}" o:spid="_x0000_s{1025 + self.shapes}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:0;margin-top:0;width:{width / 12700:.1f}pt;'
            f'height:{height / 12700:.1f}pt;'
            f'z-index:{self.shapes};mso-position-horizontal:center;mso-position-horizontal-relative:text;'
            'mso-position-vertical-relative:text" filled="f" stroked="f"><v:textbox inset="0,0,0,0">'
            f'<w:txbxContent>{content}</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/></v:shape></w:pict>')
        return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{choice}</mc:Choice>'
                f'<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>')

    def table(self, table: Table) -> str:
        grid = table.style == "Grid"
        widths = [round(w * TWIPS_PER_CM) for w in table.widths_cm]
        edge = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' if grid else '<w:{0} w:val="nil"/>'
        borders = "".join(edge.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        margins = ('<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
                   if grid else "")
        out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
               f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr>',
               "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
        covered = covering(table.rows)
        for r, row in enumerate(table.rows):
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if r < table.header_rows else "")
            cells = []
            for c, cell in enumerate(row):
                if covered.get((r, c)) == 0:
                    continue                                   # inside a gridSpan
                props, paras = [], cell
                cols = cell.cols if isinstance(cell, Merged) else covered.get((r, c), 1)
                props.append(f'<w:tcW w:w="{sum(widths[c:c + cols])}" w:type="dxa"/>')
                if cols > 1:
                    props.append(f'<w:gridSpan w:val="{cols}"/>')
                if isinstance(cell, Merged):
                    paras = cell.paras
                    if cell.rows > 1:
                        props.append('<w:vMerge w:val="restart"/>')
                if cell is None:
                    props.append("<w:vMerge/>")
                    paras = []
                if grid:
                    props.append('<w:vAlign w:val="center"/>')
                body = "".join(self.paragraph(p) for p in paras) or "<w:p/>"
                cells.append(f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>{body}</w:tc>')
            out.append(f'<w:tr><w:trPr>{trpr}</w:trPr>{"".join(cells)}</w:tr>')
        return "".join(out) + "</w:tbl>"


def covering(rows: list[list]) -> dict[tuple[int, int], int]:
    """The cells that merged cells cover: (row, column) -> 0 inside a merged cell's first row (left out,
    the gridSpan holds it), or the merged cell's width below its first row (a vMerge continuation)."""
    cover: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, Merged):
                for dr in range(cell.rows):
                    for dc in range(cell.cols):
                        cover[r + dr, c + dc] = cell.cols if dr and not dc else 0
                del cover[r, c]
    return cover


def para_text(para: Para) -> str:
    return "".join(i.text for i in para.content if isinstance(i, (Span, Tracked)))


def document_xml(doc: Document, writer: DocxWriter) -> str:
    body = []
    for item in doc.body:
        if isinstance(item, Table):
            body.append(writer.table(item))
        elif isinstance(item, Numbered):
            body.append(writer.paragraph(item.para, (item.num_id, item.level)))
        else:
            body.append(writer.paragraph(item))
    if isinstance(doc.body[-1], Table):
        body.append("<w:p/>")                      # Word ends a document, like a cell, with a paragraph
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
            '<w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr>'
            '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" '
            'w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/>'
            '</w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {ROOT_NS}><w:body>'
            + "".join(body) + sect + "</w:body></w:document>")


def footnotes_xml(writer: DocxWriter) -> str:
    separators = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                  'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
                  '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
                  'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {ROOT_NS}>'
            + separators + "".join(writer.footnotes) + "</w:footnotes>")


def header_xml(text: str, writer: DocxWriter) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {ROOT_NS}>'
            + writer.paragraph(Para("Header", [Span(text)])) + "</w:hdr>")


def footer_xml(writer: DocxWriter) -> str:
    """The page number as Word writes it: a complex PAGE field with its last computed result."""
    font = writer.typist_for(writer.paragraphs, "Footer")("1")[0][0]
    rpr = f"<w:rPr>{font_xml(font)}</w:rPr>" if font else ""
    field_runs = (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
                  f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE   \\* MERGEFORMAT </w:instrText></w:r>'
                  f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
                  f'<w:r>{rpr}<w:t>1</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {ROOT_NS}>'
            f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{field_runs}</w:p></w:ftr>')


def settings_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {ROOT_NS}>'
            # the document shows its final text, as "No Markup" does; the changes stay tracked
            '<w:zoom w:percent="100"/><w:revisionView w:markup="0" w:insDel="0"/><w:trackRevisions/>'
            '<w:defaultTabStop w:val="720"/>'
            '<w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
            'w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>')


def font_table_xml(fonts: list[str]) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {ROOT_NS}>'
            + "".join(f'<w:font w:name="{f}"><w:charset w:val="00"/><w:family w:val="roman"/>'
                      f'<w:pitch w:val="variable"/></w:font>' for f in fonts) + "</w:fonts>")


def core_xml(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_text(title)}</dc:title><dc:creator>{AUTHOR}</dc:creator>"
            f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy><cp:revision>3</cp:revision>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2024-12-03T08:00:00Z</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{REVISION_DATE}</dcterms:modified></cp:coreProperties>')


def app_xml() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion></Properties>")


def package(parts: dict[str, str]) -> bytes:
    """The docx zip: content types and relationships around PARTS (name -> XML)."""
    overrides = {"word/document.xml": f"{WML}.document.main+xml", "word/styles.xml": f"{WML}.styles+xml",
                 "word/numbering.xml": f"{WML}.numbering+xml", "word/footnotes.xml": f"{WML}.footnotes+xml",
                 "word/settings.xml": f"{WML}.settings+xml", "word/fontTable.xml": f"{WML}.fontTable+xml",
                 "word/header1.xml": f"{WML}.header+xml", "word/footer1.xml": f"{WML}.footer+xml",
                 "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                 "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml"}
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
             'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             + "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
             + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                 'metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
                 '</Relationships>')
    word_rels = {"rIdStyles": ("styles", "styles.xml"), "rIdNumbering": ("numbering", "numbering.xml"),
                 "rIdFootnotes": ("footnotes", "footnotes.xml"), "rIdSettings": ("settings", "settings.xml"),
                 "rIdFonts": ("fontTable", "fontTable.xml"), "rIdHeader1": ("header", "header1.xml"),
                 "rIdFooter1": ("footer", "footer1.xml")}
    document_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
                     + "".join(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"/>'
                               for rid, (kind, target) in word_rels.items()) + "</Relationships>")
    files = {"[Content_Types].xml": types, "_rels/.rels": root_rels,
             "word/_rels/document.xml.rels": document_rels, **parts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in files.items():
            ElementTree.fromstring(xml.encode("utf-8"))     # malformed XML: fail here, not in Word
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, xml.encode("utf-8"))
    return buffer.getvalue()


def word_model(name: str, source: str) -> tuple[Document, Numbering, str]:
    """The sample's document model as a Word user made it: numbered headings, tracked changes, the
    motto in a text box; and the running head's text."""
    doc = build_document(name, source)
    numbering = Numbering()
    body = number_headings(doc.body, numbering)
    track_changes(body)
    motto_in_text_box(body)
    return Document(doc.title, body), numbering, page_header_text(body)


def docx_bytes(doc: Document, numbering: Numbering, running_head: str,
               typist_for: TypistFor, fonts: list[str], restarts_as_lists: bool = False) -> bytes:
    writer = DocxWriter(typist_for)
    document = document_xml(doc, writer)
    parts = {"word/document.xml": document, "word/styles.xml": styles_xml(fonts[0]),
             "word/numbering.xml": numbering_xml(numbering, restarts_as_lists),
             "word/footnotes.xml": footnotes_xml(writer),
             "word/header1.xml": header_xml(running_head, writer), "word/footer1.xml": footer_xml(writer),
             "word/settings.xml": settings_xml(), "word/fontTable.xml": font_table_xml(fonts),
             "docProps/core.xml": core_xml(doc.title), "docProps/app.xml": app_xml()}
    return package(parts)


# --- Legacy typing ----------------------------------------------------------------------------------

# Paragraphs typed with caps lock on in .VnTimeH: plain capitals, TCVN3's capital codes where it has
# them, lowercase codes for capitals with a tone ("B¸O C¸O"). Other capitals-only paragraphs were typed
# without caps lock, all in lowercase codes ("b¸o c¸o"); .VnTimeH shows both as capitals.
CAPS_LOCK_STYLES = {"HeadUnit", "HeadMotto", "DocKind", "AppendixHead", "TableHead", "Signature"}


def legacy_typists(printed: bool) -> dict[str, tuple[TypistFor, list[str]]]:
    """How each legacy document is typed, and the fonts it uses.

    PRINTED: for the PDF. TCVN3 stores ư at byte 0xAD, which Unicode reads as a soft hyphen and
    LibreOffice does not draw; a PDF set in a legacy font without a Unicode map gives for that code the
    hyphen of WinAnsiEncoding, so the text to print has "-" there ("Tr-êng")."""
    from extract.legacy import encode

    def typed(text: str) -> str:
        return text.replace("\u00ad", "-") if printed else text

    def tcvn3(caps_lock: bool) -> Typist:
        """.VnTime, except what it has no code for: capitals-only runs, and each capital with a tone
        in a run of .VnTime (TCVN3 gives capitals only to ă â ê ô ơ ư đ), are typed in .VnTimeH."""
        def typist(text: str) -> list[tuple[str | None, str]]:
            if caps_only(text):
                return [(".VnTimeH", typed(encode(text, "tcvn3", capitals=True) if caps_lock
                                           else encode(text.lower(), "tcvn3")))]
            pieces: list[tuple[str | None, str]] = []
            rest = text
            while True:
                try:
                    pieces.append((".VnTime", typed(encode(rest, "tcvn3"))))
                    return [p for p in pieces if p[1]] or pieces[-1:]
                except UnicodeEncodeError as missing:
                    cut = missing.start
                    pieces.append((".VnTime", typed(encode(rest[:cut], "tcvn3"))))
                    pieces.append((".VnTimeH", typed(encode(rest[cut], "tcvn3", capitals=True))))
                    rest = rest[cut + 1:]
        return typist

    def vni(font: str) -> Typist:
        return lambda text: [(font, typed(encode(text, "vni")))]

    def in_tcvn3(number: int, style: str) -> Typist:
        return tcvn3(style in CAPS_LOCK_STYLES)

    def in_vni(number: int, style: str) -> Typist:
        return vni("VNI-Times")

    def pasted_together(number: int, style: str) -> Typist:
        return vni(".VnTime") if number % 2 else in_tcvn3(number, style)

    return {"tcvn3": (in_tcvn3, [".VnTime", ".VnTimeH"]), "vni": (in_vni, ["VNI-Times"]),
            "mixed": (pasted_together, [".VnTime", ".VnTimeH"])}


# --- Legacy fonts for printing ----------------------------------------------------------------------

LEGACY_FONTS = (".VnTime", ".VnTimeH", "VNI-Times")
STYLES_OF_FONT = ("Regular", "Bold", "Italic", "Bold Italic")


def sfnt_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def renamed_font(data: bytes, family: str) -> bytes:
    """A TrueType font under another family name: its name records 1, 3, 4, 6 (and the typographic
    names 16, 17) replaced by Windows ones for FAMILY; the glyphs, the copyright and the licence kept."""
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = data[offset:offset + length]
    name = tables[b"name"]
    _, records_count, storage = struct.unpack(">HHH", name[:6])
    records = []
    for i in range(records_count):
        platform, encoding, language, name_id, length, offset = struct.unpack(">6H", name[6 + 12 * i:18 + 12 * i])
        records.append((platform, encoding, language, name_id, name[storage + offset:storage + offset + length]))
    style = next(r[4] for r in records if r[0] == 3 and r[3] == 2).decode("utf-16-be")
    full = family if style == "Regular" else f"{family} {style}"
    names = {1: family, 3: full, 4: full, 6: family if style == "Regular" else f"{family},{style.replace(' ', '')}"}
    records = [r for r in records if r[3] not in names and r[3] not in (16, 17)]
    records = sorted(records + [(3, 1, 0x409, k, v.encode("utf-16-be")) for k, v in names.items()])
    strings, entries = b"", b""
    for platform, encoding, language, name_id, text in records:
        entries += struct.pack(">6H", platform, encoding, language, name_id, len(text), len(strings))
        strings += text
    tables[b"name"] = struct.pack(">HHH", 0, len(records), 6 + len(entries)) + entries + strings
    head = tables[b"head"]
    tables[b"head"] = head[:8] + b"\0\0\0\0" + head[12:]          # checkSumAdjustment, set below
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = data[:4] + struct.pack(">HHHH", len(tags), power * 16, power.bit_length() - 1, (len(tags) - power) * 16)
    offset = 12 + 16 * len(tags)
    directory, body, head_at = [], [], 0
    for tag in tags:
        table = tables[tag]
        head_at = offset if tag == b"head" else head_at
        directory.append(struct.pack(">4sIII", tag, sfnt_checksum(table), offset, len(table)))
        body.append(table + b"\0" * (-len(table) % 4))
        offset += len(body[-1])
    font = bytearray(header + b"".join(directory) + b"".join(body))
    font[head_at + 8:head_at + 12] = struct.pack(">I", (0xB1B0AFBA - sfnt_checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def legacy_font_config(workdir: Path) -> dict[str, str]:
    """The environment under which LibreOffice finds fonts named .VnTime, .VnTimeH and VNI-Times (copies
    of Liberation Serif), so that a printed PDF names its fonts as a legacy document's does."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise RuntimeError("fc-match not found: apt-get install -y fontconfig fonts-liberation")
    fonts = workdir / "fonts"
    fonts.mkdir()
    for style in STYLES_OF_FONT:
        source = subprocess.run([fc_match, "-f", "%{file}", f"Liberation Serif:style={style}"],
                                capture_output=True, text=True, check=True).stdout
        for family in LEGACY_FONTS:
            target = fonts / f"{family.strip('.')}-{style.replace(' ', '')}.ttf"
            target.write_bytes(renamed_font(Path(source).read_bytes(), family))
    config = workdir / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                      '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                      f"<dir>{fonts}</dir><cachedir>{workdir / 'fontcache'}</cachedir></fontconfig>\n",
                      encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


# --- LibreOffice ------------------------------------------------------------------------------------

# --- The web page, printed by a browser ------------------------------------------------------------

_FO = re.compile(r'fo:([\w-]+)="([^"]*)"')
_CSS_VALUES = {"start": "left", "end": "right", "always": "avoid"}       # keep-with-next: no break after


def css_of(properties: str) -> str:
    """The ODF style's fo: properties as CSS declarations (they are CSS's names, but for a few)."""
    out = []
    for name, value in _FO.findall(properties):
        if name == "keep-with-next":
            out.append("break-after: avoid")
        elif name in ("orphans", "widows", "hyphenate", "language", "country"):
            continue
        else:
            out.append(f"{name}: {_CSS_VALUES.get(value, value)}")
    return "; ".join(out)


def web_page(doc: Document) -> str:
    """The report as an HTML page: the PDF's paragraph and character styles as CSS classes, raised note
    numbers in the text and the notes at the end of the page, tables ruled or not as in the PDF."""
    notes: list[str] = []

    def para_html(para: Para) -> str:
        parts = []
        for item in para.content:
            if isinstance(item, Note):
                notes.append(item.text)
                parts.append(f"<sup>{len(notes)}</sup>")
            elif item.style:
                parts.append(f'<span class="{item.style}">{xml_text(item.text)}</span>')
            else:
                parts.append(xml_text(item.text))
        return f'<p class="{para.style}">{"".join(parts)}</p>'

    def cell_html(cell, tag: str) -> str:
        if cell is None:
            return ""
        spans = ""
        if isinstance(cell, Merged):
            spans = "".join(f' {what}span="{n}"' for what, n in (("col", cell.cols), ("row", cell.rows)) if n > 1)
            cell = cell.paras
        return f"<{tag}{spans}>{''.join(para_html(p) for p in cell)}</{tag}>"

    body = []
    for item in doc.body:
        if isinstance(item, Table):
            head = "".join(f"<tr>{''.join(cell_html(c, 'th') for c in row)}</tr>" for row in item.rows[:item.header_rows])
            rows = "".join(f"<tr>{''.join(cell_html(c, 'td') for c in row)}</tr>" for row in item.rows[item.header_rows:])
            cols = "".join(f'<col style="width: {w}cm">' for w in item.widths_cm)
            body.append(f'<table class="{item.style}">{cols}<thead>{head}</thead><tbody>{rows}</tbody></table>')
        else:
            body.append(para_html(item))
    body.extend(f'<p class="Footnote"><sup>{n}</sup> {xml_text(text)}</p>' for n, text in enumerate(notes, 1))
    styles = [f"@page {{ size: A4; margin: 2cm 2cm 1.5cm 3cm }}",
              f"body {{ font-family: '{FONT}'; font-size: {BODY_PT}pt; margin: 0 }}",
              "p { margin: 0 } sup { font-size: 58%; line-height: 0 }",
              "table { width: 16cm; border-collapse: collapse; margin-top: 0.2cm } tr { break-inside: avoid }",
              "table.Grid td, table.Grid th { border: 0.5pt solid #000; padding: 0.08cm; vertical-align: middle }",
              "table.Layout td { border: none; padding: 0 } th { font-weight: normal }"]
    styles += [f".{name} {{ {css_of(para + ' ' + text)} }}" for name, (para, text) in PARAGRAPH_STYLES.items()]
    styles += [f".{name} {{ {css_of(props)} }}" for name, (_, props) in TEXT_STYLES.items() if "text-position" not in props]
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f"<title>{xml_text(doc.title)}</title><style>{' '.join(styles)}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("Chromium not found: apt-get install -y chromium")
    return found


def print_page(page: Path, out: Path) -> Path:
    """PAGE printed to the PDF OUT by headless Chromium, with no header or footer of its own."""
    with tempfile.TemporaryDirectory(prefix="make_formats-chromium-") as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                        page.as_uri()], check=True, capture_output=True, timeout=300)
    if not out.exists():
        raise RuntimeError(f"Chromium printed no PDF of {page}")
    return out


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise RuntimeError("LibreOffice not found: apt-get install -y libreoffice-writer-nogui")
    return found


def convert(files: list[Path], target: str, outdir: Path, workdir: Path, env: dict[str, str] | None = None) -> None:
    """One LibreOffice run converting FILES to TARGET (doc, rtf, odt, pdf), with a profile of its own
    so that runs can go side by side and none touches a user's profile; ENV added to its environment."""
    for _ in range(2):          # an office starting beside another now and then aborts at start-up
        profile = Path(tempfile.mkdtemp(prefix=f"profile-{target}-", dir=workdir))
        run = subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                              "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                             capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})
        missing = [f.name for f in files if not (outdir / f"{f.stem}.{target}").exists()]
        if not missing:
            return
    raise RuntimeError(f"LibreOffice failed (exit {run.returncode}) converting {', '.join(missing)} "
                       f"to {target}\n{run.stderr}")


# --- Scans ------------------------------------------------------------------------------------------

SCANS = {"scan300.pdf": (300, None), "scan150.pdf": (150, "photocopied"), "scan200.pdf": (200, "flatbed")}
SCAN_DATE = datetime(2024, 12, 6, 14, 30, 0)
SKEW_DEGREES = (0.8, -1.2, 0.6, -1.4, 1.0, -0.5, 1.3, -0.9)   # one per page, cycled
SPECKLES = 0.02                                                # share of the pixels a copier dirties


def page_images(pdf: Path, dpi: int) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def photocopied(image: Image.Image, page: int) -> Image.Image:
    """Skewed a little, alternately left and right, with specks of toner and dropouts."""
    skewed = image.rotate(SKEW_DEGREES[page % len(SKEW_DEGREES)], resample=Image.Resampling.BICUBIC,
                          fillcolor=255)
    pixels = np.asarray(skewed).copy()
    rng = np.random.default_rng(page)
    specks = rng.random(pixels.shape) < SPECKLES
    dark = rng.random(pixels.shape) < 0.5
    pixels[specks & dark] = rng.integers(40, 140, size=int((specks & dark).sum()), dtype=np.uint8)
    pixels[specks & ~dark] = 255
    return Image.fromarray(pixels, mode="L")


def flatbed(image: Image.Image, page: int) -> Image.Image:
    """As a flatbed scanner saves a page: a little out of focus, skewed, grey paper lit unevenly across,
    ink a shade lighter, sensor noise, then a hard JPEG compression."""
    blurred = image.filter(ImageFilter.GaussianBlur(0.6))
    skewed = blurred.rotate((-1) ** page * (1.5 + 0.3 * (page % 3)), resample=Image.Resampling.BICUBIC,
                            fillcolor=255)
    ink = 255 - np.asarray(skewed).astype(np.float32)
    paper = 235 - 15 * np.linspace(0, 1, ink.shape[1])[None, :]
    rng = np.random.default_rng(page)
    pixels = np.clip(paper - 0.9 * ink + rng.normal(0, 6, ink.shape), 0, 255).astype(np.uint8)
    compressed = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(compressed, "JPEG", quality=45)
    return Image.open(io.BytesIO(compressed.getvalue())).convert("L")


def save_scan(images: list[Image.Image], dpi: int, target: Path) -> None:
    first, *rest = images
    first.save(target, "PDF", save_all=True, append_images=rest, resolution=dpi, title=target.stem,
               producer="Scanner", creationDate=SCAN_DATE.timetuple(), modDate=SCAN_DATE.timetuple())


# --- Spreadsheet ------------------------------------------------------------------------------------

def number_format(written: str) -> str:
    decimals = len(written.partition(",")[2])
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def appendix_workbook(name: str, doc: Document, target: Path) -> None:
    """The appendix as a budget office saves it: title rows, a two-level header with merged cells,
    numbers as numbers with a format, the rate as a formula unless the report typed a wrong one."""
    rows: list[Indicator] = APPENDIX[name]
    title = next(para_text(p) for p in doc.body if isinstance(p, Para) and p.style == "Title")
    year = re.search(r"\b(20\d\d)\b", title)
    period = TWO_LEVEL_HEAD.get(name) or (f"Năm {year[1]}" if year else "Kỳ báo cáo", False)
    head = table_head(period)
    subtitle = next((para_text(p) for p in doc.body if isinstance(p, Para) and p.style == "Subtitle"
                     and para_text(p).startswith("(Kèm")), "")
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncols = len(TABLE_WIDTHS_CM)
    for r, (text, font) in enumerate([("PHỤ LỤC", Font(name=BODY_FONT, size=13, bold=True)),
                                      ("MỘT SỐ CHỈ TIÊU CHỦ YẾU", Font(name=BODY_FONT, size=13, bold=True)),
                                      (subtitle, Font(name=BODY_FONT, size=12, italic=True))], 1):
        sheet.cell(r, 1, text).font = font
        sheet.cell(r, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    first = 5
    for r, row in enumerate(head):
        for c, cell in enumerate(row):
            target_cell = sheet.cell(first + r, c + 1)
            target_cell.border = box
            if cell is None:
                continue
            paras = cell.paras if isinstance(cell, Merged) else cell
            target_cell.value = " ".join(para_text(p) for p in paras)
            target_cell.font = Font(name=BODY_FONT, size=12, bold=paras[0].style == "TableHead",
                                    italic=paras[0].style != "TableHead")
            target_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if isinstance(cell, Merged):
                sheet.merge_cells(start_row=first + r, start_column=c + 1,
                                  end_row=first + r + cell.rows - 1, end_column=c + cell.cols)
    cached: dict[str, float] = {}
    top = first + len(head)
    for r in range(first, top):
        sheet.row_dimensions[r].height = 32
    for i, row in enumerate(rows):
        r = top + i
        # Excel does not grow a row for wrapped text when it opens a file; the office sized them by hand
        sheet.row_dimensions[r].height = 16 * max(-(-len(row.label) // 30), -(-len(row.unit) // 13))
        plan, actual = vn_decimal(row.plan), vn_decimal(row.actual)
        values = [i + 1, row.label, row.unit, float(plan) if plan % 1 else int(plan),
                  float(actual) if actual % 1 else int(actual)]
        for c, value in enumerate(values, 1):
            cell = sheet.cell(r, c, value)
            cell.font = Font(name=BODY_FONT, size=12)
            cell.border = box
            cell.alignment = Alignment(horizontal="left" if c == 2 else "center" if c < 4 else "right",
                                       vertical="center", wrap_text=c in (2, 3))
        sheet.cell(r, 4).number_format = number_format(row.plan)
        sheet.cell(r, 5).number_format = number_format(row.actual)
        stated = rate(row)
        rate_cell = sheet.cell(r, 6)
        if row.stated is None:
            rate_cell.value = f"=E{r}/D{r}*100"
            cached[f"F{r}"] = float(actual * 100 / plan)
        else:
            rate_cell.value = float(vn_decimal(stated))
        decimals = len(stated.partition(",")[2])
        rate_cell.number_format = "0" + ("." + "0" * decimals if decimals else "")
        rate_cell.font = Font(name=BODY_FONT, size=12)
        rate_cell.border = box
        rate_cell.alignment = Alignment(horizontal="right", vertical="center")
    for c, width in enumerate(TABLE_WIDTHS_CM, 1):
        sheet.column_dimensions[chr(64 + c)].width = round(width * 4.4, 1)
    sheet.freeze_panes = sheet.cell(top, 3)
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = f"{first}:{top - 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    book.properties.creator = AUTHOR
    book.properties.created = datetime(2024, 12, 4, 9, 15, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    target.write_bytes(with_cached_values(buffer.getvalue(), cached))


def with_cached_values(xlsx: bytes, values: dict[str, float]) -> bytes:
    """Excel stores each formula's last result beside it; openpyxl cannot, so put them in. And a
    fixed save time, so that the file is the same on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + REVISION_DATE.encode(), data)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                for ref, value in values.items():
                    xml, found = re.subn(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v(?:\s*/>|></v>)',
                                         rf"\1<f>\2</f><v>{value!r}</v>", xml)
                    if found != 1:
                        raise RuntimeError(f"formula cell {ref} not found in the sheet")
                data = xml.encode("utf-8")
            info.date_time = ZIP_DATE
            target.writestr(info, data)
    return out.getvalue()


# --- All formats of one sample ----------------------------------------------------------------------

def make_formats(sample_txt: Path, outdir: Path, formats: set[str] | None = None) -> dict[str, Path]:
    """Write SAMPLE_TXT in FORMATS (default all; see FORMATS) to OUTDIR/<name>.<format>; return
    format -> file written. The scans are of the PDF beside the text (samples/<name>.pdf); a sample
    without an appendix gets no xlsx."""
    wanted = set(FORMATS) if formats is None else set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))} (known: {', '.join(FORMATS)})")
    name = sample_txt.stem
    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="make_formats-") as tmp:
        workdir = Path(tmp)
        doc, numbering, running_head = word_model(name, sample_txt.read_text(encoding="utf-8"))
        docx = workdir / f"{name}.docx"
        docx.write_bytes(docx_bytes(doc, numbering, running_head, typed_in_unicode, [BODY_FONT]))
        if "docx" in wanted:
            written["docx"] = Path(shutil.copyfile(docx, outdir / f"{name}.docx"))
        sources = {fmt: docx for fmt in ("rtf", "odt")}
        (workdir / "doc").mkdir()                  # the file keeps its name: LibreOffice names the output
        sources["doc"] = workdir / "doc" / f"{name}.docx"
        sources["doc"].write_bytes(docx_bytes(doc, numbering, running_head, typed_in_unicode, [BODY_FONT],
                                              restarts_as_lists=True))
        for fmt in sorted(wanted & LEGACY):
            kind, _, target = fmt.partition(".")
            typist_for, fonts = legacy_typists(printed=target == "pdf")[kind]
            folder = workdir / target
            folder.mkdir(exist_ok=True)
            sources[fmt] = folder / f"{name}.{kind}.docx"
            sources[fmt].write_bytes(docx_bytes(doc, numbering, running_head, typist_for, fonts,
                                                restarts_as_lists=target == "doc"))
        jobs: dict[str, list[Path]] = {}
        for fmt in sorted(wanted & CONVERTED):
            jobs.setdefault(fmt.rpartition(".")[2], []).append(sources[fmt])
        converted = workdir / "converted"
        converted.mkdir()
        legacy_fonts = legacy_font_config(workdir) if "pdf" in jobs else None
        with ThreadPoolExecutor(max_workers=len(jobs) or 1) as pool:
            runs = [pool.submit(convert, files, target, converted, workdir, legacy_fonts if target == "pdf" else None)
                    for target, files in jobs.items()]
            for run in runs:
                run.result()
        for fmt in sorted(wanted & CONVERTED):
            written[fmt] = Path(shutil.move(converted / f"{name}.{fmt}", outdir / f"{name}.{fmt}"))
        for fmt, (dpi, treatment) in SCANS.items():
            if fmt in wanted:
                images = page_images(sample_txt.with_suffix(".pdf"), dpi)
                if treatment:
                    treat = {"photocopied": photocopied, "flatbed": flatbed}[treatment]
                    images = [treat(image, page) for page, image in enumerate(images)]
                save_scan(images, dpi, outdir / f"{name}.{fmt}")
                written[fmt] = outdir / f"{name}.{fmt}"
        if "browser.pdf" in wanted:
            page = workdir / f"{name}.html"
            page.write_text(web_page(build_document(name, sample_txt.read_text(encoding="utf-8"))), encoding="utf-8")
            written["browser.pdf"] = print_page(page, outdir / f"{name}.browser.pdf")
        if "xlsx" in wanted and name in APPENDIX:
            appendix_workbook(name, doc, outdir / f"{name}.xlsx")
            written["xlsx"] = outdir / f"{name}.xlsx"
    return {fmt: written[fmt] for fmt in FORMATS if fmt in written}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Render sample reports in the formats a ward archive holds.")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("samples", nargs="*", type=Path, help="default: samples/*.txt")
    parser.add_argument("--formats", help=f"comma-separated, default all: {','.join(FORMATS)}")
    args = parser.parse_args(argv)
    formats = set(args.formats.split(",")) if args.formats else None
    for sample in args.samples or sorted(SAMPLES.glob("*.txt")):
        for path in make_formats(sample, args.outdir, formats).values():
            print(path)


if __name__ == "__main__":
    main()
