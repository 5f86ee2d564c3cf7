"""Sections stage: cleaned blocks to the report's heading hierarchy.

Takes a CleanText; gives Sections (part, Roman, Arabic, two- and three-part numbers, footnotes) and a
lookup from a cleaned offset to its section path. Numbering slips are kept as written.
"""
import bisect
from dataclasses import dataclass

import regex

from . import rulebook as rules
from .clean import CleanText, is_caps_line, match_heading

CLAUSE_END = regex.compile(r"[;.](?!\d)")


@dataclass
class Section:
    section_id: str
    number: str
    title: str
    level: int | None
    type: str                  # heading | inline_heading | numbered_item | footnote
    parent: str | None
    path: str
    line: int
    clean_start: int           # the heading block in the cleaned text
    number_end: int            # cleaned offset after the heading number (not a figure)
    clean_end: int = -1        # where the section's content ends


class SectionFinder:
    def __init__(self):
        spec = rules.load("headings")
        self.inline_title = regex.compile(spec["inline_title"])
        self.item_min = spec["numbered_item_min_length"]

    def match(self, text: str):
        """(level, match, number) of the heading TEXT starts with, or None."""
        return match_heading(text)

    def find(self, cleaned: CleanText) -> list[Section]:
        sections: list[Section] = []
        stack: list[Section] = []
        body_blocks = [b for b in cleaned.blocks if b.footnote is None]
        for bi, block in enumerate(body_blocks):
            text = cleaned.text[block.start:block.end]
            found = self.match(text)
            if found is None:
                continue
            level, m, number = found
            title = m.group("title").strip()
            kind = "heading"
            if level == 1 and not title and bi + 1 < len(body_blocks):
                nxt = body_blocks[bi + 1]
                candidate = cleaned.text[nxt.start:nxt.end]
                if is_caps_line(candidate):
                    title = candidate.strip()
            inline = self.inline_title.match(title)
            if inline and len(inline.group("body").split()) >= 4 and level >= 3:
                kind, title = "inline_heading", inline.group("title").strip()
            elif level >= 3 and (len(text) >= self.item_min if block.bold is None else not block.bold):
                # a PDF says it by weight: a numbered line not in bold is an item, not a heading
                kind = "numbered_item"
                title = CLAUSE_END.split(title, 1)[0].strip()
            while stack and stack[-1].level >= level:
                stack.pop()
            parent = stack[-1] if stack else None
            path = " > ".join([s.number for s in stack] + [number])
            section = Section(f"S{len(sections) + 1:03d}", number, title, level, kind,
                              parent.section_id if parent else None, path, block.line,
                              block.start, block.start + m.end("number"))
            sections.append(section)
            stack.append(section)
        body_end = body_blocks[-1].end if body_blocks else 0
        for k, section in enumerate(sections):
            section.clean_end = next((s.clean_start for s in sections[k + 1:] if s.level <= section.level), body_end)
        for fn in cleaned.footnotes:
            block = cleaned.blocks[fn.block]
            sections.append(Section(f"S{len(sections) + 1:03d}", f"footnote {fn.number}", "", None, "footnote",
                                    None, f"footnote {fn.number}", block.line, block.start, block.start, block.end))
        return sections


class SectionIndex:
    """Cleaned offset -> section path ("Phần thứ nhất > I > 2 > 2.1", or "footnote N")."""

    def __init__(self, cleaned: CleanText, sections: list[Section]):
        self.cleaned = cleaned
        self.headings = [s for s in sections if s.type != "footnote"]
        self.starts = [s.clean_start for s in self.headings]

    def path_at(self, offset: int) -> str | None:
        block = self.cleaned.block_at(offset)
        if block.footnote is not None:
            return f"footnote {block.footnote}"
        return self.body_path_at(offset)

    def body_path_at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.headings[i].path if i >= 0 else None

    def anchor_path(self, footnote_number: int) -> str | None:
        fn = next((f for f in self.cleaned.footnotes if f.number == footnote_number), None)
        return self.body_path_at(fn.marker_clean) if fn else None


_FINDER: SectionFinder | None = None


def find_sections(cleaned: CleanText) -> list[Section]:
    global _FINDER
    if _FINDER is None:
        _FINDER = SectionFinder()
    return _FINDER.find(cleaned)
