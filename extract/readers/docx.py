"""The Word reader: a .docx (Office Open XML) to the layout model, read from its XML parts as Word shows it.

Paragraphs in body order with the numbers Word generates for headings and lists, weight and font from runs
and styles, tracked changes as accepted, fields as their results, text boxes where they are anchored,
footnotes and endnotes as markers and bodies, ruled tables cell by cell, legacy TCVN3/VNI text in Unicode.
"""
import bisect
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree

from .. import legacy
from ..layout import Layout, Line
from ..load import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# ISO 29500 Strict writes the same vocabulary under other namespaces
STRICT = {"http://purl.oclc.org/ooxml/wordprocessingml/main": W,
          "http://purl.oclc.org/ooxml/officeDocument/math": MATH,
          "http://purl.oclc.org/ooxml/officeDocument/relationships":
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_PART = 200 * 2**20          # bytes a part may expand to
MAX_RATIO = 100                 # expansion over compressed size, for parts past RATIO_FROM bytes
RATIO_FROM = 8 * 2**20
# A table cell's box is its place in the table's grid, in points: columns as wide as the grid says, rows
# of this nominal height. It is what tells the table stage a merged header cell from the cells under it.
ROW_HEIGHT = 20.0
DEFAULT_SIZE = 10.0             # points: Word's size where no style gives one
MAX_STYLE_DEPTH = 20            # basedOn chains and list-style links longer than this are loops


def w(name: str) -> str:
    return f"{{{W}}}{name}"


P, R, T, TBL, TR, TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
PPR, RPR, TCPR, TRPR, TBLPR = w("pPr"), w("rPr"), w("tcPr"), w("trPr"), w("tblPr")
SDT, SDT_CONTENT, CUSTOM_XML = w("sdt"), w("sdtContent"), w("customXml")
INS, DEL, MOVE_TO, MOVE_FROM = w("ins"), w("del"), w("moveTo"), w("moveFrom")
VAL = w("val")
ALTERNATE, CHOICE, FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
TEXT_BOX = w("txbxContent")
NOTE_REFERENCES = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
# inline elements whose content is not part of the text as shown
NOT_SHOWN = {DEL, MOVE_FROM, PPR, RPR, w("sdtPr"), w("sdtEndPr"), w("customXmlPr"), w("smartTagPr")}
# fields whose result repeats the document (a table of contents repeats its headings)
REPEATING_FIELDS = re.compile(r"^\s*(?:TOC|INDEX)\b", re.I)
HEADING_NAME = re.compile(r"^heading\s*[1-9]$", re.I)
NUMERIC_CELL = re.compile(r"^[+-]?\d[\d.,]*\s*%?$")

# Characters of the symbol fonts (w:sym, or private-use code points in those fonts) that reports use;
# the others are pictures with no meaning in the text.
SYMBOL_FONTS = {
    "symbol": {0x2B: "+", 0x2D: "-", 0x3C: "<", 0x3D: "=", 0x3E: ">", 0x25: "%", 0xA3: "≤", 0xB3: "≥",
               0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xB9: "≠", 0xBB: "≈", 0xB7: "•", 0xAE: "→", 0xAC: "←",
               0xDE: "⇒", 0xDB: "⇔", 0xA5: "∞", 0xB0: "°", 0xD7: "·", 0x44: "Δ", 0x53: "Σ", 0x61: "α",
               0x62: "β", 0x64: "δ", 0x67: "γ", 0x6D: "μ", 0x70: "π", 0x57: "Ω",
               **{c: chr(c) for c in b" !#&(),./0123456789:;?[]_{|}"}},
    "wingdings": {0x6C: "●", 0x6E: "■", 0x71: "❑", 0x76: "❖", 0x77: "◆", 0xA7: "▪", 0x9F: "•",
                  0xD8: "➢", 0xE0: "→", 0xE8: "➔", 0xF0: "⇨", 0xFC: "✓", 0xFB: "✗", 0xFE: "☑", 0xA8: "☐",
                  0x6F: "☐"},
}
SYMBOL_FONTS["wingdings 2"] = {0x50: "✓", 0x4F: "✗", 0x52: "☑", 0xA3: "☐", 0x98: "•"}
SYMBOL_FONTS["webdings"] = {0x3D: "■"}


# --------------------------------------------------------------------- the package

class _SafeBuilder(ElementTree.TreeBuilder):
    """A document type declaration is where entities are declared: an Office part never has one."""

    def doctype(self, name, pubid, system):
        raise _Refused(f"declares a document type{f' ({name})' if name else ''}: entity expansion "
                       "is refused (an XML bomb?)")


class _Refused(Exception):
    pass


class Package:
    """The parts of an Office Open XML zip, each read only after its declared size has been checked."""

    def __init__(self, path: str, source: str | None = None):
        self.source = source or path
        try:
            with open(path, "rb") as handle:
                head = handle.read(len(OLE2))
        except OSError as err:
            raise InputError(self.source, err.strerror or "cannot be read") from None
        if head == OLE2:
            raise InputError(self.source, _ole_cause(path))
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise InputError(self.source, "corrupt or truncated Word file (not a readable zip archive)") from None
        self.names = {name.lower(): name for name in self.zip.namelist()}

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def read(self, name: str) -> bytes | None:
        real = self.names.get(name.lower())
        if real is None:
            return None
        info = self.zip.getinfo(real)
        megabytes = info.file_size / 2**20
        if info.file_size > MAX_PART or (info.file_size > RATIO_FROM
                                         and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise InputError(self.source, f"{real} would expand to {megabytes:.0f} MB from "
                                          f"{info.compress_size / 2**20:.2f} MB (a zip bomb?): refused")
        try:
            return self.zip.read(real)
        except RuntimeError:            # zipfile's word for an entry locked with a password
            raise InputError(self.source, "password-protected Word file: a password is needed") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            raise InputError(self.source, f"corrupt or truncated Word file ({real} cannot be unpacked)") from None

    def xml(self, name: str) -> ElementTree.Element | None:
        data = self.read(name)
        if data is None:
            return None
        parser = ElementTree.XMLParser(target=_SafeBuilder())
        try:
            parser.feed(data)
            root = parser.close()
        except _Refused as err:
            raise InputError(self.source, f"unsafe Word file: {name} {err}") from None
        except ElementTree.ParseError as err:
            raise InputError(self.source, f"corrupt Word file: {name} is not well-formed XML ({err})") from None
        if root.tag.startswith("{") and root.tag[1:].split("}")[0] in STRICT:
            _unstrict(root)
        return root

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship type (its last path segment: "styles", "footnotes" ...) -> target part name."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found: dict[str, str] = {}
        if root is None:
            return found
        for rel in root.iter(f"{{{PACKAGE_RELS}}}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            kind = (rel.get("Type") or "").rstrip("/").rsplit("/", 1)[-1]
            found.setdefault(kind, target.lstrip("/") if target.startswith("/")
                             else posixpath.normpath(posixpath.join(folder, target)))
        return found


def _ole_cause(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read(4 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password-protected Office file: a password is needed"
    return "not a Word 2007+ file (an Office 97-2003 compound file: read it as .doc)"


def _unstrict(root: ElementTree.Element) -> None:
    for el in root.iter():
        if el.tag.startswith("{"):
            ns, local = el.tag[1:].split("}", 1)
            if ns in STRICT:
                el.tag = f"{{{STRICT[ns]}}}{local}"
        for key in [k for k in el.attrib if k.startswith("{")]:
            ns, local = key[1:].split("}", 1)
            if ns in STRICT:
                el.attrib[f"{{{STRICT[ns]}}}{local}"] = el.attrib.pop(key)


# --------------------------------------------------------------------- styles

def _on(el: ElementTree.Element | None) -> bool:
    """An on/off property: present and not switched off."""
    return el is not None and el.get(VAL, "true").lower() not in ("0", "false", "off", "none")


def _int(el: ElementTree.Element | None, attribute: str = VAL, default: int | None = None) -> int | None:
    if el is None:
        return default
    try:
        return int(el.get(attribute, ""))
    except ValueError:
        return default


def run_properties(rpr: ElementTree.Element | None) -> dict:
    """What a run property element says of weight, font, size, capitals and visibility (only what it
    says)."""
    found: dict = {}
    if rpr is None:
        return found
    bold = rpr.find(w("b"))
    if bold is not None:
        found["bold"] = _on(bold)
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        if fonts.get(w("hAnsiTheme")) or fonts.get(w("asciiTheme")):
            found["font"] = None              # a theme font: never a legacy one
        elif fonts.get(w("hAnsi")) or fonts.get(w("ascii")):
            found["font"] = fonts.get(w("hAnsi")) or fonts.get(w("ascii"))
    size = _int(rpr.find(w("sz")))
    if size:
        found["size"] = size / 2
    hidden = rpr.find(w("vanish"))
    if hidden is not None:
        found["hidden"] = _on(hidden)
    for caps in (rpr.find(w("caps")), rpr.find(w("smallCaps"))):
        if caps is not None:
            found["caps"] = _on(caps)
    return found


@dataclass
class Style:
    kind: str
    name: str
    based_on: str | None
    element: ElementTree.Element


class Styles:
    """styles.xml: each style's properties with those of the styles it is based on."""

    def __init__(self, root: ElementTree.Element | None):
        self.styles: dict[str, Style] = {}
        self.default_paragraph: str | None = None
        self.defaults: dict = {}
        self._runs: dict[str, dict] = {}
        if root is None:
            return
        defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{RPR}")
        self.defaults = run_properties(defaults)
        for el in root.iter(w("style")):
            style_id = el.get(w("styleId"))
            if not style_id:
                continue
            kind = el.get(w("type"), "paragraph")
            name = el.find(w("name"))
            based = el.find(w("basedOn"))
            self.styles[style_id] = Style(kind, "" if name is None else name.get(VAL, ""),
                                          None if based is None else based.get(VAL), el)
            if kind == "paragraph" and _on_attribute(el.get(w("default"))):
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and those it is based on, nearest first."""
        found: list[Style] = []
        while style_id in self.styles and len(found) < MAX_STYLE_DEPTH:
            style = self.styles[style_id]
            if style in found:
                break
            found.append(style)
            style_id = style.based_on
        return found

    def run_props(self, style_id: str | None) -> dict:
        """A style's run properties, its own over those of the styles it is based on."""
        if style_id is None:
            return {}
        if style_id not in self._runs:
            merged: dict = {}
            for style in reversed(self.chain(style_id)):
                merged.update(run_properties(style.element.find(RPR)))
            self._runs[style_id] = merged
        return self._runs[style_id]

    def paragraph_property(self, style_id: str | None, name: str) -> ElementTree.Element | None:
        """The nearest pPr child NAME along the style's chain."""
        for style in self.chain(style_id):
            ppr = style.element.find(PPR)
            found = None if ppr is None else ppr.find(w(name))
            if found is not None:
                return found
        return None

    def is_heading(self, style_id: str | None, ppr: ElementTree.Element | None) -> bool:
        """An outline level below 9 (on the paragraph or its style), or a style named "heading N"."""
        level = _int(None if ppr is None else ppr.find(w("outlineLvl")))
        if level is None:
            level = _int(self.paragraph_property(style_id, "outlineLvl"))
        if level is not None:
            return 0 <= level < 9
        return any(HEADING_NAME.match(s.name) or HEADING_NAME.match(s.element.get(w("styleId"), ""))
                   for s in self.chain(style_id))

    def table_borders(self, style_id: str | None) -> ElementTree.Element | None:
        for style in self.chain(style_id):
            borders = style.element.find(f"{TBLPR}/{w('tblBorders')}")
            if borders is not None:
                return borders
        return None


# --------------------------------------------------------------------- numbering

@dataclass
class Level:
    start: int = 1
    format: str = "decimal"
    text: str = ""
    suffix: str = " "
    restart: int | None = None      # restart after a level above it (one-based), 0 never; None: any above
    legal: bool = False             # every number in the label as a decimal
    style: str | None = None        # the paragraph style linked to this level


def _level(el: ElementTree.Element) -> Level:
    """A w:lvl; the suffix after the number (a tab by default) is shown as a space."""
    text = _val(el.find(w("lvlText")))
    return Level(start=_int(el.find(w("start")), default=1),
                 format=_val(el.find(w("numFmt"))) or "decimal",
                 text=text or "",
                 suffix="" if _val(el.find(w("suff"))) == "nothing" else " ",
                 restart=_int(el.find(w("lvlRestart"))),
                 legal=_on(el.find(w("isLgl"))),
                 style=_val(el.find(w("pStyle"))))


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def format_number(n: int, number_format: str) -> str:
    """A list counter as Word shows it in NUMBER_FORMAT (the formats reports use; others as decimals)."""
    if number_format == "upperRoman":
        return _roman(n)
    if number_format == "lowerRoman":
        return _roman(n).lower()
    if number_format in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if number_format == "upperLetter" else letter.lower()
    if number_format == "decimalZero":
        return f"{n:02d}"
    if number_format == "none":
        return ""
    return str(n)


class Numbering:
    """numbering.xml and the counters of its lists, as Word counts them through a document: the lists
    (w:num) of one definition share their counters; a list that overrides a level's start restarts it
    where it is first used; using a level restarts the levels below it."""

    def __init__(self, root: ElementTree.Element | None, styles: Styles):
        self.styles = styles
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}             # abstract -> the numbering style it follows
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for el in root.iter(w("abstractNum")):
            key = el.get(w("abstractNumId"), "")
            self.abstracts[key] = {_int(lvl, w("ilvl"), 0): _level(lvl) for lvl in el.findall(w("lvl"))}
            link = el.find(w("numStyleLink"))
            if link is not None:
                self.links[key] = link.get(VAL, "")
        for el in root.iter(w("num")):
            abstract = el.find(w("abstractNumId"))
            starts, levels = {}, {}
            for override in el.findall(w("lvlOverride")):
                ilvl = _int(override, w("ilvl"), 0)
                start = _int(override.find(w("startOverride")))
                if start is not None:
                    starts[ilvl] = start
                if override.find(w("lvl")) is not None:
                    levels[ilvl] = _level(override.find(w("lvl")))
            self.nums[el.get(w("numId"), "")] = ("" if abstract is None else abstract.get(VAL, ""), starts, levels)

    def abstract_of(self, num_id: str) -> str | None:
        """The definition a list uses, through a numbering style's link where it has one."""
        abstract = self.nums[num_id][0] if num_id in self.nums else None
        for _ in range(MAX_STYLE_DEPTH):
            if abstract not in self.links:
                break
            num = self.styles.paragraph_property(self.links[abstract], "numPr")
            linked = _int(None if num is None else num.find(w("numId")))
            target = self.nums.get(str(linked), (None,))[0] if linked is not None else None
            if target is None or target == abstract:
                break
            abstract = target
        return abstract

    def levels(self, num_id: str) -> dict[int, Level]:
        abstract = self.abstract_of(num_id)
        levels = dict(self.abstracts.get(abstract, {}))
        _, starts, replaced = self.nums[num_id]
        levels.update(replaced)
        for ilvl, start in starts.items():
            if ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
        return levels

    def list_of(self, ppr: ElementTree.Element | None, style_id: str | None) -> tuple[str, int] | None:
        """(list, level) of a paragraph: its own numPr, else its style's; list "0" switches numbering off."""
        own = None if ppr is None else ppr.find(w("numPr"))
        styled = self.styles.paragraph_property(style_id, "numPr")
        num_id = _int(None if own is None else own.find(w("numId")))
        if num_id is None:
            num_id = _int(None if styled is None else styled.find(w("numId")))
        if not num_id or str(num_id) not in self.nums:
            return None
        ilvl = _int(None if own is None else own.find(w("ilvl")))
        if ilvl is None:
            ilvl = _int(None if styled is None else styled.find(w("ilvl")))
        if ilvl is None:
            ilvl = next((k for k, level in self.levels(str(num_id)).items() if level.style == style_id), 0)
        return str(num_id), max(0, min(ilvl, 8))

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of list NUM_ID at level ILVL, as Word shows it before the text ("2.1. ", "- ")."""
        levels = self.levels(num_id)
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of(num_id) or num_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            _, starts, replaced = self.nums[num_id]
            for overridden in {*starts, *replaced}:
                counters[overridden] = None
        level = levels[ilvl]
        for above in range(ilvl):
            if counters[above] is None:     # a level used before the levels above it starts them
                counters[above] = levels[above].start if above in levels else 1
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or ilvl < restart:
                counters[deeper] = None
        if level.format == "bullet":
            return "- "

        def number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            shown = levels.get(k, Level())
            value = counters[k] if counters[k] is not None else shown.start
            return format_number(value, "decimal" if level.legal and shown.format != "none" else shown.format)
        text = re.sub(r"%([1-9])", number, level.text)
        return text + level.suffix if text.strip() else ""


# --------------------------------------------------------------------- what a story holds

@dataclass
class Segment:
    """A stretch of a paragraph in one run's properties, or (text empty) a note reference."""
    text: str
    font: str | None = None
    bold: bool = False
    size: float | None = None
    caps: bool = False                            # shown in capitals whatever the letters typed
    note: tuple[str, str, bool] | None = None     # (footnote | endnote, id, custom mark)


@dataclass
class Paragraph:
    text: str                                     # as shown: its number, then its text (newlines at w:br)
    bold: list[bool]                              # per character
    size: float
    heading: bool
    label: int                                    # characters of the generated number at its start
    marks: list[tuple[int, tuple]] = field(default_factory=list)    # (offset in text, note key)
    anchored: list = field(default_factory=list)  # the blocks of its text boxes


@dataclass
class Cell:
    col: int                                      # first grid column
    span: int
    merged: bool                                  # continues a merged cell (vertically or horizontally)
    text: str = ""
    marks: list[tuple[int, tuple]] = field(default_factory=list)


@dataclass
class Table:
    rows: list[list[Cell]]
    columns: int
    widths: list[float]                           # points per grid column


@dataclass
class _Group:
    font: str | None
    parts: list[str] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    caps: list[bool] = field(default_factory=list)
    marks: list[tuple[int, tuple]] = field(default_factory=list)
    length: int = 0


# --------------------------------------------------------------------- reading

class Reader:
    """One document's reading: its styles, lists, notes and what was found of its encodings."""

    def __init__(self, package: Package):
        self.package = package
        self.main = self._main_part()
        rels = package.relationships(self.main)
        folder = posixpath.dirname(self.main)
        self.styles = Styles(package.xml(rels.get("styles", posixpath.join(folder, "styles.xml"))))
        self.numbering = Numbering(package.xml(rels.get("numbering", posixpath.join(folder, "numbering.xml"))),
                                   self.styles)
        self.notes: dict[str, dict[str, ElementTree.Element]] = {}
        for kind in ("footnote", "endnote"):
            root = package.xml(rels.get(f"{kind}s", posixpath.join(folder, f"{kind}s.xml")))
            self.notes[kind] = {} if root is None else {
                el.get(w("id"), ""): el for el in root.iter(w(kind))
                if el.get(w("type"), "normal") == "normal"}
        self.encodings: set[str] = set()
        self.custom_marks: dict[tuple, str] = {}

    def _main_part(self) -> str:
        main = self.package.relationships("").get("officeDocument")
        if main and self.package.has(main):
            return main
        if self.package.has("word/document.xml"):
            return "word/document.xml"
        raise InputError(self.package.source, "not a Word document: the package has no word/document.xml")

    # ---- stories: the body, a cell, a text box, a note

    def story(self, container: ElementTree.Element) -> list:
        """The paragraphs and tables of a story, in order (a text box's blocks after its anchor)."""
        fields: list[dict] = []
        blocks: list = []
        carried = None                  # (segments, paragraph properties) of a paragraph whose mark is gone
        for el in _block_elements(container):
            if el.tag == TBL:
                if carried:
                    blocks.append(self._paragraph_of(*carried))
                    carried = None
                blocks.extend(self.table(el))
                continue
            ppr = el.find(PPR)
            segments, boxes = self._content(el, ppr, fields)
            # a field code does not run on past its paragraph: one left open is a broken field, not the
            # rest of the document
            fields[:] = [f for f in fields if f["result"]]
            mark = None if ppr is None else ppr.find(RPR)
            if carried:
                segments, ppr = carried[0] + segments, carried[1]
            if mark is not None and (mark.find(DEL) is not None or _on(mark.find(w("vanish")))):
                # a deleted paragraph mark, or a hidden one (a style separator), joins the paragraph to the
                # next, which goes on in this paragraph's style and numbering
                carried = (segments, ppr) if any(s.text.strip() or s.note for s in segments) else None
                blocks.extend(b for box in boxes for b in self.story(box))
                continue
            carried = None
            paragraph = self._paragraph_of(segments, ppr)
            paragraph.anchored = [b for box in boxes for b in self.story(box)]
            blocks.append(paragraph)
        if carried:
            blocks.append(self._paragraph_of(*carried))
        return blocks

    def _paragraph_of(self, segments: list[Segment], ppr) -> Paragraph:
        style = _style_id(ppr) or self.styles.default_paragraph
        found = self.numbering.list_of(ppr, style)
        paragraph = self.render(segments, self.numbering.label(*found) if found else "")
        paragraph.heading = self.styles.is_heading(style, ppr)
        return paragraph

    def _content(self, p: ElementTree.Element, ppr, fields: list[dict]) -> tuple[list[Segment], list]:
        style = _style_id(ppr) or self.styles.default_paragraph
        base = {**self.styles.defaults, **self.styles.run_props(style)}
        segments: list[Segment] = []
        boxes: list[ElementTree.Element] = []
        self._inline(p, base, segments, boxes, fields)
        return segments, boxes

    def _inline(self, el, base: dict, segments: list[Segment], boxes: list, fields: list[dict]) -> None:
        for child in el:
            tag = child.tag
            if tag == R:
                self._run(child, base, segments, boxes, fields)
            elif tag in NOT_SHOWN:
                continue
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, base, segments, boxes, fields)
            elif tag == w("fldSimple"):
                if not REPEATING_FIELDS.match(child.get(w("instr"), "")):
                    self._inline(child, base, segments, boxes, fields)
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._inline(branch, base, segments, boxes, fields)
            elif tag == f"{{{MATH}}}t":
                if _shown(fields):
                    segments.append(Segment(child.text or "", base.get("font"), bool(base.get("bold")),
                                            base.get("size")))
            else:   # hyperlinks, smart tags, custom XML, insertions, moves to, equations ...
                self._inline(child, base, segments, boxes, fields)

    def _run(self, r, base: dict, segments: list[Segment], boxes: list, fields: list[dict]) -> None:
        character_style = _val(r.find(f"{RPR}/{w('rStyle')}"))
        props = {**base, **self.styles.run_props(character_style), **run_properties(r.find(RPR))}
        self._run_content(r, props, segments, boxes, fields)

    def _run_content(self, r, props: dict, segments: list[Segment], boxes: list, fields: list[dict]) -> None:
        font, size = props.get("font"), props.get("size")
        bold, caps = bool(props.get("bold")), bool(props.get("caps"))
        custom_mark = None              # the note whose own mark ("*") the next text is

        def add(text: str) -> None:
            last = segments[-1] if segments else None
            if last is not None and last.note is None and (last.font, last.bold, last.caps) == (font, bold, caps):
                last.text += text
            else:
                segments.append(Segment(text, font, bold, size, caps))
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    fields.append({"code": "", "result": False})
                elif kind == "separate" and fields:
                    fields[-1]["result"] = True
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if tag == w("instrText"):
                if fields:
                    fields[-1]["code"] += child.text or ""
                continue
            if props.get("hidden") or not _shown(fields):
                continue
            if tag == T:
                if custom_mark:
                    self.custom_marks.setdefault(custom_mark, (child.text or "").strip())
                    custom_mark = None            # a marker, not text
                    continue
                add(_symbols(child.text or "", font))
            elif tag in (w("tab"), w("ptab")):
                add("\t")
            elif tag in (w("br"), w("cr")):
                add("\n")
            elif tag == w("noBreakHyphen"):
                add("-")
            elif tag == w("softHyphen"):
                add("\u00ad")
            elif tag == w("sym"):
                add(_symbol(child.get(w("font")) or font, child.get(w("char"), "")))
            elif tag in NOTE_REFERENCES:
                custom = _on_attribute(child.get(w("customMarkFollows")))
                key = (NOTE_REFERENCES[tag], child.get(w("id"), ""), custom)
                segments.append(Segment("", note=key))
                custom_mark = key if key[2] else None
            elif tag in (w("drawing"), w("pict"), w("object")):
                boxes.extend(_text_boxes(child))
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self._run_content(branch, props, segments, boxes, fields)
            elif tag == w("ruby"):
                ruby = child.find(w("rubyBase"))
                if ruby is not None:
                    self._inline(ruby, props, segments, boxes, fields)

    # ---- paragraphs as shown

    def render(self, segments: list[Segment], label: str) -> Paragraph:
        """A paragraph's text as shown: its number, then its runs, each stretch typed in a legacy font
        or in legacy codes read into Unicode (the font as evidence), capitals where the runs are set in
        capitals; soft hyphens left are dropped."""
        groups: list[_Group] = []
        sizes: Counter = Counter()
        for segment in segments:
            if segment.note is not None:
                if not groups:
                    groups.append(_Group(None))
                groups[-1].marks.append((groups[-1].length, segment.note))
                continue
            if not segment.text:
                continue
            kind = legacy.font_encoding(segment.font)
            if not groups or legacy.font_encoding(groups[-1].font) != kind:
                groups.append(_Group(segment.font))
            group = groups[-1]
            text = segment.text.translate(legacy.LATIN1_TO_CP1252)
            if kind is not None:
                text = _unshifted(text)
            group.parts.append(text)
            group.bold.extend([segment.bold] * len(text))
            group.caps.extend([segment.caps] * len(text))
            group.length += len(text)
            sizes[segment.size] += len(text.strip())
        text, bold, marks = [label], [False] * len(label), []
        length = len(label)
        for group in groups:
            converted = legacy.convert("".join(group.parts), group.font)
            self.encodings.add(converted.encoding)
            index = converted.source_index
            piece = converted.text
            if any(group.caps):
                piece = "".join(_capital(ch) if i < len(group.caps) and group.caps[i] else ch
                                for ch, i in zip(piece, index))
            piece_bold = [group.bold[i] if i < len(group.bold) else False for i in index]
            piece_marks = [(bisect.bisect_left(index, at), key) for at, key in group.marks]
            piece, piece_bold, piece_marks = _without(piece, piece_bold, piece_marks, "\u00ad")
            text.append(piece)
            bold.extend(piece_bold)
            marks.extend((length + at, key) for at, key in piece_marks)
            length += len(piece)
        size = max(sizes, key=lambda s: (sizes[s], s or 0)) if sizes else None
        return Paragraph("".join(text), bold, size or self.styles.defaults.get("size") or DEFAULT_SIZE,
                         False, len(label), marks)

    # ---- tables

    def table(self, tbl: ElementTree.Element) -> list:
        """A ruled table with two rows and two columns at least, cell by cell; any other table (a page's
        layout: the heading block, the signature block) as its paragraphs, cell after cell. A table in a
        table's cell is part of the cell's text."""
        widths = [(_int(col, w("w"), 0) or 0) / 20 for col in tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")]
        rows: list[list[Cell]] = []
        contents: list[list[list]] = []
        columns = len(widths)
        for tr in _children(tbl, TR):
            trpr = tr.find(TRPR)
            if trpr is not None and trpr.find(DEL) is not None:
                continue                          # a row deleted with changes tracked
            col = _int(None if trpr is None else trpr.find(w("gridBefore")), default=0) or 0
            row, content = [], []
            for tc in _children(tr, TC):
                tcpr = tc.find(TCPR)
                if tcpr is not None and tcpr.find(w("cellDel")) is not None:
                    continue
                span = max(1, _int(None if tcpr is None else tcpr.find(w("gridSpan")), default=1) or 1)
                vmerge = None if tcpr is None else tcpr.find(w("vMerge"))
                hmerge = None if tcpr is None else tcpr.find(w("hMerge"))
                merged = (vmerge is not None and vmerge.get(VAL, "continue") != "restart") or \
                         (hmerge is not None and hmerge.get(VAL, "continue") != "restart")
                row.append(Cell(col, span, merged))
                content.append(self.story(tc))
                col += span
            after = _int(None if trpr is None else trpr.find(w("gridAfter")), default=0) or 0
            columns = max(columns, col + after)
            rows.append(row)
            contents.append(content)
        for row, content in zip(rows, contents):
            for cell, blocks in zip(row, content):
                if not cell.merged:
                    cell.text, cell.marks = _cell_text(blocks)
        if not self._is_data_table(tbl, rows, columns):
            return [block for content in contents for blocks in content for block in blocks]
        widths += [72.0] * (columns - len(widths))
        return [Table(rows, columns, [width or 72.0 for width in widths])]

    def _is_data_table(self, tbl, rows: list[list[Cell]], columns: int) -> bool:
        """Two rows and two columns at least, and ruled (or holding numbers mostly, ruled or not)."""
        if len(rows) < 2 or columns < 2:
            return False
        texts = [c.text.strip() for row in rows for c in row if c.text.strip()]
        if texts and sum(bool(NUMERIC_CELL.match(t)) for t in texts) >= 0.3 * len(texts):
            return True
        tblpr = tbl.find(TBLPR)
        borders = None if tblpr is None else tblpr.find(w("tblBorders"))
        if borders is None:
            borders = self.styles.table_borders(_val(None if tblpr is None else tblpr.find(w("tblStyle"))))
        if _visible(borders):
            return True
        return any(_visible(tc.find(f"{TCPR}/{w('tcBorders')}")) for tc in tbl.iter(TC))

    # ---- the whole document

    def layout(self) -> Layout:
        body = self.package.xml(self.main)
        container = None if body is None else body.find(w("body"))
        if container is None:
            raise InputError(self.package.source, f"not a Word document: {self.main} has no body")
        builder = _LayoutBuilder()
        for block in _in_order(self.story(container)):
            builder.add(block)
        numbers = _note_numbers([key for _, key in builder.marks])
        for key, number in sorted(numbers.items(), key=lambda item: item[1]):
            note = self.notes.get(key[0], {}).get(key[1])
            if note is None:
                continue
            lead = f"{self.custom_marks.get(key) or '*' if key[2] else number} "
            for block in _in_order(self.story(note)):
                if lead and isinstance(block, Paragraph) and block.text.strip():
                    block, lead = _led(block, lead), ""
                builder.add(block, footnote=number)
        legacy_found = {e for e in self.encodings if e in legacy.LEGACY}
        encoding = "mixed" if "mixed" in self.encodings or len(legacy_found) > 1 else \
            next(iter(legacy_found), "unicode")
        markers = sorted(((numbers[key], at) for at, key in builder.marks if key in numbers), key=lambda m: m[1])
        text = "".join(builder.parts)
        return Layout(text, builder.lines, [None] * len(text), markers, 0, [], builder.cells,
                      encoding=encoding, format="docx")


class _LayoutBuilder:
    """Lines joined by newlines: a paragraph's lines (one per w:br), a table's rows, footnote bodies."""

    def __init__(self):
        self.parts: list[str] = []
        self.lines: list[Line] = []
        self.cells: list[dict] = []
        self.marks: list[tuple[int, tuple]] = []    # (offset in text, note key)
        self.pos = 0
        self.paragraph = 0
        self.tables = 0

    def _line(self, text: str, **kw) -> Line:
        if self.lines:
            self.parts.append("\n")
            self.pos += 1
        line = Line(None, text, self.pos, self.pos + len(text), 0.0, 0.0, 0.0, 0.0, paragraph=self.paragraph, **kw)
        self.parts.append(text)
        self.pos += len(text)
        self.lines.append(line)
        return line

    def add(self, block, footnote: int | None = None) -> None:
        if isinstance(block, Table):
            if footnote is None:
                self._table(block)
            else:
                for row in block.rows:
                    text = " | ".join(c.text for c in row)
                    self.add(Paragraph(text, [False] * len(text), DEFAULT_SIZE, False, 0), footnote)
            return
        if not block.text.strip():
            return
        self.paragraph += 1
        role = "body" if footnote is None else "footnote"
        offset = 0
        for piece in block.text.split("\n"):
            end = offset + len(piece)
            if piece.strip():
                weights = block.bold[offset:end]
                shown = [b for ch, b in zip(piece, weights) if not ch.isspace()]
                content = [b for k, (ch, b) in enumerate(zip(piece, weights), start=offset)
                           if not ch.isspace() and k >= block.label]
                line = self._line(piece, size=block.size, bold=bool(shown) and sum(shown) > 0.6 * len(shown),
                                  role=role, footnote=footnote,
                                  bold_start=block.heading or (bool(content) and all(content[:4])))
                if footnote is None:
                    self.marks.extend((line.start + at - offset, key)
                                      for at, key in block.marks if offset <= at <= end)
            offset = end + 1

    def _table(self, table: Table) -> None:
        self.tables += 1
        table_id = f"T{self.tables}"
        edges = [0.0]
        for width in table.widths:
            edges.append(edges[-1] + width)
        spans = _row_spans(table.rows)
        for r, row in enumerate(table.rows):
            self.paragraph += 1
            at = {cell.col: cell for cell in row if cell.col < table.columns}
            pieces, cells, marks, length = [], [], [], 0
            col = 0
            while col < table.columns:
                cell = at.get(col)
                shown = cell is not None and not cell.merged
                span = 1 if cell is None else min(cell.span, table.columns - col)
                for k in range(span):
                    if col + k:
                        pieces.append(" | ")
                        length += 3
                    text, box = "", None
                    if shown and k == 0:
                        text = cell.text
                        box = (edges[col], r * ROW_HEIGHT, edges[col + span],
                               (r + spans.get((r, col), 1)) * ROW_HEIGHT)
                        marks.extend((length + m, key) for m, key in cell.marks)
                    cells.append({"row": r, "col": col + k, "text": text, "start": length,
                                  "end": length + len(text), "box": box})
                    pieces.append(text)
                    length += len(text)
                col += span
            line = self._line("".join(pieces), size=DEFAULT_SIZE, bold=False, role="table")
            for cell in cells:
                self.cells.append({**cell, "start": line.start + cell["start"], "end": line.start + cell["end"],
                                   "table_id": table_id, "page": None})
            self.marks.extend((line.start + m, key) for m, key in marks)


def _led(paragraph: Paragraph, lead: str) -> Paragraph:
    """A note's first paragraph led by the note's mark, as Word shows it ("1 Trong đó ..."): a figure
    that opens the note is then never taken for its number."""
    body = paragraph.text.lstrip()
    cut = len(paragraph.text) - len(body)
    return replace(paragraph, text=lead + body, bold=[False] * len(lead) + paragraph.bold[cut:],
                   label=len(lead) + max(0, paragraph.label - cut), marks=[])


def _row_spans(rows: list[list[Cell]]) -> dict[tuple[int, int], int]:
    """(row, column) of each cell that starts a vertical merge -> the rows it covers."""
    spans = {}
    for r, row in enumerate(rows):
        for cell in row:
            if cell.merged:
                continue
            below = r + 1
            while below < len(rows) and any(c.col == cell.col and c.merged for c in rows[below]):
                below += 1
            spans[(r, cell.col)] = below - r
    return spans


def _note_numbers(keys: list[tuple]) -> dict[tuple, int]:
    """Footnotes numbered 1, 2 ... in order of reference, endnotes after them; notes with a mark of
    their own ("*") take no number of the sequence and come last."""
    numbers: dict[tuple, int] = {}
    for wanted in (("footnote", False), ("endnote", False), ("footnote", True), ("endnote", True)):
        for key in keys:
            if (key[0], key[2]) == wanted and key not in numbers:
                numbers[key] = len(numbers) + 1
    return numbers


def _in_order(blocks: list):
    """Blocks with each paragraph's text boxes right after it."""
    for block in blocks:
        yield block
        if isinstance(block, Paragraph):
            yield from _in_order(block.anchored)


def _cell_text(blocks: list) -> tuple[str, list[tuple[int, tuple]]]:
    """A cell's paragraphs (and nested tables' cells) as one line of text, spaces folded."""
    pieces: list[tuple[str, list]] = []
    for block in _in_order(blocks):
        if isinstance(block, Paragraph):
            pieces.append((block.text, block.marks))
        else:
            pieces.extend((c.text, c.marks) for row in block.rows for c in row if not c.merged)
    text, marks = "", []
    for piece, piece_marks in pieces:
        squeezed, moved = _squeeze(piece, piece_marks)
        if not squeezed:
            marks.extend((len(text), key) for _, key in moved)
            continue
        if text:
            text += " "
        marks.extend((len(text) + at, key) for at, key in moved)
        text += squeezed
    return text, marks


def _squeeze(text: str, marks: list[tuple[int, tuple]]) -> tuple[str, list[tuple[int, tuple]]]:
    """TEXT with runs of whitespace as one space and no space at either end; marks moved along."""
    out: list[str] = []
    where: list[int] = []                 # per input offset, the output offset
    for ch in text:
        where.append(len(out))
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    where.append(len(out))
    while out and out[-1] == " ":
        out.pop()
    return "".join(out), [(min(where[at], len(out)), key) for at, key in marks]


def _without(text: str, bold: list[bool], marks: list, drop: str):
    if drop not in text:
        return text, bold, marks
    kept = [i for i, ch in enumerate(text) if ch != drop]
    new_at = [bisect.bisect_left(kept, at) for at, _ in marks]
    return ("".join(text[i] for i in kept), [bold[i] for i in kept],
            [(at, key) for at, (_, key) in zip(new_at, marks)])


# --------------------------------------------------------------------- small readers of elements

def _val(el: ElementTree.Element | None) -> str | None:
    return None if el is None else el.get(VAL)


def _style_id(ppr: ElementTree.Element | None) -> str | None:
    return None if ppr is None else _val(ppr.find(w("pStyle")))


def _on_attribute(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _shown(fields: list[dict]) -> bool:
    """Whether text here is shown: in no field's code, and in no table of contents."""
    return all(f["result"] and not REPEATING_FIELDS.match(f["code"]) for f in fields)


def _visible(borders: ElementTree.Element | None) -> bool:
    return borders is not None and any(side.get(VAL, "nil") not in ("nil", "none") for side in borders)


def _branch(alternate: ElementTree.Element) -> ElementTree.Element | None:
    """One branch of a markup-compatibility choice: the first Choice, else the Fallback (never both,
    which hold the same content twice)."""
    return alternate.find(CHOICE) if alternate.find(CHOICE) is not None else alternate.find(FALLBACK)


def _children(el: ElementTree.Element, tag: str):
    """Children TAG of EL, through the content controls and custom XML that may wrap them."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag == SDT and child.find(SDT_CONTENT) is not None:
            yield from _children(child.find(SDT_CONTENT), tag)
        elif child.tag in (CUSTOM_XML, INS, MOVE_TO):
            yield from _children(child, tag)
        elif child.tag == ALTERNATE and _branch(child) is not None:
            yield from _children(_branch(child), tag)


def _block_elements(container: ElementTree.Element):
    """The paragraphs and tables of a story in order, through content controls and custom XML."""
    for child in container:
        if child.tag in (P, TBL):
            yield child
        elif child.tag == SDT and child.find(SDT_CONTENT) is not None:
            yield from _block_elements(child.find(SDT_CONTENT))
        elif child.tag in (CUSTOM_XML, INS, MOVE_TO):
            yield from _block_elements(child)
        elif child.tag == ALTERNATE and _branch(child) is not None:
            yield from _block_elements(_branch(child))


def _text_boxes(el: ElementTree.Element):
    """The text box contents of a drawing, a VML picture or an object (one branch of each choice)."""
    for child in el:
        if child.tag == TEXT_BOX:
            yield child
        elif child.tag == ALTERNATE:
            branch = _branch(child)
            if branch is not None:
                yield from _text_boxes(branch)
        else:
            yield from _text_boxes(child)


def _symbol(font: str | None, code: str) -> str:
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    elif value >= 0x20 and not 0xE000 <= value <= 0xF8FF:
        return chr(value)
    return SYMBOL_FONTS.get((font or "").strip().lower(), {}).get(value, "")


def _symbols(text: str, font: str | None) -> str:
    """Private-use code points of a symbol font to what they show (dropped where they show a picture)."""
    if not any("\ue000" <= ch <= "\uf8ff" for ch in text):
        return text
    if (font or "").strip().lower() not in SYMBOL_FONTS:
        return text if legacy.font_encoding(font) else "".join(ch for ch in text if not "\ue000" <= ch <= "\uf8ff")
    return "".join(_symbol(font, f"{ord(ch):04X}") if "\ue000" <= ch <= "\uf8ff" else ch for ch in text)


def _capital(ch: str) -> str:
    upper = ch.upper()
    return upper if len(upper) == 1 else ch


def _unshifted(text: str) -> str:
    """Legacy codes that Word keeps shifted into the private-use area (U+F020-U+F0FF) for fonts it treats
    as symbol fonts, back to the bytes they stand for (read in cp1252)."""
    if not any("\uf020" <= ch <= "\uf0ff" for ch in text):
        return text
    return "".join(bytes([ord(ch) - 0xF000]).decode("cp1252", errors="ignore") or chr(ord(ch) - 0xF000)
                   if "\uf020" <= ch <= "\uf0ff" else ch for ch in text)


# --------------------------------------------------------------------- entry points

def read_docx(path: str, source: str | None = None) -> Layout:
    """A .docx file to its Layout, or an InputError naming SOURCE (default: the path) and the cause."""
    package = Package(path, source)
    try:
        return Reader(package).layout()
    finally:
        package.close()


def read(path: str, options) -> Layout:
    """The reader's entry point (extract.readers.LAYOUT_READERS)."""
    return read_docx(path)
