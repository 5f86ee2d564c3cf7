"""The OCR reader: page images (a scanned PDF's pages, an image file's frames) to positioned characters.

Each page is cleared of specks of toner, turned upright (projection profiles, then Tesseract's orientation
detection where the read is poor), straightened (its skew estimated from projection profiles within ±3°),
cleared of the rules a table draws (kept as the page's shapes, for extract.grid), and read by Tesseract
(`vie`, through tesserocr). Gives pages as the PDF reader gives them: one char per symbol in points of
the straightened page, with its OCR confidence, a size derived from the line's x- and cap-height so that footnote type
and raised footnote markers stand out as in a text layer, and a weight from the thickness of the word's
strokes against the page's (bold headings stand out as in a text layer: fontname OCR-Bold, OCR-Regular).
"""
import os
import re
import threading
import unicodedata
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

os.environ.setdefault("OMP_THREAD_LIMIT", "1")     # Tesseract's OpenMP threads only fight on shared cores

import numpy as np  # noqa: E402
from PIL import Image, ImageFilter, ImageOps, ImageSequence  # noqa: E402

from ..grid import find_grids  # noqa: E402
from ..layout import Layout, analyse, grid_tables  # noqa: E402
from ..load import InputError, RunFailure  # noqa: E402

TARGET_DPI = 300            # Tesseract's best resolution for body type; finer scans are read at this
MIN_DPI = 100               # below this a file's stated resolution is not believed
MAX_SKEW = 3.0              # degrees either way that a scan may be skewed
MIN_SKEW = 0.1              # a skew below this is left as it is
POOR_READ = 70              # mean word confidence under which the page may be upside down or sideways
RULE_INCHES = 0.25          # a run of ink this long, straight and thin is a drawn rule
RULE_THICKNESS = 0.035      # inches: thicker than this is a filled area, not a rule
TYPE_ALONG = 0.2            # share of a short run's length inked two pixels beside it: type, not a rule
GLYPH_DEPTH = 0.08          # inches beside a short run of ink in which glyphs over nearly all of it show it is type
GLYPHS_OVER = 0.45          # share of a short run's columns that glyphs over it must cover
RULE_GAP = 0.01             # inches of a hole in a scanned rule (a toner dropout) that it runs across
# heights of a Times-like face (Liberation Serif as Tesseract boxes it; Times New Roman's x-height is a
# little lower), in ems: what turns a line's measured x-height and cap-height into a font size
X_HEIGHT, CAP_HEIGHT = 0.48, 0.67
X_LETTERS = frozenset("acemnorsuvwxz")
CAP_LETTERS = frozenset("ABDEFHIKLMNPRTUVWXYZ0123456789")
FULL_STOP = 0.1             # ems across a full stop
MEDIAN_DPI = 200            # from this resolution up, a 3-pixel median filter keeps the strokes of small type
COMMA_DEPTH = 0.06          # ems below the baseline that a comma's foot reaches at least
COLON_HEIGHT = 0.25          # em: a colon's box is about 0.45 em high, a full stop's under 0.15
SIZE_CLASS = 0.06           # sizes within this share of a more common size are that size
# a word whose strokes are this much thicker than the page's middle word is bold: measured on scans of
# the samples at 150 and 300 dpi, bold headings ran 1.35-1.7 times the page's middle, body text 0.9-1.05
BOLD_STROKE = 1.2
# a speck of toner fits in a square this many inches wide, and has less ink than half a full stop of 8 pt
# type (a dot about SPECK_INCHES across)
SPECK_SIDE, SPECK_INCHES = 0.02, 0.012
TESSDATA_DIRS = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata"]
NO_TESSERACT = "OCR needs Tesseract: install the tesseract-ocr and tesseract-ocr-vie packages"


@dataclass
class ScannedPage:
    """A page as OCR read it; unpacks as (width, height, chars), like a text layer's page."""
    width: float                # points, of the upright page
    height: float
    chars: list[dict]
    tables: list[dict] = field(default_factory=list)
    turned: int = 0             # degrees the image was turned (counter-clockwise) to stand upright
    skew: float = 0.0           # degrees it was then rotated to straighten its lines
    dpi: float = TARGET_DPI     # the resolution it was read at

    def __iter__(self):
        return iter((self.width, self.height, self.chars))


def tessdata() -> str:
    """The folder of Tesseract's Vietnamese model, or an InputError saying what to install."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        raise RunFailure("", NO_TESSERACT) from None
    given = os.environ.get("TESSDATA_PREFIX")
    for folder in ([given, os.path.join(given, "tessdata")] if given else TESSDATA_DIRS):
        if os.path.isfile(os.path.join(folder, "vie.traineddata")):
            return folder
    raise RunFailure("", NO_TESSERACT)


class Tesseract:
    """Tesseract's engines for one document: the page reader, a digit reader for footnote markers, and
    orientation detection where osd.traineddata is installed."""

    def __init__(self):
        import tesserocr
        self.tesserocr = tesserocr
        self.path = tessdata()
        self.api = tesserocr.PyTessBaseAPI(path=self.path, lang="vie", psm=tesserocr.PSM.AUTO)
        self.api.SetVariable("tessedit_do_invert", "0")    # no white-on-black text in reports: 15% faster
        self._digit_readers: dict = {}     # page segmentation mode -> an engine that reads digits only
        self._osd = None

    def digits(self):
        """A reader of a line of digits (a footnote marker of several)."""
        return self._digit_reader(self.tesserocr.PSM.SINGLE_LINE)

    def digit(self):
        """A reader of one digit."""
        return self._digit_reader(self.tesserocr.PSM.SINGLE_CHAR)

    def _digit_reader(self, psm):
        if psm not in self._digit_readers:
            api = self.tesserocr.PyTessBaseAPI(path=self.path, lang="vie", psm=psm)
            api.SetVariable("tessedit_char_whitelist", "0123456789")
            self._digit_readers[psm] = api
        return self._digit_readers[psm]

    def orientation(self, image: Image.Image) -> int | None:
        """Degrees to turn IMAGE counter-clockwise to stand it upright, by Tesseract's OSD (None without it)."""
        if not os.path.isfile(os.path.join(self.path, "osd.traineddata")):
            return None
        if self._osd is None:
            self._osd = self.tesserocr.PyTessBaseAPI(path=self.path, lang="osd", psm=self.tesserocr.PSM.OSD_ONLY)
        self._osd.SetImage(image)
        found = self._osd.DetectOrientationScript()
        return found["orient_deg"] if found and found.get("orient_conf", 0) > 1 else 0

    def close(self):
        for api in (self.api, *self._digit_readers.values(), self._osd):
            if api is not None:
                api.End()


# --- page images ---------------------------------------------------------------------------------

def pdf_page_images(path: str, page_numbers: list[int], dpi: int = TARGET_DPI):
    """(page number, grey image, resolution) for the given pages (1-based) of a PDF, each rendered at the
    resolution of its scanned image (read from the image's pixels against its size on the page), at most
    DPI: a 150-dpi scan is rendered as it was made, not smoothed up to 300 by the renderer."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    try:
        for n in page_numbers:
            page = pdf[n - 1]
            resolution = min(dpi, scan_resolution(page) or dpi)
            image = page.render(scale=resolution / 72, grayscale=True, fill_color=(255, 255, 255, 255)).to_pil()
            page.close()
            yield n, image.convert("L"), resolution
    finally:
        pdf.close()


def for_reading(image: Image.Image, dpi: float) -> tuple[Image.Image, float]:
    """A page image as Tesseract reads it: specks of toner taken out, at the scan's own resolution. A
    150-dpi scan is read at 150: enlarged twice (bicubic) it read worse on the samples' 150-dpi scans
    (figures F1 0.76 against 0.91 on thi-tran-dong-son-2023)."""
    return despeckled(image, dpi), dpi


def despeckled(image: Image.Image, dpi: float) -> Image.Image:
    """IMAGE with its specks of toner made paper: each group of ink that fits in a square far smaller
    than a full stop (SPECK_SIDE inches), with paper all round it and less ink than half a full stop of
    8-point type. The dots of a Vietnamese letter (ị, ạ) and full stops have more ink; strokes are kept.
    Found at about 150 dpi (a finer scan's blocks of pixels taken at their darkest), where it is cheap."""
    grey = np.asarray(image)
    level = ink_threshold(grey[::2, ::2])       # a quarter of the pixels give the same level, sooner
    factor = max(1, int(dpi // 150))
    height, width = grey.shape[0] // factor * factor, grey.shape[1] // factor * factor
    darkest = grey[:height:factor, :width:factor]
    for dy in range(factor):
        for dx in range(factor):
            darkest = np.minimum(darkest, grey[dy:height:factor, dx:width:factor])
    ink = darkest < level
    mean = np.asarray(image.crop((0, 0, width, height)).reduce(factor)) if factor > 1 else grey
    resolution = dpi / factor
    side = max(2, round(SPECK_SIDE * resolution))
    pad = side + 1
    inked = np.pad(ink, pad).view(np.uint8)
    darkness = np.pad((255 - mean) >> 4, pad) * inked          # in 16ths of a black pixel
    around = _window_sums(inked, side + 2)
    within = _window_sums(inked, side)[1:-1, 1:-1]
    mass = _window_sums(darkness, side)[1:-1, 1:-1]
    alone = ((around == within) & (within > 0) & (mass < 0.5 * (SPECK_INCHES * resolution) ** 2 * 16)).view(np.uint8)
    specks = _window_sums(alone, side)[1:ink.shape[0] + 1, 1:ink.shape[1] + 1] > 0
    if not specks.any():
        return image
    if factor > 1:
        specks = np.asarray(Image.fromarray(specks).resize((width, height), Image.Resampling.NEAREST))
        specks = np.pad(specks, ((0, grey.shape[0] - height), (0, grey.shape[1] - width)))
    grey = grey.copy()
    grey[specks & (grey < level)] = 255
    return Image.fromarray(grey)


def _window_sums(values: np.ndarray, side: int) -> np.ndarray:
    """The sums of VALUES (small counts) over every SIDE x SIDE window, by the window's top left corner:
    running sums in 16 bits, whose wrapping cancels out in the differences."""
    sums = np.zeros((values.shape[0] + 1, values.shape[1] + 1), np.uint16)
    np.cumsum(values, axis=0, dtype=np.uint16, out=sums[1:, 1:])
    np.cumsum(sums[1:, 1:], axis=1, dtype=np.uint16, out=sums[1:, 1:])
    return sums[side:, side:] - sums[:-side, side:] - sums[side:, :-side] + sums[:-side, :-side]


def scan_resolution(page) -> float | None:
    """The resolution of the image that covers most of a PDF page: its pixels over its size on the page."""
    import pypdfium2.raw as c_api
    width = page.get_width()
    best = None
    for image in page.get_objects(filter=[c_api.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        pixels_wide, pixels_high = image.get_px_size()
        if right - left < 0.5 * width or pixels_wide <= 0:
            continue
        # the larger of the two: a page turned by its matrix swaps them
        found = max(pixels_wide, pixels_high) / (max(right - left, top - bottom) / 72)
        best = found if best is None else max(best, found)
    return round(best) if best and best >= MIN_DPI else None


def image_file_pages(path: str):
    """(page number, grey image, resolution) for each frame of an image file (PNG, JPEG, TIFF)."""
    try:
        with Image.open(path) as image:
            for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
                frame = ImageOps.exif_transpose(frame)
                stated = frame.info.get("dpi", (0, 0))[0]
                resolution = float(stated) if stated and MIN_DPI <= float(stated) <= 1200 else TARGET_DPI
                grey = frame.convert("L")
                if resolution > TARGET_DPI * 1.2:
                    scale = TARGET_DPI / resolution
                    grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
                    resolution = TARGET_DPI
                yield n, grey, resolution
    except (OSError, SyntaxError, ValueError) as err:
        raise InputError(path, f"unreadable image ({err})") from None


# --- geometry of a page image ----------------------------------------------------------------------

def ink_threshold(grey: np.ndarray) -> int:
    """Otsu's threshold of a grey image: the level that best splits ink from paper."""
    counts = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight = np.cumsum(counts)
    total = weight[-1]
    mean = np.cumsum(counts * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    return int(np.argmax(between))


def _profile_score(ys: np.ndarray, xs: np.ndarray, slope: float) -> float:
    rows = ys - xs * slope
    hist = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.dot(hist, hist))


def skew_angle(ink: np.ndarray, limit: float = MAX_SKEW) -> float:
    """Degrees to rotate the image counter-clockwise so that its text lines lie level: the angle whose
    row profile of ink is sharpest, coarse then fine, within ±LIMIT."""
    ys, xs = np.nonzero(ink)
    if len(ys) < 200:
        return 0.0
    step = max(1, len(ys) // 150_000)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)

    def best(angles):
        return max(angles, key=lambda a: _profile_score(ys, xs, np.tan(np.radians(a))))
    coarse = best(np.arange(-limit, limit + 1e-9, 0.25))
    fine = best(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.025))
    # a line falling to the right (y grows with x) is level after a counter-clockwise turn by its slope
    return float(np.degrees(np.arctan(np.tan(np.radians(fine)))))


def sideways(ink: np.ndarray) -> bool:
    """Whether the text runs up or down the page: its column profile is far sharper than its row profile."""
    def sharpness(profile):
        inked = profile[profile > 0]
        return float(inked.std() / inked.mean()) if len(inked) > 10 else 0.0
    return sharpness(ink.sum(axis=0)) > 1.3 * sharpness(ink.sum(axis=1))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the runs of True in a 1-d mask."""
    edges = np.diff(np.concatenate(([0], mask.view(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def _type_along(grid: np.ndarray, first: int, last: int, start: int, end: int) -> bool:
    """Whether the rows two pixels outside a short run are inked along a good part of it: the serifs or the
    feet of a line of type, run together across their gaps, not a drawn rule with paper either side."""
    sides = [grid[row, start:end].mean() for row in (first - 2, last + 2) if 0 <= row < grid.shape[0]]
    return max(sides, default=0.0) >= TYPE_ALONG


def _glyphs_over(grid: np.ndarray, first: int, last: int, start: int, end: int, depth: int) -> bool:
    """Whether most columns of a short level run have ink within DEPTH pixels on one side of it: the feet
    of bold figures and their stops ("2.2.") run together, each under its glyph, not a rule with paper
    along it or a cell's text over a part of it (upright runs are not asked: a cell's lines of text
    beside a row's short rule would pass for glyphs)."""
    above = grid[max(0, first - depth):max(0, first - 1), start:end]
    below = grid[last + 2:last + 1 + depth, start:end]
    return any(side.size and side.any(axis=0).mean() >= GLYPHS_OVER for side in (above, below))


def find_rules(ink: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """Drawn rules in pixel boxes (x0, top, x1, bottom): runs of ink at least RULE_INCHES long, thin."""
    length = int(RULE_INCHES * dpi)
    thickest = max(2, int(RULE_THICKNESS * dpi))
    rules = []
    gap = max(1, round(RULE_GAP * dpi))
    for vertical in (False, True):
        grid = ink.T if vertical else ink
        # a scanned rule has pin-holes: a pixel is ink where ink lies within GAP pixels on either side
        before, after = np.zeros_like(grid), np.zeros_like(grid)
        for shift in range(1, gap + 1):
            before[:, shift:] |= grid[:, :-shift]
            after[:, :-shift] |= grid[:, shift:]
        sums = np.zeros((grid.shape[0], grid.shape[1] + 1), np.int32)
        np.cumsum(grid | (before & after), axis=1, out=sums[:, 1:])
        full = (sums[:, length:] - sums[:, :-length]) == length
        open_rules: list[list[int]] = []       # [first row, last row, start, end] along the run
        found = []
        for row in np.flatnonzero(full.any(axis=1)).tolist():
            for start, end in _runs(full[row]):
                end += length - 1
                for rule in open_rules:
                    if rule[1] >= row - 1 and start < rule[3] and end > rule[2]:
                        rule[1], rule[2], rule[3] = row, min(rule[2], start), max(rule[3], end)
                        break
                else:
                    open_rules.append([row, row, start, end])
            found.extend(r for r in open_rules if r[1] < row - 1)
            open_rules = [r for r in open_rules if r[1] >= row - 1]
        found.extend(open_rules)
        for first, last, start, end in found:
            if last - first + 1 <= thickest \
                    and (end - start >= 2 * length or not _type_along(grid, first, last, start, end)
                         and not (not vertical and _glyphs_over(grid, first, last, start, end,
                                                                int(GLYPH_DEPTH * dpi)))):
                rules.append((first, start, last + 1, end) if vertical else (start, first, end, last + 1))
    return rules


# --- reading a page --------------------------------------------------------------------------------

@dataclass
class _Word:
    box: tuple[int, int, int, int]
    confidence: float
    symbols: list[tuple[str, tuple[int, int, int, int], float]]


@dataclass
class _Line:
    baseline: float
    words: list[_Word]


def recognise(tesseract: Tesseract, image: Image.Image, dpi: float, psm=None,
              origin: tuple[int, int] = (0, 0), scale: float = 1.0) -> list[_Line]:
    """Tesseract's lines of words of symbols, with boxes in pixels and confidences: of a page (PSM
    automatic) or of a piece of one cut at ORIGIN and enlarged SCALE times (boxes given back in the page)."""
    from tesserocr import PSM, RIL
    api = tesseract.api
    api.SetPageSegMode(PSM.AUTO if psm is None else psm)
    api.SetImage(image)
    api.SetSourceResolution(int(round(dpi * scale)))
    api.Recognize()

    def placed(box):
        return (round(box[0] / scale + origin[0]), round(box[1] / scale + origin[1]),
                round(box[2] / scale + origin[0]), round(box[3] / scale + origin[1]))
    lines: list[_Line] = []
    it = api.GetIterator()
    if it is None or it.Empty(RIL.SYMBOL):
        return lines
    word = None
    while True:
        if it.IsAtBeginningOf(RIL.TEXTLINE):
            baseline = it.Baseline(RIL.TEXTLINE)
            line_box = it.BoundingBox(RIL.TEXTLINE)
            y = (baseline[0][1] + baseline[1][1]) / 2 if baseline else line_box[3]
            lines.append(_Line(y / scale + origin[1], []))
        if it.IsAtBeginningOf(RIL.WORD):
            word = _Word(placed(it.BoundingBox(RIL.WORD)), it.Confidence(RIL.WORD), [])
            lines[-1].words.append(word)
        text = it.GetUTF8Text(RIL.SYMBOL)
        if text and text.strip():
            word.symbols.append((text, placed(it.BoundingBox(RIL.SYMBOL)), it.Confidence(RIL.SYMBOL)))
        if not it.Next(RIL.SYMBOL):
            break
    for line in lines:
        line.words = [w for w in line.words if w.symbols]
    return [line for line in lines if line.words]


def line_em(line: _Line) -> float | None:
    """The em of a line's type in pixels, from the heights of its plain x-height letters, capitals and digits
    (the median of what each gives: at 150 dpi a small letter's box often takes in a neighbour's stroke or
    an accent, a digit's seldom)."""
    lower, upper = [], []
    for word in line.words:
        for text, (x0, top, x1, bottom), _ in word.symbols:
            if text in X_LETTERS:
                lower.append((bottom - top) / X_HEIGHT)
            elif text in CAP_LETTERS:
                upper.append((bottom - top) / CAP_HEIGHT)
    if lower or upper:
        return median(lower + upper)
    heights = [w.box[3] - w.box[1] for w in line.words]
    return median(heights) / 0.9 if heights else None


def _clusters(ink: np.ndarray, box) -> list[tuple[int, int, int, int]]:
    """Runs of inked columns in a word's box, each with the rows its ink spans: (x0, top, x1, bottom)."""
    x0, top, x1, bottom = box
    crop = ink[top:bottom, x0:x1]
    found = []
    for start, end in _runs(crop.any(axis=0)):
        rows = np.flatnonzero(crop[:, start:end].any(axis=1))
        found.append((x0 + start, top + int(rows[0]), x0 + end, top + int(rows[-1]) + 1))
    return found


def raised_marks(ink: np.ndarray, word: _Word, baseline: float, em: float, room: int,
                 left_room: int = 0) -> list[tuple[int, int, int, int]]:
    """Boxes of the small raised figures at a word's start or end (footnote markers, exponents), each
    one mark: ink whose foot is well above the baseline and that is more than half a digit high. The
    word's box is widened by ROOM pixels to the right (LEFT_ROOM to the left: a footnote body's own number
    before a line's first word) and up to a cap height: Tesseract may leave a mark out of its words."""
    digit = CAP_HEIGHT * em

    def raised(c):
        height = c[3] - c[1]
        return c[3] <= baseline - 0.25 * digit and 0.4 * digit <= height <= 0.9 * digit

    def trailing_punctuation(c):
        return c[2] - c[0] <= 0.35 * digit and c[3] - c[1] <= 0.9 * digit and c[3] >= baseline - 0.15 * digit

    def whole(c):
        """A glyph standing on the baseline to its full height: ink raised beside it is another glyph."""
        return c[3] - c[1] >= 0.8 * digit and c[3] >= baseline - 0.15 * digit

    x0, top, x1, bottom = word.box
    clusters = []
    for c in _clusters(ink, (max(0, x0 - left_room), min(top, int(baseline - 1.1 * digit)), x1 + max(0, room),
                             bottom)):
        previous = clusters[-1] if clusters else None
        if previous and c[0] - previous[2] <= max(2, 0.05 * em) and c[1] < previous[3] and previous[1] < c[3] \
                and not (whole(previous) and raised(c)):
            # pieces of one glyph that the scan broke apart ("3" as a dot and a hook)
            clusters[-1] = (previous[0], min(previous[1], c[1]), c[2], max(previous[3], c[3]))
        else:
            clusters.append(c)
    marks = []
    start = 0
    while start < len(clusters) and raised(clusters[start]):
        start += 1
    if start:
        marks.append(clusters[:start])
    end = len(clusters)
    while end > start and trailing_punctuation(clusters[end - 1]):
        end -= 1
    tail = end
    while tail > start and raised(clusters[tail - 1]):
        tail -= 1
    if tail < end:
        marks.append(clusters[tail:end])
    return [(min(c[0] for c in m), min(c[1] for c in m), max(c[2] for c in m), max(c[3] for c in m)) for m in marks]


# a bold line's first word that is a Roman heading number of I's, perhaps misread: the model reads a run of
# bold serif I's badly ("H." for II., "II." for III., at 150 dpi "L" for I. with its stop); V and X it reads right
ROMAN_ONES = re.compile(r"^(?:([IHlJ|]{1,4}\.)|L)$")
# a lone bold "1" or "1L" that may be "I." whose stop ran into the foot serif (then the top decides)
MERGED_ONE = re.compile(r"^1L?$")
# share of the ink beside the top of an upright stroke that lies to its right, from which the top is a
# serif on both sides (a letter I) and not a digit 1's flag to the left: measured on the samples' 150-dpi
# scans, bold 1's gave 0.03-0.23 (one 0.46), bold I's 0.37-0.88
SERIF_BALANCE = 0.35


# a line's first word read as two or three digits (perhaps with a stop after them) before a capitalised word:
# a heading number ("2.1.", "2.1.3") whose stops the reading ran into the digits ("21.")
RUN_TOGETHER = re.compile(r"^\d{2,3}\.?$")


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """The 4-connected pieces of ink in MASK, each (x0, top, x1, bottom, pixels), left to right."""
    height, width = mask.shape
    seen = np.zeros_like(mask)
    found = []
    for y, x in zip(*np.nonzero(mask)):
        if seen[y, x]:
            continue
        seen[y, x] = True
        stack, ys, xs = [(y, x)], [], []
        while stack:
            cy, cx = stack.pop()
            ys.append(cy)
            xs.append(cx)
            for ny, nx in ((cy + 1, cx), (cy - 1, cx), (cy, cx + 1), (cy, cx - 1)):
                if 0 <= ny < height and 0 <= nx < width and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        found.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1, len(ys)))
    return sorted(found)


def stops_between_digits(ink: np.ndarray, box, baseline: float, digit: float, symbols: list, next_word: int):
    """SYMBOLS (a number's digits as read, perhaps a stop after them) with a full stop put back wherever the
    ink shows one between two digits: a piece of ink of a stop's size and shape standing on the baseline,
    apart from the digits on both sides. None when the ink's digits are not the digits read."""
    # the word's box may cut a digit's edge or stop short of the baseline: widened by a stop's width and
    # made as high as a digit on the baseline (up to NEXT, where the following word begins)
    x0, top, x1, bottom = box
    x0, x1 = max(0, int(x0 - 0.3 * digit)), min(int(x1 + 0.3 * digit), next_word - 1)
    top, bottom = max(0, min(top, int(baseline - 1.2 * digit))), max(bottom, int(baseline + 0.25 * digit) + 1)
    pieces = [(a + x0, b + top, c + x0, d + top, n) for a, b, c, d, n in _components(ink[top:bottom, x0:x1])]
    digits = [p for p in pieces if p[3] - p[1] >= 0.6 * digit]
    read = [s for s in symbols if s[0].isdigit()]
    if len(digits) != len(read):
        return None

    def stop(p):
        width, height = p[2] - p[0], p[3] - p[1]
        return 0.18 * digit <= height <= 0.4 * digit and 0.5 * height <= width <= 2 * height \
            and abs(p[3] - baseline) <= 0.15 * digit and p[4] >= 0.5 * width * height

    out = []
    for n, (piece, symbol) in enumerate(zip(digits, read)):
        out.append(symbol)
        if n + 1 < len(digits):
            # (a bold stop may touch the foot of the digit before it by a column)
            between = [p for p in pieces if piece[2] - 0.15 * digit <= p[0] and p[2] <= digits[n + 1][0] + 1
                       and p not in digits and stop(p)]
            if between:
                p = between[0]
                out.append((".", (p[0], p[1], p[2], p[3]), symbol[2]))
    if len(out) == len(read):
        return None
    return out + [s for s in symbols if not s[0].isdigit()]


def ends_in_stop(ink: np.ndarray, box) -> bool:
    """Whether a word's ink ends in a full stop standing apart: a small blob at the foot of its box (what
    tells "I." read as "L" from a capital L)."""
    found = _clusters(ink, box)
    if len(found) < 2:
        return False
    x0, top, x1, bottom = found[-1]
    height = box[3] - box[1]
    return x1 - x0 <= 0.3 * height and top >= box[1] + 0.6 * height


def _stem(crop: np.ndarray):
    """The first upright stroke of a glyph crop: its inked rows' first and last+1, and its columns [s0, s1)
    across the middle (serifs and a stop are above or below), or None."""
    rows = np.flatnonzero(crop.any(axis=1))
    if len(rows) < 6:
        return None
    first, last = int(rows[0]), int(rows[-1]) + 1
    cut = (last - first) * 3 // 10
    runs = _runs(crop[first + cut:last - cut].any(axis=0))
    return (first, last, *runs[0]) if runs else None


def stop_at_foot(ink: np.ndarray, box) -> bool:
    """Whether a full stop stands at the foot of a word's first stroke even where it touches the foot
    serif: ink beside the stroke, apart from it, in the rows just above the serif."""
    x0, top, x1, bottom = box
    crop = ink[top:bottom, max(0, x0):x1]
    stem = _stem(crop)
    if stem is None:
        return False
    first, last, _, s1 = stem
    height = last - first
    band = crop[first + int(0.6 * height):first + int(0.85 * height), s1:]
    return any(start > 0 and end - start <= 0.35 * height for start, end in _runs(band.any(axis=0)))


def serifed_top(grey: np.ndarray, ink: np.ndarray, box) -> bool:
    """Whether a word's first stroke has a serif on both sides of its top (a letter I), not a flag to
    the left only (a digit 1): by the darkness beside the top fifth of the stroke, within a stroke's width."""
    x0, top, x1, bottom = box
    stem = _stem(ink[top:bottom, max(0, x0):x1])
    if stem is None:
        return False
    first, last, s0, s1 = stem
    width = s1 - s0
    darkness = 255 - grey[top + first:top + first + max(2, round(0.2 * (last - first)))].astype(np.int32)
    left = int(darkness[:, max(0, x0 + s0 - width):x0 + s0].sum())
    right = int(darkness[:, x0 + s1:x0 + s1 + width].sum())
    return right >= SERIF_BALANCE * max(1, left + right)


def stems(ink: np.ndarray, box) -> int:
    """The upright strokes across the middle of a word (its serifs and a full stop are above or below)."""
    x0, top, x1, bottom = box
    cut = (bottom - top) * 3 // 10
    columns = ink[top + cut:bottom - cut, max(0, x0):x1 + 1].any(axis=0)
    return int(columns[0]) + int((columns[1:] & ~columns[:-1]).sum()) if columns.size else 0


# (padding, height) in pixels at which a one-digit mark is read, in turn, until one reading gives a digit
MARK_READINGS = [(2, 30), (4, 30), (2, 60), (1, 20), (3, 20), (4, 20)]


def read_mark(tesseract: Tesseract, image: Image.Image, box) -> tuple[str, float] | None:
    """The digits in BOX, read on their own at a fixed height: Tesseract reads a superscript in a line as
    a quote or folds it into the full stop after it."""
    x0, top, x1, bottom = box
    tries = [(tesseract.digits(), max(2, (bottom - top) // 3), 40)]
    if x1 - x0 <= 0.9 * (bottom - top):
        # one digit: read as a character it comes out right where a line's reading fails ("2" as "92")
        tries = [(tesseract.digit(), pad, height) for pad, height in MARK_READINGS] + tries
    for api, pad, height in tries:
        crop = image.crop((x0 - pad, top - pad, x1 + pad, bottom + pad))
        scale = height / max(1, bottom - top)
        crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                           Image.Resampling.LANCZOS)
        api.SetImage(ImageOps.expand(crop, border=20, fill=255))
        api.Recognize()
        text, confidence = (api.GetUTF8Text() or "").strip(), float(api.MeanTextConf())
        if text.isdigit() and len(text) <= 3 and confidence > 0:
            return text, confidence
    return None


def page_chars(tesseract: Tesseract, image: Image.Image, ink: np.ndarray, lines: list[_Line], dpi: float) -> list[dict]:
    """Tesseract's lines as characters in points: one per symbol, the symbols of a word side by side, a
    space between words, raised marks small and on their own baseline."""
    k = 72 / dpi
    chars = []
    grey = np.asarray(image)
    # the raised figures of footnote type have strokes of a pixel at 150 dpi, which a median filter takes out
    fine_ink = ink if dpi >= MEDIAN_DPI else grey < ink_threshold(grey)
    for line in lines:
        if em := line_em(line):
            line.words = [part for w in (without_specks(grey, w, em) for w in line.words) if w.symbols
                          for part in split_at_specks(grey, w, em)]
    lines = [line for line in lines if line.words]
    strokes = {id(word): stroke_width(ink, word.box) for line in lines for word in line.words}
    middle = median([width for width in strokes.values() if width]) if any(strokes.values()) else 0.0
    fontname = "OCR-Regular"

    def char(text, x0, top, x1, bottom, baseline, size, confidence):
        chars.append({"text": text, "fontname": fontname, "size": size, "x0": x0 * k, "x1": x1 * k,
                      "top": top * k, "bottom": bottom * k, "baseline": baseline * k, "confidence": confidence})

    for line in lines:
        em = line_em(line)
        if not em:
            continue
        size = round(em * k, 2)
        line_top = min(w.box[1] for w in line.words)
        line_bottom = max(w.box[3] for w in line.words)
        previous_end = None
        for i, word in enumerate(line.words):
            fontname = "OCR-Bold" if middle and strokes[id(word)] >= BOLD_STROKE * middle else "OCR-Regular"
            following = line.words[i + 1].box[0] if i + 1 < len(line.words) else word.box[2] + em
            room = int(min(following - 2, word.box[2] + 0.6 * em)) - word.box[2]
            marks = []
            for box in raised_marks(fine_ink, word, line.baseline, em, room, int(em) if i == 0 else 0):
                read = read_mark(tesseract, image, box)
                if read:
                    marks.append((box, *read))
            kept = [punctuation_by_depth(s, line.baseline, em) for s in word.symbols
                    if not any(b[0] <= (s[1][0] + s[1][2]) / 2 < b[2] for b, _, _ in marks)]
            if i == 0 and kept and all(s[0].isdigit() for s in kept) and not marks \
                    and abs(word.box[3] - word.box[1] - CAP_HEIGHT * em) > 0.15 * CAP_HEIGHT * em:
                # a number in another size than its line (a footnote's own number): the line's reading
                # squeezes it to the line's height, read on its own it comes out right
                read = read_mark(tesseract, image, word.box)
                if read:
                    width = (word.box[2] - word.box[0]) / len(read[0])
                    kept = [(digit, (round(word.box[0] + n * width), word.box[1], round(word.box[0] + (n + 1) * width),
                                     word.box[3]), read[1]) for n, digit in enumerate(read[0])]
            read_as = "".join(s[0] for s in kept)
            if i == 0 and fontname == "OCR-Bold" and kept and 1 <= (ones := stems(ink, word.box)) <= 3 \
                    and ((roman := ROMAN_ONES.match(read_as))
                         and (roman[1] or ends_in_stop(ink, word.box) or stop_at_foot(ink, word.box))
                         or MERGED_ONE.match(read_as) and ones == 1 and stop_at_foot(ink, word.box)
                         and serifed_top(grey, ink, word.box)):
                width = (word.box[2] - word.box[0]) / (ones + 1)
                confidence = min(s[2] for s in kept)
                kept = [(letter, (round(word.box[0] + n * width), word.box[1], round(word.box[0] + (n + 1) * width),
                                  word.box[3]), confidence) for n, letter in enumerate("I" * ones + ".")]
            if i == 0 and RUN_TOGETHER.match(read_as) and i + 1 < len(line.words) \
                    and line.words[1].symbols[0][0][:1].isupper():
                kept = stops_between_digits(fine_ink, word.box, line.baseline, CAP_HEIGHT * em, kept,
                                            line.words[1].box[0]) or kept
            if previous_end is not None:
                char(" ", previous_end, line_top, word.box[0], line_bottom, line.baseline, size, None)
            x = None
            for text, (x0, top, x1, bottom), confidence in kept:
                x0 = x0 if x is None or any(b[0] >= x and b[2] <= x0 for b, _, _ in marks) else x
                x1 = max(x1, x0 + 1)
                for b, _, _ in marks:     # a symbol that took in the mark ends where the mark begins
                    if x0 < b[0] < x1:
                        x1 = b[0]
                char(text, x0, top, x1, bottom, line.baseline, size, confidence)
                x = x1
            for (x0, top, x1, bottom), digits, confidence in marks:
                mark_size = round((bottom - top) / (CAP_HEIGHT * em) * size, 2)
                width = (x1 - x0) / len(digits)
                for n, digit in enumerate(digits):
                    char(digit, x0 + n * width, top, x0 + (n + 1) * width, bottom, bottom, mark_size, confidence)
            previous_end = word.box[2]
    return chars


def without_specks(grey: np.ndarray, word: _Word, em: float) -> _Word:
    """WORD without the marks at its ends that are specks the model read as punctuation (a quote before a
    word, a dash after it): marks with less ink than half a full stop of the line's type (FULL_STOP em
    across). Empty if the word is all such marks."""
    least = 0.5 * (FULL_STOP * em) ** 2

    def speck(symbol):
        text, (x0, top, x1, bottom), _ = symbol
        if text.isalnum() and unicodedata.category(text[0]) != "Lm":    # a letter, not a lone accent ('ˆ')
            return False
        return float((255 - grey[max(0, top):bottom, max(0, x0):x1].astype(np.int32)).sum()) / 255 < least
    symbols = word.symbols
    while symbols and speck(symbols[0]):
        symbols = symbols[1:]
    while symbols and speck(symbols[-1]):
        symbols = symbols[:-1]
    if len(symbols) == len(word.symbols):
        return word
    box = _box_of(symbols) if symbols else word.box
    return _Word(box, word.confidence, symbols)


# the marks a speck is read as inside a word
SPECK_MARKS = frozenset(".,:;'`’‘-")


def split_at_specks(grey: np.ndarray, word: _Word, em: float) -> list[_Word]:
    """WORD as two words where the model read a speck between a number and the word after it as a mark
    ("28.lớp" for "28 lớp"): a mark between a digit and a letter with less ink between the two than half a
    full stop (its own box takes in theirs)."""
    least = 0.5 * (FULL_STOP * em) ** 2
    symbols = word.symbols
    for i in range(1, len(symbols) - 1):
        before, (text, _, _), after = symbols[i - 1], symbols[i], symbols[i + 1]
        if text not in SPECK_MARKS or not before[0].isdigit() or not after[0].isalpha():
            continue
        x0, x1 = before[1][2], after[1][0]
        top, bottom = word.box[1], word.box[3]
        if x1 <= x0 or float((255 - grey[top:bottom, x0:x1].astype(np.int32)).sum()) / 255 >= least:
            continue
        return [_Word(_box_of(symbols[:i]), word.confidence, symbols[:i]),
                *split_at_specks(grey, _Word(_box_of(symbols[i + 1:]), word.confidence, symbols[i + 1:]), em)]
    return [word]


def _box_of(symbols) -> tuple[int, int, int, int]:
    return (min(s[1][0] for s in symbols), min(s[1][1] for s in symbols),
            max(s[1][2] for s in symbols), max(s[1][3] for s in symbols))


def punctuation_by_depth(symbol, baseline: float, em: float):
    """A symbol read as a comma that does not reach below the baseline is a full stop: at 150 dpi the
    model reads a heading's "1.1." as "1,1." at high confidence, where a comma's foot sits 0.07-0.22 em
    under the baseline and a full stop's within 0.04 em of it (measured on the samples' scans). A colon
    whose box is one dot's height on the baseline is a full stop too ("1:011/2.864" for "1.011/2.864":
    a colon's box measured 0.44-0.48 em high, that one 0.09)."""
    text, box, confidence = symbol
    if text == "," and box[3] < baseline + COMMA_DEPTH * em:
        return ".", box, confidence
    if text == ":" and box[3] - box[1] < COLON_HEIGHT * em and box[3] >= baseline - 0.1 * em:
        return ".", box, confidence      # one dot on the baseline, a speck above it taken for the other
    return symbol


def stroke_width(ink: np.ndarray, box) -> float:
    """The mean length of the horizontal runs of ink in BOX: how thick the word's strokes are."""
    x0, top, x1, bottom = box
    region = ink[max(0, top):bottom, max(0, x0):x1]
    if not region.size:
        return 0.0
    runs = int(region[:, 0].sum()) + int((region[:, 1:] & ~region[:, :-1]).sum())
    return float(region.sum()) / runs if runs else 0.0


def read_page(tesseract: Tesseract, image: Image.Image, dpi: float, page_no: int) -> ScannedPage:
    """One page image to a ScannedPage: cleaned, upright, straight, its rules taken out and kept, then read."""
    image, dpi = for_reading(image, dpi)
    factor = max(1, round(dpi / 150))
    small = np.asarray(image.reduce(factor) if factor > 1 else image)
    level = ink_threshold(small)
    turned = 0
    if sideways(small < level):
        turned = tesseract.orientation(image) or 0
        if turned:
            image = image.rotate(turned, expand=True, fillcolor=255)
            small = np.asarray(image.reduce(factor) if factor > 1 else image)
    skew = skew_angle(np.asarray(Image.fromarray(small).filter(ImageFilter.MedianFilter(3))) < level)
    if abs(skew) < MIN_SKEW:
        skew = 0.0
    else:
        image = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    result = _read_straight(tesseract, image, dpi, page_no, level)
    if result[1] < POOR_READ:
        # sideways text read upright, or a page upside down: ask OSD and read it again if it says so
        again = tesseract.orientation(image)
        if again:
            turned = (turned + again) % 360
            retry = _read_straight(tesseract, image.rotate(again, expand=True, fillcolor=255), dpi, page_no, level)
            if retry[1] > result[1]:
                result = retry
    page, _ = result
    page.turned, page.skew = turned, skew
    return page


def _read_straight(tesseract: Tesseract, image: Image.Image, dpi: float, page_no: int, level: int):
    grey = np.asarray(image)
    rules = find_rules(grey < level, dpi)         # unfiltered: a median filter takes out a one-pixel rule
    ink = np.asarray(image.filter(ImageFilter.MedianFilter(3))) < level
    if rules:
        grey = grey.copy()
        for x0, top, x1, bottom in rules:
            grey[max(0, top - 1):bottom + 1, max(0, x0 - 1):x1 + 1] = 255
        image = Image.fromarray(grey)
        ink = ink.copy()
        for x0, top, x1, bottom in rules:
            ink[max(0, top - 1):bottom + 1, max(0, x0 - 1):x1 + 1] = False
    lines = recognise(tesseract, image, dpi)
    k = 72 / dpi
    shapes = [((x0 * k, top * k, x1 * k, bottom * k), False) for x0, top, x1, bottom in rules]
    grids = find_grids(shapes)
    if grids:
        lines = _with_cells_read(tesseract, image, ink, lines, grids, dpi)
    chars = page_chars(tesseract, image, ink, lines, dpi)
    tables = grid_tables(page_no, shapes, chars)
    for table in tables:
        table["confidence"] = _cell_confidence(table, chars)
    # the words' confidence, not the symbols': upside down, Tesseract reads symbols it is sure of (93 in
    # the mean) into words it is not (43)
    words = [word.confidence for line in lines for word in line.words]
    mean = float(np.mean(words)) if words else 0.0
    return ScannedPage(image.width * k, image.height * k, chars, tables, dpi=dpi), mean


def _with_cells_read(tesseract: Tesseract, image: Image.Image, ink: np.ndarray, lines: list[_Line], grids: list,
                     dpi: float) -> list[_Line]:
    """The page's lines with the words inside its ruled tables replaced by each cell read on its own:
    read as a page, a table's short numbers lose their separators and its narrow cells their digits."""
    px = dpi / 72
    boxes = []
    for grid in grids:
        cells = [box for row in grid for box in row if box]
        boxes.append((min(b[0] for b in cells) * px, min(b[1] for b in cells) * px,
                      max(b[2] for b in cells) * px, max(b[3] for b in cells) * px))

    def in_a_table(word: _Word) -> bool:
        x, y = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
        return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    kept = []
    for line in lines:
        line.words = [w for w in line.words if not in_a_table(w)]
        if line.words:
            kept.append(line)
    inset = max(2, round(0.015 * dpi))        # clear of the rule, erased already but with a trace left
    for grid in grids:
        for row in grid:
            for box in row:
                if box is not None:
                    x0, top, x1, bottom = (round(v * px) for v in box)
                    kept.extend(read_cell(tesseract, image, ink, (x0 + inset, top + inset, x1 - inset, bottom - inset), dpi))
    return kept


CELL_TEXT_HEIGHT = 26       # pixels of digit height at which Tesseract reads a lone cell line best (measured)
CELL_CHECK_HEIGHTS = (34, 30)  # and the heights at which a number is read again (see read_cell)
NUMBER_ONLY = re.compile(r"^[\d.,/%()\-]+$")


def read_cell(tesseract: Tesseract, image: Image.Image, ink: np.ndarray, box, dpi: float) -> list[_Line]:
    """The lines of one table cell, cut to its ink with a white margin; a cell of one line is read as a
    line at a fixed height (a lone "52" read in place comes out "S2"), a cell of more lines from a coarse
    scan enlarged to TARGET_DPI (at 150 dpi a header's "(%)" came out "®%)")."""
    from tesserocr import PSM
    x0, top, x1, bottom = box
    if x1 - x0 < 4 or bottom - top < 4:
        return []
    inked = ink[top:bottom, x0:x1]
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    if len(rows) == 0:
        return []
    x0, x1, top, bottom = x0 + int(cols[0]), x0 + int(cols[-1]) + 1, top + int(rows[0]), top + int(rows[-1]) + 1
    text_rows = _runs(inked[rows[0]:rows[-1] + 1].any(axis=1))
    single = len([r for r in text_rows if r[1] - r[0] > 0.03 * dpi]) <= 1
    pad = max(4, round(0.03 * dpi))

    def read_at(scale: float, psm) -> list[_Line]:
        crop = image.crop((x0 - pad, top - pad, x1 + pad, bottom + pad))
        if scale != 1.0:
            crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                               Image.Resampling.LANCZOS)
        return recognise(tesseract, ImageOps.expand(crop, border=20, fill=255), dpi, psm,
                         (x0 - pad - 20 / scale, top - pad - 20 / scale), scale)

    if not single:
        return read_at(max(1.0, TARGET_DPI / dpi), PSM.SINGLE_BLOCK)
    lines = read_at(CELL_TEXT_HEIGHT / max(1, bottom - top), PSM.SINGLE_LINE)
    read_as = _text_of(lines)
    if NUMBER_ONLY.match(read_as) and any(ch.isdigit() for ch in read_as):
        # a number read again at other heights: where two more readings are numbers and both differ from the
        # first ("42", then "4,2" and "4,2"), the model is sure of none of them, whatever it says, and the
        # cell's figure is marked so (confidence 0); one reading that differs alone is outvoted ("2.537",
        # "2.7", "2.537"), and a reading that is no number ("B4 bNL" for "9.391") tells nothing
        if all(readings_disagree(read_as, _text_of(read_at(height / max(1, bottom - top), PSM.SINGLE_LINE)))
               for height in CELL_CHECK_HEIGHTS):
            for line in lines:
                for word in line.words:
                    word.confidence = 0.0
                    word.symbols = [(text, box, 0.0) for text, box, _ in word.symbols]
    return lines


def _text_of(lines: list[_Line]) -> str:
    return "".join(s[0] for line in lines for word in line.words for s in word.symbols)


def readings_disagree(first: str, second: str) -> bool:
    """Whether two readings of one cell are both numbers and not the same one."""
    return bool(NUMBER_ONLY.match(first) and NUMBER_ONLY.match(second)) and first != second


def _cell_confidence(table: dict, chars: list[dict]) -> dict:
    """(row, col) -> the lowest confidence of the characters OCR read in that cell."""
    from ..layout import Middles
    middles = Middles(chars)
    found = {}
    for r, row in enumerate(table["rows"]):
        for c, (_, bbox) in enumerate(row):
            if bbox is None:
                continue
            sure = [ch["confidence"] for ch in middles.chosen(middles.inside(bbox)) if ch["confidence"] is not None]
            if sure:
                found[(r, c)] = min(sure)
    return found


def snap_sizes(pages: list[ScannedPage]) -> None:
    """Sizes measured line by line differ by a few per cent for one type: snap each to the most common
    size near it, so that the lines of one type have one size, as in a text layer."""
    weights: dict[float, int] = {}
    for page in pages:
        for c in page.chars:
            weights[round(c["size"], 1)] = weights.get(round(c["size"], 1), 0) + 1
    classes: dict[float, float] = {}
    for size in sorted(weights, key=lambda s: -weights[s]):
        if size in classes:
            continue
        for other in weights:
            if other not in classes and abs(other - size) <= SIZE_CLASS * size:
                classes[other] = size
    for page in pages:
        for c in page.chars:
            c["size"] = classes[round(c["size"], 1)]


def ocr_pages(source, page_numbers: list[int] | None = None, dpi: int = TARGET_DPI, threads: int = 1) -> list[ScannedPage]:
    """Pages read by OCR: SOURCE is a PDF's path (its pages PAGE_NUMBERS, 1-based; default all), an image
    file's path, or a list of (grey image, resolution). Each page unpacks as (width, height, chars).
    THREADS pages are read at once (0: one per core; Tesseract reads outside Python's lock), each thread
    with its own engines."""
    if isinstance(source, (str, Path)) and _is_pdf(source):
        if page_numbers is None:
            import pypdfium2 as pdfium
            pdf = pdfium.PdfDocument(str(source))
            page_numbers = list(range(1, len(pdf) + 1))
            pdf.close()
        images = pdf_page_images(str(source), page_numbers, dpi)
    elif isinstance(source, (str, Path)):
        images = image_file_pages(str(source))
    else:
        images = ((n, image.convert("L"), resolution) for n, (image, resolution) in enumerate(source, start=1))
    pages = read_pages(images, threads if threads > 0 else os.cpu_count() or 1)
    snap_sizes(pages)
    return pages


def read_pages(images, threads: int) -> list[ScannedPage]:
    """IMAGES ((page number, grey image, resolution), rendered one by one in this thread) read by THREADS
    threads, in page order; no more images are rendered than there are threads to read them."""
    engines: list[Tesseract] = []
    own = threading.local()

    def read_one(n: int, image: Image.Image, resolution: float) -> ScannedPage:
        if not hasattr(own, "engine"):
            own.engine = Tesseract()
            engines.append(own.engine)
        return read_page(own.engine, image, resolution, n)
    try:
        if threads == 1:
            return [read_one(*item) for item in images]
        pages, reading = [], deque()
        with ThreadPoolExecutor(threads) as pool:
            for item in images:
                reading.append(pool.submit(read_one, *item))
                if len(reading) >= threads:
                    pages.append(reading.popleft().result())
            pages.extend(f.result() for f in reading)
        return pages
    finally:
        for engine in engines:
            engine.close()


def _is_pdf(path) -> bool:
    with open(path, "rb") as handle:
        return b"%PDF-" in handle.read(1024)


def layout_of(pages: list, tables: list[dict], ocr_pages: list[int], fmt: str) -> Layout:
    """The Layout of pages some or all of which OCR read."""
    layout = analyse(pages, tables)
    layout.ocr_pages = ocr_pages
    layout.format = fmt
    return layout


def read(path: str, options) -> Layout:
    """The reader's entry point for image files (extract.readers.LAYOUT_READERS): every frame read by OCR."""
    if options.ocr == "never":
        raise InputError(path, "an image: its text needs OCR, which --ocr never turns off")
    try:
        pages = ocr_pages(path, threads=options.ocr_threads)
    except InputError as err:      # the file's name on a cause found without it (Tesseract missing)
        raise type(err)(path, err.cause) from None
    if not any(c["text"].strip() for page in pages for c in page.chars):
        raise InputError(path, "OCR found no text in the image")
    return layout_of(pages, [t for page in pages for t in page.tables], [n for n in range(1, len(pages) + 1)],
                     "image+ocr")
