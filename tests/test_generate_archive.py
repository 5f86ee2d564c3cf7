"""The synthetic archive generator (bench/generate_archive.py): its files, its truth tables, its offsets."""
import hashlib
import math
import importlib.util
import re
from collections import Counter
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("generate_archive", ROOT / "bench" / "generate_archive.py")
generate_archive = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = generate_archive      # dataclasses look their module up there
_spec.loader.exec_module(generate_archive)

TRUTH = {
    "figures": ["path", "char_start", "char_end", "kind", "value", "value_max", "numerator", "denominator", "unit",
                "indicator", "measure", "section"],
    "inconsistencies": ["path", "check", "stated", "computed", "kind_of_error", "text"],
    "checks": ["path", "check", "stated", "computed", "consistent", "kind_of_error", "text", "char_start", "char_end"],
    "documents": ["path", "province", "district", "unit_level", "unit_name", "year", "period", "pages", "sha256",
                  "duplicate_of"],
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    generate_archive.generate_archive(out, count=12, seed=3)
    return out


def truth(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / "_truth" / f"{name}.parquet")


def texts(out: Path) -> dict[str, str]:
    return {p: (out / p).read_text(encoding="utf-8") for p in truth(out, "documents")["path"]}


def number(written: str) -> Decimal:
    """'9.488.000.000' -> 9488000000, '63,7' -> 63.7, '11.6' -> 11.6 (a lone point before 1-2 digits)."""
    if "," in written:
        return Decimal(written.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", written):
        return Decimal(written.replace(".", ""))
    return Decimal(written)


def money(raw: str) -> Decimal:
    """The amount in đồng of a money figure as written: '1.250.000 đồng', '41,795 tỷ đồng', '287 tỷ 400 triệu đồng'."""
    total = Decimal(0)
    for digits, scale in re.findall(r"([\d.,]+)\s*(tỷ|triệu)?", raw):
        total += number(digits) * {"tỷ": 10**9, "triệu": 10**6, "": 1}[scale]
    return total


@pytest.mark.parametrize("n, words", [
    (6_250_000, "sáu triệu hai trăm năm mươi nghìn"),
    (8_100_000, "tám triệu một trăm nghìn"),
    (10_850_000, "mười triệu tám trăm năm mươi nghìn"),
    (2_015_000, "hai triệu không trăm mười lăm nghìn"),
    (1_000_005, "một triệu không trăm linh năm"),
    (41_795_000_000, "bốn mươi mốt tỷ bảy trăm chín mươi lăm triệu"),
    (24, "hai mươi tư"),
])
def test_amounts_in_words(n, words):
    assert generate_archive.words_vi(n) == words


def test_truth_tables_have_their_columns(archive):
    for name, columns in TRUTH.items():
        table = truth(archive, name)
        assert set(columns) <= set(table.columns), name
        assert len(table), name


def test_every_path_exists_and_matches_its_hash(archive):
    docs = truth(archive, "documents")
    assert len(docs) == 12
    for row in docs.itertuples():
        data = (archive / row.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256
        assert re.fullmatch(r"[a-z0-9-]+/[a-z0-9-]+/[a-z0-9-]+/\d{4}-(nam|6-thang|9-thang)(-ban-sao)?\.txt",
                            row.path) or row.duplicate_of
    for name in ("figures", "inconsistencies"):
        assert set(truth(archive, name)["path"]) <= set(docs["path"])


def test_two_duplicates_share_the_bytes_of_their_original(archive):
    docs = truth(archive, "documents").set_index("path")
    dups = docs[docs["duplicate_of"].notna()]
    assert len(dups) == 2
    for path, row in dups.iterrows():
        assert path != row.duplicate_of
        assert row.sha256 == docs.loc[row.duplicate_of, "sha256"]
        assert (archive / path).read_bytes() == (archive / row.duplicate_of).read_bytes()


def test_figure_offsets_give_the_figure_as_written(archive):
    files = texts(archive)
    figures = truth(archive, "figures")
    assert set(figures["kind"]) == {"money", "percent", "per_mille", "ratio", "count", "quantity"}
    for row in figures.itertuples():
        raw = files[row.path][row.char_start:row.char_end]
        assert raw == row.raw
        flat = " ".join(raw.split())
        if not raw[0].isdigit():              # a count in words: "hai vụ", "Ba tiêu chí"
            assert row.kind == "count" and flat.lower() == f"{generate_archive.words_vi(int(row.value))} {row.unit}", flat
            continue
        if isinstance(row.unit, str):         # missing units read back as NaN
            assert flat.endswith(row.unit) or flat.split("/")[0].endswith(row.unit), (flat, row.unit)
        if not pd.isna(row.value_max):        # a range: "4 đến 5 tấn/ha"
            low, high = re.match(r"([\d.,]+) đến ([\d.,]+)", flat).groups()
            assert (number(low), number(high)) == (Decimal(str(row.value)), Decimal(str(row.value_max))), flat
            continue
        lead = re.match(r"[\d.,]+", flat).group(0)
        if row.kind == "money":
            assert money(flat) == Decimal(row.value), flat
        elif row.kind in ("percent", "per_mille"):
            assert Decimal(lead.replace(",", ".")) == Decimal(str(row.value)), flat
        elif row.kind in ("count", "quantity"):
            assert number(lead) == Decimal(str(row.value)), flat
        else:
            a, b = re.match(r"([\d.,]+)\D*?/\s*([\d.,]+)", flat).groups()
            scale = 10**6 if row.unit == "triệu đồng" else 1
            assert (number(a) * scale, number(b) * scale) == (Decimal(str(row.numerator)), Decimal(str(row.denominator)))


def test_wrapped_figures_keep_the_line_break_in_their_span(archive):
    figures = truth(archive, "figures")
    wrapped = figures[figures["raw"].str.contains("\n\n")]
    assert len(wrapped) > 0
    assert all(re.search(r"\S \n\n\S|\S\n\n\S", raw) for raw in wrapped["raw"])


def test_every_digit_is_a_figure_or_a_listed_non_figure(archive):
    """Dates, document numbers, heading numbers, footnote markers ... are listed apart and never overlap a figure."""
    files = texts(archive)
    figures, others = truth(archive, "figures"), truth(archive, "non_figures")
    for path, text in files.items():
        fig = [(a, b) for a, b in zip(*(figures[figures.path == path][c] for c in ("char_start", "char_end")))]
        non = [(a, b) for a, b in zip(*(others[others.path == path][c] for c in ("char_start", "char_end")))]
        covered = bytearray(len(text))
        for a, b in fig + non:
            covered[a:b] = b"\x01" * (b - a)
        assert [m.start() for m in re.finditer(r"\d", text) if not covered[m.start()]] == [], path
        assert not any(a < d and c < b for a, b in fig for c, d in non), path
    assert {"date", "document_number", "heading_number", "year"} <= set(others["reason"])


def test_planted_inconsistencies_are_the_only_failing_ratio_percentages(archive):
    files = texts(archive)
    figures = truth(archive, "figures").sort_values(["path", "char_start"])
    issues = truth(archive, "inconsistencies")
    assert len(issues) >= 1
    assert (issues["stated"] != issues["computed"]).all()
    ratio_starts = set(zip(figures.loc[figures["kind"] == "ratio", "path"], figures.loc[figures["kind"] == "ratio", "char_start"]))
    planted = {(r.path, r.char_start) for r in issues.itertuples()
               if r.check == "ratio_percent" and (r.path, r.char_start) in ratio_starts}
    found = set()
    for path, group in figures.groupby("path"):
        rows = list(group.itertuples())
        for ratio, pct in zip(rows, rows[1:]):
            link = " ".join(files[path][ratio.char_end:pct.char_start].split())
            if ratio.kind != "ratio" or pct.kind != "percent" or not re.search(r"(đạt|chiếm|bằng|=)$", link):
                continue
            written = re.match(r"[\d.,]+", pct.raw).group(0)
            decimals = len(re.split(r"[.,]", written)[1]) if re.search(r"[.,]", written) else 0
            computed = Decimal(100) * Decimal(str(ratio.numerator)) / Decimal(str(ratio.denominator))
            if abs(Decimal(written.replace(",", ".")) - computed) > Decimal(5).scaleb(-decimals - 1):
                found.add((path, ratio.char_start))
    assert found == planted


def test_same_seed_same_bytes(archive, tmp_path):
    generate_archive.generate_archive(tmp_path, count=12, seed=3)
    for path in truth(archive, "documents")["path"]:
        assert (tmp_path / path).read_bytes() == (archive / path).read_bytes()
    for name in ("figures", "inconsistencies", "documents", "sections", "non_figures"):
        pd.testing.assert_frame_equal(truth(tmp_path, name), truth(archive, name))


def test_command_line_refuses_a_non_empty_folder(tmp_path, capsys):
    generate_archive.main([str(tmp_path / "a"), "--count", "3", "--seed", "1"])
    assert "3 files (2 duplicates)" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        generate_archive.main([str(tmp_path / "a"), "--count", "3"])


# --- The pipeline against the generator's truth ------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A larger archive, and what the pipeline makes of each of its files: (archive, figures, checks)."""
    from extract.pipeline import process_file
    out = tmp_path_factory.mktemp("archive-run")
    generate_archive.generate_archive(out, count=40, seed=5)
    docs = truth(out, "documents")
    figures, checks = [], []
    for path in docs.loc[docs["duplicate_of"].isna(), "path"]:
        result = process_file(out / path)
        figures.append(result.figures.assign(path=path))
        checks.append(result.checks.assign(path=path))
    return out, pd.concat(figures, ignore_index=True), pd.concat(checks, ignore_index=True)


def unique_truth(out: Path, name: str) -> pd.DataFrame:
    docs = truth(out, "documents")
    table = truth(out, name)
    return table[table["path"].isin(docs.loc[docs["duplicate_of"].isna(), "path"])]


def same_numbers(found, want) -> bool:
    fields = ("numerator", "denominator") if want.kind == "ratio" else ("value", "value_max")
    return all((pd.isna(getattr(want, f)) and pd.isna(found[f])) or
               (not pd.isna(found[f]) and math.isclose(float(found[f]), float(getattr(want, f)), rel_tol=1e-9))
               for f in fields)


def matching(rows: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    return rows[(rows["char_start"] < end) & (start < rows["char_end"])]


# Ties the generator writes that the pipeline does not check yet (see the report of each): a planted
# inconsistency there goes unflagged, a consistent one unchecked. Each is (name, test on the truth
# check row and its document's text).
# Figures the generator writes that the pipeline does not read yet (see the report): (name, test on the
# truth figure row).
KNOWN_FIGURE_GAPS = [
    ("'ba' (also 'father') counts only before a listed unit: 'ba bị can', 'ba phiên tòa'",
     lambda row: row.kind == "count" and " ".join(row.raw.split()).lower().startswith("ba ")),
    ("'năm' (also 'year') never counts alone: 'năm vụ án', 'Năm tiêu chí chưa đạt'",
     lambda row: row.kind == "count" and " ".join(row.raw.split()).lower().startswith("năm ")),
]
KNOWN_GAPS = [
    ("a total its parts miss by more than a fifth: '04 trường (gồm 02 …, 02 …, 01 …)'",
     lambda row, text: row.check == "parts_sum" and abs(row.stated - row.computed) > 0.2 * row.stated),
    ("shares whose labels hold commas ('nông, lâm nghiệp, thủy sản 31,1%, …'), or whose first share starts a "
     "printed line that begins '- ' ('thương mại\\n\\n- dịch vụ 39,7%')",
     lambda row, text: row.check == "percent_sum" and (re.search(r"\p{L}, \p{L}".replace(r"\p{L}", r"[^\W\d_]"), row.text)
                                                       or "\n- " in text[row.char_start - 40:row.char_end])),
]


def known_gap(row, text: str) -> str | None:
    return next((name for name, test in KNOWN_GAPS if test(row, text)), None)


def test_pipeline_finds_every_generated_figure(extracted):
    out, figures, _ = extracted
    want = unique_truth(out, "figures")
    by_path = dict(tuple(figures.groupby("path")))
    missed, gaps = [], []
    for row in want.itertuples():
        near = matching(by_path[row.path], row.char_start, row.char_end)
        near = near[near["kind"] == row.kind]
        if not any(same_numbers(found, row) for _, found in near.iterrows()):
            if any(test(row) for _, test in KNOWN_FIGURE_GAPS):
                gaps.append(row.raw)
                continue
            missed.append((row.kind, row.raw, near[["kind", "raw", "value", "numerator", "denominator"]].values.tolist()))
    new_nouns = want[want["unit"].isin(["bị can", "bị cáo", "phiên tòa", "vụ án", "sản phẩm", "con bò", "con lợn",
                                        "lồng nuôi cá", "bé trai", "tổ hòa giải", "hòa giải viên"])]
    assert len(new_nouns) > 20 and want["value_max"].notna().any()
    assert (~want["raw"].str[0].str.isdigit()).sum() > 5       # counts in words
    assert missed == [], f"{len(missed)} of {len(want)} figures missed: {missed[:20]}"
    assert len(gaps) <= 0.01 * len(want), gaps


def test_pipeline_makes_the_checks_the_text_ties_together(extracted):
    """Every ratio percentage, per-mille rate and change the generator ties (planted or not) is a check
    row with the stated value and the verdict the truth gives: check, stated, consistent."""
    out, _, checks = extracted
    want = unique_truth(out, "checks")
    files = texts(out)
    by_path = dict(tuple(checks.groupby("path")))
    missed, wrong, gaps = [], [], []
    for row in want[want["check"].isin(["ratio_percent", "change"])].itertuples():
        found = matching(by_path.get(row.path, checks.iloc[:0]), row.char_start, row.char_end)
        found = found[(found["check"] == row.check) & found["stated"].apply(lambda s: math.isclose(s, row.stated))]
        if found.empty:
            gap = known_gap(row, files[row.path])
            (gaps if gap else missed).append((row.check, row.text, gap))
        elif bool(found.iloc[0]["consistent"]) != bool(row.consistent):
            wrong.append((row.text, found.iloc[0]["explanation"]))
    kinds = want.groupby("check").size()
    assert kinds.get("change", 0) >= 10 and kinds.get("ratio_percent", 0) >= 100
    assert (missed, wrong) == ([], []), f"missed: {missed}; judged wrong: {wrong}"
    assert len(gaps) <= 0.1 * len(want), gaps


def test_pipeline_flags_exactly_the_planted_inconsistencies(extracted):
    out, _, checks = extracted
    planted = unique_truth(out, "inconsistencies")
    files = texts(out)
    failing = checks[checks["consistent"].eq(False)]
    false_flags = [(r.path, r.check, r.explanation) for r in failing.itertuples()
                   if matching(planted[planted["path"] == r.path], r.char_start, r.char_end).empty]
    unflagged = []
    for row in planted.itertuples():
        if matching(failing[failing["path"] == row.path], row.char_start, row.char_end).empty \
                and not known_gap(row, files[row.path]):
            unflagged.append((row.check, row.kind_of_error, row.text))
    assert {"wrong_change"} & set(planted["kind_of_error"]) and len(planted) >= 8
    assert (false_flags, unflagged) == ([], [])


def indicator_pairs(out: Path, figures: pd.DataFrame) -> list[tuple]:
    """(truth indicator, truth measure, pipeline indicator, pipeline measure, raw) for every truth figure the
    pipeline read (same place, kind and numbers)."""
    by_path = dict(tuple(figures.groupby("path")))
    pairs = []
    for row in unique_truth(out, "figures").itertuples():
        near = matching(by_path[row.path], row.char_start, row.char_end)
        found = [f for _, f in near[near["kind"] == row.kind].iterrows() if same_numbers(f, row)]
        if found:
            got = found[0]
            pairs.append((None if pd.isna(row.indicator) else row.indicator, None if pd.isna(row.measure) else row.measure,
                          None if pd.isna(got["indicator"]) else got["indicator"],
                          None if pd.isna(got["measure"]) else got["measure"], " ".join(row.raw.split())))
    return pairs


# Measured on this archive (count=40, seed=5); the assertions keep a small margin under it.
INDICATOR_PRECISION, INDICATOR_RECALL, MEASURE_ACCURACY = 1.000, 0.907, 1.000


def test_pipeline_indicators_against_the_truth(extracted):
    """What each figure measures: indicator precision over the figures the pipeline gives one, recall over
    the figures the truth gives one, and the measure over the figures whose indicator is right."""
    out, figures, _ = extracted
    pairs = indicator_pairs(out, figures)
    given = [p for p in pairs if p[2] is not None]
    wanted = [p for p in pairs if p[0] is not None]
    right = [p for p in wanted if p[2] == p[0]]
    precision = sum(p[0] == p[2] for p in given) / len(given)
    recall = len(right) / len(wanted)
    measure = sum(p[1] == p[3] for p in right) / len(right)
    confusion = Counter((p[0], p[2]) for p in pairs if p[0] != p[2]).most_common(15)
    measures = Counter((p[0], p[1], p[3]) for p in right if p[1] != p[3]).most_common(8)
    report = (f"indicator precision {precision:.3f} ({len(given)} given), recall {recall:.3f} ({len(wanted)} wanted), "
              f"measure {measure:.3f}; misses (truth, pipeline): {confusion}; measures (indicator, truth, "
              f"pipeline): {measures}")
    print(report)
    assert len(wanted) > 500, report
    assert precision >= INDICATOR_PRECISION - 0.02, report
    assert recall >= INDICATOR_RECALL - 0.02, report
    assert measure >= MEASURE_ACCURACY - 0.02, report


def test_indicator_truth_uses_the_vocabulary(archive):
    """Every indicator the generator writes is an id of rules/indicators.yaml, with one of its measures;
    a figure with no indicator has no measure."""
    import yaml
    vocabulary = yaml.safe_load((ROOT / "rules" / "indicators.yaml").read_text(encoding="utf-8"))
    ids = {entry["id"] for entry in vocabulary["indicators"]}
    figures = truth(archive, "figures")
    tagged = figures[figures["indicator"].notna()]
    assert set(tagged["indicator"]) <= ids
    assert set(tagged["measure"]) <= {"actual", "estimate", "plan", "share_of_plan", "over_plan", "prior", "change",
                                      "target"}
    assert figures.loc[figures["indicator"].isna(), "measure"].isna().all()
    assert 0.4 < len(tagged) / len(figures) < 0.9


# --- The panel against the generator's truth ---------------------------------------------------------

_bench = importlib.util.spec_from_file_location("archive_run", ROOT / "bench" / "archive_run.py")
archive_run = importlib.util.module_from_spec(_bench)
_bench.loader.exec_module(archive_run)



@pytest.fixture(scope="module")
def archive_panel(tmp_path_factory):
    """The larger archive (count=40, seed=5) run into a dataset and its panel: (archive, panel table)."""
    from extract.cli import main
    root = tmp_path_factory.mktemp("archive-panel")
    generate_archive.generate_archive(root / "archive", count=40, seed=5)
    assert main(["run", str(root / "archive"), "--out", str(root / "dataset"), "--workers", "1"]) == 0
    assert main(["panel", str(root / "dataset"), "--out", str(root / "panel")]) == 0
    return root / "archive", pd.read_parquet(root / "panel" / "panel.parquet")


def test_the_panel_is_the_truths_cell_for_cell(archive_panel):
    """Every panel cell (unit, year, period, indicator, measure, unit) has the value the truth gives it, picked
    across reports as the truth picks; no cell the truth lacks, none it has missing; one key per unit."""
    archive, panel = archive_panel
    found = archive_run.panel_mismatches(archive, panel)
    report = "\n".join(f"{kind}: {line}" for kind in ("wrong", "extra", "units") for line in found[kind])
    assert len(panel) > 300
    assert found["units"] == [], report
    assert found["wrong"] + found["extra"] + found["missing"] == [], report + "\n".join(
        f"missing: {line}" for line in found["missing"])


def test_the_panel_comparison_catches_a_wrong_cell(archive_panel):
    archive, panel = archive_panel
    changed = panel.copy()
    n = changed.index[changed["indicator"].eq("households")][0]
    changed.loc[n, "value"] *= 1.01
    moved = panel.copy()
    moved.loc[n, "year"] -= 1
    before = archive_run.panel_mismatches(archive, panel)
    wrong = archive_run.panel_mismatches(archive, changed)["wrong"]
    assert [line for line in wrong if line not in before["wrong"]] == [w for w in wrong if "'households'" in w]
    assert len(wrong) == len(before["wrong"]) + 1
    assert len(archive_run.panel_mismatches(archive, moved)["extra"]) > len(before["extra"])


def test_truth_periods_and_parts():
    """A prior is about the same span a year before, a target about the period its section sets out, a
    school year's pupils about the school year; the parts of a breakdown are no cell of their own."""
    doc = generate_archive.make_doc(generate_archive.make_units(__import__("random").Random(1), 1)[0], 2024,
                                    "6 months", 11, 0)
    rows = pd.DataFrame(doc.figures)
    tagged = rows[rows["indicator"].notna()]
    assert set(tagged.loc[tagged["measure"].eq("prior"), "period_year"]) <= {2023}
    assert set(tagged.loc[tagged["measure"].eq("target"), "period_span"]) <= {"last 6 months"}
    assert tagged["whole"].notna().all() and rows.loc[rows["indicator"].isna(), "whole"].isna().all()


def test_the_panel_of_two_hundred_reports_is_the_truths_cell_for_cell(tmp_path):
    """The same on 200 reports (seed 7), which meet more of the generator's phrasings and of the cells several
    reports give (about half a minute on two workers)."""
    from extract.cli import main
    generate_archive.generate_archive(tmp_path / "archive", count=200, seed=7)
    assert main(["run", str(tmp_path / "archive"), "--out", str(tmp_path / "dataset"), "--workers", "2"]) == 0
    assert main(["panel", str(tmp_path / "dataset"), "--out", str(tmp_path / "panel")]) == 0
    panel = pd.read_parquet(tmp_path / "panel" / "panel.parquet")
    found = archive_run.panel_mismatches(tmp_path / "archive", panel)
    report = "\n".join(f"{kind}: {line}" for kind in ("wrong", "extra", "missing", "units") for line in found[kind])
    assert len(panel) > 3000
    assert found["wrong"] + found["extra"] + found["missing"] + found["units"] == [], report
