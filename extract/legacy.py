"""Legacy Vietnamese encodings (TCVN3/ABC, VNI Windows) to NFC Unicode, and back.

Takes text as its legacy bytes read in cp1252/Latin-1 ("B¸o c¸o", "Baùo caùo"); gives NFC Unicode with,
for each output character, the index of the input character it comes from. Each block (line) is judged
by its content: the words it turns into Vietnamese syllables. The tables live in rules/legacy.yaml.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from . import rulebook as rules

LEGACY = ("tcvn3", "vni")

# What separates the words whose syllables are weighed; never a character of a legacy table.
WORD_BREAK = re.compile(r"[\s!-/:-@\[-`{-~\u2010-\u201f\u2026]+")
ASCII_DIGIT = re.compile(r"[0-9]")
ASCII_LETTER = re.compile(r"[A-Za-z]")
GRAPHEME = regex.compile(r"\X")
# cp1252 leaves five bytes undefined; those are read as Latin-1.
CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
LATIN1_TO_CP1252 = str.maketrans({chr(b): ch for b, ch in CP1252.items()})


@dataclass(frozen=True)
class Converted:
    text: str                 # NFC Unicode
    encoding: str             # what was found: "unicode", "tcvn3", "vni", or "mixed" (blocks of both)
    source_index: list[int]   # per output character: index of the input character it comes from


@dataclass(frozen=True)
class Scheme:
    """One reading of legacy text: sequences of input characters to the letters they show."""
    name: str
    table: dict[str, str]
    pattern: re.Pattern


@dataclass(frozen=True)
class Verdict:
    """What a block's content says: a legacy encoding, unicode, ambiguous (changed, no syllable either
    way), or neutral (no table changes it)."""
    kind: str                 # "legacy", "unicode", "ambiguous", "neutral"
    encoding: str = "unicode"
    changed_by: tuple[str, ...] = ()
    capitals: bool = False    # typed in an uppercase TCVN3 font, as its content shows


# ---------------------------------------------------------------- tables

def _trie_pattern(keys) -> str:
    """One alternation of KEYS, longest first, factored on the first character so that a position
    that starts no sequence is passed over at once."""
    by_first: dict[str, list[str]] = {}
    for key in keys:
        by_first.setdefault(key[0], []).append(key[1:])
    parts = []
    for first, rests in sorted(by_first.items()):
        longer = sorted((r for r in rests if r), key=lambda r: (-len(r), r))
        tail = "|".join(re.escape(r) for r in longer)
        optional = "" in rests
        if not longer:
            parts.append(re.escape(first))
        else:
            parts.append(f"{re.escape(first)}(?:{tail}){'?' if optional else ''}")
    return "|".join(parts)


def _char_class(chars) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _tcvn3_scheme(name: str, letters: dict[str, str], substitutions: list[dict], upper: bool) -> Scheme:
    table = dict(letters)
    if upper:
        # an uppercase font shows plain ASCII letters as capitals too
        table.update({c: c.upper() for c in map(chr, range(ord("a"), ord("z") + 1))})
    codes = _char_class(letters)
    letter = rf"(?:(?<=[^\W\d_])|(?<={codes}))"
    subs = {s["char"]: (s["letter"].upper() if upper else s["letter"]) for s in substitutions}
    beside = _char_class(subs)
    pattern = rf"{letter}{beside}|{beside}(?=[^\W\d_]|{codes})|{_char_class(table)}"
    table.update(subs)
    return Scheme(name, table, re.compile(pattern))


def _vni_scheme(spec: dict) -> Scheme:
    table = dict(spec["letters"])
    if spec.get("marks_in_either_case"):
        for seq, letter in spec["letters"].items():
            if len(seq) > 1:
                base, marks = seq[0], seq[1:]
                other = marks.lower() if marks.isupper() else marks.upper()
                table.setdefault(base + other, letter)
    return Scheme("vni", table, re.compile(_trie_pattern(table)))


@cache
def schemes() -> dict[str, Scheme]:
    """The readings: tcvn3, tcvn3 in an uppercase font (tcvn3-capitals), vni."""
    spec = rules.load("legacy")
    tcvn3 = spec["tcvn3"]
    return {
        "tcvn3": _tcvn3_scheme("tcvn3", tcvn3["letters"], tcvn3["substitutions"], upper=False),
        "tcvn3-capitals": _tcvn3_scheme("tcvn3-capitals", tcvn3["capitals"]["letters"],
                                        tcvn3["substitutions"], upper=True),
        "vni": _vni_scheme(spec["vni"]),
    }


@cache
def _fonts() -> list[tuple[str, re.Pattern]]:
    spec = rules.load("legacy")
    return [("tcvn3-capitals", re.compile(spec["tcvn3"]["capitals"]["fonts"]["pattern"])),
            ("tcvn3", re.compile(spec["tcvn3"]["fonts"]["pattern"])),
            ("vni", re.compile(spec["vni"]["fonts"]["pattern"]))]


def font_encoding(font: str | None) -> str | None:
    """The reading a font name stands for: "tcvn3", "tcvn3-capitals", "vni", or None."""
    if font:
        for name, pattern in _fonts():
            if pattern.search(font):
                return name
    return None


# ---------------------------------------------------------------- syllables

@cache
def _syllable_rules():
    spec = rules.load("legacy")["syllables"]
    tones = spec["tones"]
    return (sorted(spec["initials"], key=len, reverse=True), frozenset(spec["rhymes"]),
            frozenset(tones.values()), tuple(spec["stop_finals"]),
            frozenset(tones[name] for name in spec["stop_tones"]))


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """Whether WORD is one written Vietnamese syllable: an initial, a rhyme, at most one tone mark
    (on any of its vowels, old or new placement), and only sắc or nặng before a stop (c, ch, p, t)."""
    initials, rhymes, tone_marks, stop_finals, stop_tones = _syllable_rules()
    word = unicodedata.normalize("NFC", word)
    if not word.isalpha():
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in tone_marks]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tone_marks))
    if tones and base.endswith(stop_finals) and tones[0] not in stop_tones:
        return False
    return any(base.startswith(initial) and base[len(initial):] in rhymes for initial in initials)


def _weighs(word: str) -> bool:
    """Whether a word counts as evidence: two characters or more, a plain letter among them, no digit
    (a lone sign such as "×" or "©" says nothing, and numbers are read apart)."""
    return len(word) > 1 and ASCII_LETTER.search(word) is not None and ASCII_DIGIT.search(word) is None


# ---------------------------------------------------------------- reading one block

def apply(block: str, scheme: Scheme) -> str:
    """BLOCK read with SCHEME, whatever its content says."""
    table = scheme.table
    return scheme.pattern.sub(lambda m: table[m.group()], block)


def _apply_indexed(block: str, scheme: Scheme, offset: int) -> tuple[str, list[int]]:
    table = scheme.table
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in scheme.pattern.finditer(block):
        start, end = m.span()
        if start > pos:
            out.append(block[pos:start])
            index.extend(range(offset + pos, offset + start))
        letter = table[m.group()]
        out.append(letter)
        index.extend([offset + start] * len(letter))
        pos = end
    out.append(block[pos:])
    index.extend(range(offset + pos, offset + len(block)))
    return "".join(out), index


def judge(block: str) -> Verdict:
    """What BLOCK's content says it is typed in.

    For each legacy reading, the words it changes are weighed: how many are Vietnamese syllables after
    the reading and how many were before. A reading that gains syllables wins (the one that gains most).
    A block whose own words are already Vietnamese with diacritics is unicode.
    """
    found = schemes()
    words = WORD_BREAK.split(block)
    gains: dict[str, tuple[int, int]] = {}
    changed_by = []
    for name in LEGACY:
        read = apply(block, found[name])
        if read == block:
            continue
        changed_by.append(name)
        before = after = 0
        for raw, new in zip(words, WORD_BREAK.split(read), strict=True):
            if raw != new and _weighs(raw):
                before += is_syllable(raw)
                after += is_syllable(new)
        gains[name] = (after - before, after)
    winners = [name for name in gains if gains[name][0] > 0]
    if winners:
        best = max(winners, key=lambda name: gains[name])
        return Verdict("legacy", best, tuple(changed_by), best == "tcvn3" and _typed_in_capitals(block))
    if any(is_syllable(w) and not w.isascii() for w in words if len(w) > 1):
        return Verdict("unicode", changed_by=tuple(changed_by))
    if changed_by:
        return Verdict("ambiguous", changed_by=tuple(changed_by))
    return Verdict("neutral")


def _typed_in_capitals(block: str) -> bool:
    """Whether a TCVN3 block was typed in an uppercase font (.VnTimeH): its plain letters are all
    capitals, and a code sits inside a capitalised word ("B¸O"), where the lowercase font would show
    a small letter among capitals."""
    plain = ASCII_LETTER.findall(block)
    if not plain or any(c.islower() for c in plain):
        return False
    codes = schemes()["tcvn3"].table
    return any(
        any(c in codes for c in word) and sum(c.isupper() for c in word if c.isascii()) >= 1
        and len(word) > 1
        for word in WORD_BREAK.split(block))


def detect(text: str) -> str:
    """"unicode", "tcvn3" or "vni": what TEXT, taken as one block, is typed in, by its content alone."""
    verdict = judge(text)
    return verdict.encoding if verdict.kind == "legacy" else "unicode"


# ---------------------------------------------------------------- whole texts

def _blocks(text: str) -> list[tuple[int, str]]:
    blocks = []
    start = 0
    for line in text.split("\n"):
        blocks.append((start, line))
        start += len(line) + 1
    return blocks


def _resolve(verdicts: list[Verdict], font: str | None) -> list[str | None]:
    """The reading each block gets: its content's, else (ambiguous) the font's, else the nearest
    block whose content is clear."""
    hint = font_encoding(font)
    hint_table = "tcvn3" if hint == "tcvn3-capitals" else hint
    clear = [(i, v.encoding) for i, v in enumerate(verdicts) if v.kind in ("legacy", "unicode")]
    readings: list[str | None] = []
    for i, verdict in enumerate(verdicts):
        if verdict.kind == "legacy":
            reading = verdict.encoding
        elif verdict.kind == "ambiguous":
            if hint_table:
                reading = hint_table
            else:
                near = min(clear, key=lambda c: (abs(c[0] - i), c[0] > i), default=(i, "unicode"))
                reading = near[1]
            if reading not in verdict.changed_by:
                reading = None
        elif verdict.kind == "neutral" and hint == "tcvn3-capitals":
            reading = "tcvn3"
        else:
            reading = None
        if reading == "tcvn3" and (hint == "tcvn3-capitals" or (hint is None and verdict.capitals)):
            reading = "tcvn3-capitals"
        readings.append(reading)
    return readings


def _repair_hyphens(text: str) -> str:
    """A TCVN3 PDF read under WinAnsiEncoding gives "-" for the ư at byte 0xAD: "Tr-êng" → "Trường",
    when the hyphen joins no two syllables and ư makes one of the halves ("kinh tÕ-x· héi" keeps it)."""
    spec = rules.load("legacy")["tcvn3"]["hyphen_for_u_horn"]
    chars = "".join(spec["chars"])
    if not any(c in text for c in chars):
        return text
    found = regex.compile(rf"(\p{{L}}*)[{regex.escape(chars)}](?=(\p{{L}}+))")

    def repair(m) -> str:
        left, right = m.group(1), m.group(2)
        cased = left + right
        letter = "Ư" if cased.isupper() and len(cased) > 1 else "ư"
        if is_syllable(left + letter + right) and not (left and is_syllable(left) and is_syllable(right)):
            return left + letter
        return m.group(0)

    return found.sub(repair, text)


def _nfc(text: str, index: list[int]) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFC", text):
        return text, index
    out: list[str] = []
    mapped: list[int] = []
    for m in GRAPHEME.finditer(text):
        start = m.start()
        composed = unicodedata.normalize("NFC", m.group())
        out.append(composed)
        if len(composed) == m.end() - start:
            mapped.extend(index[start:m.end()])
        else:
            mapped.extend([index[start]] * len(composed))
    return "".join(out), mapped


def convert(text: str, font: str | None = None) -> Converted:
    """TEXT in NFC Unicode, each block (line) read in the legacy encoding its content shows.

    FONT (".VnTimeH", "VNI-Times") is evidence only: it settles a block whose content does not, and an
    uppercase TCVN3 font shows its letters as capitals; a block that reads as Unicode Vietnamese is
    never converted.
    """
    blocks = _blocks(text)
    verdicts = [judge(block) for _, block in blocks]
    readings = _resolve(verdicts, font)
    found = schemes()
    out: list[str] = []
    index: list[int] = []
    used = set()
    for (start, block), reading in zip(blocks, readings, strict=True):
        if start:
            out.append("\n")
            index.append(start - 1)
        if reading is None:
            piece, piece_index = block, list(range(start, start + len(block)))
        else:
            piece, piece_index = _apply_indexed(block, found[reading], start)
            if reading.startswith("tcvn3"):
                piece = _repair_hyphens(piece)
            if piece != block:
                used.add("tcvn3" if reading.startswith("tcvn3") else reading)
        piece, piece_index = _nfc(piece, piece_index)
        out.append(piece)
        index.extend(piece_index)
    encoding = "mixed" if len(used) > 1 else next(iter(used), "unicode")
    return Converted("".join(out), encoding, index)


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """A text file's bytes that are not UTF-8, as (Unicode text, "tcvn3" | "vni" | "mixed") when read
    as cp1252 (Latin-1 for the bytes cp1252 leaves undefined) they are legacy Vietnamese; else None.
    Each byte is one character of the text converted, so source_index of convert() are byte offsets."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    converted = convert(data.decode("latin-1").translate(LATIN1_TO_CP1252))
    if converted.encoding == "unicode":
        return None
    return converted.text, converted.encoding


# ---------------------------------------------------------------- back to legacy

@cache
def _inverse(reading: str) -> dict[str, str]:
    spec = rules.load("legacy")
    if reading == "vni":
        letters = spec["vni"]["letters"]
    elif reading == "tcvn3-capitals":
        letters = spec["tcvn3"]["capitals"]["letters"]
    else:
        letters = spec["tcvn3"]["letters"]
    inverse: dict[str, str] = {}
    for code, letter in letters.items():
        inverse.setdefault(letter, code)
    return inverse


def encode(text: str, encoding: str, *, capitals: bool = False) -> str:
    """TEXT as typed in ENCODING ("tcvn3" or "vni"), as its bytes read in cp1252/Latin-1.

    CAPITALS writes TCVN3 for an uppercase font (.VnTimeH), where a capital letter with a tone has a
    code; in the ordinary fonts it has none. Raises UnicodeEncodeError at the first character the
    encoding cannot give back (such as "Ủ" in TCVN3, or a sign that is itself a legacy code: "×", "ñ").
    """
    if encoding not in LEGACY:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY}")
    reading = "tcvn3-capitals" if capitals and encoding == "tcvn3" else encoding
    text = unicodedata.normalize("NFC", text)
    inverse = _inverse(reading)
    pieces = [inverse.get(ch, ch) for ch in text]
    written = "".join(pieces)
    back, back_index = _apply_indexed(written, schemes()[reading], 0)
    if back != text:
        first = next((i for i, (a, b) in enumerate(zip(back, text)) if a != b), min(len(back), len(text)))
        source = _written_index(pieces)
        where = source[back_index[first]] if first < len(back_index) else len(text) - 1
        raise UnicodeEncodeError(encoding, text, where, where + 1,
                                 f"{text[where]!r} has no {encoding.upper()} form that reads back as itself")
    return written


def _written_index(pieces: list[str]) -> list[int]:
    """Per written character, the index of the text character it was written for."""
    index = []
    for i, piece in enumerate(pieces):
        index.extend([i] * len(piece))
    return index
