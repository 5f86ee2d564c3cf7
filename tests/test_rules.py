"""Every rule in rules/ carries its examples and counter-examples; this runs them all (the corpus is the test)."""
import math

import pytest
import regex

from extract import process_text
from extract import rulebook as rules
from extract.clean import Cleaner, heading_rules
from extract.sections import SectionFinder

NUMBER_FIELDS = ("value", "value_max", "numerator", "denominator", "decimals", "in_words")


def figure_rules():
    return rules.load("figures")["rules"]


def matches(row: dict, expected: dict) -> bool:
    for key, want in expected.items():
        have = row.get(key)
        if key in NUMBER_FIELDS:
            if have is None or (isinstance(have, float) and math.isnan(have)) or not math.isclose(float(have), float(want)):
                return False
        elif key == "unit":
            if not same_unit(have, want):
                return False
        elif (have or "").lower() != str(want).lower():
            return False
    return True


def same_unit(have, want) -> bool:
    """The unit as written may carry more of the noun phrase than the example names ("tấn rác thải")."""
    have, want = " ".join((have or "").lower().split()), " ".join(str(want).lower().split())
    return have == want or have.startswith(want + " ")


def figures_of(text: str) -> list[dict]:
    return process_text(text).figures.to_dict("records")


FIGURE_EXAMPLES = [(r["name"], ex[0], ex[1:]) for r in figure_rules() for ex in r["examples"]]
FIGURE_COUNTER = [(r["name"], r["kind"], text) for r in figure_rules() for text in r.get("not", [])]


@pytest.mark.parametrize("rule,text,expected", FIGURE_EXAMPLES, ids=[f"{r}:{t}" for r, t, _ in FIGURE_EXAMPLES])
def test_figure_rule_examples(rule, text, expected):
    found = figures_of(text)
    for want in expected:
        assert any(matches(f, want) for f in found), f"{text!r}: want {want}, got {found}"
    # the first figure an example names comes from the rule the example sits under
    assert any(matches(f, expected[0]) and f["rule"] == rule for f in found), \
        f"{text!r}: {expected[0]} does not come from rule {rule}: {[(f['rule'], f['raw']) for f in found]}"


@pytest.mark.parametrize("rule,kind,text", FIGURE_COUNTER, ids=[f"{r}:{t}" for r, _, t in FIGURE_COUNTER])
def test_figure_rule_counter_examples(rule, kind, text):
    found = [f for f in figures_of(text) if f["kind"] == kind or rule == "count"]
    assert not found, f"{text!r} gave {found}"


COUNT_GRAMMAR = rules.load("units")["count_grammar"]


@pytest.mark.parametrize("text,expected", [(ex[0], ex[1]) for ex in COUNT_GRAMMAR["examples"]],
                         ids=[ex[0] for ex in COUNT_GRAMMAR["examples"]])
def test_count_grammar_examples_count_a_noun_not_listed(text, expected):
    found = figures_of(text)
    assert any(matches(f, expected) and f["rule"] == "count" for f in found), f"{text!r}: got {found}"
    listed = {u.lower() for u in rules.load("units")["count"]}
    assert expected["unit"].lower() not in listed, "the example shows a noun the vocabulary does not list"


@pytest.mark.parametrize("text", COUNT_GRAMMAR["not"])
def test_count_grammar_counter_examples_count_nothing(text):
    assert not [f for f in figures_of(text) if f["kind"] == "count"], text


COUNT_RATIO = rules.load("figures")["count_ratio"]


@pytest.mark.parametrize("text,expected", [(ex[0], ex[1]) for ex in COUNT_RATIO["examples"]],
                         ids=[ex[0] for ex in COUNT_RATIO["examples"]])
def test_two_counts_across_a_slash_that_make_a_ratio(text, expected):
    found = figures_of(text)
    assert any(matches(f, expected) and f["rule"] == "count_ratio" for f in found), f"{text!r}: got {found}"


@pytest.mark.parametrize("text", COUNT_RATIO["not"])
def test_two_counts_across_a_slash_that_stay_counts(text):
    found = figures_of(text)
    assert [f["kind"] for f in found] == ["count", "count"], f"{text!r}: got {found}"


SKIP_EXAMPLES = [(r["name"], text) for r in rules.load("skip")["rules"] for text in r["examples"]]
SKIP_COUNTER = [(r["name"], text) for r in rules.load("skip")["rules"] for text in r.get("not", [])]


@pytest.mark.parametrize("rule,text", SKIP_EXAMPLES, ids=[f"{r}:{t}" for r, t in SKIP_EXAMPLES])
def test_skip_rule_examples_give_no_figure(rule, text):
    assert figures_of(text) == []


@pytest.mark.parametrize("rule,text", SKIP_COUNTER, ids=[f"{r}:{t}" for r, t in SKIP_COUNTER])
def test_skip_rule_counter_examples_keep_their_figures(rule, text):
    assert figures_of(text), f"{rule} swallowed the figure of {text!r}"


CURRENCY = rules.load("units")["currency"]


@pytest.mark.parametrize("text", CURRENCY["examples"])
def test_currency_examples_are_money(text):
    assert any(f["kind"] == "money" for f in figures_of(text))


@pytest.mark.parametrize("text", CURRENCY["not"])
def test_currency_counter_examples_are_not_money(text):
    assert not any(f["kind"] == "money" for f in figures_of(text))


QUALIFIERS = rules.load("qualifiers")


@pytest.mark.parametrize("text,approx", QUALIFIERS["examples"])
def test_qualifier_examples(text, approx):
    assert any(f["approx"] == approx for f in figures_of(text)), figures_of(text)


@pytest.mark.parametrize("text", QUALIFIERS["not"])
def test_qualifier_counter_examples(text):
    assert all(f["approx"] is None for f in figures_of(text))


HEADINGS = [(h["name"], h["level"], ex) for h in rules.load("headings")["headings"] for ex in h["examples"]]
NOT_HEADINGS = [(h["name"], text) for h in rules.load("headings")["headings"] for text in h.get("not", [])]


@pytest.mark.parametrize("name,level,example", HEADINGS, ids=[f"{n}:{e[0]}" for n, _, e in HEADINGS])
def test_heading_examples(name, level, example):
    text, number, title = example
    found = SectionFinder().match(text)
    assert found is not None, text
    got_level, m, got_number = found
    assert (got_level, got_number, m.group("title").strip()) == (level, number, title)


@pytest.mark.parametrize("name,text", NOT_HEADINGS, ids=[f"{n}:{t}" for n, t in NOT_HEADINGS])
def test_heading_counter_examples(name, text):
    heading = next(h for h in heading_rules() if h.name == name)
    assert not heading.match(text)


CLEANING = rules.load("cleaning")


@pytest.mark.parametrize("key", ["page_number", "footnote_start", "exponent_base"])
def test_cleaning_line_patterns(key):
    pattern = regex.compile(CLEANING[key]["pattern"])
    for line in CLEANING[key]["examples"]:
        assert pattern.match(line), (key, line)
    for line in CLEANING[key]["not"]:
        assert not pattern.match(line), (key, line)


MARKERS = [(m["name"], text, n) for m in CLEANING["footnote_marker"] for text, n in m["examples"]]


@pytest.mark.parametrize("name,text,number", MARKERS)
def test_footnote_marker_examples(name, text, number):
    span = Cleaner().find_marker(text, 0, len(text), number)
    assert span is not None and text[span[0]:span[1]] == str(number)


NOT_MARKERS = [(m["name"], text, n) for m in CLEANING["footnote_marker"] for text, n in m.get("not", [])]


@pytest.mark.parametrize("name,text,number", NOT_MARKERS)
def test_footnote_marker_counter_examples(name, text, number):
    assert Cleaner().find_marker(text, 0, len(text), number) is None


# rules/checks.yaml: each pattern meets its examples and not its counter-examples the way the checker uses it
CHECKS = rules.load("checks")


def check_gap_matchers() -> dict:
    """Per rule with examples: how the checker tries a gap of text against it."""
    def compiled(pattern):
        return regex.compile(pattern, regex.I)
    change = CHECKS["change"]
    return {
        "ratio_percent": compiled(CHECKS["ratio_percent"]["pattern"]).fullmatch,
        "implied_denominator": compiled(CHECKS["implied_denominator"]["pattern"]).fullmatch,
        "parts_opener": compiled(CHECKS["parts_opener"]["pattern"]).match,
        "change": compiled(change["before_amount"]).fullmatch,
        "share_list": compiled(CHECKS["share_list"]["gap"]).fullmatch,
        "trailing_total": compiled(CHECKS["trailing_total"]["cue"]).search,
        "remainder": compiled(CHECKS["remainder"]["pattern"]).fullmatch,
        "implicit_ratio": compiled(CHECKS["implicit_ratio"]["link"]).fullmatch,
        "per_mille_rate": compiled(CHECKS["per_mille_rate"]["label"]).search,
        "change_against_prior": compiled(CHECKS["change_against_prior"]["prior"]).search,
    }


CHECK_EXAMPLES = [(name, gap, True) for name, spec in CHECKS.items() if isinstance(spec, dict)
                  for gap in spec.get("examples", [])] + \
                 [(name, gap, False) for name, spec in CHECKS.items() if isinstance(spec, dict)
                  for gap in spec.get("not", [])]


def test_every_check_rule_with_examples_is_tried():
    with_examples = {name for name, spec in CHECKS.items() if isinstance(spec, dict) and spec.get("examples")}
    assert with_examples == set(check_gap_matchers())


@pytest.mark.parametrize("name,gap,ties", CHECK_EXAMPLES, ids=[f"{n}:{g!r}:{t}" for n, g, t in CHECK_EXAMPLES])
def test_check_rule_examples(name, gap, ties):
    assert bool(check_gap_matchers()[name](gap)) is ties


AFTER_SHARE = [(gap, True) for gap in CHECKS["ratio_percent"]["after_share_examples"]] + \
              [(gap, False) for gap in CHECKS["ratio_percent"]["after_share_not"]]


@pytest.mark.parametrize("gap,ties", AFTER_SHARE)
def test_a_ratio_in_brackets_after_its_percentage(gap, ties):
    assert bool(regex.compile(CHECKS["ratio_percent"]["after_share"], regex.I).fullmatch(gap)) is ties


TABLE_EXAMPLES = rules.load("tables")["examples"]


@pytest.mark.parametrize("headers,roles", TABLE_EXAMPLES, ids=[" | ".join(h) for h, _ in TABLE_EXAMPLES])
def test_table_column_examples(headers, roles):
    from extract.table_figures import column_roles
    assert column_roles(headers) == roles


AFTER = [(name, text, True) for name, spec in rules.load("figures")["after"].items() for text in spec["examples"]] + \
        [(name, text, False) for name, spec in rules.load("figures")["after"].items() for text in spec["not"]]


@pytest.mark.parametrize("name,text,follows", AFTER, ids=[f"{n}:{t!r}" for n, t, _ in AFTER])
def test_what_follows_a_figure(name, text, follows):
    pattern = regex.compile(rules.load("figures")["after"][name]["pattern"], regex.I)
    assert bool(pattern.match(text)) is follows


NOT_RATIOS = rules.load("figures")["not_ratios"]


@pytest.mark.parametrize("text", NOT_RATIOS["examples"])
def test_slash_pairs_that_are_no_ratio(text):
    assert not [f for f in figures_of(text) if f["kind"] == "ratio"]


@pytest.mark.parametrize("text", NOT_RATIOS["not"])
def test_slash_pairs_that_are_ratios(text):
    assert [f for f in figures_of(text) if f["kind"] == "ratio"]
