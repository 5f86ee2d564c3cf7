"""What each figure measures: the examples of rules/indicators.yaml, real strings, and the seed's gold."""
import importlib.util
from pathlib import Path

import pytest
import regex

from extract import process_text
from extract import rulebook as rules
from extract.indicators import indicator_rules

SPEC = rules.load("indicators")
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "seed"


def figure(text: str, raw: str) -> dict:
    rows = process_text(text).figures.to_dict("records")
    wanted = " ".join(raw.split())
    found = [f for f in rows if " ".join(f["raw"].split()) == wanted]
    assert found, f"{raw!r} is no figure of {text!r}: {[f['raw'] for f in rows]}"
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in found[0].items()}


def entries_of(text: str, phrase: str) -> set[str]:
    """The entries of rules/indicators.yaml that recognise PHRASE where it stands in TEXT."""
    r = indicator_rules()
    level = process_text(text).documents["unit_level"].iloc[0]
    return {p.entry for p in r.phrases(r.fold(text), level) if text[p.start:p.end] == phrase}


INDICATOR_EXAMPLES = [(e["id"], e.get("same_as", e["id"]), text, want)
                      for e in SPEC["indicators"] for text, want in e["examples"]]
INDICATOR_COUNTER = [(e["id"], text) for e in SPEC["indicators"] for text in e.get("not", [])]


@pytest.mark.parametrize("entry,indicator,text,want", INDICATOR_EXAMPLES,
                         ids=[f"{e}:{w['raw']}" for e, _, _, w in INDICATOR_EXAMPLES])
def test_indicator_examples(entry, indicator, text, want):
    found = figure(text, want["raw"])
    assert found["indicator"] == indicator, (text, found["indicator"], found["indicator_phrase"])
    if "measure" in want:
        assert found["measure"] == want["measure"]
    # the phrase it was recognised from belongs to the entry the example sits under (or, for a percentage
    # tied to a count, to the entry whose share it is)
    entries = entries_of(text, found["indicator_phrase"])
    shares = {e["id"] for e in SPEC["indicators"] if e.get("share") == indicator}
    assert entry in entries or entries & shares, (found["indicator_phrase"], entries)


@pytest.mark.parametrize("entry,text", INDICATOR_COUNTER, ids=[f"{e}:{t}" for e, t in INDICATOR_COUNTER])
def test_indicator_counter_examples(entry, text):
    indicator = next(e.get("same_as", e["id"]) for e in SPEC["indicators"] if e["id"] == entry)
    found = process_text(text).figures
    assert indicator not in set(found["indicator"].dropna()), found[["raw", "indicator", "indicator_phrase"]]


def test_ids_are_the_shared_vocabulary():
    shared = SEED.parent.parent / "indicators.yaml"
    if not shared.exists():
        pytest.skip("../shared is not beside the checkout")
    import yaml
    theirs = {i["id"]: i for i in yaml.safe_load(shared.read_text(encoding="utf-8"))["indicators"]}
    ours = {e["id"]: e for e in SPEC["indicators"] if "same_as" not in e}
    assert set(theirs) <= set(ours)
    for key, item in theirs.items():
        assert ours[key]["group"] == item["group"] and ours[key]["unit"] == item["unit"], key


MEASURE_EXAMPLES = [(m["id"], text, raw, want) for m in SPEC["measures"] for text, raw, want in m["examples"]]
MEASURE_COUNTER = [(m["id"], text, raw) for m in SPEC["measures"] for text, raw in m.get("not", [])]


@pytest.mark.parametrize("cue,text,raw,want", MEASURE_EXAMPLES, ids=[f"{c}:{t}" for c, t, _, _ in MEASURE_EXAMPLES])
def test_measure_examples(cue, text, raw, want):
    from extract.indicators import measure_of
    r = indicator_rules()
    found = figure(text, raw)
    start = text.index(raw)
    assert measure_of(r, r.fold(text), {"start": start, "end": start + len(raw), "kind": found["kind"]},
                      (0, len(text))) == (cue if cue != "aim" else "aim")
    if cue != "aim":
        assert want == cue


@pytest.mark.parametrize("cue,text,raw", MEASURE_COUNTER, ids=[f"{c}:{t}" for c, t, _ in MEASURE_COUNTER])
def test_measure_counter_examples(cue, text, raw):
    from extract.indicators import measure_of
    r = indicator_rules()
    found = figure(text, raw)
    start = text.index(raw)
    assert measure_of(r, r.fold(text), {"start": start, "end": start + len(raw), "kind": found["kind"]},
                      (0, len(text))) != cue


PERIODS = [(spec["pattern"], text, want) for spec in SPEC["periods"] for text, want in spec["examples"]]


@pytest.mark.parametrize("pattern,text,want", PERIODS, ids=[t for _, t, _ in PERIODS])
def test_period_examples(pattern, text, want):
    found = indicator_rules().period_in(text, 2023)
    assert found and found[0][2] == want.format(year=2023)


@pytest.mark.parametrize("text", [t for spec in SPEC["periods"] for t in spec.get("not", [])])
def test_period_counter_examples(text):
    assert not [p for _, _, p in indicator_rules().period_in(text, 2023) if p.startswith("năm ")]


@pytest.mark.parametrize("title,sets_tasks", [(t, True) for t in SPEC["tasks_examples"]] + [(t, False) for t in SPEC["tasks_not"]])
def test_tasks_sections(title, sets_tasks):
    """A title that sets out tasks for a period after the report's (a 2024 report for 2025, or the second
    half of the report's own year) makes its figures targets."""
    from extract.indicators import tasks_period_of
    year = int(regex.search(r"\d{4}", title).group())
    report_year = year if "CUỐI" in title or not sets_tasks else year - 1
    assert (tasks_period_of(indicator_rules(), [title], report_year) is not None) is sets_tasks


@pytest.mark.parametrize("header,measure", SPEC["table_examples"])
def test_table_column_measures(header, measure):
    assert next(m for m, p in indicator_rules().table_columns if p.search(header)) == measure


def test_tie_examples():
    tie = indicator_rules().tie
    assert all(tie.fullmatch(gap) for gap in SPEC["tie"]["examples"])
    assert not any(tie.fullmatch(gap) for gap in SPEC["tie"]["not"])


# Real strings from ward reports, with what a statistician files them under.
REAL = [
    ("Tổng thu ngân sách nhà nước ước thực hiện 9.488.000.000đ/6.057.000.000đ đạt 157%",
     "9.488.000.000đ/6.057.000.000đ", "budget_revenue_state", "estimate"),
    ("Tổng thu ngân sách nhà nước ước thực hiện 9.488.000.000đ/6.057.000.000đ đạt 157% kế hoạch năm",
     "157%", "budget_revenue_state", "share_of_plan"),
    ("Tổng số hộ nghèo hiện nay trên địa bàn là: 19 hộ nghèo (đạt 0.67%);", "0.67%", "poor_household_rate", "actual"),
    ("Kết quả rà soát cuối năm, toàn thị trấn còn 29 hộ nghèo (chiếm 1,23%), giảm 08 hộ so với đầu năm;",
     "29 hộ nghèo", "poor_households", "actual"),
    ("Tổ chức hội nghị cấp phát quân trang gặp mặt tặng quà đối với 4 công dân đủ điều kiện nhập ngũ năm 2023.",
     "4 công dân", None, None),
    ("Trực, tiếp dân định kỳ 46 buổi đảm bảo theo quy định, tiếp nhận 11 đơn thuộc thẩm quyền.", "46 buổi", None, None),
    ("Thu nhập bình quân đầu người ước đạt 76.500.000 đồng/người/năm, tăng 6,1% hay tăng 4,4 triệu đồng so với năm 2023.",
     "6,1%", "income_per_capita", "change"),
]


@pytest.mark.parametrize("text,raw,indicator,measure", REAL, ids=[r[1] for r in REAL])
def test_real_strings(text, raw, indicator, measure):
    found = figure(text, raw)
    assert (found["indicator"], found["measure"]) == (indicator, measure)


def test_period_of_a_later_plan_and_of_a_school_year():
    text = ("UBND phường Lê Lợi\nBÁO CÁO\nTình hình kinh tế - xã hội năm 2023\n"
            "Kết quả năm học 2022-2023: Trường THCS Lê Lợi: học lực giỏi: 107/448 đạt 24%.\n"
            "Phần thứ hai: PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024\n"
            "1. Phấn đấu giải quyết 100% đơn thư khiếu nại của công dân thuộc thẩm quyền;\n")
    rows = {f["raw"]: f for f in process_text(text).figures.to_dict("records")}
    assert (rows["107/448"]["indicator"], rows["107/448"]["period"]) == ("students", "năm học 2022-2023")
    assert (rows["100%"]["indicator"], rows["100%"]["measure"], rows["100%"]["period"]) == ("complaints", "target", "năm 2024")


def indicator_bench():
    spec = importlib.util.spec_from_file_location("bench_indicators", Path(__file__).resolve().parent.parent / "bench" / "indicators.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_seed_goals():
    if not (SEED / "indicators.jsonl").exists():
        pytest.skip("../shared/fixtures/seed is not beside the checkout")
    result = indicator_bench().score(SEED)
    assert result["precision"] >= 0.90, result["precision"]
    assert result["recall"] >= 0.80, result["recall"]
    assert result["measure_accuracy"] >= 0.90, result["measure_accuracy"]


ROOT = Path(__file__).resolve().parent.parent
# (gold folder, its report when not report.txt inside it, the period accuracy it holds)
PROJECT_GOLDS = [(ROOT / "bench" / "evalset", None, 0.90)] + [
    (ROOT / "samples" / "gold" / name, ROOT / "samples" / f"{name}.txt", 0.90)
    for name in ("xa-dong-lam-2024", "phuong-van-xuan-2025")] + [
    (ROOT / "bench" / "heldout", None, 0.80), (ROOT / "bench" / "heldout2", None, 0.80)]


@pytest.mark.parametrize("gold,report,period", PROJECT_GOLDS, ids=[g.name for g, _, _ in PROJECT_GOLDS])
def test_the_project_indicator_golds_hold_the_seed_goals(gold, report, period):
    """The indicator golds of the evaluation texts and the annotated samples (written from the vocabulary's
    definitions) are scored by the same bench and held to the seed's goals."""
    result = indicator_bench().score(gold, report)
    assert result["precision"] >= 0.90, result["precision"]
    assert result["recall"] >= 0.80, result["recall"]
    assert result["measure_accuracy"] >= 0.90, result["measure_accuracy"]
    assert result["period_accuracy"] >= period, result["period_accuracy"]


def test_rules_file_keeps_vietnamese_out_of_code():
    code = (Path(__file__).resolve().parent.parent / "extract" / "indicators.py").read_text(encoding="utf-8")
    words = [w for w in regex.findall(r'"([^"\n]*)"', code) if regex.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", w)]
    assert not words, words


@pytest.mark.parametrize("text,raw,indicator", [
    ("Năm học 2024-2025, có 312/315 học sinh được công nhận tốt nghiệp THCS, đạt 99,05%.", "99,05%", "students"),
    ("Toàn xã còn 58 hộ nghèo, chiếm 1,45% tổng số hộ.", "1,45%", "poor_household_rate"),
])
def test_a_percentage_the_checks_tie_to_a_figure_a_few_words_back_carries_its_indicator(text, raw, indicator):
    rows = process_text(text).figures.set_index("raw")
    assert rows.loc[raw, "indicator"] == indicator


@pytest.mark.parametrize("text", [
    "Cơ cấu kinh tế: nông, lâm nghiệp, thủy sản 31,1%; công nghiệp - xây dựng 29,2%; dịch vụ 39,7%.",
    "Cơ cấu kinh tế tiếp tục chuyển dịch: nông nghiệp chiếm 31,1%; công nghiệp - xây dựng chiếm 29,2%; dịch vụ 39,7%.",
])
def test_the_shares_listed_under_a_lead_in_carry_its_indicator(text):
    assert list(process_text(text).figures["indicator"]) == ["economic_structure"] * 3


@pytest.mark.parametrize("text,raw,indicator", SPEC["part_list"]["examples"], ids=[r for _, r, _ in SPEC["part_list"]["examples"]])
def test_an_item_of_a_list_of_parts_carries_the_indicator_of_its_lead(text, raw, indicator):
    rows = process_text(text).figures.set_index("raw")
    assert rows.loc[raw, "indicator"] == indicator


@pytest.mark.parametrize("text,raw", SPEC["part_list"]["not"], ids=[r for _, r in SPEC["part_list"]["not"]])
def test_an_item_after_a_part_list_opener_that_does_not_fit_its_lead_carries_nothing(text, raw):
    rows = process_text(text).figures.set_index("raw")
    assert rows.loc[raw, "indicator"] is None or rows.loc[raw, "indicator"] != rows["indicator"].iloc[0]


def test_a_change_after_a_semicolon_carries_the_indicator_its_sentence_began_with():
    rows = process_text("Tai nạn giao thông xảy ra 08 vụ, làm chết 05 người, bị thương 06 người; so với cùng kỳ giảm "
                        "04 vụ (cùng kỳ 12 vụ), giảm 25%.").figures.set_index("raw")
    assert (rows.loc["04 vụ", "indicator"], rows.loc["04 vụ", "measure"]) == ("traffic_accidents", "change")
    assert (rows.loc["12 vụ", "indicator"], rows.loc["12 vụ", "measure"]) == ("traffic_accidents", "prior")


def test_list_item_gap_examples():
    gap = regex.compile(SPEC["list_item"]["gap"], regex.V1)
    assert all(gap.fullmatch(text) for text in SPEC["list_item"]["examples"])
    assert not any(gap.fullmatch(text) for text in SPEC["list_item"]["not"])


def test_the_next_items_of_a_list_of_labelled_counts_are_parts_of_what_the_first_counts():
    rows = process_text("Bậc THCS: kết quả học tập Tốt 540 học sinh (30,1%), Khá 700 học sinh (39,0%), Chưa đạt "
                        "21 học sinh (1,2%).").figures.set_index("raw")
    assert rows.loc["700 học sinh", "indicator"] == rows.loc["21 học sinh", "indicator"] == "students"
    assert rows.loc["700 học sinh", "indicator_part"]


def test_own_rate_examples():
    spec = rules.load("indicators")["own_rate"]
    pattern = regex.compile(spec["pattern"], regex.I)
    assert all(pattern.search(text) for text in spec["examples"])
    assert not any(pattern.search(text) for text in spec["not"])
    bare = regex.compile(spec["bare"], regex.I)
    assert all(bare.fullmatch(text) for text in spec["bare_examples"])
    assert not any(bare.fullmatch(text) for text in spec["bare_not"])


def test_a_percentage_of_a_ratio_against_a_named_plan_is_a_share_of_the_plan():
    rows = process_text("Ngày hội hiến máu tiếp nhận 96 đơn vị máu / 80 đơn vị máu chỉ tiêu giao, đạt 120%.").figures
    assert tuple(rows.set_index("raw").loc["120%", ["indicator", "measure"]]) == ("blood_donation", "share_of_plan")


def test_what_a_sentence_goes_on_to_say_of_an_estimated_indicator_is_estimated():
    rows = process_text("Tổng chi ngân sách phường ước thực hiện 8.210.000.000 đồng, đạt 71% dự toán; trong đó chi đầu tư "
                        "phát triển 1.100.000.000 đồng, chi thường xuyên 7.110.000.000 đồng. Chi thường xuyên năm "
                        "trước là 6.900.000.000 đồng.").figures.set_index("raw")
    assert rows.loc["7.110.000.000 đồng", "measure"] == "estimate"
    assert rows.loc["1.100.000.000 đồng", "measure"] == "estimate"


def test_a_phrase_after_a_count_may_run_past_its_clause():
    rows = process_text("Trong tổng số 16 chỉ tiêu chủ yếu, đến nay có 09 chỉ tiêu đạt và vượt kế hoạch năm.").figures
    assert rows.set_index("raw").loc["09 chỉ tiêu", "indicator"] == "targets_met"


def test_a_paragraph_carries_its_school_year_to_its_later_sentences_but_not_past_its_end():
    text = ("- Trường Tiểu học: tuyển sinh năm học 2024-2025: 186 học sinh. Tổng số học sinh toàn trường hiện có "
            "812 học sinh, chia làm 24 lớp.\n\nNăm 2025, tổng số học sinh các cấp là 2.044 học sinh.")
    rows = process_text(text).figures.set_index("raw")
    assert rows.loc["812 học sinh", "period"] == "năm học 2024-2025"
    assert rows.loc["2.044 học sinh", "period"] == "năm 2025"


def test_parts_in_a_sentence_of_their_own_take_the_period_of_the_sentence_before():
    rows = process_text("Diện tích gieo trồng vụ Đông Xuân 2023-2024 ước đạt 1.286,5 ha, tăng 24,5 ha so với cùng kỳ. "
                        "Trong đó: lúa 742 ha; ngô 318,5 ha.").figures.set_index("raw")
    assert rows.loc["742 ha", "period"] == rows.loc["1.286,5 ha", "period"] == "vụ đông xuân 2023-2024"


def test_the_base_of_a_comparison_is_no_period_of_the_figure():
    rows = process_text("Năm 2025, tỷ lệ bao phủ bảo hiểm y tế đạt 91,2% dân số, tăng 1,1% so với cuối năm 2024.").figures
    assert set(rows["period"]) == {"năm 2025"}


def test_a_rate_named_by_no_noun_is_its_subjects():
    rows = process_text("Cân đo 980 trẻ dưới 5 tuổi; số trẻ suy dinh dưỡng thể thấp còi là 83 trẻ, tỷ lệ 8,47%.").figures
    assert rows.set_index("raw").loc["8,47%", "indicator"] == "child_malnutrition_rate"


def test_a_change_and_an_earlier_value_of_a_count_carry_the_indicator_of_their_sentence():
    rows = process_text("Xảy ra 13 vụ tai nạn giao thông, tăng 02 vụ so với cùng kỳ (11 vụ), tăng 18,2%.").figures
    assert list(zip(rows["raw"], rows["indicator"], rows["measure"]))[:3] == [
        ("13 vụ", "traffic_accidents", "actual"), ("02 vụ", "traffic_accidents", "change"),
        ("11 vụ", "traffic_accidents", "prior")]


PARTS = [(e["id"], text, raw, part) for e in SPEC["indicators"] if e.get("parts")
         for part, key in ((True, "examples"), (False, "not")) for text, raw in e["parts"].get(key, [])]


@pytest.mark.parametrize("indicator,text,raw,part", PARTS, ids=[f"{i}:{r}:{'part' if p else 'whole'}" for i, _, r, p in PARTS])
def test_parts_examples(indicator, text, raw, part):
    """A figure that states a part of its indicator's whole (graduates among pupils, the new intake, cases solved
    among those that occurred) keeps its indicator and gives no fact; the whole gives one."""
    result = process_text("Báo cáo kết quả thực hiện nhiệm vụ năm 2024 của UBND xã Hòa Bình.\n\n" + text)
    wanted = " ".join(raw.split())
    found = [f for f in result.figures.to_dict("records") if " ".join(f["raw"].split()) == wanted]
    assert found and found[0]["indicator"] == indicator, (raw, [(f["raw"], f["indicator"]) for f in found])
    stated = {i for ids in result.facts["figure_ids"] for i in ids}
    assert (found[0]["figure_id"] not in stated) is part, result.facts[["indicator", "measure", "values", "figure_ids"]]


PLAN_RATIOS = [(text, raw, measure, True) for text, raw, measure in SPEC["plan_ratio"]["examples"]] + \
    [(text, raw, measure, False) for text, raw, measure in SPEC["plan_ratio"]["not"]]


@pytest.mark.parametrize("text,raw,measure,money", PLAN_RATIOS, ids=[r[1] for r in PLAN_RATIOS])
def test_plan_ratio_examples(text, raw, measure, money):
    """The percentage tied to a ratio of money is its share of the plan; to a ratio of counts, what its words say."""
    found = figure(text, raw)
    assert found["indicator"] is not None and found["measure"] == measure
    ratio = next(f for f in process_text(text).figures.to_dict("records") if f["kind"] == "ratio")
    assert bool(indicator_rules().plan_ratio.search(ratio["unit"])) is money
