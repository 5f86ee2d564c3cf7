"""Imported once by the sandbox's fork server (extract.sandbox.PRELOAD): the PDF reader's modules loaded and
its rules compiled there, by laying out one small made-up page, so that each file's child process starts
with them instead of paying for them once per file.
"""
import gc

from ..layout import analyse
from . import pdf  # noqa: F401  the reader itself, with what it imports


def _page() -> list[dict]:
    """A heading in bold, a body line with a footnote marker, a line typed in TCVN3, and its footnote."""
    chars = []
    lines = [("I. KẾT QUẢ THỰC HIỆN", "Times-Bold", 13.0, 100.0),
             ("Thu ngân sách đạt 1.250.000.000đ/1.000.000.000đ, bằng 125%1", "Times", 13.0, 120.0),
             ("B¸o c¸o t×nh h×nh kinh tÕ - x· héi", ".VnTime", 13.0, 140.0),
             ("1 Số liệu ước thực hiện đến ngày 30/11.", "Times", 10.0, 780.0)]
    for text, font, size, baseline in lines:
        x = 72.0
        for n, ch in enumerate(text):
            marker = font == "Times" and ch == "1" and n == len(text) - 1 and size == 13.0
            height = 8.0 if marker else size
            raised = 5.0 if marker else 0.0
            width = 0.5 * height
            chars.append({"text": ch, "fontname": font, "size": height, "x0": x, "x1": x + width,
                          "top": baseline - raised - height, "bottom": baseline - raised + 0.2 * height,
                          "baseline": baseline - raised})
            x += width
    return chars


analyse([(595.0, 842.0, _page())])
# the fork server's objects moved out of the collector's reach: a collection in a child would otherwise walk
# (and so copy, page by page) the whole heap it shares with the server
gc.freeze()
