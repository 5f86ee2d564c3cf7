"""The web page reader: a portal's page, or a document saved as a web page (Word, LibreOffice), to a Layout
of the article only (menus, sidebars, footers, scripts dropped): paragraphs, headings by tag or weight,
tables with merged cells, Word's footnotes; the declared charset honoured, legacy fonts converted.
"""
import bisect
import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from ..layout import Layout, LayoutWriter
from ..load import InputError

# Without geometry, a table cell's box is its place in the table's grid at this nominal size (points),
# which is what tells the table stage a merged header cell from the cells under it.
CELL_WIDTH, CELL_HEIGHT = 72.0, 18.0
DROPPED = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
           "title", "meta", "link", "button", "select", "option", "input", "textarea", "map", "audio",
           "video", "img", "picture", "source", "nav", "aside", "menu", "dialog", "del"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
          "pre", "section", "article", "main", "header", "footer", "figure", "figcaption", "address", "center",
          "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "hr", "form", "fieldset", "body",
          "html", "details", "summary", "hgroup"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
NOTE_BLOCKS = {"li", "div", "aside", "section", "p", "dd", "td"}      # what holds a footnote's text
PARAGRAPHS = {"p", "pre", "td", "blockquote", "li", "dd", "div", "section", "center"}
CONTAINERS = {"td", "div", "section", "center"}
# class and id words of page furniture; a word of content beside them keeps the element
FURNITURE = re.compile(r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|menus|submenu|megamenu|breadcrumbs?|footer|"
                       r"header|topbar|banner|sidebar|side-bar|sidebox|widget|social|share|sharing|comments?|"
                       r"related|tags?|pagination|pager|popup|modal|cookie|advert|ads|sponsor|login|search|"
                       r"counter|visitors?|weather|marquee|slider|carousel|rss|hotline|copyright)(?=$|[-_\s\d])",
                       re.I)
CONTENT = re.compile(r"article|content|main|post|entry|story|detail|body", re.I)
SOLID = re.compile(r"border[a-z-]*\s*:[^;]*\b(?:solid|double|dotted|dashed)\b", re.I)
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# the property itself, not Word's mso-bidi-font-weight and the like
WEIGHT = re.compile(r"(?:^|[;\s])font-weight\s*:\s*([a-z0-9]+)", re.I)
FONT_FAMILY = re.compile(r"(?:^|[;\s])font-family\s*:\s*['\"]?([^;'\",]+)", re.I)
FOOTNOTE_LINK = re.compile(r"^#(?:_ftn|sdfootnote|fn|footnote)[-_]?(\d+)(?:sym)?$", re.I)
DOCUMENT_GENERATORS = re.compile(r"microsoft (?:word|excel)|libreoffice|openoffice|wps|word\.document|excel\.sheet",
                                 re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SPACE = re.compile(r"[\s\u00a0]")
# zero-width characters, soft hyphens and control characters: nothing a reader sees
INVISIBLE = dict.fromkeys([*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\x7f"),
                           *(c for c in range(32) if not chr(c).isspace())])
# what browsers read pages declared as Latin-1 or ASCII in (WHATWG)
WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"}


def decode(data: bytes, source: str) -> str:
    """A page's bytes as text: the BOM's encoding, else the declared charset, else UTF-8, else windows-1258
    (the Vietnamese Windows code page), else windows-1252; NFC-composed (windows-1258 gives combining tones)."""
    if not data.strip():
        raise InputError(source, "empty file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data.decode(encoding, "replace"))
    declared = META_CHARSET.search(data[:8192])
    tried = [declared.group(1).decode("ascii").lower()] if declared else []
    for encoding in tried + ["utf-8", "cp1258"]:
        if encoding in WINDOWS_1252:
            encoding = "cp1252"
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    from ..legacy import LATIN1_TO_CP1252
    return unicodedata.normalize("NFC", data.decode("latin-1").translate(LATIN1_TO_CP1252))


def parse(text: str, source: str):
    import lxml.etree
    import lxml.html
    try:
        return lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
    except (lxml.etree.ParserError, ValueError) as err:
        raise InputError(source, f"not a readable web page ({err})") from None


# --- What is the article --------------------------------------------------------------------------------

def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def prune(root, page: bool = True) -> None:
    """Drop what a reader of the article does not read: scripts, styles, hidden elements and, on a PAGE
    (not a document saved as one, whose class names are its paragraph styles), menus, sidebars, the
    page's own header and footer (an article's are kept) and elements named as page furniture."""
    doomed = []
    for el in root.iter():
        tag = _tag(el)
        if tag is None:
            continue
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if tag in DROPPED or el.get("hidden") is not None or HIDDEN.search(el.get("style", "")) or page and (
                tag in ("header", "footer") and not any(_tag(a) in ("article", "main") for a in el.iterancestors())
                or tag not in ("body", "html", "article", "main") and FURNITURE.search(names)
                and not CONTENT.search(names)):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None and all(a not in doomed for a in el.iterancestors()):
            el.drop_tree()


def _text_length(el) -> int:
    return len(" ".join(el.text_content().split()))


def _link_density(el) -> float:
    total = _text_length(el)
    links = sum(_text_length(a) for a in el.iter("a"))
    return links / total if total else 0.0


def _own_text(el) -> str:
    """The text an element shows outside its block-level children."""
    parts = [el.text or ""]
    for child in el:
        if _tag(child) not in BLOCKS:
            parts.append(child.text_content() if _tag(child) is not None else "")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def is_document(doc) -> bool:
    """A document saved as a web page (Word, LibreOffice, Excel): all of its body is the text."""
    generators = " ".join(m.get("content", "") for m in doc.iter("meta")
                          if m.get("name", "").lower() in ("generator", "progid"))
    return bool(DOCUMENT_GENERATORS.search(generators)) or \
        any("schemas-microsoft-com:office" in value for value in doc.attrib.values())


def main_content(body) -> list:
    """The elements that hold the article, in page order: the element that gathers the most paragraph
    text (each paragraph counting for its parent, less for its grandparents), weighed down by the share
    of its text that is links, and those of its siblings that hold text or a table too."""
    scores: dict = {}
    for el in body.iter():
        if _tag(el) not in PARAGRAPHS:
            continue
        text = _own_text(el)
        if len(text) < 25:
            continue
        points = 1 + text.count(",") + min(len(text) // 100, 3)
        if _tag(el) in CONTAINERS:
            scores[el] = scores.get(el, 0.0) + points     # text set straight in a cell or a div, lines cut by <br>
        for level, ancestor in enumerate(el.iterancestors()):
            if level == 3:
                break
            scores[ancestor] = scores.get(ancestor, 0.0) + points / (1, 2, 6)[level]
    if not scores:
        return [body]
    weighed = {el: score * (1 - _link_density(el)) for el, score in scores.items()}
    top = max(weighed, key=weighed.get)
    # a table's rows are not an article: the table goes with what holds it
    for table in reversed(list(top.iterancestors("table"))):
        if is_data_table(table):
            top = table
            break
    if _tag(top) in ("tr", "tbody", "thead", "tfoot", "table"):
        top = next(top.iterancestors("table"), top) if _tag(top) != "table" else top
        top = top.getparent() if top.getparent() is not None else top
    if top is body or _tag(top) == "html":
        return [body]
    parent = top.getparent()
    kept = []
    for sibling in parent:
        if sibling is top:
            kept.append(sibling)
        elif _tag(sibling) is not None and (
                weighed.get(sibling, 0) >= max(10.0, 0.2 * weighed[top])
                or _link_density(sibling) < 0.25 and (_text_length(sibling) > 80 or _data_table_in(sibling))):
            kept.append(sibling)
    # the article's title, when the page sets it above the article's container
    order = {el: n for n, el in enumerate(body.iter())}
    title = next(iter(body.iter("h1")), None)
    if title is not None and order[title] < order[kept[0]] and not any(k.find(".//h1") is not None for k in kept):
        kept.insert(0, title)
    return kept


def _data_table_in(el) -> bool:
    return any(is_data_table(t) for t in el.iter("table")) if _tag(el) is not None else False


def is_data_table(table) -> bool:
    """A table of data, not one that lays out the page: no table inside it, two rows and two columns at
    least, no cell holding a long text, and ruled unless the page says nothing of its borders (a Word
    document's heading block is a table drawn without borders: border=0, no solid cell border)."""
    if table.find(".//table") is not None:
        return False
    if (table.get("border") or "").strip() == "0" and not any(
            SOLID.search(cell.get("style", "")) for cell in table.iter("td", "th")):
        return False
    rows = _rows_of(table)
    if len(rows) < 2 or max((len(_cells_of(tr)) for tr in rows), default=0) < 2:
        return False
    return all(_text_length(cell) <= 600 for tr in rows for cell in _cells_of(tr))


def _rows_of(table) -> list:
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _cells_of(tr) -> list:
    return [c for c in tr if _tag(c) in ("td", "th")]


# --- Footnotes ------------------------------------------------------------------------------------------

@dataclass
class Footnotes:
    markers: dict = field(default_factory=dict)      # marker element -> footnote number
    bodies: dict = field(default_factory=dict)       # footnote number -> its element
    backlinks: set = field(default_factory=set)      # names the bodies link back to


def find_footnotes(doc) -> Footnotes:
    """Footnote markers (links to #_ftn1, #sdfootnote1sym, #fn1 ...) whose target is found, and their
    bodies: the block around the target, or the block holding that block when no other footnote is in it
    (Word's div id=ftn1, LibreOffice's div id=sdfootnote1: a footnote of several paragraphs)."""
    found = Footnotes()
    named: dict[str, object] = {}
    for el in doc.iter():
        for key in ("id", "name"):
            if _tag(el) is not None and el.get(key):
                named.setdefault(el.get(key), el)
    targets = {}
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        m = FOOTNOTE_LINK.match(href)
        if m and href[1:] in named:
            targets[a] = (int(m.group(1)), named[href[1:]])
    all_targets = {target for _, target in targets.values()}
    for a, (number, target) in targets.items():
        body = next((el for el in (target, *target.iterancestors()) if _tag(el) in NOTE_BLOCKS), None)
        if body is None or any(el is a for el in body.iter("a")):
            continue                         # a link within the text, not to a note
        outer = body.getparent()
        if _tag(body) == "p" and _tag(outer) == "div" and \
                not any(el in all_targets for el in outer.iter() if el is not target):
            body = outer
        found.markers[a] = number
        found.bodies.setdefault(number, body)
        found.backlinks.update(v for v in (a.get("name"), a.get("id")) if v)
    return found


# --- Text in reading order ------------------------------------------------------------------------------

def _weight(el, inherited: bool) -> bool:
    tag = _tag(el)
    m = WEIGHT.search(el.get("style", ""))
    if m:
        value = m.group(1).lower()
        return value in ("bold", "bolder") or value.isdigit() and int(value) >= 600
    return inherited or tag in ("b", "strong", "th") or tag in HEADINGS


def _font(el, inherited: str | None) -> str | None:
    if el.get("face"):
        return el.get("face").split(",")[0].strip()
    m = FONT_FAMILY.search(el.get("style", ""))
    return m.group(1).strip() if m else inherited


class Flow:
    """The text of elements as paragraphs (one line each) and tables, written to a LayoutWriter."""

    def __init__(self, writer: LayoutWriter, footnotes: Footnotes, footnote: int | None = None,
                 in_body: bool = True):
        self.writer, self.footnotes, self.footnote = writer, footnotes, footnote
        self.in_body = in_body          # the article's text: markers and tables are its own
        self.chars: list[str] = []
        self.bold: list[bool] = []
        self.marks: list[tuple[int, int]] = []
        self.font: str | None = None
        self.numbered = False           # the buffer holds only a list item's number, waiting for its text
        self.tables = 0

    def add(self, text: str | None, bold: bool, font: str | None) -> None:
        text = (text or "").translate(INVISIBLE)
        if text.strip() and self.numbered:
            # a list item's number is set in the weight of its text ("1." of a bold heading is bold)
            self.bold = [bold] * len(self.bold)
            self.numbered = False
        for ch in text:
            if SPACE.match(ch):
                if not self.chars or self.chars[-1] == " ":
                    continue
                ch = " "
            elif self.font is None:
                self.font = font
            self.chars.append(ch)
            self.bold.append(bold)

    def flush(self) -> None:
        if self.numbered:
            return
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.bold.pop()
        text = "".join(self.chars)
        if text:
            converted, index = self.writer.typed(text, self.font)
            bold = [self.bold[i] for i in index]
            marks = [(n, bisect.bisect_left(index, offset)) for n, offset in self.marks]
            shown = [b for ch, b in zip(converted, bold) if not ch.isspace()]
            self.writer.paragraph(converted, bold=sum(shown) > 0.6 * len(shown) if shown else False,
                                  bold_start=bool(shown) and all(shown[:4]), markers=marks,
                                  footnote=self.footnote)
        self.chars, self.bold, self.marks, self.font = [], [], [], None

    def walk(self, el, bold: bool = False, font: str | None = None) -> None:
        tag = _tag(el)
        if tag is None or tag in DROPPED:
            return
        if el in self.footnotes.markers:
            if self.in_body:
                self.marks.append((self.footnotes.markers[el], len(self.chars)))
            return
        if tag == "a" and (el.get("href") or "").lstrip("#") in self.footnotes.backlinks:
            return                                 # a footnote body's link back to its marker
        bold, font = _weight(el, bold), _font(el, font)
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self.in_body and is_data_table(el):
            self.table(el, bold, font)
            return
        block = tag in BLOCKS
        if block:
            self.flush()
        if tag == "li" and _tag(el.getparent()) == "ol":
            self.add(list_number(el) + " ", bold, font)
            self.numbered = True
        self.add(el.text, bold, font)
        for child in el:
            self.walk(child, bold, font)
            self.add(child.tail, bold, font)
        if tag == "li" and self.numbered:
            self.chars, self.bold, self.numbered = [], [], False     # an empty item: its number alone says nothing
        if block:
            self.flush()

    def table(self, table, bold: bool, font: str | None) -> None:
        """A table of data: its caption and its title rows (one cell across the whole table, above the
        header) as paragraphs before it, then its rows."""
        self.flush()
        for caption in table.iterchildren("caption"):
            self.walk(caption, bold, font)
        rows = _rows_of(table)
        anchors: dict[tuple[int, int], tuple[object, int, int]] = {}
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            c = 0
            for cell in _cells_of(tr):
                while (r, c) in taken:
                    c += 1
                down = min(_span(cell.get("rowspan")), len(rows) - r)
                across = min(_span(cell.get("colspan")), 1000)
                anchors[(r, c)] = (cell, down, across)
                taken.update((r + i, c + j) for i in range(down) for j in range(across))
                c += across
        columns = max((c + 1 for _, c in taken), default=0)
        first = 0
        while first < len(rows) - 2 and (first, 0) in anchors and anchors[(first, 0)][1:] == (1, columns):
            self.walk(anchors[(first, 0)][0], bold, font)
            first += 1
        grid = []
        for r in range(first, len(rows)):
            row = []
            y = (r - first) * CELL_HEIGHT
            for c in range(columns):
                if (r, c) in anchors:
                    cell, down, across = anchors[(r, c)]
                    row.append((self.cell_text(cell), (c * CELL_WIDTH, y, (c + across) * CELL_WIDTH,
                                                        y + down * CELL_HEIGHT)))
                elif (r, c) in taken:
                    row.append(("", None))
                else:
                    row.append(("", (c * CELL_WIDTH, y, (c + 1) * CELL_WIDTH, y + CELL_HEIGHT)))
            if any(text for text, _ in row) or any(box is None for _, box in row):
                grid.append(row)
        self.tables += 1
        self.writer.table(f"T{self.tables}", grid)

    def cell_text(self, cell) -> str:
        """A cell's text on one line (its paragraphs joined by spaces), footnote markers left out."""
        inner = Flow(LayoutWriter(), self.footnotes, in_body=False)
        inner.writer.encodings = self.writer.encodings
        inner.walk(cell)
        inner.flush()
        return " ".join(line.text for line in inner.writer.lines)


def list_number(li) -> str:
    """The number a browser shows before an item of an ordered list: "3.", "IV.", "b." (type, start, value)."""
    ol = li.getparent()
    number = 0
    for item in ol:
        if _tag(item) != "li":
            continue
        value = (item.get("value") or "").strip()
        start = (ol.get("start") or "1").strip()
        number = int(value) if value.isdigit() else number + 1 if number else int(start) if start.isdigit() else 1
        if item is li:
            break
    kind = (li.get("type") or ol.get("type") or "1").strip()
    if kind in ("I", "i"):
        numeral = roman(number)
        return (numeral if kind == "I" else numeral.lower()) + "."
    if kind in ("A", "a") and 1 <= number <= 26:
        return chr(ord(kind) + number - 1) + "."
    return f"{number}."


def roman(number: int) -> str:
    digits = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in digits:
        while number >= value:
            out, number = out + numeral, number - value
    return out


def _span(value: str | None) -> int:
    try:
        return max(1, int((value or "1").strip()))
    except ValueError:
        return 1


def read(path: str, options) -> Layout:
    """The reader's entry point (extract.readers.LAYOUT_READERS)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise InputError(path, err.strerror or "cannot be read") from None
    doc = parse(decode(data, path), path)
    footnotes = find_footnotes(doc)
    document = is_document(doc)
    prune(doc, page=not document)
    for element in footnotes.bodies.values():
        if element.getparent() is not None:
            element.drop_tree()              # read after the text, as footnote lines
    body = doc.find("body") if doc.find("body") is not None else doc
    roots = [body] if document else main_content(body)
    writer = LayoutWriter()
    flow = Flow(writer, footnotes)
    for root in roots:
        flow.walk(root)
        flow.flush()
    for number in sorted(footnotes.bodies):
        note = Flow(writer, footnotes, footnote=number, in_body=False)
        note.walk(footnotes.bodies[number])
        note.flush()
    if not writer.lines:
        raise InputError(path, "a web page without text")
    return writer.layout("html")
