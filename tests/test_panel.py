"""The cross-ward panel: one key per unit across years, the rule that picks a cell's value, every alternative
kept; units matched to the official codes across the 2025 reorganisation; the page in headless Chromium."""
import re
import shutil

import pandas as pd
import pytest

from extract.admin_units import match_unit
from extract.cli import main

from conftest import ROOT
from test_review import browser, chromium, console_messages  # noqa: F401  browser: the review tests' fixture

HOA_BINH = ROOT / "samples" / "phuong-hoa-binh-2024.txt"
DONG_SON = ROOT / "samples" / "thi-tran-dong-son-2023"


@pytest.fixture(scope="module")
def panel(tmp_path_factory):
    """The samples' texts, Đông Sơn's PDF too, and the next year's report of Hòa Bình restating its poor
    households of 2024 with another count."""
    root = tmp_path_factory.mktemp("panel")
    archive = root / "archive"
    archive.mkdir()
    for sample in [*sorted((ROOT / "samples").glob("*.txt")), DONG_SON.with_suffix(".pdf")]:
        shutil.copy(sample, archive / sample.name)
    text = HOA_BINH.read_text(encoding="utf-8")
    assert text.count("còn 11 hộ \n\nnghèo") == 1
    later = archive / "phuong-hoa-binh-2025.txt"
    later.write_text(text.replace("còn 11 hộ \n\nnghèo", "còn 12 hộ \n\nnghèo"), encoding="utf-8")
    metadata = root / "metadata.csv"
    metadata.write_text(f"path,report_date,report_year\n{later},2025-12-05,2025\n", encoding="utf-8")
    dataset, out = root / "dataset", root / "panel"
    assert main(["run", str(archive), "--out", str(dataset), "--metadata", str(metadata)]) == 0
    assert main(["panel", str(dataset), "--out", str(out), "--html"]) == 0
    return out


def test_a_unit_is_one_key_across_its_reports_and_years(panel):
    long = pd.read_parquet(panel / "panel.parquet")
    hoa_binh = long[long["unit_name"] == "Phường Hòa Bình"]
    assert set(hoa_binh["unit_key"]) == {"name:phường hòa bình, phủ lý"}
    assert {2024, 2025} <= set(hoa_binh["year"])
    conflicts = pd.read_parquet(panel / "conflicts.parquet")
    sources = conflicts[conflicts["unit_key"] == "name:phường hòa bình, phủ lý"]["source"]
    assert set(sources.map(lambda s: s.rsplit("/", 1)[-1])) == {"phuong-hoa-binh-2024.txt", "phuong-hoa-binh-2025.txt"}
    # the sample units are invented: each is kept by its name, and the row says why it has no code
    assert long["unit_code"].isna().all()
    assert long["unit_match"].str.startswith("unmatched: ").all()
    assert long.groupby("unit_key")["unit_name"].nunique().max() == 1
    assert not long.duplicated(["unit_key", "year", "period", "indicator", "measure", "unit"]).any()


def test_the_latest_report_wins_and_the_other_statement_is_kept(panel):
    long = pd.read_parquet(panel / "panel.parquet")
    poor = long[(long["unit_name"] == "Phường Hòa Bình") & (long["indicator"] == "poor_households")
                & (long["measure"] == "actual") & (long["year"] == 2024)].iloc[0]
    assert poor["value"] == 12 and poor["source"].endswith("phuong-hoa-binh-2025.txt")
    assert poor["statements"] == 2 and poor["conflict"]
    conflicts = pd.read_parquet(panel / "conflicts.parquet")
    cell = conflicts[(conflicts["unit_name"] == "Phường Hòa Bình") & (conflicts["indicator"] == "poor_households")
                     & (conflicts["measure"] == "actual") & (conflicts["year"] == 2024)]
    assert list(zip(cell["value"], cell["picked"], cell["agrees"], cell["source"].map(lambda s: s.rsplit("/", 1)[-1]))) \
        == [(12, True, True, "phuong-hoa-binh-2025.txt"), (11, False, False, "phuong-hoa-binh-2024.txt")]
    assert "còn 11 hộ nghèo" in cell["sentence"].iloc[1]


def test_a_result_wins_over_an_estimate(panel):
    long = pd.read_parquet(panel / "panel.parquet")
    revenue = long[(long["unit_name"] == "Thị trấn Đông Sơn") & (long["indicator"] == "budget_revenue_state")
                   & (long["measure"] == "actual") & (long["year"] == 2023)].iloc[0]
    assert revenue["value"] == 17_845_300_000 and revenue["stated_measure"] == "actual"
    conflicts = pd.read_parquet(panel / "conflicts.parquet")
    cell = conflicts[(conflicts["unit_name"] == "Thị trấn Đông Sơn") & (conflicts["indicator"] == "budget_revenue_state")
                     & (conflicts["measure"] == "actual") & (conflicts["year"] == 2023)]
    assert "estimate" in set(cell["stated_measure"]) and cell["picked"].sum() == 1


def test_the_wide_file_has_a_row_per_unit_and_year_and_readable_columns(panel):
    long = pd.read_parquet(panel / "panel.parquet")
    wide = pd.read_csv(panel / "panel_wide.csv", encoding="utf-8-sig")
    assert not wide.duplicated(["unit_key", "year", "period"]).any()
    assert "poor_households (hộ)" in wide and "budget_revenue_state: share_of_plan (%)" in wide
    row = wide[(wide["unit_name"] == "Phường Hòa Bình") & (wide["year"] == 2024) & (wide["period"] == "year")]
    assert row["poor_households (hộ)"].tolist() == [12]
    assert len(pd.read_csv(panel / "panel.csv", encoding="utf-8-sig")) == len(long)


def test_units_are_matched_to_the_official_codes_across_the_2025_reorganisation():
    # phường Phúc Xá (quận Ba Đình) was merged into the new phường Hồng Hà on 1 July 2025
    before = match_unit("phường", "Phúc Xá", "Ba Đình", "Hà Nội", "2024-12-10", 2024)
    after = match_unit("phường", "Hồng Hà", None, "thành phố Hà Nội", "2025-12-10", 2025)
    assert (before.unit_code, before.unit_match) == ("00001", "before 2025")
    assert (before.unit_code_2025, before.unit_name_2025) == ("00097", "Phường Hồng Hà")
    assert (after.unit_key, after.unit_code_2025, after.unit_match) == ("00097", "00097", "from 2025")
    # phường Trúc Bạch became part of phường Ba Đình, which kept its code: one key across the change
    assert match_unit("Phường", "Trúc Bạch", "quận Ba Đình", None, "2024-06-30").unit_key == \
        match_unit("phường", "Ba Đình", None, "Hà Nội", "2025-07-01").unit_key == "00004"
    # xã Đông Lâm (huyện Tiền Hải, Thái Bình) is in xã Đồng Châu of Hưng Yên since 2025; Đông is not Đồng
    dong_lam = match_unit("xã", "Đông Lâm", "huyện Tiền Hải", "tỉnh Thái Bình", None, 2024)
    assert (dong_lam.unit_code, dong_lam.unit_name_2025, dong_lam.province_2025) == ("13024", "Xã Đồng Châu", "Tỉnh Hưng Yên")
    # a name that many units bear, with no place to choose among them, and a province no list has
    many = match_unit("xã", "Hòa Bình", None, None, "2024-12-01")
    assert many.unit_code is None and many.unit_key == "name:xã hòa bình" and many.unit_match.startswith("unmatched")
    invented = match_unit("phường", "Tân An", None, "Hưng Phú", "2025-12-08")
    assert invented.unit_code is None and "no Phường Tân An in Hưng Phú" in invented.unit_match


def test_the_page_renders_every_point_with_its_source_one_click_away(browser, panel):
    page = panel / "panel.html"
    source = page.read_text(encoding="utf-8")
    for external in ("http://", "https://", "<link", "<script src"):
        assert external not in source
    done = chromium("--virtual-time-budget=3000", "--dump-dom", page.as_uri())
    assert done.returncode == 0 and console_messages(done.stderr) == []
    dom = done.stdout
    long = pd.read_parquet(panel / "panel.parquet")
    assert dom.count("<circle") == long["value"].notna().sum()
    assert dom.count("<section") == long.groupby(["indicator", "measure", "unit"]).ngroups
    links = re.findall(r'<a class="point" href="file://([^"#]+)(?:#page=\d+)?"', dom)
    assert len(links) == dom.count("<circle") and all(__import__("os").path.exists(link) for link in links)
    assert "#page=" in dom                                   # a PDF's point opens its page
    assert "còn 12 hộ nghèo" in dom                          # the sentence as the point's tooltip
    shot = ROOT / "output" / "panel-screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    done = chromium("--window-size=1000,1400", f"--screenshot={shot}", page.as_uri())
    assert done.returncode == 0 and shot.stat().st_size > 10_000
