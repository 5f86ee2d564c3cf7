"""The queries the README shows a researcher, run on a dataset of the sample reports, give the answers a
person reads in those reports."""
import regex

from extract.cli import main

from conftest import ROOT


def readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Queries", 1)[1].split("\n## ", 1)[0]
    return regex.findall(r"```python\n(.*?)```", section, regex.S)


def answers(dataset) -> list:
    found = []
    for code in readme_queries():
        assert regex.search(r'^DATASET = "output"$', code, regex.M), "each query says where the dataset is"
        scope = {}
        exec(regex.sub(r'^DATASET = .*$', f"DATASET = {str(dataset)!r}", code, flags=regex.M), scope)
        found.append(list(scope.values())[-1])      # the answer is what the query defines last
    return found


def test_the_readme_queries_give_what_the_sample_reports_say(tmp_path):
    out = tmp_path / "dataset"
    assert main(["run", str(ROOT / "samples"), "--out", str(out)]) == 0
    revenue, poor, failing = answers(out)
    # each sample is there twice (text and PDF): both give the one answer its report states
    assert dict(zip(zip(revenue["unit_name"], revenue["report_year"], revenue["indicator"]),
                    revenue["billion_dong"].round(6))) == {
        ("Hòa Bình", 2024, "budget_revenue_state"): 12.746,     # "Tổng thu ngân sách nhà nước ... 12.746.000.000đ/9.830.000.000đ"
        ("Hòa Bình", 2024, "budget_revenue_local"): 8.31542,    # "Thu ngân sách phường ước thực hiện 8.315.420.000đ/6.200.000.000đ"
        ("Tân An", 2025, "budget_revenue_state"): 41.795,       # "... ước thực hiện 41,795 tỷ đồng"
        ("Tân An", 2025, "budget_revenue_local"): 18.43672,
        ("Đông Sơn", 2023, "budget_revenue_state"): 17.8453,    # "... đạt 17.845.300.000đ/14.500.000.000đ"
        ("Đông Sơn", 2023, "budget_revenue_local"): 9.127,
        ("An Phú", 2025, "budget_revenue_local"): 5.873214,     # "Tổng thu ngân sách xã 6 tháng ước thực hiện 5.873.214.000đ"
        ("Đông Lâm", 2024, "budget_revenue_local"): 11.8465,    # "Tổng thu ngân sách xã ước thực hiện 11.846.500.000đ/9.720.000.000đ"
        ("Vạn Xuân", 2025, "budget_revenue_state"): 18.642,     # "... trên địa bàn 9 tháng ước thực hiện 18.642/21.500 triệu đồng"
    }
    assert len(poor) == 6      # one row per report: its text and PDF agree
    assert dict(zip(poor["unit_name"], poor["poor_households"])) == {
        "Hòa Bình": 11,                     # "toàn phường còn 11 hộ nghèo"
        "Tân An": 23,                       # "toàn phường còn 23 hộ nghèo"
        "Đông Sơn": 29,                     # "toàn thị trấn còn 29 hộ nghèo"
        "An Phú": 47,                       # "hộ nghèo 47 hộ"
        "Đông Lâm": 38,                     # "hộ nghèo còn 38 hộ"
        "Vạn Xuân": 21,                     # "Hộ nghèo còn 21 hộ", in its 9-month report
    }
    # the planted inconsistencies of samples/README.md, in the text and in the PDF (one more, in its table)
    failed = (failing["checks"] * failing["share_failing"]).round().astype(int).to_dict()
    assert failed == {"binh-dinh": 5 + 6, "ha-tinh": 5 + 6, "hung-phu": 6 + 7, "unknown": 6 + 7,
                      "lam-giang": 2 * (5 + 6)}
