"""Facts: what a report states about each indicator, in the indicator's unit, traced to its figures; the
examples of rules/facts.yaml; a fact stated twice with two values."""
import shutil

import pytest

from extract import process_file, process_text
from extract import dataset, rulebook as rules
from extract.cli import main
from extract.facts import fact_rules

from conftest import ROOT

SPEC = rules.load("facts")
HOA_BINH = ROOT / "samples" / "phuong-hoa-binh-2024.txt"


@pytest.mark.parametrize("to,unit,written,value", SPEC["examples"])
def test_conversion_examples(to, unit, written, value):
    assert written * fact_rules().factor(to, unit) == pytest.approx(value)


@pytest.mark.parametrize("to,unit", SPEC["not"])
def test_units_without_a_conversion(to, unit):
    assert fact_rules().factor(to, unit) is None


@pytest.mark.parametrize("sentence,raw,kind,value", SPEC["change"]["examples"])
def test_change_examples(sentence, raw, kind, value):
    from extract.facts import normalised
    fig = {"figure_id": "F1", "indicator": "production_value", "measure": "change", "kind": kind, "raw": raw,
           "sentence": sentence, "value": None, "decimals": 1, "unit": raw.split(" ", 1)[-1]}
    fig["value"] = {"8,3%": 8.3, "12,5%": 12.5, "125%": 125, "4,4 triệu đồng": 4.4e6, "12 ha": 12}[raw]
    fig["indicator"] = {"quantity": "crop_area"}.get(kind, "production_value")
    unit, stated = normalised(fact_rules(), fig)
    assert stated.value == pytest.approx(value)


@pytest.mark.parametrize("sentence,raw,kind", SPEC["change"]["not"])
def test_a_change_without_rise_or_fall_gives_no_fact(sentence, raw, kind):
    from extract.facts import normalised
    fig = {"figure_id": "F1", "indicator": "income_per_capita", "measure": "change", "kind": kind, "raw": raw,
           "sentence": sentence, "value": 4.4e6, "decimals": 1, "unit": "triệu đồng"}
    assert normalised(fact_rules(), fig) is None


@pytest.mark.parametrize("period,year,span", SPEC["period_examples"])
def test_period_examples(period, year, span):
    assert fact_rules().period(period) == (year, span)


def facts_by(result):
    return {(f["indicator"], f["measure"], f["period"], f["unit"]): f for f in result.facts.to_dict("records")}


def test_facts_of_a_sample_report_are_in_the_indicators_units_and_trace_back_to_figures():
    result = process_file(HOA_BINH)
    facts = facts_by(result)
    figures = result.figures.set_index("figure_id")
    # "Tổng thu ngân sách nhà nước ... 12.746.000.000đ/9.830.000.000đ, đạt 129,66% kế hoạch năm, bằng 108% so với cùng kỳ"
    revenue = facts[("budget_revenue_state", "estimate", "6 tháng cuối năm 2024", "đồng")]
    assert revenue["value"] == 12_746_000_000 and revenue["period_year"] == 2024
    assert facts[("budget_revenue_state", "share_of_plan", "6 tháng cuối năm 2024", "%")]["value"] == 129.66
    assert facts[("budget_revenue_state", "change", "6 tháng cuối năm 2024", "%")]["value"] == pytest.approx(8)
    # "toàn phường còn 11 hộ nghèo, chiếm 0,36%"; a rate from its ratio "147/152 trẻ"; ‰ as written
    assert facts[("poor_households", "actual", "năm 2024", "hộ")]["value"] == 11
    assert facts[("poor_household_rate", "actual", "năm 2024", "%")]["value"] == 0.36
    assert facts[("vaccination_rate", "actual", "năm 2024", "%")]["value"] == pytest.approx(100 * 147 / 152)
    assert facts[("crude_birth_rate", "actual", "năm 2024", "‰")]["value"] == 11.36
    assert facts[("income_per_capita", "target", "năm 2025", "đồng/người/năm")]["value"] == 80_000_000
    for fact in facts.values():
        assert len(fact["figure_ids"]) == len(fact["values"]) >= 1
        first = figures.loc[fact["figure_ids"][0]]
        assert (first["indicator"], first["measure"], first["period"]) == \
            (fact["indicator"], fact["measure"], fact["period"])
        assert fact["raw"] == first["raw"] and fact["sentence"] == first["sentence"]
    # the pupils by grade ('học lực giỏi 129/476') and the new intake ('lớp 1 tuyển mới 178 em') are parts of
    # the pupils: no fact of the pupils' count
    ranked = figures.loc[["F0054", "F0056", "F0058", "F0060", "F0072"]]
    assert set(ranked["indicator"]) == {"students"}
    assert not [key for key in facts if key[0] == "students"]
    # a rate stated as a ratio and as its percentage: two statements that agree
    families = facts[("cultural_family_rate", "actual", "năm 2024", "%")]
    assert families["values"] == [pytest.approx(100 * 2917 / 3064), 95.2] and not families["conflict"]


REVENUE = ("Tổng thu ngân sách nhà nước trên địa bàn ước thực hiện 12.746.000.000đ/9.830.000.000đ, đạt "
           "129,66% kế hoạch năm, bằng 108% so với cùng kỳ. ")


def test_a_fact_stated_twice_keeps_both_values_and_says_whether_they_disagree():
    agreeing = process_text("Báo cáo năm 2024 của UBND phường Hòa Bình.\n\n" + REVENUE +
                            "Tổng thu ngân sách nhà nước trên địa bàn ước thực hiện 12,7 tỷ đồng.")
    fact = facts_by(agreeing)[("budget_revenue_state", "estimate", "năm 2024", "đồng")]
    assert fact["values"] == [12_746_000_000, 12_700_000_000] and not fact["conflict"]
    disagreeing = process_text("Báo cáo năm 2024 của UBND phường Hòa Bình.\n\n" + REVENUE +
                               "Tổng thu ngân sách nhà nước trên địa bàn ước thực hiện 12,9 tỷ đồng.")
    fact = facts_by(disagreeing)[("budget_revenue_state", "estimate", "năm 2024", "đồng")]
    assert fact["values"] == [12_746_000_000, 12_900_000_000] and fact["conflict"]
    assert fact["value"] == 12_746_000_000      # the first statement's
    figures = disagreeing.figures.set_index("figure_id")
    assert [figures.loc[i, "raw"] for i in fact["figure_ids"]] == ["12.746.000.000đ/9.830.000.000đ", "12,9 tỷ đồng"]


def test_a_dataset_written_before_the_facts_table_gets_it_on_the_next_run(tmp_path):
    out = tmp_path / "dataset"
    assert main(["run", str(HOA_BINH), "--out", str(out), "--workers", "1"]) == 0
    written = dataset.read_table(out, "facts")
    assert len(written) == len(process_file(HOA_BINH).facts) > 0
    shutil.rmtree(out / "facts")
    assert main(["run", str(HOA_BINH), "--out", str(out), "--workers", "1"]) == 0
    again = dataset.read_table(out, "facts")
    assert again.drop(columns=["province", "year"]).equals(written.drop(columns=["province", "year"]))


PRIOR_EXAMPLES = rules.load("indicators")["prior_base"]["examples"]


@pytest.mark.parametrize("before, period, earlier", PRIOR_EXAMPLES)
def test_prior_period_examples(before, period, earlier):
    from extract.indicators import indicator_rules
    assert indicator_rules().earlier(period, before) == earlier


def test_an_earlier_value_is_a_fact_of_the_period_before():
    result = process_text("Báo cáo 6 tháng đầu năm 2024 của UBND phường Hòa Bình.\n\n"
                          "Trên địa bàn xảy ra 12 vụ phạm pháp hình sự, giảm 03 vụ so với cùng kỳ (15 vụ), giảm 20%.")
    prior = {(f["indicator"], f["measure"]): f for f in result.facts.to_dict("records")}[("criminal_cases", "prior")]
    assert (prior["value"], prior["period"], prior["period_year"], prior["period_span"]) == \
        (15, "6 tháng đầu năm 2023", 2023, "6 months")


@pytest.mark.parametrize("text, change", [
    ("Trong kỳ, trên địa bàn xã xảy ra 12 vụ phạm pháp hình sự, tăng 2 vụ (cùng kỳ 10 vụ), tăng 20,0%.", 2),
    ("Xảy ra 12 vụ tai nạn giao thông, giảm 2 vụ so với cùng kỳ (14 vụ), giảm 14,3%.", -2),
    ("Xảy ra 21 vụ phạm pháp hình sự, giảm 1 vụ so với cùng kỳ (22 vụ).", -1),
    # the change written as the value before it: its own place, not the value's
    ("Xảy ra 01 vụ tai nạn giao thông, giảm 01 vụ (cùng kỳ 02 vụ), giảm 50%.", -1),
    ("Trên địa bàn xảy ra 2 vụ tai nạn giao thông, tăng 2 vụ so với cùng kỳ (0 vụ).", 2),
    ("Trong kỳ xảy ra 03 vụ phạm pháp hình sự, giảm 03 vụ so với cùng kỳ năm trước (06 vụ).", -3),
])
def test_a_change_written_as_the_tail_of_an_earlier_number_takes_its_own_sign(text, change):
    """'2 vụ' after '12 vụ' in one sentence: the rise or fall is read before the change, not inside '12 vụ'."""
    result = process_text("Báo cáo năm 2024 của UBND xã Hòa Bình.\n\n" + text)
    changes = [f for f in result.facts.to_dict("records") if f["measure"] == "change" and f["unit"] == "vụ"]
    assert [f["value"] for f in changes] == [change], result.facts[["indicator", "measure", "value", "unit"]]


@pytest.mark.parametrize("text, period, span", [
    ("Năm học 2023-2024, tổng số học sinh các cấp đầu năm học là 1.250 học sinh.", "năm học 2023-2024",
     "school year 2023-2024"),
    ("Kết quả năm học 2024 - 2025: xét tốt nghiệp THCS 198/200 học sinh, đạt 99%; tổng số học sinh toàn trường "
     "hiện có 499 học sinh.", "năm học 2024-2025", "school year 2024-2025"),
    ("Tổng số học sinh năm học 2022 – 2023 là 1.300 học sinh.", "năm học 2022-2023", "school year 2022-2023"),
])
def test_a_school_year_is_the_period_of_education_figures(text, period, span):
    result = process_text("Báo cáo kết quả thực hiện nhiệm vụ năm 2024 của UBND xã Hòa Bình.\n\n" + text)
    pupils = [f for f in result.figures.to_dict("records") if f["indicator"] == "students"]
    assert pupils and {f["period"] for f in pupils} == {period}
    facts = result.facts[result.facts["indicator"] == "students"]
    assert set(facts["period_span"]) == {span} and set(facts["period_year"]) == {int(period[-4:])}


def test_a_ratio_whose_denominator_another_ratio_happens_to_count_is_no_part_of_it():
    """'3/6 khu dân cư' beside '06/08 tổ dân phố': 6 is the numerator of a ratio of its own, not a whole the
    report states for 3/6; the report states the cell twice, differently, and the fact says so."""
    result = process_text("Báo cáo năm 2025 của UBND phường Hòa Bình.\n\n"
                          "Năm 2025, có 3/6 khu dân cư được công nhận danh hiệu khu dân cư văn hóa, đạt 50,0%. "
                          "Năm 2025 có 06/08 tổ dân phố đạt danh hiệu văn hóa, đạt 75,00%.")
    fact = facts_by(result)[("cultural_residential_areas", "actual", "năm 2025", "khu dân cư")]
    assert fact["values"] == [3, 6] and fact["conflict"]
