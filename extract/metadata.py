"""Metadata: a report's text to what tells it apart (unit, district, province, year, period, kind, date, session).

Pure: text in, a dict keyed by METADATA_FIELDS out, None where the text does not say. The words and
patterns are rules/metadata.yaml; this module decides where in the report to look and whom to believe.
"""
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import regex

from . import rulebook as rules

METADATA_FIELDS = [
    "unit_level", "unit_name", "district", "district_level", "province", "year", "period",
    "report_kind", "report_date", "session", "session_number", "council_term", "document_number",
]

TIERS = ("unit", "district", "province")
# A district or province mention counts by where it stands: the header is the issuer's own name; a
# unit it is in apposition to ("xã An Phú (huyện Phù Mỹ, ...)") or the title says where the unit lies;
# the recipients list names the superior body; the body may name any neighbour or historical place.
WEIGHTS = {"header": 10, "apposition": 6, "title": 5, "recipients": 3, "body": 1}
TOP_LINES = 25       # the header and title stand before the first heading, within this many lines
TITLE_LINES = 8      # a title is never longer than this
HEADER_LINES = 12    # without a heading or a title, the header is looked for this far
NAME_WORD = regex.compile(r"[\p{L}\d'’]+")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True)
class Place:
    """A unit named in the text: "huyện Phù Mỹ" is Place("district", "huyện", "Phù Mỹ", ...)."""
    tier: str            # unit | district | province
    level: str           # phường, xã, thị trấn, thành phố, huyện, quận, thị xã, tỉnh
    name: str            # as normalise_name gives it
    start: int           # offsets of the level word and the name in the text searched
    end: int


@dataclass
class Top:
    """What stands above the first heading: header places, document number, date line, title."""
    places: list[Place] = field(default_factory=list)
    document_number: str | None = None
    report_date: str | None = None
    title: str = ""


class Rules:
    """rules/metadata.yaml, compiled."""

    def __init__(self):
        spec = rules.load("metadata")
        macros = {"{V}": spec["macros"]["V"], "{C}": spec["macros"]["C"],
                  "{NUMBER_WORD}": "|".join(sorted(spec["number_words"], key=len, reverse=True))}

        def compile_(pattern):
            for macro, value in macros.items():
                pattern = pattern.replace(macro, value)
            return regex.compile(pattern)

        self.glyphs = rules.load("cleaning")["glyphs"]
        self.kept_after = compile_(spec["line_breaks"]["kept_after"])
        self.kept_before = compile_(spec["line_breaks"]["kept_before"])
        names = spec["names"]
        self.name_word = compile_(names["word"])
        self.stop_words = set(names["stop_words"])
        self.tone_marks = compile_("(?<!q)(" + "|".join(names["tone_marks"]) + r")(?!\p{L})")
        self.tone_map = names["tone_marks"]
        self.central_cities = set(spec["central_cities"]["names"])
        self.levels = []
        for level in spec["levels"]:
            word = rf"(?<![\p{{L}}\d])(?P<level>{level['pattern']}){spec['not_after_level']}"
            place = compile_(word + r"(?:\s+|(?<=\.)\s*)" + names["phrase"])
            self.levels.append((level["tier"], level["level"], place))
        self.any_level = compile_("|".join(rf"(?<![\p{{L}}\d])(?:{level['pattern']})(?!\p{{L}})"
                                           for level in spec["levels"]))
        self.unit_level_word = compile_(r"\s+(?P<level>" + "|".join(
            level["pattern"] for level in spec["levels"] if level["tier"] == "unit") + r")(?!\p{L})")
        self.former = compile_(spec["former"]["pattern"])
        self.apposition = compile_(spec["apposition"]["pattern"])
        self.authority = compile_(r"^" + spec["header"]["authority"] + r"(?:\s+|$)")
        self.boilerplate = compile_(spec["header"]["boilerplate"])
        self.title_start = compile_(spec["title_start"])
        self.title_end = compile_(spec["title_end"])
        self.results_heading = compile_(spec["results_heading"]["pattern"])
        self.plan_clause = compile_(spec["plan_clause"]["pattern"])
        self.rest_of_year = compile_(spec["plan_clause"]["rest_of_year"])
        self.year = compile_(spec["year"]["pattern"])
        self.number_words = spec["number_words"]
        self.periods = [(p["period"], compile_(p["pattern"])) for p in spec["periods"]]
        self.kinds = [(k["kind"], compile_(k["pattern"])) for k in spec["report_kinds"]]
        self.date_line = compile_(spec["date_line"]["pattern"])
        self.session_head = compile_(spec["session"]["head"])
        self.session_council = compile_(spec["session"]["council"])
        self.session_term = compile_(spec["session"]["term"])
        self.document_number = compile_(spec["document_number"]["pattern"])
        self.recipients = compile_(spec["recipients"])
        self.parenthesised = regex.compile(r"\([^()]*\)")


@cache
def _rules() -> Rules:
    return Rules()


def read_metadata(text: str) -> dict:
    """What the report says about itself, keyed by METADATA_FIELDS; None where it does not say."""
    R = _rules()
    lines = _lines(text or "")
    top_end = _top_end(lines)
    top = _read_top(lines[:top_end])
    body = paragraphs("\n".join(lines[top_end:]))
    heading = next((line for line in lines[top_end:top_end + 3] if R.results_heading.match(line)), "")

    title_places = _places_with_apposition(top.title, "title")
    body_places = _body_places(body)
    session = _best_session([top.title]) or _best_session(body)

    unit = _choose_unit(top.places, session, title_places, body_places)
    mentions = [(WEIGHTS["header"], p) for p in top.places] + title_places + body_places
    flat = " ".join(lines).lower()
    district = _choose(mentions, "district", flat)
    province = _choose(mentions, "province", flat)

    plain_title = R.parenthesised.sub(" ", top.title)
    plan = R.plan_clause.search(plain_title)
    report_part = plain_title[:plan.start()] if plan else plain_title
    plan_part = plain_title[plan.start():] if plan else ""
    year = _first_year(report_part) or _first_year(heading)
    if year is None and R.rest_of_year.search(plan_part):
        year = _first_year(plan_part)
    report_date = top.report_date or _date_in_body(lines[top_end:])
    if year is None and report_date:
        year = int(report_date[:4])

    found = {
        "unit_level": unit.level if unit else None,
        "unit_name": unit.name if unit else None,
        "district": district.name if district else None,
        "district_level": district.level if district else None,
        "province": province.name if province else None,
        "year": year,
        "period": read_period(report_part) or read_period(heading),
        "report_kind": _report_kind(top.title) or _report_kind(heading),
        "report_date": report_date,
        "document_number": top.document_number,
    }
    for key in ("session", "session_number", "council_term"):
        found[key] = session[key] if session else None
    return {key: found[key] for key in METADATA_FIELDS}


def normalise_name(text: str) -> str:
    """A unit's name in one spelling: NFC, single spaces, every word capitalised ("LÊ LỢI" -> "Lê Lợi").

    Every word is capitalised, acronyms and Roman numerals too: unit names are Vietnamese syllables,
    or a number ("Phường 01" -> "1"). Tone marks of a final oa/oe/uy sit on the first vowel ("Hoà" -> "Hòa").
    """
    R = _rules()
    text = unicodedata.normalize("NFC", text)
    text = " ".join(regex.sub(r"\s*-\s*", " - ", text).split())
    words = []
    for word in text.split(" "):
        if word.isdigit():
            words.append(str(int(word)))
            continue
        word = R.tone_marks.sub(lambda m: R.tone_map[m.group(1)], word.lower())
        words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def paragraphs(text: str) -> list[str]:
    """The text's lines re-joined where the page width, not the writer, broke them."""
    R = _rules()
    joined: list[list[str]] = []
    lowercase = False           # whether the paragraph so far has a lowercase letter
    for line in _lines(text):
        previous = joined[-1][-1] if joined else None
        if (previous is None or R.kept_after.search(previous) or R.kept_before.match(line)
                or not lowercase or not _has_lowercase(line)):
            joined.append([line])
            lowercase = _has_lowercase(line)
        else:
            joined[-1].append(line)
    return [" ".join(lines) for lines in joined]


def places(text: str) -> list[Place]:
    """Every unit named in the text with its level, in order; former units ("... (cũ)") left out."""
    R = _rules()
    found = []
    for tier, level, pattern in R.levels:
        for m in pattern.finditer(text, overlapped=True):
            end = _name_end(text, m)
            if end is None or R.former.match(text, end):
                continue
            name = normalise_name(text[m.start("name"):end])
            place_tier = "province" if tier == "district" and name in R.central_cities else tier
            found.append(Place(place_tier, level, name, m.start(), end))
    found.sort(key=lambda p: (p.start, -p.end))
    kept = []
    for place in found:
        if not kept or place.start >= kept[-1].end:
            kept.append(place)
    return kept


def read_period(text: str) -> str | None:
    """The period a title phrase covers: "year", "6 months", "quarter 2", "month 3"."""
    R = _rules()
    for period, pattern in R.periods:
        m = pattern.search(text)
        if m:
            return period.replace("{n}", str(_number(m.group("n")))) if "n" in m.groupdict() else period
    return None


def _lines(text: str) -> list[str]:
    """Non-blank lines, NFC, legacy glyphs mapped, whitespace collapsed."""
    R = _rules()
    text = unicodedata.normalize("NFC", text)
    for glyph, replacement in R.glyphs.items():
        text = text.replace(glyph, replacement)
    lines = (" ".join(line.split()) for line in regex.split(r"\r\n|[\r\n\f\v\u2028\u2029]", text))
    return [line for line in lines if line]


def _has_lowercase(line: str) -> bool:
    return any(ch.islower() for ch in line)


def _top_end(lines: list[str]) -> int:
    """Index of the first line of the body: the first heading, or a title's length after its start."""
    R = _rules()
    for i, line in enumerate(lines[:TOP_LINES]):
        if i and R.title_end.match(line):
            return i
    start = next((i for i, line in enumerate(lines[:TOP_LINES]) if R.title_start.match(line)), None)
    return min(len(lines), start + TITLE_LINES if start is not None else HEADER_LINES)


def _read_top(lines: list[str]) -> Top:
    """Header places, document number, date line and title from the lines above the first heading."""
    R = _rules()
    top = Top()
    segments = [s.strip() for line in lines for s in R.boilerplate.split(line)]
    segments = [s for s in segments if regex.search(r"[\p{L}\d]", s)]
    marker = next((i for i, s in enumerate(segments) if R.title_start.match(s)), None)
    title = []
    for i, segment in enumerate(segments):
        number = R.document_number.match(segment)
        if number and top.document_number is None:
            top.document_number = regex.sub(r"\s", "", number.group("number")).rstrip(".")
        dated = R.date_line.search(segment)
        if dated and top.report_date is None:
            top.report_date = _iso_date(dated)
        if number or dated:
            continue
        if i == marker:
            title.append(segment[R.title_start.match(segment).end():])
            continue
        header = _header_place(segment)
        if header:
            top.places.append(header)
        elif marker is None or i > marker:
            title.append(segment)
    top.title = " ".join(" ".join(title).split())
    return top


def _header_place(segment: str) -> Place | None:
    """The place a header line is all about: "UBND PHƯỜNG LÊ LỢI", "PHƯỜNG HÒA BÌNH"."""
    R = _rules()
    authority = R.authority.match(segment)
    rest = segment[authority.end():] if authority else segment
    found = places(rest)
    if found and found[0].start == 0 and found[0].end == len(rest.rstrip(" .,;:")):
        return found[0]
    return None


def _name_end(text: str, m) -> int | None:
    """End of the name a level word is followed by: capitalised syllables, up to the first that is not."""
    R = _rules()
    base, end = m.start("name"), None
    for i, w in enumerate(NAME_WORD.finditer(m.group("name"))):
        word = w.group()
        if word.isdigit():
            # "Phường 12" is a numbered ward; "phường 10 tổ dân phố" is a count
            return base + w.end() if i == 0 and m.group("level")[0].isupper() else None
        if not R.name_word.match(word):
            break
        if i and ((word.isupper() and word.lower() in R.stop_words) or R.any_level.match(text, base + w.start())):
            break
        end = base + w.end()
    return end


def _places_with_apposition(text: str, source: str) -> list[tuple[int, Place]]:
    """The places of a text, each weighted by its source, or as an apposition to a smaller unit."""
    R = _rules()
    weighted = []
    found = places(text)
    for previous, place in zip([None, *found], found):
        weight = WEIGHTS[source]
        if (previous and TIERS.index(previous.tier) < TIERS.index(place.tier)
                and R.apposition.fullmatch(text, previous.end, place.start)):
            weight = max(weight, WEIGHTS["apposition"])
        weighted.append((weight, place))
    return weighted


def _body_places(body: list[str]) -> list[tuple[int, Place]]:
    """Places named in the body's mixed-case paragraphs (all-caps text tells no name from its neighbours)."""
    R = _rules()
    weighted, source = [], "body"
    for paragraph in body:
        if R.recipients.match(paragraph):
            source = "recipients"
        if _has_lowercase(paragraph):
            weighted += _places_with_apposition(paragraph, source)
    return weighted


def _choose_unit(header: list[Place], session: dict | None, title: list, body: list) -> Place | None:
    """The unit the report is from: the header's, else the session's council's, the title's, the body's."""
    for place in header:
        if place.tier == "unit":
            return place
    if session and session["place"]:
        return session["place"]
    for _, place in title:
        if place.tier == "unit":
            return place
    counts = Counter((p.level, p.name) for _, p in body if p.tier == "unit")
    if not counts:
        return None
    (level, name), _ = counts.most_common(1)[0]
    return next(p for _, p in body if (p.level, p.name) == (level, name))


def _choose(mentions: list[tuple[int, Place]], tier: str, flat: str) -> Place | None:
    """The best-attested place of a tier: by the strongest mention, then how often, then the name's own frequency."""
    best: dict[tuple[str, str], list] = {}
    for order, (weight, place) in enumerate(mentions):
        if place.tier != tier:
            continue
        key = (place.level, place.name)
        strongest, count, first, _ = best.get(key, (0, 0, order, place))
        best[key] = [max(strongest, weight), count + 1, first, place]
    if not best:
        return None
    ranked = max(best.values(), key=lambda b: (b[0], b[1], flat.count(b[3].name.lower()), -b[2]))
    return ranked[3]


def _best_session(texts: list[str]) -> dict | None:
    """The council session named with the most detail (council, unit, term), the first of equals."""
    found = [s for text in texts for s in _sessions(text)]
    return max(found, key=lambda s: (s["place"] is not None, s["council_term"] is not None, s["council"]),
               default=None)


def _sessions(text: str):
    """Every "kỳ họp thứ N" of the text, with the council, its unit and its term when they follow."""
    R = _rules()
    for head in R.session_head.finditer(text):
        pieces, end, place, council = [head.group()], head.end(), None, False
        m = R.session_council.match(text, end)
        if m:
            council, end = True, m.end()
            pieces.append(m.group("council"))
            level = R.unit_level_word.match(text, end)
            named = [p for p in places(text[end:end + 120]) if p.tier == "unit"]
            if named and text[end:end + named[0].start].isspace():
                place = named[0]
                pieces.append(text[end + named[0].start:end + named[0].end])
                end += named[0].end
            elif level:
                pieces.append(level.group("level"))
                end = level.end()
        term = R.session_term.match(text, end)
        if term:
            pieces.append(term.group("written"))
        yield {"session": " ".join(" ".join(pieces).split()), "session_number": _number(head.group("number")),
               "council_term": regex.sub(r"\s", "", term.group("term")) if term else None,
               "council": council, "place": place}


def _first_year(text: str) -> int | None:
    m = _rules().year.search(text)
    return int(m.group()) if m else None


def _report_kind(title: str) -> str | None:
    return next((kind for kind, pattern in _rules().kinds if pattern.search(title)), None)


def _date_in_body(lines: list[str]) -> str | None:
    """A date line that stands alone below the title (some reports date themselves at the end)."""
    R = _rules()
    for line in lines:
        m = R.date_line.fullmatch(line.rstrip(" .,;"))
        if m:
            return _iso_date(m)
    return None


def _iso_date(m) -> str | None:
    try:
        return date(int(m.group("year")), int(m.group("month")), int(m.group("day"))).isoformat()
    except ValueError:        # "ngày 31 tháng 02": a slip, not a date
        return None


def _number(written: str) -> int:
    """A count written in digits, a Roman numeral or a number word: "8", "VIII", "Sáu"."""
    if written.isdigit():
        return int(written)
    words = _rules().number_words
    if written.lower() in words:
        return words[written.lower()]
    values = [ROMAN[ch] for ch in written.upper()]
    return sum(-v if v < after else v for v, after in zip(values, values[1:] + [0]))
