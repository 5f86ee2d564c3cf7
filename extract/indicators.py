"""Indicators stage: what each figure measures, as a statistician would file it.

Takes the cleaned text, its sentence spans, the figures (cleaned offsets, kind, unit, section titles; a
table cell's row label and column header) and the report's metadata; gives per figure its indicator,
measure, period and the phrase the indicator was recognised from. The vocabulary is rules/indicators.yaml.
"""
import bisect
from dataclasses import dataclass, replace
from functools import cache

import regex

from . import rulebook as rules
from .scan import Scanner, Words

COLUMNS = ("indicator", "measure", "period", "indicator_phrase", "indicator_part")
NONE = dict.fromkeys(COLUMNS)
PLAN_AND_CHANGE = {"share_of_plan", "over_plan", "change"}   # measures any indicator may give a percentage of
CHAIN_BACK = 4       # sentences a list item may look back for its lead-in
YEAR = regex.compile(r"\d{4}")


@dataclass(frozen=True)
class Phrase:
    entry: str            # the rules entry that recognised it
    indicator: str
    start: int
    end: int
    text: str
    part: bool = False    # it names the whole of a list whose item the figure is: the figure states a part of it


@dataclass(frozen=True)
class Entry:
    name: str
    indicator: str
    kinds: frozenset
    patterns: tuple       # Scanners of the phrases' patterns
    units: object         # compiled pattern or None
    share: str | None
    report_levels: frozenset | None
    unit: str | None = None       # the unit its value is normalised to ('%' for a rate)


class IndicatorRules:
    """rules/indicators.yaml, compiled."""

    def __init__(self):
        spec = rules.load("indicators")
        flags = regex.I | regex.V1
        self.spelling = spec["spelling"]
        self.fold_pattern = regex.compile("(?:" + "|".join(map(regex.escape, self.spelling)) + r")(?!\p{L})")
        by_id = {i["id"]: i for i in spec["indicators"]}
        self.entries = []
        for item in spec["indicators"]:
            base = by_id[item.get("same_as", item["id"])]
            units = item.get("units", base.get("units"))
            self.entries.append(Entry(
                name=item["id"], indicator=base["id"], kinds=frozenset(base["kinds"]),
                patterns=tuple(Scanner(regex.compile(p, flags)) for p in item["phrases"]),
                units=regex.compile(units, flags) if units else None,
                share=item.get("share", base.get("share")),
                report_levels=frozenset(item["report_levels"]) if item.get("report_levels") else None,
                unit=base.get("unit")))
        self.indicators = {e.indicator: e for e in self.entries if e.name == e.indicator}
        self.words = Words([pattern for entry in self.entries for pattern in entry.patterns])
        # per indicator: whether its ratios count a part, and the words that name a part of its whole
        self.parts = {i["id"]: (bool(i["parts"].get("ratio")),
                                [regex.compile(p, flags) for p in i["parts"].get("phrases", [])])
                      for i in spec["indicators"] if i.get("parts")}
        self.tie = regex.compile(spec["tie"]["pattern"], flags)
        self.plan_ratio = regex.compile(spec["plan_ratio"]["units"], flags)
        # a ratio or a count and the percentage the checks tie to it a few words later carry one indicator
        checks = rules.load("checks")
        self.ratio_tie = regex.compile(checks["ratio_percent"]["pattern"], flags)
        self.count_tie = regex.compile(checks["implied_denominator"]["pattern"], flags)
        self.clause_end = regex.compile(spec["clause_end"], flags)
        self.clause_start = regex.compile(spec["clause_start"], flags)
        self.percent_of = regex.compile(spec["percent_of"], flags)
        self.part_list = regex.compile(spec["part_list"]["pattern"], flags)
        self.list_item = regex.compile(spec["list_item"]["gap"], regex.V1)
        self.sentence_end = regex.compile(spec["sentence_end"], flags)
        self.own_rate = regex.compile(spec["own_rate"]["pattern"], flags)
        self.bare_rate = regex.compile(spec["own_rate"]["bare"], flags)
        self.plan_after = regex.compile(next(m["after"] for m in spec["measures"] if m["id"] == "share_of_plan"), flags)
        self.measures = [(m["id"], regex.compile(m["before"], flags) if m.get("before") else None,
                          regex.compile(m["after"], flags) if m.get("after") else None,
                          bool(m.get("both")), m.get("near", True), set(m["kinds"])) for m in spec["measures"]]
        # cues that measure, from earlier in its sentence, a figure whose own clause has none
        self.sentence_measures = [(m["id"], regex.compile(m["sentence"], flags), set(m["kinds"]))
                                  for m in spec["measures"] if m.get("sentence")]
        self.tasks_section = regex.compile(spec["tasks_section"], flags)
        self.later_part = regex.compile(spec["later_part"], flags)
        self.table_columns = [(c["measure"], regex.compile(c["pattern"], flags)) for c in spec["table_columns"]]
        self.periods = [(regex.compile(p["pattern"], flags), p) for p in spec["periods"]]
        self.period_base = regex.compile(spec["period_base"], flags)
        self.carried_period = regex.compile(spec["carried_period"]["pattern"], flags)
        self.carrying = frozenset(spec["carried_period"]["indicators"])
        self.prior_base = regex.compile(spec["prior_base"]["pattern"], flags)
        self.report_periods = spec["report_periods"]

    def fold(self, text: str) -> str:
        """The text with one spelling of each tone placement at a syllable's end (hoá is hóa, but hoạch
        stays); every replacement keeps the length."""
        return self.fold_pattern.sub(lambda m: self.spelling[m.group()], text)

    def phrases(self, text: str, unit_level: str | None) -> list[Phrase]:
        """Every indicator phrase of the (folded) text, in order."""
        found = []
        places = self.words.places(text)
        for entry in self.entries:
            if entry.report_levels is not None and unit_level not in entry.report_levels:
                continue
            for pattern in entry.patterns:
                found.extend(Phrase(entry.name, entry.indicator, m.start(), m.end(), m.group())
                             for m in pattern.finditer(places) if m.end() > m.start())
        return sorted(found, key=lambda p: (p.start, -p.end))

    def fits(self, indicator: str, fig: dict, measure: str | None = None, part: bool = False) -> bool:
        """Whether a figure of this kind and unit can carry the indicator (PART: as an item of a list of its
        parts, which may name only the indicator's unit: '+ Thương mại: 1.491 hộ')."""
        entry = self.indicators[indicator]
        kind = fig["kind"]
        if kind == "percent" and measure in PLAN_AND_CHANGE:
            return True
        if kind not in entry.kinds:
            return False
        if kind in ("count", "quantity", "ratio") and entry.units is not None and fig.get("unit"):
            unit = " ".join(fig["unit"].split())
            # a change or an earlier value may name only the head of the noun ('36 hộ kinh doanh, tăng 8 hộ')
            return bool(entry.units.search(unit)) or ((part or measure in ("change", "prior")) and unit == entry.unit)
        return True

    def states_part(self, indicator: str, kind: str, phrase: str | None) -> bool:
        """Whether a figure of this indicator, of this kind and recognised from PHRASE, states only a part of
        the indicator's whole (graduates among pupils, cases solved among those that occurred): no value of
        the indicator's own."""
        ratio, words = self.parts.get(indicator, (False, []))
        if kind == "ratio" and ratio:
            return True
        folded = self.fold(phrase or "")
        return any(w.search(folded) for w in words)

    def period_in(self, text: str, year: int | None) -> list[tuple[int, int, str]]:
        """The periods stated in TEXT as (start, end, period), those that are a comparison's base left out."""
        found = []
        for pattern, spec in self.periods:
            for m in pattern.finditer(text):
                if any(s < m.end() and m.start() < e for s, e, _ in found):
                    continue
                if self.period_base.search(text[max(0, m.start() - 30):m.start()]):
                    continue
                found.append((m.start(), m.end(), self.period_form(m, spec, year)))
        return sorted(found)

    def title_periods(self, title: str, year: int | None) -> list[tuple[int, int, str]]:
        """The periods a section title or a column header states (period_in on its folded lower case)."""
        return self.period_in(self.fold(title.lower()), year)

    def period_form(self, m, spec: dict, year: int | None) -> str:
        values = {k: (v or "") for k, v in m.groupdict().items()}
        n = values.get("n", "")
        if n.lower() in spec.get("words", {}):
            values["n"] = str(spec["words"][n.lower()])
        elif spec.get("roman") and n.upper() in ROMAN:
            values["n"] = ROMAN[n.upper()]
        if "y" in values and not values["y"] and year:
            values["y"] = str(year)
        values["year"] = str(year) if year else ""
        return " ".join(spec["form"].format(**values).split()).lower()

    def earlier(self, period: str, before: str) -> str:
        """The period an earlier value is about: the same span in the year its comparison names right before
        it (BEFORE: its sentence up to it), else a year before PERIOD."""
        named = self.prior_base.search(before)
        if named:
            last = list(YEAR.finditer(period))[-1:]
            return period[:last[0].start()] + named.group("year") + period[last[0].end():] if last else period
        return YEAR.sub(lambda m: str(int(m.group()) - 1), period)

    def report_period(self, period: str | None, year: int | None) -> str | None:
        if not year:
            return None
        for code, form in self.report_periods.items():
            pattern = regex.escape(code).replace(regex.escape("{n}"), r"(?P<n>\d+)")
            m = regex.fullmatch(pattern, period or "year")
            if m:
                return form.format(year=year, **m.groupdict())
        return self.report_periods["year"].format(year=year)


ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}


@cache
def indicator_rules() -> IndicatorRules:
    return IndicatorRules()


def measure_figures(text: str, sentences: list[tuple[int, int]], figures: list[dict], report: dict) -> list[dict]:
    """Per figure (in the order given): indicator, measure, period and indicator_phrase, None where the
    text does not say what the figure measures.

    TEXT is the cleaned text; SENTENCES its sentence spans in order. A text figure is a dict with start,
    end (offsets in TEXT), kind, unit, sections (the titles of its section and those above it) and, when the
    checks show it to be a part of a whole stated before it, whole (the whole's index in FIGURES); a
    table cell has row_label and col_header instead of offsets. REPORT gives unit_level, year and
    period (the documents table's metadata)."""
    r = indicator_rules()
    folded = r.fold(text)
    year = report.get("year")
    phrases = r.phrases(folded, report.get("unit_level"))
    phrase_starts = [p.start for p in phrases]
    sentence_starts = [s for s, _ in sentences]
    own_period = r.report_period(report.get("period"), year)
    # many figures share a sentence, a lead-in or a section: each one's periods are read once
    periods_in = cache(lambda start, end: r.period_in(folded[start:end], year))
    tasks_period_in = cache(lambda titles: tasks_period_of(r, titles, year))
    section_period_in = cache(lambda titles: section_period(r, titles, year))
    text_figures = sorted((i for i, f in enumerate(figures) if f.get("start") is not None and not f.get("row_label")),
                          key=lambda i: figures[i]["start"])
    found: dict[int, dict] = {}
    leads: dict[str, int] = {}      # per indicator, the last figure (no part, no percentage) that states it
    previous = None
    item = None                     # the last figure that is no percentage
    for i in text_figures:
        fig = figures[i]
        k = max(0, bisect.bisect_right(sentence_starts, fig["start"]) - 1)
        sentence = sentences[k] if sentences else (0, len(text))
        titles = tuple(fig.get("sections") or ())
        tasks_period = tasks_period_in(titles)
        gap = folded[previous[1]["end"]:fig["start"]] if previous is not None else None
        tied = previous is not None and fig["kind"] == "percent" and previous[1]["kind"] != "percent" \
            and previous[1]["end"] <= fig["start"] and bool(
                r.tie.fullmatch(gap) or (previous[1]["kind"] == "ratio" and r.ratio_tie.fullmatch(gap))
                or (previous[1]["kind"] == "count" and r.count_tie.fullmatch(gap)))
        measure = measure_of(r, folded, fig, sentence)
        if tied and found[previous[0]]["indicator"] is not None:
            result = dict(found[previous[0]])
            if measure not in PLAN_AND_CHANGE:
                # a ratio of money, or one whose denominator is named the plan ('120 đơn vị máu / 100 đơn vị máu
                # chỉ tiêu giao, đạt 120%'), is met against a plan
                measure = "share_of_plan" if previous[1]["kind"] == "ratio" and (
                    r.plan_ratio.search(" ".join((previous[1].get("unit") or "").split()))
                    or r.plan_after.match(gap)) else result["measure"]
                entry = r.indicators[result["indicator"]]
                if "percent" not in entry.kinds:
                    result["indicator"] = entry.share
            result["measure"] = measure
        else:
            phrase = find_phrase(r, folded, fig, sentence, sentences[max(0, k - CHAIN_BACK):k], phrases,
                                 phrase_starts, measure)
            if tied and phrase and (previous[1]["kind"] != "count" or measure in PLAN_AND_CHANGE
                                    or r.indicators[phrase.indicator].unit != "%"):
                # a share of a count that measures nothing ('58 ca suy dinh dưỡng / 614 trẻ được cân đo, chiếm
                # 9,45%') is only the rate its sentence names; a ratio that measures nothing keeps its share
                phrase = None
            result = {"indicator": phrase.indicator, "indicator_phrase": text[phrase.start:phrase.end],
                      "measure": measure, "indicator_part": phrase.part} if phrase else dict(NONE)
            whole = found.get(fig.get("whole"), NONE)
            if phrase is None and whole["indicator"] is not None:
                # a part the checks tie to its whole ('Trong đó: nông nghiệp 412,5 tỷ đồng; ...') measures what
                # the whole measures, in its own clause's measure
                result = {"indicator": whole["indicator"], "indicator_phrase": whole["indicator_phrase"],
                          "measure": measure, "indicator_part": True}
            elif phrase is None and item is not None and found[item[0]]["indicator"] is not None \
                    and (item[1]["kind"], item[1].get("unit")) == (fig["kind"], fig.get("unit")) \
                    and r.list_item.fullmatch(folded, item[1]["end"], fig["start"]):
                # the next item of a list of labelled counts ('Tốt 1.204 học sinh (33,1%), Khá 1.372 học sinh')
                # is a part of what the list counts
                result = {**found[item[0]], "measure": measure, "indicator_part": True}
            lead = leads.get(result["indicator"])
            if lead is not None and measure == "actual" and found[lead]["measure"] == "estimate" \
                    and not r.sentence_end.search(folded, figures[lead]["end"], fig["start"]):
                # what a sentence goes on to say of the indicator it estimates (its parts, the spending of each
                # kind after the total) is estimated too; a sentence of its own says what it says
                result["measure"] = "estimate"
        if result["indicator"] is None:
            result = dict(NONE)
        else:
            if tasks_period is not None:
                result["measure"] = "target"
            elif result["measure"] == "aim":
                result["measure"] = "plan"
            opens_parts = bool(r.part_list.match(folded, first_word(folded, sentence[0])))
            result["period"] = period_of(folded, fig, sentence, sentences[max(0, k - CHAIN_BACK):k], periods_in,
                                         opens_parts) \
                or (carried_period(r, folded, sentence[0], periods_in) if result["indicator"] in r.carrying else None) \
                or tasks_period or section_period_in(titles) \
                or own_period
            if result["measure"] == "prior" and result["period"]:
                result["period"] = r.earlier(result["period"], folded[sentence[0]:fig["start"]])
        found[i] = result
        if result["indicator"] is not None and not result.get("indicator_part") and fig["kind"] != "percent":
            leads[result["indicator"]] = i
        if fig["kind"] != "percent":
            item = (i, fig)
        previous = (i, fig)
    # a table's cells share their row labels and column headers: each one's phrases and periods read once
    label_phrases = cache(lambda label: r.phrases(label, report.get("unit_level")))
    header_periods = cache(lambda header: r.title_periods(header, year))
    for i, fig in enumerate(figures):
        if i not in found:
            found[i] = table_cell(r, fig, own_period, label_phrases, header_periods) if fig.get("row_label") \
                else dict(NONE)
    return [found[i] for i in range(len(figures))]


def find_phrase(r: IndicatorRules, text: str, fig: dict, sentence: tuple[int, int], lead_in: list,
                phrases: list[Phrase], phrase_starts: list[int], measure: str) -> Phrase | None:
    """The phrase that says what FIG measures: one in its own words (its unit and what follows up to the
    clause's end), else the nearest before it in its clause, else (for a bare number, or a clause that
    only compares or plans it) in its sentence or the clauses that run into it, else (for an item of a list
    of parts) the one that leads the list, marked as a part."""
    def fitting(start, end, within=True, part=False):
        lo = bisect.bisect_left(phrase_starts, start)
        hi = bisect.bisect_left(phrase_starts, end)
        return [p for p in phrases[lo:hi] if (p.end <= end or not within) and r.fits(p.indicator, fig, measure, part)]

    s_start, s_end = sentence
    after_end = clause_end(r, text, fig["end"], s_end)
    # its own words: a phrase that starts in its clause may run past the clause's end ('07 chỉ tiêu đạt và vượt')
    own = [p for p in fitting(max(s_start, fig["start"] - 60), after_end, within=False) if p.end > fig["start"]]
    if own:
        return own[0]
    after = text[fig["end"]:after_end]
    if fig["kind"] == "percent" and r.percent_of.match(after):
        return None        # a share of something its clause does not name as an indicator
    start = clause_start(r, text, s_start, fig["start"])
    # a phrase the clause's start cuts ('Đàn trâu, bò có 1.250 con', 'Tổng đàn gia súc, gia cầm ...') is whole
    # in the clause: the comma is inside the phrase, not between clauses
    i = bisect.bisect_left(phrase_starts, start) - 1
    while i >= 0 and phrases[i].start >= s_start and phrases[i].start > start - 80:
        if phrases[i].end > start:
            start = phrases[i].start
        i -= 1
    before = fitting(start, fig["start"])
    if before:
        return nearest(before)
    bare = fig["kind"] in ("ratio", "count", "quantity") and not fig.get("unit")
    # a count is compared when it is a change, an earlier value, or the plan in brackets after a share of it
    compared = measure in ("share_of_plan", "over_plan", "change", "plan", "prior") \
        and (fig["kind"] != "count" or measure in ("change", "prior")
             or measure == "plan" and text[s_start:fig["start"]].rstrip().endswith("("))
    # an item of a list of shares or numbers under a lead-in; a percentage whose clause names its own rate
    # that no phrase knows borrows none, but a rate named by no noun ('..., tỷ lệ 8,2%') is its subject's
    rate = r.own_rate.search(text, start, fig["start"])
    listed = bare or (fig["kind"] == "percent" and (not rate or r.bare_rate.fullmatch(text, rate.end(), fig["start"])))
    if bare or compared or listed:
        before = fitting(s_start, fig["start"])      # the lead-in and the items before it in the sentence
        if before:
            return nearest(before)
        for lead in continued(text, lead_in):
            before = fitting(*lead)
            if before:
                return nearest(before)
    # an item of a list of parts ('..., trong đó khối mầm non 1.512 trẻ, tiểu học 2.864 học sinh'; 'Trong đó: trộm
    # cắp tài sản 04 vụ') is a part of what the list's lead names, when its unit fits that
    if fig["kind"] == "percent":
        return None
    spans = [*lead_in, sentence]
    reach = len(spans) - 1 - len(continued(text, lead_in))      # the sentences that run on into this one
    for k in range(len(spans) - 1, reach - 1, -1):
        openers = list(r.part_list.finditer(text, spans[k][0], min(spans[k][1], fig["start"])))
        if not openers:
            continue
        before = fitting(spans[k][0], openers[-1].start(), part=True)
        if not before and not text[spans[k][0]:openers[-1].start()].strip() and k > 0:
            before = fitting(*spans[k - 1], part=True)
        return replace(nearest(before), part=True) if before else None
    return None


def continued(text: str, lead_in: list) -> list:
    """The sentences before one that continue into it (each ends with ';' or ':'), nearest first."""
    chain = []
    for lead in reversed(lead_in):
        if not text[lead[0]:lead[1]].rstrip().endswith((";", ":")):
            break
        chain.append(lead)
    return chain


def first_word(text: str, start: int) -> int:
    """Where the sentence whose span starts at START begins (a span may begin with the line break before it)."""
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def nearest(phrases: list[Phrase]) -> Phrase:
    return max(phrases, key=lambda p: (p.end, p.end - p.start))


def clause_end(r: IndicatorRules, text: str, start: int, limit: int) -> int:
    m = r.clause_end.search(text, start, limit)
    return m.start() if m else limit


def clause_start(r: IndicatorRules, text: str, limit: int, end: int) -> int:
    last = limit
    for m in r.clause_start.finditer(text, limit, end):
        last = m.end()
    return last


def measure_of(r: IndicatorRules, text: str, fig: dict, sentence: tuple[int, int]) -> str:
    """The measure the cues around FIG give; aim until its period is known."""
    start = clause_start(r, text, sentence[0], fig["start"])
    before = text[start:fig["start"]]
    after = text[fig["end"]:clause_end(r, text, fig["end"], sentence[1])]
    for measure, before_cue, after_cue, both, near, kinds in r.measures:
        if fig["kind"] not in kinds:
            continue
        hit_before = before_cue is not None and bool(before_cue.search(before) if not near
                                                     else before_cue.search(before[-40:]))
        hit_after = after_cue is not None and bool(after_cue.search(after))
        if (hit_before and hit_after) if both else (hit_before or hit_after):
            return measure
    for measure, cue, kinds in r.sentence_measures:
        if fig["kind"] in kinds and cue.search(text, sentence[0], fig["start"]):
            return measure
    return "actual"


def tasks_period_of(r: IndicatorRules, sections: list[str], year: int | None) -> str | None:
    """The later period whose tasks a section (or one above it) sets out, or None."""
    for title in sections:
        if not title or not r.tasks_section.search(title):
            continue
        for _, _, period in r.title_periods(title, year):
            if later(r, period, year):
                return period
    return None


def later(r: IndicatorRules, period: str, year: int | None) -> bool:
    """Whether a period comes after the report's: a later year, or the later part of its own year."""
    last = max((int(y) for y in YEAR.findall(period)), default=0)
    return bool(year) and (last > year or (last == year and bool(r.later_part.search(period))))


def section_period(r: IndicatorRules, sections: list[str], year: int | None) -> str | None:
    """The period the nearest section title states."""
    for title in reversed(sections):
        found = r.title_periods(title or "", year)
        if found:
            return found[0][2]
    return None


def period_of(text: str, fig: dict, sentence: tuple[int, int], lead_in: list, periods_in,
              opens_parts: bool = False) -> str | None:
    """The period stated nearest before FIG in its sentence, else after it, else in its lead-in (the sentences
    before that run into it; the sentence before, whatever its end, when FIG's sentence opens with a list of
    parts: OPENS_PARTS); PERIODS_IN(start, end) gives the periods of a span of TEXT (IndicatorRules.period_in)."""
    s_start, s_end = sentence
    found = periods_in(s_start, s_end)
    before = [p for s, e, p in found if s_start + e <= fig["start"]]
    if before:
        return before[-1]
    after = [p for s, e, p in found if s_start + s >= fig["end"]]
    if after:
        return after[0]
    for lead in (lead_in[-1:] + continued(text, lead_in[:-1]) if opens_parts else continued(text, lead_in)):
        found = periods_in(*lead)
        if found:
            return found[-1][2]
    return None


def carried_period(r: IndicatorRules, text: str, start: int, periods_in) -> str | None:
    """The last period stated earlier in the paragraph of the sentence starting at START, when it is of a kind
    a paragraph carries (rules/indicators.yaml carried_period: a school year, to the pupils' figures)."""
    start = first_word(text, start)
    earlier = periods_in(text.rfind("\n", 0, start) + 1, start)
    return earlier[-1][2] if earlier and r.carried_period.match(earlier[-1][2]) else None


def table_cell(r: IndicatorRules, fig: dict, own_period: str | None, label_phrases, header_periods) -> dict:
    """A table cell: its indicator from the row label, its measure from the column header. LABEL_PHRASES
    gives the phrases of a (folded) label, HEADER_PERIODS the periods of a header."""
    label = r.fold(" ".join(fig["row_label"].split()))
    measure = next((m for m, pattern in r.table_columns if pattern.search(fig.get("col_header") or "")), "actual")
    fits = [p for p in label_phrases(label) if r.fits(p.indicator, fig, measure)]
    if not fits:
        return dict(NONE)
    phrase = fits[0]
    header_period = header_periods(fig.get("col_header") or "")
    return {"indicator": phrase.indicator, "measure": measure, "indicator_phrase": fig["row_label"][phrase.start:phrase.end],
            "indicator_part": False,
            "period": header_period[0][2] if header_period else own_period}
