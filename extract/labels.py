"""What a person is shown, in Vietnamese (the default) or English: labels and check sentences.

Takes a check row and the figure rows it uses; gives the label of its verdict and one sentence with its
numbers in the language's style (9.488.000.000 and 27,1% in Vietnamese). The words are in rules/labels.yaml.
"""
import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import regex

from . import rulebook as rules

LANGUAGES = ("vi", "en")
# Four-digit counts such as 3064 households read better ungrouped, and "3.064" could be read as a decimal.
GROUP_FROM = 10_000
# A longer sum reads better as "the parts add up to ..." than written out.
MAX_LISTED_PARTS = 6


def _vocabulary() -> dict:
    return rules.load("labels")


def _pick(entry: dict, lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    return entry[lang]


def verdict_label(verdict: str, lang: str = "vi") -> str:
    entry = _vocabulary()["verdicts"].get(verdict)
    return _pick(entry, lang) if entry else verdict


def check_label(check: str, lang: str = "vi") -> str:
    entry = _vocabulary()["checks"].get(check)
    return _pick(entry, lang) if entry else check


def text(key: str, lang: str = "vi", **fields) -> str:
    """A phrase of the page or the print (rules/labels.yaml `ui`), its FIELDS filled in."""
    entry = _vocabulary()["ui"]
    for part in key.split("."):
        entry = entry[part]
    return _pick(entry, lang).format(**fields)


def number(value, lang: str = "vi", places: int | None = None) -> str:
    """A number as a report in LANG writes it: PLACES decimals, or as few as it needs."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    exact = Decimal(repr(float(value)))
    if places is None:
        places = 0 if exact == exact.to_integral_value() else max(0, -exact.normalize().as_tuple().exponent)
    fixed = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    english = format(fixed, ",f" if abs(fixed) >= GROUP_FROM else "f")
    style = _vocabulary()["numbers"][lang]
    return english.translate(str.maketrans({",": style["thousands"], ".": style["decimal"]}))


def sentence(check: dict, figures: dict[str, dict], lang: str = "vi") -> str:
    """The one sentence that explains a check, built from its fields and the figures it uses (by id)."""
    used = [figures[f] for f in check["figure_ids"] if f in figures]
    kind, verdict = check["check"], check["verdict"]
    fields = _fields(kind, check, used, lang)
    if fields is None:
        return check["explanation"]
    template = fields.pop("template", kind)
    vocabulary = _vocabulary()
    why = vocabulary["why"].get(verdict)
    fields["why"] = _pick(why, lang).format(**fields) if why else verdict
    return _pick(vocabulary["sentences"][template], lang).format(**fields)


def _fields(kind: str, check: dict, used: list[dict], lang: str) -> dict | None:
    """The numbers of a check's sentence, written in LANG; None where its figures are not all known."""
    def n(value, places=None):
        return number(value, lang, places)

    computed, stated = check["computed"], check["stated"]
    if kind in ("ratio_percent", "table_row", "change", "implied_denominator"):
        percent = {"ratio_percent": 1, "table_row": 2, "change": 1, "implied_denominator": 1}[kind]
        if len(used) <= percent:
            return None
        places = _places(used[percent])
        out = {"stated": n(stated, places), "computed": n(computed, 2), "rounded": n(computed, places)}
        if kind == "ratio_percent":
            ratio = used[0]
            return {**out, "num": n(ratio["numerator"]), "den": n(ratio["denominator"])}
        if kind == "table_row":
            plan, actual = used[0], used[1]
            return {**out, "row": actual.get("row_label") or "", "num": n(actual["value"]), "den": n(plan["value"])}
        if kind == "change":
            now, delta = used[0]["value"], used[2]["value"]
            earlier = _earlier(now, delta, computed)
            return {**out, "now": n(now), "delta": n(delta), "earlier": n(earlier), "num": n(delta), "den": n(earlier)}
        count = used[0]["value"]
        if len(used) < 3 or computed is None or _missing(computed):
            return {**out, "count": n(count), "template": "implied_denominator_no_base"}
        return {**out, "count": n(count), "base": n(used[2]["value"]), "num": n(count), "den": n(used[2]["value"])}
    if kind == "parts_sum":
        if used and used[0]["kind"] == "ratio":
            parts = [f["numerator"] if f["kind"] == "ratio" else f["value"] for f in used]
        else:
            parts = [f["value"] for f in used[1:]]
        out = {"stated": n(stated), "computed": n(computed)}
        if not 1 <= len(parts) <= MAX_LISTED_PARTS or not math.isclose(sum(parts), computed, rel_tol=1e-9):
            return {**out, "template": "parts_sum_many"}
        return {**out, "parts": " + ".join(n(p) for p in parts)}
    if kind == "percent_sum":
        shares = " + ".join(f"{n(f['value'], _places(f))}%" for f in used)
        return {"parts": shares, "computed": n(computed, max((_places(f) for f in used), default=0))}
    if kind == "words_digits":
        words = regex.search(r"'(.*)'", check["explanation"] or "")
        return {"stated": n(stated), "computed": n(computed), "words": words.group(1) if words else ""}
    return None


def ocr_note(c: dict, figures: dict[str, dict], doc_row, lang: str) -> str | None:
    """What a check must say when its figures were read by OCR (with the lowest confidence), or sit on a
    page that is images only."""
    confidences = [figures[f]["ocr_confidence"] for f in c["figure_ids"]
                   if f in figures and known(figures[f].get("ocr_confidence"))]
    page = c.get("page")
    if confidences:
        return text("ocr_note", lang, confidence=number(min(confidences), lang, 0))
    if known(page) and page in _pages(doc_row.get("pages_without_text")):
        return text("image_page_note", lang)
    if known(page) and page in _pages(doc_row.get("ocr_pages")):
        return text("ocr_page_note", lang)
    return None


def _pages(listed) -> set[int]:
    return set() if listed is None or isinstance(listed, float) else {int(p) for p in listed}


def _places(figure: dict) -> int:
    decimals = figure.get("decimals")
    return 0 if decimals is None or _missing(decimals) else int(decimals)


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def known(value) -> bool:
    """Whether a cell of a table holds a value (not None, NaN or NA)."""
    return not _missing(value)


def _earlier(now: float, delta: float, computed: float) -> float:
    """The value before a change: now less a rise or plus a fall, whichever gives the recomputed percent."""
    rise, fall = now - delta, now + delta
    if rise <= 0:
        return fall
    return rise if abs(100 * delta / rise - computed) <= abs(100 * delta / fall - computed) else fall
