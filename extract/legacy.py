"""Legacy Vietnamese encodings (TCVN3/ABC, VNI Windows) to NFC Unicode, and back.

Takes text as its legacy bytes read in cp1252/Latin-1 ("B¸o c¸o", "Baùo caùo"); gives NFC Unicode with,
for each output character, the index of the input character it comes from. Each block (line) is judged
by its content: the words it turns into Vietnamese syllables. The tables live in rules/legacy.yaml.
"""
import bisect
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
# letters that Unicode Vietnamese has and no legacy text read through cp1252 can: a block holding one is
# Unicode already (the substitutions some PDF producers make, U+2212 and U+2219, are not among them)
UNICODE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
                          "\u1ea0-\u1ef9]")
# cp1252 leaves five bytes undefined; those are read as Latin-1.
CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}
LATIN1_TO_CP1252 = str.maketrans({chr(b): ch for b, ch in CP1252.items()})
BYTE_CHARS = frozenset(map(chr, range(256))) | frozenset(CP1252.values())


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
    """What a block's content says about the reading it needs."""
    kind: str                       # "legacy", "unicode", "ambiguous" (no reading gains or loses), "neutral"
    readings: tuple[str, ...] = ()  # legacy: the readings that gain most; ambiguous: those that lose nothing
    capitals: bool = False          # typed in an uppercase TCVN3 font, as its content shows

    @property
    def clear(self) -> bool:
        return self.kind == "unicode" or (self.kind == "legacy" and len(self.readings) == 1)


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


SYLLABLE_VOWELS = frozenset("aeiouy")        # the letters a tone mark may sit on (with their own marks)


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """Whether WORD is one written Vietnamese syllable: an initial, a rhyme, at most one tone mark
    (on any of its vowels, old or new placement), and sắc or nặng on a rhyme ending in a stop (c, ch, p, t)."""
    initials, rhymes, tone_marks, stop_finals, stop_tones = _syllable_rules()
    word = unicodedata.normalize("NFC", word)
    if not word.isalpha():
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in tone_marks]
    if len(tones) > 1:
        return False
    letter = ""
    for c in decomposed:
        if not unicodedata.combining(c):
            letter = c
        elif c in tone_marks and letter not in SYLLABLE_VOWELS:
            return False        # a mark on a consonant: "Ñôn" is no syllable, whatever "nôn" is
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tone_marks))
    if base.endswith(stop_finals) and not (tones and tones[0] in stop_tones):
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
    The block is unicode when every reading loses syllables, or when it holds a Vietnamese word that no
    reading touches ("phường", "và"): no legacy font gives that. Otherwise it is ambiguous: "Sè" reads
    "Sè" or "Số", and the readings that lose nothing are left to the font or to the blocks around it.
    """
    if UNICODE_ONLY.search(block):
        return Verdict("unicode")
    found = schemes()
    words = WORD_BREAK.split(block)
    gains: dict[str, tuple[int, int]] = {}
    untouched = [True] * len(words)
    for name in LEGACY:
        read = apply(block, found[name])
        if read == block:
            continue
        before = after = 0
        for i, (raw, new) in enumerate(zip(words, WORD_BREAK.split(read), strict=True)):
            if raw != new:
                untouched[i] = False
                if _weighs(raw):
                    # a capital after a small letter ("kÝch") is no word as typed: a legacy code in disguise
                    before += is_syllable(raw) and not any(a.islower() and b.isupper() for a, b in zip(raw, raw[1:]))
                    after += is_syllable(new)
        gains[name] = (after - before, after)
    best = max((gain for gain, _ in gains.values()), default=0)
    if best > 0:
        # a tie is left to the font or the blocks around; failing those, the reading that makes more words
        winners = tuple(sorted((name for name in gains if gains[name][0] == best), key=lambda n: -gains[n][1]))
        return Verdict("legacy", winners, "tcvn3" in winners and _typed_in_capitals(block))
    if any(keep and len(w) > 1 and not w.isascii() and is_syllable(w) and not _typed_alike(w)
           for w, keep in zip(words, untouched)):
        return Verdict("unicode")
    even = tuple(name for name in gains if gains[name][0] == 0)
    if "tcvn3" not in gains and _repair_u_horn(block) != block:
        even += ("tcvn3",)
    if even:
        return Verdict("ambiguous", even, "tcvn3" in even and _typed_in_capitals(block))
    return Verdict("unicode" if gains else "neutral")


def _typed_alike(word: str) -> bool:
    """Whether a legacy font shows WORD the same as Unicode does ("lý": TCVN3's code for ý is ý), so that
    it says nothing of what the block was typed in."""
    for name in LEGACY:
        try:
            if encode(word, name) == word:
                return True
        except UnicodeEncodeError:
            continue
    return False


def _typed_in_capitals(block: str) -> bool:
    """Whether a TCVN3 block was typed in an uppercase font (.VnTimeH): its plain letters are all
    capitals, and a word holds a code beside capitals ("B¸O", "PHó"), where a lowercase font would
    show a small letter among capitals. A title-case word ("Sè", "Uû") says nothing."""
    plain = ASCII_LETTER.findall(block)
    if not plain or any(c.islower() for c in plain):
        return False
    codes = schemes()["tcvn3"].table
    for word in WORD_BREAK.split(block):
        first_code = next((i for i, c in enumerate(word) if c in codes), None)
        if first_code is None:
            continue
        capitals = [i for i, c in enumerate(word) if "A" <= c <= "Z"]
        if len(capitals) >= 2 or any(i > first_code for i in capitals):
            return True
    return False


def detect(text: str) -> str:
    """"unicode", "tcvn3" or "vni": what TEXT, taken as one block, is typed in, by its content alone."""
    verdict = judge(text)
    return verdict.readings[0] if verdict.kind == "legacy" else "unicode"


# ---------------------------------------------------------------- whole texts

def _blocks(text: str) -> list[tuple[int, str]]:
    blocks = []
    start = 0
    for line in text.split("\n"):
        blocks.append((start, line))
        start += len(line) + 1
    return blocks


def _resolve(verdicts: list[Verdict], font: str | None) -> list[str | None]:
    """The reading each block gets: its content's; where the content leaves a choice, the font's, else
    that of the nearest blocks whose content is clear, when those before and after it agree (None: the
    block stays as it is)."""
    hint = font_encoding(font)
    hint_table = "tcvn3" if hint == "tcvn3-capitals" else hint
    clear_at = [i for i, v in enumerate(verdicts) if v.clear]
    readings: list[str | None] = []
    for i, verdict in enumerate(verdicts):
        reading = None
        if verdict.kind == "legacy" and len(verdict.readings) == 1:
            reading = verdict.readings[0]
        elif verdict.kind in ("legacy", "ambiguous"):
            choice = hint_table or _surrounding(verdicts, clear_at, i)
            if choice in verdict.readings:
                reading = choice
            elif verdict.kind == "legacy":
                reading = verdict.readings[0]
        elif verdict.kind == "neutral" and hint == "tcvn3-capitals":
            reading = "tcvn3"
        if reading == "tcvn3" and (hint == "tcvn3-capitals" or (hint != "tcvn3" and verdict.capitals)):
            reading = "tcvn3-capitals"
        readings.append(reading)
    return readings


def _surrounding(verdicts: list[Verdict], clear_at: list[int], i: int) -> str | None:
    """The reading of the clear blocks around block I, when the nearest one before it and the nearest
    one after it (where there is one) agree: "unicode" or a legacy encoding."""
    at = bisect.bisect_left(clear_at, i)
    around = {verdicts[clear_at[j]].readings[:1] or ("unicode",) for j in (at - 1, at) if 0 <= j < len(clear_at)}
    return around.pop()[0] if len(around) == 1 else None


@cache
def _stand_ins() -> tuple[str, dict[str, str], re.Pattern, regex.Pattern]:
    """The characters PDF readers give for ư, each with where it may stand at the start of a word,
    the Roman numeral it never ends, and the pattern that finds them with the letters they touch."""
    spec = rules.load("legacy")["tcvn3"]
    chars = "".join(s["char"] for s in spec["u_horn_stand_ins"])
    at_start = {s["char"]: s["at_word_start"] for s in spec["u_horn_stand_ins"]}
    pattern = regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(\p{{L}}*)([{regex.escape(chars)}])(?=(\p{{L}}*)(?!\p{{N}}))")
    return chars, at_start, re.compile(spec["roman_numeral"]), pattern


def _repair_u_horn(text: str) -> str:
    """ư where a PDF reader gave a hyphen or a space for it ("ph-êng", "ph êng" → "phường"): where the
    character joins no two syllables and ư makes one word of the letters it touches."""
    chars, at_start, roman, pattern = _stand_ins()
    if not any(c in text for c in chars):
        return text

    def repair(m) -> str:
        left, stand_in, right = m.group(1), m.group(2), m.group(3)
        if not (left or right) or (not right and roman.match(left)):
            return m.group(0)
        if not left and at_start[stand_in] == "after_space":
            start = m.start(2)
            if start == 0 or not text[start - 1].isspace():
                return m.group(0)
        letter = "Ư" if len(left + right) > 1 and (left + right).isupper() else "ư"
        joins_two = is_syllable(left) and (not right or is_syllable(right))
        if not joins_two and is_syllable(left + letter + right):
            return left + letter
        return m.group(0)

    return pattern.sub(repair, text)


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
                piece = _repair_u_horn(piece)
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


@cache
def _vietnamese_letters() -> frozenset[str]:
    return frozenset(rules.load("legacy")["vni"]["letters"].values())


def encode(text: str, encoding: str, *, capitals: bool = False) -> str:
    """TEXT as typed in ENCODING ("tcvn3" or "vni"), as its bytes read in cp1252/Latin-1.

    CAPITALS writes TCVN3 for an uppercase font (.VnTimeH), where a capital letter with a tone has a
    code; in the ordinary TCVN3 fonts it has none. Raises UnicodeEncodeError at the first character
    the encoding cannot give back: a Vietnamese letter with no code ("Ủ" in TCVN3), a character no
    single byte holds ("≥"), or a sign that is itself a legacy code ("×" in TCVN3, "ñ" in VNI).
    """
    if encoding not in LEGACY:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected one of {LEGACY}")
    reading = "tcvn3-capitals" if capitals and encoding == "tcvn3" else encoding
    text = unicodedata.normalize("NFC", text)
    inverse = _inverse(reading)
    letters = _vietnamese_letters()
    scheme = schemes()[reading]
    writable: dict[str, bool] = {}
    pieces = []
    for i, ch in enumerate(text):
        code = inverse.get(ch, ch)
        if ch not in writable:
            # a letter needs its code; any other character must be a byte that reads as itself
            has_code = ch in inverse or (ch not in letters and ch in BYTE_CHARS)
            writable[ch] = has_code and apply(code, scheme) == ch
        if not writable[ch]:
            raise UnicodeEncodeError(encoding, text, i, i + 1, f"{ch!r} has no {_label(reading)} code")
        pieces.append(code)
    written = "".join(pieces)
    back, back_index = _apply_indexed(written, scheme, 0)
    if back != text:
        # characters that are each writable but read back together as one letter ("aï" in VNI is ạ)
        first = next(i for i, (a, b) in enumerate(zip(back, text)) if a != b)
        source = _written_index(pieces)
        start = source[back_index[first]]
        end = source[back_index[first + 1]] if first + 1 < len(back_index) else len(text)
        raise UnicodeEncodeError(encoding, text, start, end,
                                 f"{text[start:end]!r} would read back as {back[first]!r} in {_label(reading)}")
    return written


def _label(reading: str) -> str:
    return {"tcvn3": "TCVN3", "tcvn3-capitals": "TCVN3 uppercase-font", "vni": "VNI"}[reading]


def _written_index(pieces: list[str]) -> list[int]:
    """Per written character, the index of the text character it was written for."""
    index = []
    for i, piece in enumerate(pieces):
        index.extend([i] * len(piece))
    return index
