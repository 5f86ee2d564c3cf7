"""Clean stage: source text (as extracted from a PDF) to cleaned blocks with a map back to the source.

Composes NFC, maps legacy glyphs, drops page numbers, finds footnote bodies and the markers glued to
the text that refer to them, and re-joins lines broken mid-sentence. Every cleaned character keeps
the source span it came from, so any span of the cleaned text maps back to exact source offsets.
"""
import bisect
from array import array
import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy
import regex

from . import rulebook as rules

NEWLINE = regex.compile("\n")

MAX_FOOTNOTE_LINES = 40      # a footnote body longer than this is not one: stop before swallowing the text
TERMINAL = ".!?:;…"        # ends a clause: a numbered line after it is a heading
SENTENCE_END = ".!?…"      # ends a sentence: a capitalised line after it starts a new block
SEGMENT = regex.compile(r"\P{M}\p{M}*|\p{M}+")
RUNS = regex.compile(r"\s+|\S+")
SPACES_TO_FOLD = regex.compile(r"[^\S ]|  ")       # whitespace that add_line rewrites: not one plain space
LETTER = regex.compile(r"\p{L}")
UPPER = regex.compile(r"\p{Lu}")


@dataclass
class Block:
    """A paragraph, heading or footnote body: one line of the cleaned text."""
    start: int                 # clean offsets
    end: int
    line: int                  # 1-based source line of its first character
    footnote: int | None = None
    bold: bool | None = None   # for input with a layout: whether the block starts in bold


@dataclass
class Footnote:
    number: int
    marker_start: int          # source offsets of the marker glued to the text
    marker_end: int
    marker_clean: int          # clean offset where the marker stood (for its section)
    block: int = -1            # index of its body in CleanText.blocks


@dataclass
class CleanText:
    source: str
    text: str
    starts: array              # per cleaned character: its source span (array("q"))
    ends: array
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    _block_starts: list[int] = field(default_factory=list, repr=False)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of the cleaned span [start, end)."""
        return self.starts[start], self.ends[end - 1]

    def line_of(self, source_offset: int) -> int:
        return bisect.bisect_right(self.line_starts, source_offset)

    def block_index_at(self, offset: int) -> int:
        if len(self._block_starts) != len(self.blocks):
            self._block_starts = [b.start for b in self.blocks]
        return max(0, bisect.bisect_right(self._block_starts, offset) - 1)

    def block_at(self, offset: int) -> Block:
        return self.blocks[self.block_index_at(offset)]


def _offsets(start: int, count: int) -> array:
    """The offsets START, START + 1, ... (COUNT of them), made as an array at once."""
    return array("q", numpy.arange(start, start + count, dtype=numpy.int64).tobytes())


def _normalise(source: str, glyphs: dict[str, str]) -> tuple[str, array, array]:
    """NFC and glyph mapping, keeping for each output character its source span (as arrays of offsets: a
    list would hold an object per character of a long report)."""
    if unicodedata.is_normalized("NFC", source) and not any(g in source for g in glyphs):
        return source, _offsets(0, len(source)), _offsets(1, len(source))
    chars, starts, ends = [], array("q"), array("q")
    for m in SEGMENT.finditer(source):
        composed = unicodedata.normalize("NFC", m.group())
        for ch in composed:
            for out in glyphs.get(ch, ch):
                chars.append(out)
                starts.append(m.start())
                ends.append(m.end())
    return "".join(chars), starts, ends


@dataclass
class _Line:
    start: int                 # offsets in the normalised text, excluding the newline
    end: int
    text: str
    blank: bool
    page_break_after: bool = False
    role: str = "body"         # body | page_number | footnote
    footnote: int | None = None
    layout: object = None      # the extract.layout.Line, for input that has a layout


def _split_lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        lines.append(_Line(pos, end, raw, not raw.strip(), "\f" in raw))
        pos = end + 1
    return lines


@functools.lru_cache(maxsize=4096)
def is_caps_line(text: str) -> bool:
    """A title line in capitals (acronym runs like "TTĐT, TTATGT." are not titles)."""
    letters = LETTER.findall(text)
    words = [w for w in text.split() if LETTER.search(w)]
    return len(words) >= 3 and sum(1 for ch in letters if ch.isupper()) >= 0.8 * len(letters)


class _Bare(dict):
    """str.translate's table of each character to its letter without diacritics, filled as they are met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = BARE.get(ch) or unicodedata.normalize("NFD", ch)[0]
        return self[code]


BARE = {"đ": "d", "Đ": "D"}
BARE_TABLE = _Bare()


def bare(text: str) -> str:
    """TEXT without its diacritics, one character for each (đ is d): a misread accent matches nothing."""
    return text.translate(BARE_TABLE)


PREFIX = 12     # characters of a line a bare rule first tries


class Heading:
    """One rule of the heading grammar (rules/headings.yaml). A rule marked bare is matched on the text
    without diacritics, and its number written as the rule's number_as spells it with the ordinal read
    (OCR misreads of accents)."""

    def __init__(self, spec: dict):
        self.level, self.name = spec["level"], spec["name"]
        self.pattern = regex.compile(r"\s*" + spec["pattern"])
        self.bare = spec.get("bare", False)
        self.ordinals = spec.get("ordinals", {})
        self.number_as = spec.get("number_as", "")

    def match(self, text: str):
        """(match, number as written or as spelt) or None."""
        if self.bare and self.pattern.match(bare(text[:PREFIX]), partial=True) is None:
            return None     # no line that starts so can match: the rest of it need not be made bare
        m = self.pattern.match(bare(text) if self.bare else text)
        if m is None:
            return None
        if not self.bare:
            return m, " ".join(m.group("number").split())
        number = self.number_as.format(ordinal=self.ordinals[m.group("ordinal").lower()])
        return m, number.upper() if text.strip().isupper() else number


@functools.lru_cache(maxsize=1)
def heading_rules() -> list[Heading]:
    return [Heading(h) for h in rules.load("headings")["headings"]]


def match_heading(text: str):
    """(level, match, number) of the first heading rule TEXT starts with, or None."""
    for heading in heading_rules():
        found = heading.match(text)
        if found:
            return heading.level, *found
    return None


class Cleaner:
    def __init__(self):
        spec = rules.load("cleaning")
        self.glyphs = {k: v for k, v in spec["glyphs"].items()}
        self.page_number = regex.compile(spec["page_number"]["pattern"])
        self.footnote_start = regex.compile(spec["footnote_start"]["pattern"])
        self.marker_patterns = [(m["name"], m["pattern"]) for m in spec["footnote_marker"] if not m.get("fallback")]
        self.fallback_markers = [(m["name"], m["pattern"]) for m in spec["footnote_marker"] if m.get("fallback")]
        self.bullet = regex.compile(spec["bullet"])

    def heading_level(self, text: str) -> int | None:
        found = match_heading(text)
        return found[0] if found else None

    def find_marker(self, text: str, start: int, end: int, number: int) -> tuple[int, int] | None:
        """The marker of footnote NUMBER between start and end: the candidate nearest the body; a marker
        set apart from its word only when no glued one is there."""
        return (self._nearest_marker(self.marker_patterns, text, start, end, number)
                or self._nearest_marker(self.fallback_markers, text, start, end, number))

    @staticmethod
    def _nearest_marker(patterns, text: str, start: int, end: int, number: int) -> tuple[int, int] | None:
        best = None
        for _, pattern in patterns:
            compiled = regex.compile(pattern.replace("{n}", str(number)))
            for m in compiled.finditer(text, start, end):
                span = m.span("marker")
                if best is None or span[0] > best[0]:
                    best = span
        return best

    def clean(self, source: str) -> CleanText:
        norm, nstarts, nends = _normalise(source, self.glyphs)
        lines = _split_lines(norm)
        content = [ln for ln in lines if not ln.blank]
        followed_by_blank = sum(1 for a, b in zip(lines, lines[1:]) if not a.blank and b.blank)
        double_spaced = bool(content) and followed_by_blank >= 0.6 * len(content)

        for i, ln in enumerate(lines):
            if ln.blank or not self.page_number.match(ln.text):
                continue
            before = i == 0 or lines[i - 1].blank or lines[i - 1].page_break_after
            after = i + 1 >= len(lines) or lines[i + 1].blank
            if (before and after) or not double_spaced:
                ln.role = "page_number"

        skipped: set[int] = set()
        footnotes: list[Footnote] = []
        expected, search_from = 1, 0
        for i, ln in enumerate(lines):
            if ln.blank or ln.role != "body":
                continue
            m = self.footnote_start.match(ln.text)
            if not m or int(m.group("number")) != expected:
                continue
            if i > 0 and not (lines[i - 1].blank or lines[i - 1].page_break_after):
                continue
            marker = self.find_marker(norm, search_from, ln.start, expected)
            if marker is None:
                continue
            skipped.update(range(*marker))
            footnotes.append(Footnote(expected, nstarts[marker[0]], nends[marker[1] - 1], -1))
            ln.role, ln.footnote = "footnote", expected
            j = i + 1
            while j < len(lines) and j - i <= MAX_FOOTNOTE_LINES:
                nxt = lines[j]
                if nxt.blank:
                    if not double_spaced:
                        break
                    j += 1
                    continue
                if lines[j - 1].page_break_after or nxt.role != "body":
                    break
                if double_spaced and not lines[j - 1].blank:
                    break          # a line straight after the body: the next page has begun
                if not double_spaced and (nxt.text[:1].isspace() or self.heading_level(nxt.text.strip())):
                    break          # without blank lines, an indented line or a heading starts the next page
                fm = self.footnote_start.match(nxt.text)
                if fm and int(fm.group("number")) == expected + 1:
                    break
                nxt.role, nxt.footnote = "footnote", expected
                j += 1
            expected += 1
            search_from = marker[1]

        return self.build(source, norm, nstarts, nends, lines, skipped, footnotes, self._breaks)

    def build(self, source: str, norm: str, nstarts, nends, lines: list["_Line"], skipped: set[int],
              footnotes: list[Footnote], breaks) -> CleanText:
        """Blocks from classified lines: body lines joined into paragraphs (BREAKS decides where one
        ends), footnote bodies after them in number order."""
        builder = _Builder(norm, nstarts, nends, skipped)
        body = [ln for ln in lines if ln.role == "body" and not ln.blank]
        prev: _Line | None = None
        prev_heading = False
        for ln in body:
            stripped = ln.text.strip()
            level = self.heading_level(stripped)
            if prev is None:
                builder.open_block(ln)
            elif breaks(prev, ln, prev_heading, level):
                builder.open_block(ln)
                prev_heading = False
            else:
                builder.join(prev)
            if level is not None and builder.block_is_new:
                prev_heading = True
            builder.add_line(ln)
            prev = ln
        for fn in footnotes:
            parts = [ln for ln in lines if ln.role == "footnote" and ln.footnote == fn.number]
            if not parts:
                continue
            builder.open_block(parts[0], footnote=fn.number)
            for k, ln in enumerate(parts):
                if k:
                    builder.join(parts[k - 1])
                lead = self.footnote_start.match(ln.text) if k == 0 else None
                builder.add_line(ln, skip_prefix=lead.end() if lead else 0)
        cleaned = builder.finish(source)
        body_end = next((b.start for b in cleaned.blocks if b.footnote is not None), len(cleaned.text))
        kept = []
        for fn in footnotes:
            fn.marker_clean = min(bisect.bisect_left(cleaned.starts, fn.marker_start, 0, body_end), max(body_end - 1, 0))
            fn.block = next((i for i, b in enumerate(cleaned.blocks) if b.footnote == fn.number), -1)
            if fn.block >= 0:
                kept.append(fn)
        cleaned.footnotes = kept
        return cleaned

    def clean_layout(self, text: str, pdf_lines, markers: list[tuple[int, int]]) -> CleanText:
        """Cleaned blocks of a PDF's extracted text, whose lines, roles and markers the layout gave."""
        norm, nstarts, nends = _normalise(text, self.glyphs)
        lines = []
        for pl in pdf_lines:
            role = pl.role if pl.role in ("body", "footnote") else "page_number"
            lines.append(_Line(pl.start, pl.end, pl.text, not pl.text.strip(), False, role, pl.footnote, pl))
        numbers = sorted({pl.footnote for pl in pdf_lines if pl.role == "footnote"})
        at = dict(markers)
        footnotes = [Footnote(n, at[n], at[n], -1) for n in numbers if n in at]
        margins = {}
        for pl in pdf_lines:
            if pl.role == "body":
                margins.setdefault(pl.page, []).append(pl)
        page_margins = {page: (min(Counter(round(p.x0) for p in ls).most_common(1)[0][0], min(p.x0 for p in ls) + 40),
                                max(p.x1 for p in ls)) for page, ls in margins.items()}
        # the document's margins go with the call: the Cleaner is shared by every document, across threads too
        breaks = functools.partial(self._layout_breaks, page_margins)
        return self.build(text, norm, nstarts, nends, lines, set(), footnotes, breaks)

    def _layout_breaks(self, margins: dict, prev_line: "_Line", line: "_Line", prev_heading: bool,
                       level: int | None) -> bool:
        """Whether LINE starts a new paragraph: a heading, a bullet, a change of weight, an indented first
        line, or a short line before it (the end of a justified paragraph)."""
        prev, cur = prev_line.layout, line.layout
        if cur.paragraph is not None:
            return cur.paragraph != prev.paragraph    # the format says where its paragraphs are (Word)
        prev_text = prev_line.text.strip()
        if level is not None and (level <= 2 or prev_text[-1:] in TERMINAL or prev_heading or is_caps_line(prev_text)):
            return True
        if self.bullet.match(line.text) or prev.bold != cur.bold:
            return True
        if prev_text[-1:] not in TERMINAL and line.text.strip()[:1].islower():
            return False          # a sentence cut by a stray paragraph break goes on
        left, right = margins.get(cur.page, (cur.x0, cur.x1))
        if cur.x0 > left + 0.8 * cur.size:
            return True
        prev_right = margins.get(prev.page, (prev.x0, prev.x1))[1]
        return prev.x1 < prev_right - 2.5 * prev.size

    def _breaks(self, prev_line: "_Line", line: "_Line", prev_heading: bool, level: int | None) -> bool:
        """Whether LINE starts a new block rather than continuing PREV_LINE (text cues only)."""
        prev, nxt = prev_line.text.strip(), line.text.strip()
        ends_clause = prev[-1:] in TERMINAL if prev else True
        ends_sentence = prev[-1:] in SENTENCE_END if prev else True
        starts_upper = bool(nxt) and (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in "“\"(")
        if level is not None:
            if level <= 2 or ends_clause or prev_heading or is_caps_line(prev):
                return True
        if self.bullet.match(nxt):
            return True
        if is_caps_line(prev) != is_caps_line(nxt):
            return True
        if prev_heading and len(prev) < 70 and nxt[:1].isupper() and not is_caps_line(nxt):
            return True          # a heading line followed by its body
        return ends_sentence and starts_upper


class _Builder:
    """Accumulates cleaned characters with their source spans, block by block: the text as pieces, the
    spans as arrays."""

    def __init__(self, norm: str, nstarts: array, nends: array, skipped: set[int]):
        self.norm, self.nstarts, self.nends, self.skipped = norm, nstarts, nends, skipped
        self._skipped = sorted(skipped)
        self.pieces: list[str] = []
        self.length = 0                 # the characters so far
        self.last = ""                  # the last of them
        self.starts = array("q")
        self.ends = array("q")
        self.blocks: list[Block] = []
        self.block_is_new = False
        self._line_of_first: list[int] = []

    def _emit(self, ch: str, n_index: int) -> None:
        self.pieces.append(ch)
        self.length += 1
        self.last = ch
        self.starts.append(self.nstarts[n_index])
        self.ends.append(self.nends[n_index])

    def _copy(self, a: int, b: int) -> None:
        """The normalised text's characters A..B as they are (B > A)."""
        self.pieces.append(self.norm[a:b])
        self.length += b - a
        self.last = self.norm[b - 1]
        self.starts.extend(self.nstarts[a:b])
        self.ends.extend(self.nends[a:b])

    def open_block(self, ln: _Line, footnote: int | None = None) -> None:
        if self.blocks:
            self.blocks[-1].end = self.length
            self._emit("\n", max(ln.start - 1, 0))
        bold = ln.layout.bold_start if ln.layout is not None else None
        self.blocks.append(Block(self.length, -1, 0, footnote, bold))
        self._line_of_first.append(ln.start)
        self.block_is_new = True

    def join(self, prev: _Line) -> None:
        if prev.layout is None or not prev.layout.joins_next:     # else a word broken across the lines
            self._emit(" ", min(prev.end, len(self.norm) - 1))
        self.block_is_new = False

    def add_line(self, ln: _Line, skip_prefix: int = 0) -> None:
        lo, hi = ln.start + skip_prefix, ln.end
        while lo < hi and self.norm[lo].isspace():
            lo += 1
        while hi > lo and self.norm[hi - 1].isspace():
            hi -= 1
        if len(self.blocks[-1:]) and self.blocks[-1].start == self.length:
            self._line_of_first[-1] = lo
        first = self.length
        i = bisect.bisect_left(self._skipped, lo)
        if not (i < len(self._skipped) and self._skipped[i] < hi) and not SPACES_TO_FOLD.search(self.norm, lo, hi):
            # nothing to fold or leave out (most lines): the whole line as it is
            if hi > lo:
                self._copy(lo, hi)
            return
        for run in RUNS.finditer(self.norm, lo, hi):
            a, b = run.span()
            if run.group()[0].isspace():
                if self.length == first or self.last != " ":
                    self._emit(" ", a)       # a run of spaces becomes one
                continue
            i = bisect.bisect_left(self._skipped, a)
            if i < len(self._skipped) and self._skipped[i] < b:
                for k in range(a, b):        # a footnote marker inside: leave its digits out
                    if k not in self.skipped:
                        self._emit(self.norm[k], k)
                continue
            self._copy(a, b)

    def finish(self, source: str) -> CleanText:
        if self.blocks:
            self.blocks[-1].end = self.length
        line_starts = [0] + [m.end() for m in NEWLINE.finditer(source)]
        cleaned = CleanText(source, "".join(self.pieces), self.starts, self.ends, self.blocks, [], line_starts)
        for block, first in zip(self.blocks, self._line_of_first):
            src = self.nstarts[first] if first < len(self.nstarts) else len(source)
            block.line = cleaned.line_of(src)
        return cleaned


_CLEANER: Cleaner | None = None


def cleaner() -> Cleaner:
    global _CLEANER
    if _CLEANER is None:
        _CLEANER = Cleaner()
    return _CLEANER


def clean(source: str) -> CleanText:
    return cleaner().clean(source)


def clean_layout(layout) -> CleanText:
    """Cleaned blocks of a document read with its layout (extract.layout.Layout)."""
    return cleaner().clean_layout(layout.text, layout.lines, layout.markers)
