"""Scans read by OCR: an image-only PDF, a skewed 150-dpi page, an image file, one scanned page among
text pages give the figures of the text PDF they were made from; the checks do not blame the report for
what OCR was unsure of. The scans are made here from the sample PDFs (pypdfium2 renders, Pillow saves)."""
import io
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from extract import rulebook as rules
from extract.checks import Check, Placed, ocr_unsure
from extract.cli import main
from extract.load import InputError
from extract.pipeline import process_file
from extract.readers import ReadOptions
from extract.readers.ocr import (CAP_HEIGHT, NO_TESSERACT, _Word, despeckled, find_rules, ocr_pages, punctuation_by_depth, raised_marks,
                                 readings_disagree, split_at_specks, stops_between_digits,
                                 serifed_top, skew_angle, stop_at_foot, tessdata, without_specks)

from conftest import ROOT

try:
    tessdata()
except InputError:
    print(f"tests/test_ocr.py skipped: {NO_TESSERACT}")
    pytest.skip(NO_TESSERACT, allow_module_level=True)

SAMPLES = ROOT / "samples"
SMALLEST = SAMPLES / "thi-tran-dong-son-2023.pdf"      # 7 pages, footnotes, an appendix table
HOA_BINH = SAMPLES / "phuong-hoa-binh-2024.pdf"         # page 3: footnote 1 with two planted slips


def page_images(pdf: Path, dpi: int, pages: list[int] | None = None) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        numbers = pages or range(1, len(document) + 1)
        return [document[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in numbers]
    finally:
        document.close()


def photocopied(image: Image.Image, degrees: float, seed: int = 0) -> Image.Image:
    """Turned a little and speckled, as a copier does."""
    pixels = np.asarray(image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)).copy()
    rng = np.random.default_rng(seed)
    specks = rng.random(pixels.shape) < 0.01
    pixels[specks] = rng.integers(40, 140, size=int(specks.sum()), dtype=np.uint8)
    return Image.fromarray(pixels)


def image_pdf(images: list[Image.Image], dpi: int, path: Path) -> Path:
    first, *rest = images
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=dpi)
    return path


def figure_keys(result, pages=None) -> list[tuple]:
    rows = result.figures
    if pages is not None:
        rows = rows[rows["page"].isin(pages)]
    keys = []
    for f in rows.sort_values(["page", "char_start"]).itertuples():
        numbers = (f.numerator, f.denominator) if f.kind == "ratio" else (f.value,)
        keys.append((f.kind, *(round(n, 6) for n in numbers)))
    return keys


def f1(found: list, expected: list) -> float:
    common = sum((Counter(found) & Counter(expected)).values())
    return 2 * common / (len(found) + len(expected)) if found or expected else 1.0


def flagged(result) -> set[tuple]:
    checks = result.checks
    failed = checks[checks["consistent"].eq(False).fillna(False).astype(bool)]     # a nullable boolean column
    return {(c.check, round(c.stated, 4)) for c in failed.itertuples()}


@pytest.fixture(scope="module")
def scanned_sample(tmp_path_factory):
    path = image_pdf(page_images(SMALLEST, 300), 300, tmp_path_factory.mktemp("scan") / "scan300.pdf")
    return process_file(path), process_file(SMALLEST)


def test_a_scanned_sample_gives_the_figures_of_its_text_pdf(scanned_sample):
    scanned, text = scanned_sample
    assert scanned.ok, scanned.error
    document = scanned.documents.iloc[0]
    assert document["format"] == "pdf+ocr"
    assert list(document["ocr_pages"]) == list(range(1, 8))
    assert f1(figure_keys(scanned), figure_keys(text)) >= 0.95
    assert scanned.figures["ocr_confidence"].notna().all()
    assert set(scanned.figures["section"].dropna()) & {"footnote 1", "footnote 2"}


def test_every_planted_inconsistency_of_a_scanned_sample_is_still_flagged(scanned_sample):
    scanned, text = scanned_sample
    assert len(flagged(text)) >= 5                          # the sample's planted ones
    assert flagged(text) <= flagged(scanned)
    assert flagged(scanned) <= flagged(text), "a check fails on a misread figure instead of being ocr_unsure"


def test_a_skewed_150_dpi_page_is_straightened_and_read(tmp_path):
    clean = page_images(HOA_BINH, 150, [3])[0]
    path = image_pdf([photocopied(clean, -1.2)], 150, tmp_path / "skewed150.pdf")
    scanned = process_file(path)
    assert scanned.ok, scanned.error
    text = process_file(HOA_BINH)
    assert f1(figure_keys(scanned), figure_keys(text, [3])) >= 0.85
    assert "2023-2024" in scanned.documents.iloc[0]["text"]


def test_the_skew_of_a_page_is_measured_from_its_ink():
    page = page_images(HOA_BINH, 100, [3])[0]
    for degrees in (-2.0, -0.7, 0.0, 1.3):
        turned = np.asarray(page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)) < 128
        assert skew_angle(turned) == pytest.approx(-degrees, abs=0.1)


@pytest.mark.parametrize("degrees", [90, 180])
def test_a_page_scanned_sideways_or_upside_down_is_turned_upright(degrees):
    page = page_images(HOA_BINH, 300, [3])[0]
    upright, = ocr_pages([(page, 300)])
    turned, = ocr_pages([(page.rotate(degrees, expand=True, fillcolor=255), 300)])
    assert turned.turned == 360 - degrees
    assert (turned.width, turned.height) == pytest.approx((upright.width, upright.height))
    assert "".join(c["text"] for c in turned.chars) == "".join(c["text"] for c in upright.chars)


def test_pages_read_on_several_threads_are_the_pages_read_on_one_in_their_order():
    images = [(image, 300) for image in page_images(HOA_BINH, 300, [1, 2, 3])]
    one = ocr_pages(images)
    three = ocr_pages(images, threads=3)
    texts = [[(c["text"], c["x0"], c["top"]) for c in p.chars] for p in one]
    assert len(three) == 3 and texts[0] != texts[1] != texts[2]
    assert [[(c["text"], c["x0"], c["top"]) for c in p.chars] for p in three] == texts


def test_the_rules_of_a_table_are_found_in_its_image():
    ink = np.zeros((400, 600), bool)
    ink[100:103, 50:550] = ink[300:302, 50:550] = True       # two horizontal rules
    ink[100:302, 50:52] = ink[100:302, 548:550] = True       # two vertical ones
    ink[180:220, 200:204] = True                             # a letter's stroke: too short
    found = find_rules(ink, dpi=300)
    assert sorted(found) == [(50, 100, 52, 302), (50, 100, 550, 103), (50, 300, 550, 302), (548, 100, 550, 302)]


def test_specks_of_toner_are_taken_out_and_full_stops_and_the_dots_of_letters_kept():
    page = np.asarray(page_images(HOA_BINH, 150, [3])[0])
    grey = page.copy()
    grey[300:303, 40:43] = 0                 # a full stop in the blank margin
    grey[400, 40] = 60                       # specks: one pixel, two
    grey[500, 40:42] = 90
    clean = np.asarray(despeckled(Image.fromarray(grey), 150))
    assert (clean[400, 40], clean[500, 40], clean[500, 41]) == (255, 255, 255)
    assert (clean[300:303, 40:43] == 0).all()
    assert (clean[:, 100:] == page[:, 100:]).all(), "the type (its dots under ị, ạ among it) is left as it is"


def test_a_rule_with_pin_holes_is_found_whole_and_a_line_of_serifs_is_not_a_rule():
    ink = np.zeros((200, 400), bool)
    ink[50:52, 20:380] = True
    for x in range(40, 380, 30):              # toner dropouts of two pixels
        ink[50:52, x:x + 2] = False
    for x in range(20, 68, 6):                # a word whose feet touch across one-pixel gaps, stems above
        ink[150:152, x:x + 5] = True
        ink[130:150, x + 1:x + 3] = True
    assert find_rules(ink, dpi=150) == [(20, 50, 380, 52)]


def test_the_feet_of_a_bold_heading_number_and_its_stops_are_no_rule_and_a_short_rule_under_a_word_is():
    ink = np.zeros((200, 400), bool)
    # "2.2." at 150 dpi: feet of 14 pixels, stops of 5 standing a pixel above and below them, a pixel apart
    x = 100
    for width, body in ((14, True), (5, False), (14, True), (5, False)):
        if body:
            for row in range(100, 118):                       # a stroke down from the right to the foot
                left = x + (width - 3) * (117 - row) // 17
                ink[row, left:left + 3] = True
            ink[118:121, x:x + width] = True
        else:
            ink[117:122, x:x + width] = True
        x += width + 1
    assert find_rules(ink, dpi=150) == []
    ink[:] = False
    ink[150:152, 20:70] = True                                # a rule of a third of an inch
    ink[130:142, 24:34] = True                                # a short word over part of it
    assert find_rules(ink, dpi=150) == [(20, 150, 70, 152)]


def test_a_stop_the_reading_ran_into_a_heading_number_is_put_back_from_the_ink():
    # "2.1." read "21.": digits 18 pixels high on the baseline at row 40, a stop of 5 between them and after
    ink = np.zeros((50, 60), bool)
    ink[22:40, 2:13] = True
    ink[22:32, 13:15] = True                                  # the bowl of the 2 two columns wider than its foot
    ink[35:40, 14:19] = True                                  # the stop under it, not touching the 2
    ink[22:40, 21:30] = True
    ink[35:40, 32:37] = True
    read = [("2", (2, 22, 14, 40), 99.0), ("1", (13, 22, 30, 40), 99.0), (".", (32, 35, 37, 40), 99.0)]
    fixed = stops_between_digits(ink, (2, 22, 37, 40), 40.0, 18.0, read, 60)
    assert [s[0] for s in fixed] == ["2", ".", "1", "."]
    ink[35:40, 14:19] = False                                 # no stop between: the number is 21
    assert stops_between_digits(ink, (2, 22, 37, 40), 40.0, 18.0, read, 60) is None
    ink[35:40, 14:19] = True
    ink[22:40, 40:48] = True                                  # three digits in the ink, two read: not ours to say
    assert stops_between_digits(ink, (2, 22, 48, 40), 40.0, 18.0, read, 60) is None


def test_a_comma_that_does_not_reach_below_the_baseline_is_a_full_stop():
    # "1,1. Trồng trọt" on a 150-dpi scan: the first stop read as a comma at confidence 99
    assert punctuation_by_depth((",", (249, 930, 254, 935), 99.0), 935.0, 29.2)[0] == "."
    assert punctuation_by_depth((",", (314, 930, 318, 939), 99.0), 935.0, 29.2)[0] == ","
    # "1:011/2.864" for "1.011/2.864": a colon's box one dot high on the baseline; a colon in a time stays
    assert punctuation_by_depth((":", (519, 1611, 521, 1613), 98.8), 1613.5, 22.4)[0] == "."
    assert punctuation_by_depth((":", (383, 1578, 386, 1588), 99.6), 1588.5, 22.9)[0] == ":"


# glyphs cut from the 150-dpi scan of phuong-tan-an-2025, in ten shades of grey (" " paper to "@" black)
SHADES = " .:-=+*#%@"
BOLD_I_STOP_TOUCHING = [     # page 14, "I. KẾT QUẢ ĐẠT ĐƯỢC", read "L"
    "                  ",
    "  --::-:--.       ",
    "  **%%%%#*-       ",
    "  :-@@@@*:.       ",
    "    %@@@-         ",
    "    %@@@-         ",
    "    #@@@-         ",
    "    #@@@-         ",
    "    #@@@-         ",
    "    %@@@-         ",
    "    #@@@-         ",
    "    #@@@-         ",
    "    #@@@-         ",
    ".   #@@@-         ",
    "    #@@@-         ",
    "    #@@@-   ::.   ",
    "    #@@@-  :*%+.  ",
    "   .%@@@=  *@@@=  ",
    "  :+%@@@*=:*@@@=  ",
    " .+#*****#=-*%*.  ",
    "            .:.   ",
    "                  ",
]
BOLD_ONE_STOP = [            # page 1, "1. Tăng trưởng kinh tế"
    "                    ",
    "    .. .:           ",
    "    -+:*#.          ",
    "    -#@@%:          ",
    "  :+@@@@%:          ",
    "  +%*%@@%:          ",
    "  :  *@@%:          ",
    "     #@@%:          ",
    "    .#@@%:          ",
    "     #@@%:         .",
    "     #@@%:          ",
    "     #@@%:          ",
    "     #@@%:          ",
    "     #@@%:          ",
    "     #@@%:          ",
    "     #@@@:    .:    ",
    "     #@@@.   .*%+.  ",
    "    .#@@@:   *@@@-  ",
    "  -=+%@@@+=:.*@@@=  ",
    "  *%%#####%#.-#%%.  ",
    "   ..         :-.   ",
    "                    ",
]


def scanned_glyph(rows: list[str]) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    grey = np.array([[255 - SHADES.index(c) * 255 // 9 for c in row] for row in rows], np.uint8)
    return grey, grey < 128, (0, 0, grey.shape[1], grey.shape[0])


def test_a_bold_i_is_told_from_a_bold_one_by_its_top_and_its_stop_found_where_it_touches_the_serif():
    grey, ink, box = scanned_glyph(BOLD_I_STOP_TOUCHING)
    assert serifed_top(grey, ink, box) and stop_at_foot(ink, box)
    ink[:, 10:] = False                                        # the same I without its stop
    assert not stop_at_foot(ink, box)
    grey, ink, box = scanned_glyph(BOLD_ONE_STOP)
    assert not serifed_top(grey, ink, box) and stop_at_foot(ink, box)


def test_specks_read_as_punctuation_are_dropped_and_real_marks_kept():
    grey = np.full((60, 200), 255, np.uint8)
    grey[30:32, 20:27] = 0                                    # a dash
    grey[28:44, 60:70] = 0                                    # a letter after a faint speck
    grey[30, 52] = 150
    dash = _Word((20, 29, 27, 33), 93.0, [("-", (20, 29, 27, 33), 93.0)])
    speck = _Word((100, 30, 103, 33), 93.0, [("-", (100, 30, 103, 33), 93.0)])
    quoted = _Word((50, 26, 70, 44), 90.0, [("“", (50, 26, 54, 32), 80.0), ("T", (60, 28, 70, 44), 95.0)])
    assert without_specks(grey, dash, 28.0) == dash
    assert without_specks(grey, speck, 28.0).symbols == []
    accent = _Word((100, 30, 103, 33), 97.0, [("ˆ", (100, 30, 103, 33), 97.0)])    # a lone accent is no letter
    assert without_specks(grey, accent, 28.0).symbols == []
    assert [s[0] for s in without_specks(grey, quoted, 28.0).symbols] == ["T"]


def test_an_image_file_of_one_page_is_read(tmp_path):
    png = tmp_path / "page.png"
    page_images(HOA_BINH, 300, [3])[0].save(png, dpi=(300, 300))
    scanned = process_file(png)
    assert scanned.ok, scanned.error
    document = scanned.documents.iloc[0]
    assert document["format"] == "image+ocr" and list(document["ocr_pages"]) == [1]
    assert f1(figure_keys(scanned), figure_keys(process_file(HOA_BINH), [3])) >= 0.95
    assert "footnote 1" in set(scanned.figures["section"])


@pytest.fixture(scope="module")
def text_with_a_scanned_page(tmp_path_factory):
    """The Hòa Bình report with its page 3 replaced by a 300-dpi scan of itself."""
    folder = tmp_path_factory.mktemp("mixed")
    scan = image_pdf(page_images(HOA_BINH, 300, [3]), 300, folder / "page3.pdf")
    pdf = pdfium.PdfDocument(HOA_BINH)
    pdf.del_page(2)
    pdf.import_pages(pdfium.PdfDocument(scan), index=2)
    path = folder / "with-scanned-page.pdf"
    pdf.save(path)
    pdf.close()
    return path


def test_a_scanned_page_among_text_pages_is_read_by_ocr(text_with_a_scanned_page):
    mixed = process_file(text_with_a_scanned_page)
    document = mixed.documents.iloc[0]
    assert document["format"] == "pdf+ocr"
    assert list(document["ocr_pages"]) == [3] and list(document["pages_without_text"]) == []
    text = process_file(HOA_BINH)
    assert figure_keys(mixed, [1, 2, 4, 5, 6, 7, 8]) == figure_keys(text, [1, 2, 4, 5, 6, 7, 8])
    assert f1(figure_keys(mixed, [3]), figure_keys(text, [3])) >= 0.95
    on_page_3 = mixed.figures[mixed.figures["page"] == 3]
    assert on_page_3["ocr_confidence"].notna().all()
    elsewhere = mixed.figures[mixed.figures["page"] != 3]
    # only "05 trường / hợp", which runs from the foot of page 2 onto page 3, has characters OCR read
    assert list(elsewhere[elsewhere["ocr_confidence"].notna()]["raw"].str[:9]) == ["05 trường"]


def test_ocr_never_keeps_the_page_unread_and_the_scan_an_error(text_with_a_scanned_page, scanned_sample, tmp_path):
    never = ReadOptions(ocr="never")
    mixed = process_file(text_with_a_scanned_page, options=never)
    assert mixed.documents.iloc[0]["format"] == "pdf"
    assert list(mixed.documents.iloc[0]["pages_without_text"]) == [3]
    scan = image_pdf(page_images(HOA_BINH, 100, [3]), 100, tmp_path / "scan.pdf")
    assert "no text layer, OCR needed" in process_file(scan, options=never).error
    out = tmp_path / "out"
    assert main(["run", str(scan), "--out", str(out), "--ocr", "never"]) == 1


def test_without_tesseract_a_scan_gets_a_clear_error_row(tmp_path, monkeypatch):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "nowhere"))
    scan = image_pdf(page_images(HOA_BINH, 100, [3]), 100, tmp_path / "scan.pdf")
    result = process_file(scan, options=ReadOptions(bounded=False))
    assert not result.ok
    assert result.error == NO_TESSERACT
    assert result.documents.iloc[0]["source"] == str(scan)
    assert result.documents.iloc[0]["error_kind"] == "run"         # read again once Tesseract is installed


def test_a_300_page_scan_is_stopped_at_the_time_limit(tmp_path):
    page = Image.new("1", (1240, 1754), 1)
    page.paste(page_images(HOA_BINH, 150, [3])[0].point(lambda v: 255 if v > 128 else 0).convert("1"))
    path = image_pdf([page] * 300, 150, tmp_path / "long-scan.pdf")
    started = time.perf_counter()
    result = process_file(path, options=ReadOptions(timeout=4))
    assert time.perf_counter() - started < 30
    assert not result.ok and "took longer than 4 s" in result.error


def test_a_failing_check_on_a_figure_ocr_was_unsure_of_is_ocr_unsure():
    check = Check("ratio_percent", 0.2, 1.8908, False, "mismatch", "9/476 = 1.89%, stated 0.2%: does not match.",
                  [Placed("F0001", None, 0), Placed("F0002", None, 0)])
    judged = ocr_unsure(check, {"F0002": ("0.2%", 41.5)})
    assert (judged.verdict, judged.consistent) == ("ocr_unsure", None)
    assert judged.explanation.startswith("OCR was unsure of '0.2%' (F0002, confidence 42)")
    assert ocr_unsure(check, {"F0009": ("7%", 12.0)}) is check
    holding = Check("ratio_percent", 50.0, 50.0, True, "ok", "1/2 = 50.00%, stated 50%: consistent.", check.figures)
    assert ocr_unsure(holding, {"F0002": ("50%", 10.0)}) is holding


def test_audit_lists_the_ocr_unsure_checks_apart(tmp_path, monkeypatch, capsys):
    png = tmp_path / "page3.png"
    page_images(HOA_BINH, 300, [3])[0].save(png, dpi=(300, 300))
    monkeypatch.setitem(rules.load("checks")["ocr_unsure"], "min_confidence", 101)   # every OCR'd figure is unsure
    main(["audit", str(png), "--lang", "en"])
    out = " ".join(capsys.readouterr().out.split())
    assert "0 inconsistent" in out
    assert "OCR unsure: 3 checks" in out
    assert "OCR unsure page 1 line 30 ratio and percentage 9/476 = 1.89%, stated 0.2%: does not match, but OCR " \
           "was unsure of a figure. (read by OCR, confidence" in out


def test_an_image_file_with_ocr_never_is_an_error(tmp_path):
    png = tmp_path / "page.png"
    Image.new("L", (200, 200), 255).save(png)
    result = process_file(png, options=ReadOptions(ocr="never"))
    assert not result.ok and "OCR" in result.error
    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, "PNG")
    (tmp_path / "blank.png").write_bytes(buffer.getvalue())
    assert "no text" in process_file(tmp_path / "blank.png").error


def test_a_marker_close_after_a_digit_is_not_taken_for_a_piece_of_it():
    # "2024²" on a 150-dpi scan: two blank columns between the 4 and the raised 2
    ink = np.zeros((40, 60), bool)
    ink[10:30, 2:14] = True                                   # the last digit, on the baseline at row 30
    ink[8:18, 16:22] = True                                   # the marker, half its height, raised
    word = _Word((2, 8, 22, 30), 90.0, [("4", (2, 10, 14, 30), 90.0), ("”", (16, 8, 22, 18), 60.0)])
    em = 20 / CAP_HEIGHT
    assert raised_marks(ink, word, 30.0, em, 0) == [(16, 8, 22, 18)]
    ink[14:18, 16:22] = False                                 # a quote's height: no marker
    assert raised_marks(ink, word, 30.0, em, 0) == []


def test_a_speck_read_as_a_stop_between_a_number_and_its_noun_parts_them_and_a_real_stop_does_not():
    grey = np.full((60, 200), 255, np.uint8)
    grey[20:40, 10:20] = 0                                    # "8"
    grey[20:40, 30:38] = 0                                    # "l"
    grey[30, 24] = 120                                        # a speck between them
    word = _Word((10, 20, 38, 40), 95.0, [("8", (10, 20, 20, 40), 99.0), (".", (18, 19, 32, 45), 97.0),
                                          ("l", (30, 20, 38, 40), 93.0)])
    parts = split_at_specks(grey, word, 28.0)
    assert [[s[0] for s in w.symbols] for w in parts] == [["8"], ["l"]]
    grey[36:40, 22:27] = 0                                    # a full stop's ink: the word stays whole
    assert split_at_specks(grey, word, 28.0) == [word]


def test_two_readings_of_a_cell_disagree_only_when_both_are_numbers_and_differ():
    assert readings_disagree("42", "4,2") and readings_disagree("120,22", "123,33")
    assert not readings_disagree("9.391", "B4 bNL")       # a second reading that is no number tells nothing
    assert not readings_disagree("1.200", "1.200")


def test_the_appendix_of_a_flatbed_scan_flags_no_row_its_pdf_does_not(tmp_path):
    # page 20 of phuong-tan-an-2025 as a flatbed scanner's JPEG: read at one height, "4,2" comes out "42"
    # and "123,33" "120,22"; read again at another, right, so the model is sure of neither
    sys.path.insert(0, str(SAMPLES))
    from make_formats import flatbed
    pdf = SAMPLES / "phuong-tan-an-2025.pdf"
    scan = image_pdf([flatbed(page_images(pdf, 200, [20])[0], 19)], 200, tmp_path / "appendix.pdf")
    read = process_file(scan)
    printed = process_file(pdf)
    rows = read.figures[read.figures["table_id"].notna()]
    assert len(rows) >= 40
    printed_flags = {f for f in flagged(printed) if f[0] == "table_row"}
    assert printed_flags                                    # the row whose rate is cut, not rounded
    assert printed_flags <= {f for f in flagged(read) if f[0] == "table_row"} <= printed_flags
