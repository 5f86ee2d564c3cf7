"""Integrity of the hand-made gold annotation under samples/gold/<stem>/ (no pipeline involved).

For every folder: the report samples/<stem>.txt exists; every figure's raw text sits at its offset and
line; figure ids are unique and in text order; every check refers to existing figures; every check's
verdict is recomputed from its stated and computed values (half a unit of the last written digit),
planted inconsistencies fail and all other checks hold; sections and skipped numbers sit where they say.
"""
import json
import math
import re
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
GOLD = SAMPLES / "gold"
FOLDERS = sorted(p for p in GOLD.iterdir() if p.is_dir()) if GOLD.is_dir() else []


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text_of(folder: Path) -> str:
    return open(SAMPLES / f"{folder.name}.txt", encoding="utf-8").read()


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def decimals(raw: str) -> int:
    core = re.sub(r"[^\d,.]", "", raw.replace(" ", ""))
    if "," in core:
        return len(core.split(",")[1])
    if "." in core and not re.fullmatch(r"\d{1,3}(\.\d{3})+", core):
        return len(core.split(".")[1])
    return 0


def test_there_are_gold_folders():
    assert FOLDERS, "no folder under samples/gold/"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_figures_sit_at_their_offsets(folder):
    text = text_of(folder)
    figures = rows(folder, "figures")
    ids = [f["id"] for f in figures]
    assert len(ids) == len(set(ids))
    assert [f["start"] for f in figures] == sorted(f["start"] for f in figures)
    for f in figures:
        assert text[f["start"]:f["start"] + len(f["raw"])] == f["raw"], f["id"]
        assert line_at(text, f["start"]) == f["line"], f["id"]
        assert f["kind"] in {"money", "percent", "per_mille", "ratio", "count", "quantity"}, f["id"]
        if f["kind"] == "ratio":
            assert f["value"] is None and f["numerator"] is not None and f["denominator"], f["id"]
        else:
            assert f["value"] is not None, f["id"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_checks_refer_to_figures_and_hold_or_fail_as_planted(folder):
    figures = {f["id"]: f for f in rows(folder, "figures")}
    checks = rows(folder, "checks")
    assert checks
    for c in checks:
        assert c["figure_ids"] and all(i in figures for i in c["figure_ids"]), c
        if c["type"] in ("ratio_percent", "change", "implied_denominator"):
            tolerance = 0.5 * 10 ** -c["stated_decimals"]
            assert math.isclose(c["tolerance"], tolerance)
            if c["type"] == "ratio_percent":
                computed = c.get("scale", 100) * c["numerator"] / c["denominator"]
            elif c["type"] == "change":       # the change as written: "giảm 20%" is 20 in the stated direction
                computed = (1 if c["direction"] == "tăng" else -1) * 100 * (c["new"] - c["old"]) / c["old"]
            else:
                base = next(iter(c["candidates"]))
                computed = 100 * c["numerator"] / int(base)
            assert round(computed, 3) == pytest.approx(c["computed"], abs=1e-9)
            holds = abs(c["stated"] - computed) <= tolerance + 1e-9
            if c["type"] == "change" and "difference_stated" in c:
                holds = holds and c["difference_stated"] == pytest.approx(c["new"] - c["old"])
        elif c["type"] == "parts_sum":
            assert sum(c["parts_values"]) == pytest.approx(c["computed"])
            holds = abs(c["stated"] - sum(c["parts_values"])) < 1e-6
        elif c["type"] == "percent_sum":
            total = sum(figures[i]["value"] for i in c["figure_ids"])
            assert total == pytest.approx(c["computed"], abs=1e-6)
            holds = abs(total - 100) <= 0.05 + 1e-9
        elif c["type"] == "words_digits":
            holds = c["stated"] == c["computed"]
        else:
            pytest.fail(f"unknown check type {c['type']}")
        assert c["consistent"] == holds, c
        assert c["consistent"] is (not c["planted"]), c
    assert sum(c["planted"] for c in checks) == 5


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_percent_figures_match_their_decimals(folder):
    for f in rows(folder, "figures"):
        if f["kind"] in ("percent", "per_mille") and "value_max" not in f:
            value = f["value"]
            d = decimals(f["raw"])
            assert round(value, d) == pytest.approx(value), f["id"]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_sections_and_skipped_numbers_sit_where_they_say(folder):
    text = text_of(folder)
    lines = text.split("\n")
    for s in rows(folder, "sections"):
        assert line_at(text, s["start"]) == s["line"], s
        assert text[s["start"]:].startswith(s["number"]), s
        assert s["title"].split(" ")[0] in lines[s.get("title_line", s["line"]) - 1], s
    figures = rows(folder, "figures")
    spans = [(f["start"], f["start"] + len(f["raw"])) for f in figures]
    for k in rows(folder, "skipped_numbers"):
        assert text[k["start"]:k["start"] + len(k["raw"])] == k["raw"], k
        assert line_at(text, k["start"]) == k["line"], k
        end = k["start"] + len(k["raw"])
        assert not any(a < end and k["start"] < b for a, b in spans), k
        assert k["reason"] and k["reason"] != "??", k
    # every digit run of the text is either inside a figure or listed as skipped
    skipped = {k["start"] for k in rows(folder, "skipped_numbers")}
    for m in re.finditer(r"\d+(?:[./]\d+)*", text):
        inside = any(a <= m.start() and m.end() <= b for a, b in spans)
        assert inside or m.start() in skipped, (m.group(), line_at(text, m.start()))
