"""The PDF reader: a PDF's text layer as positioned characters and its ruled tables, to a Layout.

Two readers give the same characters and tables: pdfplumber with its table finder (the reference), and
PDFium through pypdfium2's raw functions with a grid built from the page's drawn lines (extract.grid,
fast). Encrypted, truncated, zero-page and non-PDF files each give an InputError naming the cause.
"""
import math
from collections import deque
from itertools import chain, repeat

import regex

from .. import legacy
from ..layout import Layout, analyse, analyse_pages, grid_tables, table_record
from ..load import InputError


class OcrNeeded(InputError):
    """A PDF whose text is only in images, or in fonts without a Unicode map: OCR can read it."""


def check_pdf_bytes(data: bytes, source: str) -> None:
    if not data:
        raise InputError(source, "empty file")
    if b"%PDF-" not in data[:1024]:
        raise InputError(source, "not a PDF file (no %PDF header)")


def find_tables(pdf, page_numbers) -> list[dict]:
    """Ruled tables on the given pages (1-based) of an open pdfplumber PDF: bbox and cells with their boxes."""
    found = []
    for page_no in page_numbers:
        page = pdf.pages[page_no - 1]
        for table in page.find_tables():
            rows = []
            for row, texts in zip(table.rows, table.extract()):
                rows.append([(" ".join((text or "").split()), tuple(bbox) if bbox else None)
                             for bbox, text in zip(row.cells, texts)])
            found.extend(table_record(page_no, table.bbox, rows))
    return found


def _unturned(page) -> None:
    """Read a page that /Rotate turns for display in its own upright space, as PDFium's text API does:
    the text of a page turned for viewing is still written in lines across its own space."""
    if page.rotation:
        x0, y0, x1, y1 = (float(v) for v in page.page_obj.mediabox)
        page.page_obj.rotate = 0
        page.rotation = 0
        page.mediabox = page.cropbox = page.bbox = (x0, 0.0, x1, y1 - y0)


def chars_pdfplumber(path: str) -> tuple[list[tuple[float, float, list[dict]]], list[dict]]:
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
    except Exception as err:  # pdfminer raises many kinds for broken files, wrapped by pdfplumber
        causes = " ".join(type(e).__name__ for e in (err, *err.args) if isinstance(e, BaseException))
        if "Password" in causes or "Encrypt" in causes:
            raise InputError(path, "encrypted PDF: a password is needed") from None
        raise InputError(path, f"corrupt or truncated PDF ({causes})") from None
    with pdf:
        pages = []
        for page in pdf.pages:
            _unturned(page)
            chars = []
            for c in page.chars:
                a, b, cc, d, e, f = c["matrix"]
                chars.append({"text": c["text"], "fontname": c["fontname"], "size": round(c["size"], 2),
                              "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"],
                              "baseline": page.height - f})
            pages.append((float(page.width), float(page.height), chars))
        ruled = [n for n, page in enumerate(pdf.pages, start=1) if len(page.edges) >= 4]
        return pages, find_tables(pdf, ruled)


_VOID = None


def _pdfium_calls():
    """The PDFium functions called once per character, bound with plain pointer arguments: the typed
    bindings check and convert their arguments on every call, which costs more than the call itself."""
    global _VOID
    if _VOID is None:
        import ctypes

        import pypdfium2.raw as c_api
        void = ctypes.c_void_p

        def bind(function, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, void).value)

        _VOID = {
            # a text object's address as a number, 0 for none (c_void_p would give None there)
            "text_object": bind(c_api.FPDFText_GetTextObject, ctypes.c_size_t, void, ctypes.c_int),
            "generated": bind(c_api.FPDFText_IsGenerated, ctypes.c_int, void, ctypes.c_int),
            "font_size": bind(c_api.FPDFText_GetFontSize, ctypes.c_double, void, ctypes.c_int),
            # the box is written to an address: four floats (left, top, right, bottom)
            "loose_box": bind(c_api.FPDFText_GetLooseCharBox, ctypes.c_int, void, ctypes.c_int, void),
            "origin": bind(c_api.FPDFText_GetCharOrigin, ctypes.c_int, void, ctypes.c_int,
                           ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double)),
            "matrix": bind(c_api.FPDFPageObj_GetMatrix, ctypes.c_int, void, ctypes.POINTER(c_api.FS_MATRIX)),
        }
    return _VOID


SPACE, LINE_BREAKS = 0x20, (0x0D, 0x0A, 0x00, 0xFFFF)
BROKEN_WORD = 0xFFFE    # a hyphen at a line's end where PDFium's own code for the character is 2


def _pdfium_page_chars(page, height: float) -> list[dict]:
    """The characters of one PDFium page, as chars_pdfplumber gives them, and whether PDFium saw a space between
    each one and the one before it in the page's text (space_before: it has no glyph there, see
    layout.WORD_GAP). PDFium has no call that gives
    many characters' boxes at once, so the calls per character are two, mapped over the page without a
    Python loop (its text object, to know where font, size and baseline change, and its box, written
    into one array for the page); font, size and baseline are looked up once per text object."""
    import ctypes

    import numpy
    import pypdfium2.raw as c_api
    call = _pdfium_calls()
    text_object, generated, font_size = call["text_object"], call["generated"], call["font_size"]
    loose_box, origin, object_matrix = call["loose_box"], call["origin"], call["matrix"]
    textpage = page.get_textpage()
    raw = textpage.raw
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    count = c_api.FPDFText_CountChars(raw)
    buffer = (ctypes.c_ushort * (count + 1))()
    c_api.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[:2 * count].decode("utf-16-le", "replace")
    # characters are indexed by their place in TEXT, as the page's text decodes to (a pair of UTF-16
    # units is one character there)
    codes = numpy.frombuffer(text.encode("utf-32-le"), numpy.uint32)
    keep = ~numpy.isin(codes, LINE_BREAKS)
    spaces = numpy.flatnonzero(codes == SPACE).tolist()
    keep[spaces] = [generated(handle, i) != 1 for i in spaces]
    letters = list(text)
    for i in numpy.flatnonzero(codes == BROKEN_WORD).tolist():
        keep[i] = c_api.FPDFText_GetUnicode(raw, i) == 2
        letters[i] = "-"
    kept = numpy.flatnonzero(keep).tolist()
    if not kept:
        textpage.close()
        return []
    objects = numpy.fromiter(map(text_object, repeat(handle), kept), numpy.uint64, len(kept))
    boxes = (ctypes.c_float * (4 * len(kept)))()
    at = ctypes.addressof(boxes)
    deque(map(loose_box, repeat(handle), kept, range(at, at + 16 * len(kept), 16)), maxlen=0)
    left, top, right, bottom = numpy.frombuffer(boxes, numpy.float32).reshape(-1, 4).T.astype(numpy.float64)
    # font, size and baseline change only between text objects (PDFium makes a new object for a new text
    # state or rise): runs of characters of one object, each looked up at its first character; characters
    # of no object before any object keep an empty font, size 0 and baseline 0
    starts = [0, *(numpy.flatnonzero(objects[1:] != objects[:-1]) + 1).tolist()]
    fontnames, sizes, baselines = [], [], []
    matrix = c_api.FS_MATRIX()
    matrix_p = ctypes.pointer(matrix)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_p, y_p = ctypes.pointer(x), ctypes.pointer(y)
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    fonts: dict[bytes, str] = {}        # font handles are the page's own
    for k in starts:
        i, obj = kept[k], int(objects[k])
        if k == 0 and not obj:
            fontnames.append("")
            sizes.append(0.0)
            baselines.append(0.0)
            continue
        # the size on the page: the font's size scaled by the object's matrix (text matrix and CTM),
        # as pdfplumber gives it; "/F1 1 Tf 12 0 0 12 x y Tm" is 12-point text
        size = font_size(handle, i)
        if obj and object_matrix(obj, matrix_p):
            size *= math.hypot(matrix.c, matrix.d)
        sizes.append(round(size, 2))
        origin(handle, i, x_p, y_p)
        baselines.append(height - y.value)
        key = bytes(c_api.FPDFTextObj_GetFont(c_api.FPDFText_GetTextObject(raw, i)))
        if key not in fonts:
            length = c_api.FPDFText_GetFontInfo(raw, i, name, 256, flags)
            fonts[key] = name.raw[:max(0, length - 1)].decode("utf-8", "replace")
        fontnames.append(fonts[key])
    textpage.close()
    lengths = numpy.diff([*starts, len(kept)]).tolist()

    def per_char(values):
        return chain.from_iterable(map(repeat, values, lengths))
    # where PDFium put a space of its own (no glyph: the words are placed apart) before a character
    spaced = numpy.zeros(len(codes), bool)
    spaced[1:] = (codes[:-1] == SPACE) & ~keep[:-1]
    return [{"text": t, "fontname": f, "size": s, "x0": x0, "x1": x1, "top": tp, "bottom": bt, "baseline": b,
             "space_before": sp}
            for t, f, s, x0, x1, tp, bt, b, sp in zip(
                [letters[i] for i in kept], per_char(fontnames), per_char(sizes), left.tolist(), right.tolist(),
                (height - top).tolist(), (height - bottom).tolist(), per_char(baselines), spaced[kept].tolist())]


def _pdfium_page_shapes(page, height: float) -> list[tuple[tuple[float, float, float, float], bool]]:
    """The page's drawn paths as (box, is a rectangle), boxes top-down like the characters'."""
    import ctypes

    import pypdfium2.raw as c_api
    shapes = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for k in range(c_api.FPDFPage_CountObjects(page.raw)):
        obj = c_api.FPDFPage_GetObject(page.raw, k)
        if c_api.FPDFPageObj_GetType(obj) != c_api.FPDF_PAGEOBJ_PATH:
            continue
        if not c_api.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        segments = c_api.FPDFPath_CountSegments(obj)
        straight = all(c_api.FPDFPathSegment_GetType(c_api.FPDFPath_GetPathSegment(obj, n)) != c_api.FPDF_SEGMENT_BEZIERTO
                       for n in range(segments))
        shapes.append(((left.value, height - top.value, right.value, height - bottom.value),
                       straight and 4 <= segments <= 5))
    return shapes


def _open_pdfium(path: str):
    """The PDF open in PDFium, or None where PDFium cannot open it and pdfplumber is to be asked why."""
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise InputError(path, "encrypted PDF: a password is needed") from None
        # PDFium says little about why a file fails (a zero-page file "fails" too): ask the reference
        return None


def pdfium_pages(pdf, textless: list[int]):
    """The pages of a PDF open in PDFium, one at a time as (width, height, chars, the page's ruled tables);
    the numbers of the pages without a visible character are added to TEXTLESS as they pass."""
    for page_no, page in enumerate(pdf, start=1):
        width, height = page.get_size()
        if page.get_rotation() in (90, 270):
            width, height = height, width   # the text API works in the page's own, unturned space
        chars = _pdfium_page_chars(page, height)
        tables = grid_tables(page_no, _pdfium_page_shapes(page, height), chars)
        page.close()
        if not any(c["text"].strip() for c in chars):
            textless.append(page_no)
        yield float(width), float(height), chars, tables


def chars_pdfium(path: str) -> tuple[list[tuple[float, float, list[dict]]], list[dict]]:
    """The same characters as chars_pdfplumber, through PDFium's text API, and the ruled tables that
    the pages' drawn lines make."""
    pdf = _open_pdfium(path)
    if pdf is None:
        return chars_pdfplumber(path)
    pages, tables = [], []
    try:
        for width, height, chars, found in pdfium_pages(pdf, []):
            tables += found
            pages.append((width, height, chars))
    finally:
        pdf.close()
    return pages, tables


READERS = {"pdfium": chars_pdfium, "pdfplumber": chars_pdfplumber}
CID_OR_PRIVATE = regex.compile(r"\(cid:\d+\)|[\p{Co}\p{Cc}\ufffd]")
# Latin-1 signs that Vietnamese text never uses but legacy TCVN3/VNI fonts without a Unicode map yield
# ("B¸o c¸o t×nh h×nh"): their share tells garbled text from real text
LEGACY_GARBAGE = regex.compile(r"[¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ]")


def read_pdf(path: str, reader: str = "pdfium") -> Layout:
    """A PDF file to its Layout, or an InputError naming the file and what is wrong with it."""
    from pathlib import Path
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InputError(path, err.strerror or "cannot be read") from None
    check_pdf_bytes(data, path)
    try:
        pdf_text, textless = _laid_out(path, reader)
    except OSError as err:
        raise InputError(path, err.strerror or "cannot be read") from None
    if not pdf_text.pages:
        raise InputError(path, "PDF has no pages")
    if len(textless) == pdf_text.pages:
        raise OcrNeeded(path, "no text layer, OCR needed (the pages are images)")
    # a scan with a text layer that is no Vietnamese (an English OCR engine's, with no diacritics) is a scan
    textless = sorted(set(textless) | set(_unvietnamese_pages(pdf_text)))
    pdf_text.pages_without_text = _image_pages(path, textless) if textless else []
    visible = regex.sub(r"\s", "", pdf_text.text)
    unreadable = sum(len(m.group()) for m in CID_OR_PRIVATE.finditer(visible))
    legacy = len(LEGACY_GARBAGE.findall(visible))
    if not visible or unreadable > 0.1 * len(visible) or legacy > 0.02 * len(visible):
        raise OcrNeeded(path, "the text layer cannot be read: its fonts have no Unicode map "
                               "(legacy TCVN3/VNI encoding?); OCR needed")
    return pdf_text


def _laid_out(path: str, reader: str) -> tuple[Layout, list[int]]:
    """The Layout of a PDF's text layer, and its pages without a visible character. PDFium's pages are laid
    out as they are read, each page's characters let go once it is done: a thousand-page report never
    holds them all."""
    pdf = _open_pdfium(path) if reader == "pdfium" else None
    if pdf is None:
        pages, tables = READERS[reader](path) if reader != "pdfium" else chars_pdfplumber(path)
        textless = [n for n, (_, _, chars) in enumerate(pages, start=1) if not any(c["text"].strip() for c in chars)]
        return analyse(pages, tables), textless
    textless: list[int] = []
    try:
        return analyse_pages(pdfium_pages(pdf, textless)), textless
    finally:
        pdf.close()


VIETNAMESE_ONLY_LETTERS = legacy.UNICODE_ONLY      # ă đ ơ ư ạ ả ấ ...: letters only Vietnamese writes
MIN_LETTERS = 200           # a page with fewer letters (a table of numbers, a signature) is not judged
MIN_VIETNAMESE_SHARE = 0.02 # Vietnamese prose has some 15-25% of its letters among those


def _unvietnamese_pages(layout: Layout) -> list[int]:
    """Pages whose text has many letters and almost none of Vietnamese's own: a text layer that an OCR
    engine without the Vietnamese model laid over a scan ("phwong chi dao bo phan tai chinh")."""
    letters: dict[int, int] = {}
    vietnamese: dict[int, int] = {}
    for line in layout.lines:
        letters[line.page] = letters.get(line.page, 0) + sum(map(str.isalpha, line.text))
        vietnamese[line.page] = vietnamese.get(line.page, 0) + len(VIETNAMESE_ONLY_LETTERS.findall(line.text))
    return [page for page, count in letters.items()
            if count >= MIN_LETTERS and vietnamese[page] < MIN_VIETNAMESE_SHARE * count]


def _image_pages(path: str, page_numbers: list[int]) -> list[int]:
    """Those of the given pages (1-based) that show an image: a scanned page in a PDF that has text
    elsewhere. A page with neither text nor image is a blank page, not a missing text layer."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c_api
    found = []
    pdf = pdfium.PdfDocument(path)
    try:
        for n in page_numbers:
            page = pdf[n - 1]
            if any(c_api.FPDFPageObj_GetType(c_api.FPDFPage_GetObject(page.raw, k)) == c_api.FPDF_PAGEOBJ_IMAGE
                   for k in range(c_api.FPDFPage_CountObjects(page.raw))):
                found.append(n)
            page.close()
    finally:
        pdf.close()
    return found


def read(path: str, options) -> Layout:
    """The reader's entry point (extract.readers.LAYOUT_READERS): the text layer, with OCR for the pages
    it does not cover (options.ocr "auto": no text layer, an unreadable one, pages that are images only),
    for every page ("always"), or for none ("never": those pages are listed as without text)."""
    if options.ocr == "always":
        return read_by_ocr(path, options.pdf_reader, None, options.ocr_threads)
    try:
        layout = read_pdf(path, options.pdf_reader)
    except OcrNeeded:
        if options.ocr == "never":
            raise
        return read_by_ocr(path, options.pdf_reader, None, options.ocr_threads)
    if options.ocr == "auto" and layout.pages_without_text:
        return read_by_ocr(path, options.pdf_reader, layout.pages_without_text, options.ocr_threads)
    layout.format = "pdf"
    return layout


def read_by_ocr(path: str, reader: str, scanned: list[int] | None, threads: int = 1) -> Layout:
    """A PDF whose pages SCANNED (1-based; every page when None) are read by OCR (THREADS pages at once; 0:
    one per core), in page order with the text layer of the others, as one document."""
    from .ocr import layout_of, ocr_pages
    try:
        read = ocr_pages(path, scanned, threads=threads)
    except InputError as err:      # the file's name on a cause found without it (Tesseract missing)
        raise type(err)(path, err.cause) from None
    if scanned is None:
        pages, tables, scanned = list(read), [], list(range(1, len(read) + 1))
    else:
        pages, tables = READERS[reader](path)
    for n, page in zip(scanned, read):
        pages[n - 1] = page
        tables = [t for t in tables if t["page"] != n] + page.tables
    blank = [n for n, page in zip(scanned, read) if not any(c["text"].strip() for c in page.chars)]
    layout = layout_of(pages, tables, [n for n in scanned if n not in blank], "pdf+ocr")
    if not layout.text.strip():
        raise InputError(path, "no text layer, OCR needed (the pages are images), and OCR found no text in them")
    layout.pages_without_text = _image_pages(path, blank) if blank else []
    return layout
