"""Rules tried only where their matches can start give what a scan of the whole text gives."""
from pathlib import Path

import pytest
import regex

from extract.pipeline import nlp
from extract.scan import Scanner, Words, first_after, zero_width

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.txt"))


@pytest.mark.parametrize("rest, follows, not_follows", [
    (r"\s*(?P<sign>(?:%(?!o)|phần\s+trăm))", ["%", "p"], ["/", "t", "1"]),           # a percentage
    (r"\s*/\s*(?P<den>\d+)", ["/"], ["-", "%"]),                                       # a ratio
    (r"\s(?:đến|tới)\s", ["đ", "t"], ["Đ", "-"]),
    (r"\s*(?=(?:KH|kế\s+hoạch)(?![\p{L}]))", ["K", "k"], ["đ"]),                      # a lookahead tells too
    (r"\s*(?i:kế)", ["k", "K"], ["h"]),
])
def test_what_may_follow(rest, follows, not_follows):
    first = first_after(rest)
    assert all(first.fullmatch(c) for c in follows)
    assert not any(first.fullmatch(c) for c in not_follows)


@pytest.mark.parametrize("rest", [r"(?:\s*(?P<scale>triệu))?", r"[\s,]x", r".x", r"\s*"])
def test_anything_may_follow(rest):
    assert first_after(rest) is None       # the match may end there, or take white space as it goes on


def test_zero_width():
    assert zero_width(r"(?<=(?:đạt|bằng)\s{1,3})") and zero_width("")
    assert not zero_width(r"\d") and not zero_width(r"(?<=x)y")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_number_led_rules_match_as_a_scan(path):
    rules = nlp().get_pipe("ward_figures").rules
    text = path.read_text(encoding="utf-8")
    numbers = rules.numbers(text)
    led = [(scanner.pattern, follow) for _, scanner, _, follow in rules.rules if follow is not None]
    assert len(led) >= 12
    for pattern, follow in led:
        assert [m.span() for m in follow.matches(pattern, text, numbers)] == \
            [m.span() for m in pattern.finditer(text)]


def word_places(text: str, word: str) -> list[int]:
    """Every place WORD starts in TEXT (case folded), overlapping ones too, by plain search."""
    folded, found = text.casefold(), []
    k = folded.find(word)
    while k != -1:
        found.append(k)
        k = folded.find(word, k + 1)
    return found


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_rules_words_found_in_one_pass_are_where_a_search_finds_them(path):
    from extract.indicators import indicator_rules
    text = path.read_text(encoding="utf-8")
    for words, seen in ((nlp().get_pipe("ward_figures").rules.words, text),
                        (indicator_rules().words, indicator_rules().fold(text))):
        assert len(words.words) > 50
        places = words.places(seen)
        for word in words.words:
            assert places.of(word) == word_places(seen, word), word


def test_words_that_overlap_or_nest_are_each_found():
    scanners = [Scanner(regex.compile(p, regex.I)) for p in (r"hộ\s+nghèo", r"hộ", r"nghèo", r"ộ n", r"aa")]
    places = Words(scanners).places("Hộ nghèo, HỘ NGHÈO và hộ cận nghèo; aaa")
    for word in ("hộ", "nghèo", "ộ n", "aa"):
        assert places.of(word) == word_places(places.text, word), word
    assert places.of("aa") == [36, 37]          # overlapping: both places
