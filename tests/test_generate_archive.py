"""The synthetic archive generator (bench/generate_archive.py): its files, its truth tables, its offsets."""
import hashlib
import importlib.util
import re
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
    "figures": ["path", "char_start", "char_end", "kind", "value", "numerator", "denominator", "unit", "section"],
    "inconsistencies": ["path", "check", "stated", "computed", "kind_of_error", "text"],
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
        assert raw[0].isdigit(), raw
        flat = " ".join(raw.split())
        if isinstance(row.unit, str):         # missing units read back as NaN
            assert flat.endswith(row.unit), (flat, row.unit)
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
    planted = {(r.path, r.char_start) for r in issues.itertuples() if r.check == "ratio_percent"}
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
