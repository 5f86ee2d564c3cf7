"""Figures stage: a spaCy component that finds every figure in the cleaned text.

Takes a Doc of cleaned text (with `doc.user_data["excluded"]`, spans that hold no figure, such as
heading numbers); gives `doc.spans["figures"]`, each span carrying a Figure in `span._.figure`.
Patterns come from rules/figures.yaml and rules/skip.yaml, the unit vocabulary from rules/units.yaml
(matched with a PhraseMatcher), qualifiers from rules/qualifiers.yaml.
"""
import bisect
from dataclasses import dataclass, field

import regex
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from . import numbers
from . import rulebook as rules
from .nlp import sentence_starts
from .scan import Scanner, Words, first_after, zero_width

MOVED_GAP = 40   # a jump this long in the source between two cleaned characters: a footnote body moved away
NUMBER_GROUPS = ("value", "value2", "value_max", "num", "num_max", "den")   # a rule's groups that hold numbers
# a rule that starts with a number as written: lookarounds, then a group of {NUM}, then the rest
NUMBER_LED = regex.compile(r"(?P<before>.*?)\(\?P<\w+>\{NUM\}\)(?P<after>.*)", regex.S)


@dataclass
class Figure:
    kind: str
    start: int                      # offsets in the cleaned text
    end: int
    rule: str
    value: float | None = None
    value_max: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    unit: str | None = None
    approx: str | None = None
    decimals: int | None = None
    in_words: float | None = None
    number_spans: list[tuple[int, int]] = field(default_factory=list)


def unit_head(unit: str | None) -> str | None:
    """The head noun of a unit ("hộ" of "hộ kinh doanh"): two figures with one head count the same thing."""
    return unit.split()[0].lower() if unit else None


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


class Mask:
    """Characters of the text already covered (by a skip rule, or by a figure found earlier)."""

    def __init__(self, length: int, spans=()):
        self.covered = bytearray(length)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self.covered[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self.covered.find(1, start, end) != -1


class Follow:
    """Which characters may follow a number (past white space) where a rule that starts with it goes on."""

    def __init__(self, first: regex.Pattern | None):
        self.first = first
        self.known: dict[str, bool] = {}

    def allows(self, char: str | None) -> bool:
        if self.first is None:
            return True
        if char not in self.known:
            self.known[char] = char is not None and self.first.fullmatch(char) is not None
        return self.known[char]

    def matches(self, pattern: regex.Pattern, text: str, numbers: dict[str | None, list[int]]) -> list:
        """The matches PATTERN.finditer(text) gives, for a pattern whose every match starts with a number of
        NUMBERS (their starts by the character after them past white space, as FigureRules.numbers gives)."""
        starts = [numbers[char] for char in numbers if self.allows(char)]
        starts = starts[0] if len(starts) == 1 else sorted(s for some in starts for s in some)
        found, position, match = [], 0, pattern.match
        for start in starts:
            if start < position:
                continue
            m = match(text, start)
            if m is not None:
                found.append(m)
                position = m.end()
        return found


class FigureRules:
    """rules/figures.yaml, skip.yaml, units.yaml and qualifiers.yaml, compiled."""

    def __init__(self):
        figures, units = rules.load("figures"), rules.load("units")
        currency = units["currency"]
        cur = f"(?:{_alternation(currency['words'])})(?![\\p{{L}}\\d])(?!\\s*(?:{_alternation(currency['not_followed_by'])})(?![\\p{{L}}]))"
        macros = dict(figures["macros"])
        not_scale = f"(?!\\s+(?:{_alternation(numbers.NOT_SCALE_BEFORE)})(?![\\p{{L}}]))"
        scale = f"(?:{_alternation(numbers.SCALE_WORDS)})(?![\\p{{L}}]){not_scale}"
        macros["SCALE"] = f"(?:{scale}(?:\\s+{scale})*)"
        macros["BARE_SCALE"] = f"(?:(?:{scale}\\s+)*(?:{_alternation(units['bare_money_scales'])}))"
        macros["CUR"] = cur
        macros["NUMBER_WORD"] = f"(?:{_alternation(numbers.NUMBER_WORDS)})(?![\\p{{L}}]){not_scale}"

        def expand(pattern: str) -> str:
            for name, body in macros.items():
                pattern = pattern.replace("{" + name + "}", body)
            return pattern
        # the numbers as written, found once: a rule that starts with one is tried only at them, and only
        # where what follows the number can begin the rest of the rule
        self.number = regex.compile(expand("{NUM}") + r"(?:(?=\s*(\S))|)")
        self.rules = []
        for spec in figures["rules"]:
            scanner = Scanner(regex.compile(expand(spec["pattern"])))
            numbers_of = tuple(g for g in NUMBER_GROUPS if g in scanner.pattern.groupindex)
            led = NUMBER_LED.fullmatch(spec["pattern"])
            follow = None
            if led and zero_width(expand(led["before"])):
                follow = Follow(first_after(expand(led["after"])))
            self.rules.append((spec, scanner, numbers_of, follow))
        self.skip = [(s["name"], Scanner(regex.compile(s["pattern"]))) for s in rules.load("skip")["rules"]]
        # the words the skip rules and the rules not led by a number start with, found in one pass per text
        self.words = Words([scanner for _, scanner in self.skip]
                           + [scanner for _, scanner, _, follow in self.rules if follow is None])
        self.units = {"count": units["count"], "quantity": units["quantity"]}
        self.fillers = units["fillers"]
        q = rules.load("qualifiers")
        self.before = q["before"]
        # (phrase, its number of words, qualifier), in the rules' order
        self.governing = [(phrase, len(phrase.split()), value) for phrase, value in q["governing"]["phrases"].items()]
        self.governing_window = q["governing"]["window"]
        self.after = q["after"]
        after = rules.load("figures")["after"]
        self.percent_link = regex.compile(after["percent_link"]["pattern"], regex.I)
        self.in_words = regex.compile(after["amount_in_words"]["pattern"], regex.I)
        spec = rules.load("figures")["not_ratios"]
        self.not_ratios = {"day_month": regex.compile(spec["day_month"]), "year": regex.compile(spec["year"]),
                           "max_day": spec["max_day"], "max_month": spec["max_month"],
                           "date_before": regex.compile(spec["date_before"])}
        self.per_unit = regex.compile(r"(?:\s*/\s*\p{L}+)+")
        self.count_slash = regex.compile(figures["count_ratio"]["slash"])
        self.count_bases = set(figures["count_ratio"]["bases"])
        grammar = units["count_grammar"]
        self.not_nouns = set(grammar["not_nouns"]) | {w.lower() for w in currency["words"]}   # "đồng": money
        self.classifiers = set(grammar["classifiers"])
        self.max_syllables = grammar["max_syllables"]
        self.after_classifier = grammar["after_classifier"]

    def numbers(self, text: str) -> dict[str | None, list[int]]:
        """Where the numbers as written start, by the character after each past white space (None at the end)."""
        by_next: dict[str | None, list[int]] = {}
        for m in self.number.finditer(text):
            by_next.setdefault(m.group(1), []).append(m.start())
        return by_next


class FigureExtractor:
    """The `ward_figures` component."""

    def __init__(self, nlp: Language):
        self.rules = FigureRules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, phrases in self.rules.units.items():
            self.matcher.add(kind, list(nlp.tokenizer.pipe(phrases)))
        self.filler_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.filler_matcher.add("filler", list(nlp.tokenizer.pipe(self.rules.fillers)))
        if not Span.has_extension("figure"):
            Span.set_extension("figure", default=None)

    def __call__(self, doc: Doc) -> Doc:
        figures = self.extract(doc)
        spans = []
        for fig in figures:
            span = doc.char_span(fig.start, fig.end, label=fig.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.figure = fig
            spans.append(span)
        doc.spans["figures"] = spans
        return doc

    # --- the tokens around a number -------------------------------------------------------------
    def _units_by_start(self, doc: Doc) -> dict[int, tuple[int, str]]:
        by_start: dict[int, tuple[int, str]] = {}
        for match_id, start, end in self.matcher(doc):
            kind = doc.vocab.strings[match_id]
            if start not in by_start or end > by_start[start][0]:
                by_start[start] = (end, kind)
        return by_start

    def unit_after(self, doc: Doc, text: str, char: int, token_starts, units, fillers,
                   grammar: bool = False) -> tuple[str, str, int] | None:
        """(unit text, count|quantity, end char) of the unit phrase starting right after CHAR: a unit of
        rules/units.yaml, or with GRAMMAR any noun phrase (a count)."""
        i = bisect.bisect_left(token_starts, char)
        if i >= len(doc):
            return None
        gap = text[char:doc[i].idx]
        if gap.strip():
            return None
        if i in fillers and fillers[i] in units:
            i = fillers[i]
        if i not in units:
            return self.noun_phrase(doc, i) if grammar and "\n" not in gap else None
        end, kind = units[i]
        if grammar and end == i + 1 and doc[i].lower_ in self.rules.classifiers:
            phrase = self.noun_phrase(doc, i)        # "con" listed, "con bò sữa" written
            if phrase:
                return phrase[0], kind, phrase[2]
        span = doc[i:end]
        unit, stop = span.text, span.end_char
        per = self.rules.per_unit.match(text, stop)
        if per and kind == "quantity":
            unit, stop = unit + per.group().replace(" ", ""), per.end()
        return unit, kind, stop

    def noun_phrase(self, doc: Doc, i: int) -> tuple[str, str, int] | None:
        """The counted noun phrase that starts at token I (rules/units.yaml count_grammar), if one does."""
        rules_ = self.rules

        def noun_word(k: int) -> bool:
            word = doc[k].text
            return word[:1].islower() and word.isalpha() and word not in rules_.not_nouns

        if not noun_word(i):
            return None
        longest = rules_.after_classifier if doc[i].text in rules_.classifiers else rules_.max_syllables
        end = i + 1
        while end < len(doc) and end - i < longest and not doc[end - 1].whitespace_.count("\n") \
                and doc[end - 1].whitespace_ and noun_word(end):
            end += 1
        span = doc[i:end]
        return span.text, "count", span.end_char

    def qualifier(self, lowers: list[str], sent_starts: list[int], start_char: int, end_char: int, token_starts,
                  number_tokens) -> str | None:
        i = bisect.bisect_left(token_starts, start_char)
        words = lowers[max(0, i - 3):i]
        for n in (2, 1):
            phrase = " ".join(words[-n:]) if len(words) >= n else None
            if phrase in self.rules.before:
                return self.rules.before[phrase]
        j = bisect.bisect_left(token_starts, end_char)
        after = " ".join(lowers[j:j + 2])
        if after in self.rules.after:
            return self.rules.after[after]
        sent_start = sent_starts[bisect.bisect_right(sent_starts, i) - 1] if sent_starts else 0
        lo = max(sent_start, i - self.rules.governing_window - 3)
        for k in range(i - 1, lo - 1, -1):
            if k in number_tokens:
                return None
            if i - (k + 1) > self.rules.governing_window:
                continue
            for phrase, n, value in self.rules.governing:
                if k - n + 1 >= lo and " ".join(lowers[k - n + 1:k + 1]) == phrase:
                    return value
        return None

    # --- the rules ------------------------------------------------------------------------------
    def extract(self, doc: Doc) -> list[Figure]:
        # the text the doc was made from, when the caller kept it: Doc.text rebuilds it token by token
        text = doc.user_data.get("text") or doc.text
        token_starts = doc.to_array("IDX").tolist()
        units = self._units_by_start(doc)
        fillers = {}
        for _, start, end in self.filler_matcher(doc):
            if end > fillers.get(start, -1):
                fillers[start] = end
        places = self.rules.words.places(text)
        skipped = Mask(len(text), doc.user_data.get("excluded", []))
        for _, scanner in self.rules.skip:
            for m in scanner.finditer(places):
                skipped.add(*m.span())
        taken = Mask(len(text))
        found: list[Figure] = []
        numbers_at = self.rules.numbers(text)
        for spec, scanner, numbers_of, follow in self.rules.rules:
            matches = scanner.finditer(places) if follow is None else follow.matches(scanner.pattern, text, numbers_at)
            for m in matches:
                if taken.overlaps(*m.span()):
                    continue
                number_spans = [m.span(g) for g in numbers_of if m.group(g) is not None]
                if any(skipped.overlaps(*s) for s in number_spans):
                    continue
                fig = self.build(spec, m, doc, token_starts, units, fillers)
                if fig is None:
                    continue
                fig.number_spans = number_spans
                taken.add(fig.start, fig.end)
                found.append(fig)
        found = self.count_ratios(text, found)
        number_tokens = set()
        for fig in found:
            for s, e in fig.number_spans:
                number_tokens.update(range(bisect.bisect_left(token_starts, s), bisect.bisect_left(token_starts, e)))
        strings = doc.vocab.strings
        lowers = [strings[h] for h in doc.to_array("LOWER").tolist()]
        sent_starts = sentence_starts(doc)
        for fig in found:
            s = fig.number_spans[0][0]
            core_end = fig.number_spans[-1][1]
            fig.approx = self.qualifier(lowers, sent_starts, s, fig.end if fig.kind in ("count", "quantity") else core_end,
                                        token_starts, number_tokens)
            if fig.kind == "money":
                words = self.rules.in_words.match(text, fig.end)
                if words:
                    try:
                        fig.in_words = float(numbers.read_amount(words.group("words")))
                    except ValueError:
                        pass
        found.sort(key=lambda f: f.start)
        return found

    def count_ratios(self, text: str, found: list[Figure]) -> list[Figure]:
        """Two counts across a slash that make one ratio (rules/figures.yaml count_ratio)."""
        found.sort(key=lambda f: f.start)
        merged: list[Figure] = []
        for fig in found:
            last = merged[-1] if merged else None
            if last is not None and last.kind == fig.kind == "count" and last.value_max is None \
                    and self.rules.count_slash.fullmatch(text, last.end, fig.start) \
                    and (unit_head(last.unit) == unit_head(fig.unit) or fig.value in self.rules.count_bases):
                merged[-1] = Figure("ratio", last.start, fig.end, "count_ratio", numerator=last.value,
                                    denominator=fig.value, unit=last.unit,
                                    number_spans=last.number_spans + fig.number_spans)
                continue
            merged.append(fig)
        return merged

    def build(self, spec: dict, m, doc: Doc, token_starts, units, fillers) -> Figure | None:
        kind, name = spec["kind"], spec["name"]
        g = m.groupdict()
        if kind in ("percent", "per_mille"):
            digits = "".join(g["value"].split())        # "63, 7%": a stray space after the decimal comma
            value = numbers.parse_digits(digits, "percent")
            fig = Figure(kind, m.start(), m.end(), name, value=float(value), unit="%" if kind == "percent" else "‰",
                         decimals=numbers.decimals_written(digits, "percent"))
            if g.get("value_max"):
                fig.value_max = float(numbers.parse_digits(g["value_max"], "percent"))
            return fig
        if kind == "money":
            amount = " ".join(x for x in (g.get("value"), g.get("scale"), g.get("value2"), g.get("scale2")) if x)
            value = numbers.read_amount(amount)
            if g.get("value_max"):
                # "4- 5 triệu đồng": a scale written once serves both ends of the range
                scale_max = g.get("scale_max") or g.get("scale")
                high = numbers.read_amount(" ".join(x for x in (g["value_max"], scale_max) if x))
                low = numbers.read_amount(" ".join(x for x in (g["value"], g.get("scale") or scale_max) if x))
                cur = g["cur"] + (g.get("per") or "").replace(" ", "")
                unit = f"{scale_max or ''} {cur}".strip()
                return Figure(kind, m.start(), m.end(), name, value=float(low), value_max=float(high), unit=unit)
            scale_words = " ".join(x for x in (g.get("scale2") or g.get("scale"),) if x)
            if spec.get("unit_turns_count"):
                unit = self.unit_after(doc, m.string, m.end(), token_starts, units, fillers)
                if unit:
                    return Figure(unit[1], m.start(), unit[2], name, value=float(value), unit=unit[0])
                return Figure(kind, m.start(), m.end(), name, value=float(value), unit=scale_words)
            cur = g["cur"] + (g.get("per") or "").replace(" ", "")
            unit = f"{scale_words} {cur}".strip()
            return Figure(kind, m.start(), m.end(), name, value=float(value), unit=unit)
        if kind == "ratio":
            return self.build_ratio(spec, m, doc, token_starts, units, fillers)
        # count / quantity: the unit decides
        if spec.get("words"):
            return self.build_in_words(spec, m, doc, token_starts, units, fillers)
        unit = self.unit_after(doc, m.string, m.end(), token_starts, units, fillers, grammar=True)
        if unit is None:
            return None
        fig = Figure(unit[1], m.start(), unit[2], name, value=float(self.count_value(g["value"], g.get("scale"))),
                     unit=unit[0])
        if g.get("value_max"):
            fig.value_max = float(self.count_value(g["value_max"], g.get("scale")))
        return fig

    @staticmethod
    def count_value(digits: str, scale: str | None):
        return numbers.read_amount(f"{digits} {scale}") if scale else numbers.parse_digits(digits, "integer")

    def build_in_words(self, spec, m, doc, token_starts, units, fillers) -> Figure | None:
        words = " ".join(m.group("value").lower().split())
        after = spec["alone_after"].get(words)
        occurs = after is not None and regex.search(after + r"\s*$", m.string[max(0, m.start() - 40):m.start()], regex.I)
        if words in spec["not_alone"] and not occurs:
            return None
        unit = self.unit_after(doc, m.string, m.end(), token_starts, units, fillers,
                               grammar=words not in spec["listed_units_only"] and not occurs)
        if unit is None or unit[1] != "count" or unit[0].lower() in spec["idioms"].get(words, ()):
            return None
        try:
            value = numbers.read_words(words)
        except ValueError:
            return None
        return Figure("count", m.start(), unit[2], spec["name"], value=float(value), unit=unit[0])

    def build_ratio(self, spec, m, doc, token_starts, units, fillers) -> Figure | None:
        g = m.groupdict()
        scale = g.get("scale") or g.get("num_scale")
        num_text = g["num"] + (" " + scale if scale else "")
        den_text = g["den"] + (" " + (g.get("scale") or g.get("den_scale")) if (g.get("scale") or g.get("den_scale")) else "")
        num, den = numbers.read_amount(num_text), numbers.read_amount(den_text)
        unit = None
        end = m.end()
        if g.get("cur"):
            unit = " ".join(x for x in (g.get("scale") or g.get("den_scale"), g["cur"]) if x)
        not_ratios = self.rules.not_ratios
        plain = all(not_ratios["day_month"].fullmatch(x) for x in (g["num"], g["den"]))
        date_like = plain and int(g["num"]) <= not_ratios["max_day"] and 1 <= int(g["den"]) <= not_ratios["max_month"]
        if not g.get("cur"):
            # a listed unit makes even "20/11" a ratio; any noun phrase does where no date word or holiday's
            # name stands before it
            dated = date_like and bool(not_ratios["date_before"].search(m.string, max(0, m.start() - 25), m.start()))
            after = self.unit_after(doc, m.string, m.end(), token_starts, units, fillers, grammar=not dated)
            if after:
                unit, end = after[0], after[2]
        linked = bool(self.rules.percent_link.match(m.string, m.end()))
        if date_like and unit is None and not linked:
            return None      # a day/month date ("20/11", "2/9"), not a ratio
        if all(not_ratios["year"].fullmatch(x) for x in (g["num"], g["den"])):
            return None      # a pair of years
        fig = Figure("ratio", m.start(), end, spec["name"], numerator=float(num), denominator=float(den), unit=unit)
        if g.get("num_max"):
            fig.value_max = float(numbers.read_amount(g["num_max"]))
        return fig


@Language.factory("ward_figures")
def make_figure_extractor(nlp: Language, name: str) -> FigureExtractor:
    return FigureExtractor(nlp)


def source_span(cleaned, fig: Figure) -> tuple[int, int]:
    """Source offsets of a figure; a span that would swallow a moved footnote body stops before it."""
    start, end = fig.start, fig.end
    for k in range(start, end - 1):
        if cleaned.starts[k + 1] - cleaned.ends[k] > MOVED_GAP:
            end = k + 1
            break
    return cleaned.source_span(start, end)

