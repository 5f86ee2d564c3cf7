"""Synthetic archive of ward/commune socio-economic reports, with exact ground truth for every figure.

    .venv/bin/python bench/generate_archive.py OUT_DIR --count 1000 [--seed 7] [--pdf-fraction 0]

Writes OUT_DIR/<province>/<district>/<unit>/<year>-<period>.txt as a PDF-to-text tool gives a Word-made
report (printed lines with a blank line between, wrapped mid-sentence, glued footnote markers, footnote
bodies where a page ends, stray page numbers), and OUT_DIR/_truth/*.parquet: documents, figures,
inconsistencies (the planted ones), checks (every check the text ties together, planted or
consistent), sections, non_figures. Each truth figure says what it measures: an indicator id of
rules/indicators.yaml and its measure, both null where it measures none (meetings held, fines), the period it
is about (period_year, period_span: a prior the same span a year before, a target the period its section sets
out, pupils of a school year that year), whether a change is a fall (falls), and whether it states its
indicator's value for the report or only a part of it (whole: a share, an item of a breakdown, a species of the
herd, graduates among pupils), so that the panel of the archive is known cell for cell (bench/archive_run.py). Same
seed, same bytes.

How offsets stay exact: every paragraph is built as a string while the generator records where each figure,
non-figure number, footnote marker and heading number sits in it; the layout step wraps paragraphs into
printed lines itself and keeps, for every printed line, which paragraph characters it holds and at which
file offset they land, so a paragraph offset maps to a file offset by lookup, never by searching the text.
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

D = Decimal
ROOT = Path(__file__).resolve().parent.parent

# --- Numbers as these reports write them -----------------------------------------------------------

def rhu(x, d: int) -> Decimal:
    """Round half up to d decimals."""
    return D(x).quantize(D(1).scaleb(-d), rounding=ROUND_HALF_UP)


def trunc(x, d: int) -> Decimal:
    return D(x).quantize(D(1).scaleb(-d), rounding=ROUND_DOWN)


def vi(x, d: int = 0, group: bool = True, sep: str = ",") -> str:
    """Vietnamese digits: '.' groups thousands, ',' marks decimals; rounded half up to d places."""
    q = rhu(x, d)
    whole, _, frac = f"{q:f}".partition(".")
    if group:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + (sep + frac if frac else "")


def vi_min(x, group: bool = True, sep: str = ",") -> str:
    """Fewest decimals that still write x exactly: 41.795 -> '41,795', 15 -> '15'."""
    x = D(x)
    d = max(0, -x.normalize().as_tuple().exponent)
    return vi(x, d, group, sep)


_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _triple_words(n: int, full: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = [_DIGIT_WORDS[hundreds], "trăm"] if hundreds or full else []
    if tens == 0:
        if units:
            words += (["linh"] if words else []) + [_DIGIT_WORDS[units]]
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGIT_WORDS[units])
    else:
        words += [_DIGIT_WORDS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGIT_WORDS[units]))
    return words


def words_vi(n: int) -> str:
    """An integer in Vietnamese words, lower case: 6250000 -> 'sáu triệu hai trăm năm mươi nghìn'."""
    if n == 0:
        return "không"
    words: list[str] = []
    billions, rest = divmod(n, 10**9)
    if billions:
        words += words_vi(billions).split() + ["tỷ"]
    for scale, name in ((10**6, "triệu"), (10**3, "nghìn"), (1, "")):
        group = rest // scale % 1000
        if group:
            words += _triple_words(group, bool(words))
            if name:
                words.append(name)
    return " ".join(words)


def slugify(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Names -------------------------------------------------------------------------------------------

PROVINCES = [
    "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Nam Định", "Ninh Bình", "Thanh Hóa", "Nghệ An",
    "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Phú Yên", "Khánh Hòa",
    "Ninh Thuận", "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước",
    "Tây Ninh", "Bình Dương", "Đồng Nai", "Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Vĩnh Phúc",
    "Phú Thọ", "Thái Nguyên", "Tuyên Quang", "Yên Bái", "Lào Cai", "Lạng Sơn", "Quảng Ninh",
    "Hải Phòng", "Đà Nẵng", "Cần Thơ",
]
CITY_PROVINCES = {"Hải Phòng", "Đà Nẵng", "Cần Thơ"}
SYLLABLES = [
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Quang", "Minh", "Hưng",
    "Long", "Phước", "Thịnh", "Xuân", "Vĩnh", "Hồng", "Trung", "Đại", "Cẩm", "Kim", "Ngọc", "Thanh",
    "Hải", "Sơn", "Lạc", "Phong", "Đức", "Thái", "Yên", "Mỹ", "Lộc", "Nghĩa", "Hiệp", "Thuận", "Cát",
    "Gia", "Khánh", "Định", "Tiến", "Thắng", "Lâm", "Hà", "Châu", "Quý", "Trường", "Tường", "Vạn",
    "Hậu", "Lương", "Diên", "Ninh", "Thọ", "Phúc", "Hội", "Cường", "Mai", "Liên",
]
BANNED_NAMES = {"Lê Lợi", "An Phú", "Hòa Bình", "Đông Sơn", "Tân An", "Phù Mỹ", "Hương Khê", "Phủ Lý",
                "Tam Giang", "Hưng Phú", "Phú Lâm", "Hòa Tiến"}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Lý",
          "Phan", "Võ", "Trịnh", "Đinh", "Hà", "Tạ", "Lương", "Mai", "Cao", "Lại"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Thu", "Anh", "Công",
          "Bá", "Kim", "Mạnh"]
GIVEN = ["Hùng", "Lan", "Tuấn", "Hải", "Dũng", "Hương", "Nam", "Sơn", "Bình", "Thảo", "Khánh", "Phúc",
         "Long", "Hạnh", "Trung", "Tâm", "Huyền", "Quân", "Định", "Cường", "Hiếu", "Nga", "Thắng", "Vinh",
         "Yến", "Toàn", "Hòa", "Lực", "Thủy", "Kiên"]
BANNED_PEOPLE = {"Lê Xuân Trường", "Trần Minh Quang", "Võ Thị Hồng Nhung"}
CAN_CHI = {2019: "Kỷ Hợi", 2020: "Canh Tý", 2021: "Tân Sửu", 2022: "Nhâm Dần", 2023: "Quý Mão",
           2024: "Giáp Thìn", 2025: "Ất Tỵ", 2026: "Bính Ngọ"}
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
         "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]
PART_WORDS = ["", "nhất", "hai", "ba", "tư"]
PERIODS = {"year": "nam", "6 months": "6-thang", "9 months": "9-thang"}
ERROR_KINDS = {
    "wrong_percent": "ratio_percent", "truncated": "ratio_percent", "swapped": "ratio_percent",
    "padded": "ratio_percent", "total_mismatch": "parts_sum", "shares_not_100": "percent_sum",
    "words_mismatch": "words_digits", "base_mismatch": "implied_denominator",
    "wrong_rate": "ratio_percent", "wrong_change": "change",
}


@dataclass
class Unit:
    province: str
    district: str
    district_level: str          # huyện | thị xã | thành phố | quận
    level: str                   # phường | xã | thị trấn
    name: str
    households: int              # in 2019
    persons: float               # per household
    subunits: int                # tổ dân phố / thôn
    khoa: int                    # HĐND term number of 2021-2026
    schools: tuple[str, str, str]
    people: tuple[str, ...]      # chairmen over the years
    slug: str = ""

    @property
    def sub_word(self) -> str:
        return "thôn" if self.level == "xã" else "tổ dân phố"


# --- A paragraph with everything that has digits in it located -------------------------------------

_TOKEN = re.compile(r"\{([a-z_]+):([^{}]*)\}")


class Para:
    """One paragraph (or one fixed line) of the report, with figures, non-figures and markers located."""

    def __init__(self, section: str, role: str, nowrap: bool = False):
        self.parts: list[str] = []
        self.n = 0
        self.section = section
        self.role = role              # header | heading | body | footnote | closing
        self.nowrap = nowrap
        self.figs: list[dict] = []
        self.nobreak: list[tuple[int, int]] = []
        self.traps: list[tuple[int, int, str]] = []
        self.issues: list[dict] = []
        self.checks: list[dict] = []
        self.measures: tuple[str | None, str | None] = (None, None)   # (indicator, measure) of the next figures
        self.when: tuple[int, str] | None = None    # (year, span) the next figures are about; None: the report's
        self.falls = False                          # whether the next changes are falls
        self.part = self._before_list = False       # whether the next figures state a part of their indicator's
                                                    # value (a share, an item of a breakdown, a subset), not it
        self.markers: list[tuple[int, int, int]] = []
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.parts)
        return self._text

    def t(self, s: str) -> "Para":
        self.parts.append(s)
        self.n += len(s)
        self._text = None
        return self

    def say(self, template: str) -> "Para":
        """Text with {reason:...} spans for numbers that are not figures (dates, document numbers ...)."""
        pos = 0
        for m in _TOKEN.finditer(template):
            if m.start() > pos:
                self.t(template[pos:m.start()])
            self.trap(m.group(2), m.group(1))
            pos = m.end()
        if pos < len(template):
            self.t(template[pos:])
        return self

    def trap(self, s: str, reason: str) -> None:
        start = self.n
        self.t(s)
        self.traps.append((start, self.n, reason))

    def fig(self, core: str, sep: str, unit_text: str, kind: str, *, unit=None, value=None, value_max=None,
            numerator=None, denominator=None, approx=None, decimals=None, in_words=None,
            measure: str | None = None) -> tuple[int, int]:
        """A figure; it measures self.measures (its measure replaced by MEASURE when given)."""
        indicator, measured = self.measures
        if approx:
            self.t(approx + " ")
        approx = qualifier(self.text[-24:])
        start = self.n
        self.t(core + sep + unit_text)
        self.nobreak.append((start, start + len(core)))
        self.figs.append(dict(start=start, end=self.n, kind=kind, value=value, value_max=value_max, numerator=numerator,
                              denominator=denominator, unit=unit if unit is not None else (unit_text or None),
                              approx=approx, decimals=decimals, in_words=in_words, indicator=indicator,
                              measure=(measure or measured) if indicator else None, when=self.when,
                              falls=self.falls if (measure or measured) == "change" and indicator else None,
                              whole=not self.part if indicator else None))
        return start, self.n

    def during(self, year: int | None = None, span: str | None = None) -> "Para":
        """The period the figures written next are about, as (year it ends in, span in the codes of
        documents.period: year, 6 months, last 3 months, quarter 4, school year 2023-2024, season đông xuân); no year: the
        report's own. An earlier value (measure prior) is about the same span a year before."""
        self.when = (year, span) if year is not None else None
        return self

    def about(self, indicator: str | None, measure: str = "actual", part: bool = False) -> "Para":
        """The indicator (an id of rules/indicators.yaml) and measure of the figures written next; None for
        figures that measure no indicator (meetings held, fines, permits). PART: they state a part of it (drug
        cases among crimes, graduates among pupils), which is no value of the panel's cell."""
        self.measures = (indicator, measure if indicator else None)
        self.part = part
        return self

    def listing(self, on: bool = True) -> "Para":
        """The figures written next are the parts of a whole (a breakdown, shares); off: they are again what
        they were before the list (a list of pupils' grades inside a note about a part of the pupils)."""
        if on:
            self._before_list, self.part = self.part, True
        else:
            self.part = self._before_list
        return self

    # figure writers ----------------------------------------------------------------------------------
    def count(self, n: int, unit: str, lead0: bool = False, approx=None, glued: bool = False, measure=None):
        core = f"{n:02d}" if lead0 and n < 10 else vi(n)
        return self.fig(core, "" if glued else " ", unit, "count", value=n, approx=approx, decimals=0,
                        measure=measure)

    def count_words(self, n: int, unit: str, capital: bool = False):
        """A count written in words: 'hai vụ', 'Ba tiêu chí'."""
        words = words_vi(n)
        return self.fig(cap(words) if capital else words, " ", unit, "count", value=n, decimals=0)

    def count_range(self, lo, hi, unit: str, kind: str = "quantity", d: int = 0):
        """'4 đến 5 tấn/ha' (the 'từ' before it is the writer's)."""
        return self.fig(f"{vi(lo, d)} đến {vi(hi, d)}", " ", unit, kind, value=float(rhu(lo, d)),
                        value_max=float(rhu(hi, d)), decimals=d)

    def count_pair(self, a: int, a_unit: str, b: int, b_unit: str):
        """Two counts across a slash that make one ratio: '112 bé trai/100 bé gái'."""
        return self.fig(f"{vi(a)} {a_unit}/{vi(b)}", " ", b_unit, "ratio", unit=a_unit, numerator=float(a),
                        denominator=float(b))

    def qty(self, x, d: int, unit: str, approx=None, glued: bool = False, measure=None):
        core = vi(x, d)
        return self.fig(core, "" if glued else " ", unit, "quantity", value=float(rhu(x, d)),
                        approx=approx, decimals=d, measure=measure)

    def money(self, v: int, style: str, approx=None, per: str = "", in_words=None):
        core, sep, unit = money_parts(v, style)
        d = len(core.split(",")[1]) if "," in core else 0
        return self.fig(core, sep, unit + per, "money", value=v, approx=approx, in_words=in_words,
                        decimals=d)

    def pct(self, value: Decimal, d: int, dot: bool = False, space: bool = False, approx=None,
            written: str | None = None, measure: str | None = None):
        core = written if written is not None else vi(value, d, group=False, sep="." if dot else ",")
        return self.fig(core, " " if space else "", "%", "percent", value=float(D(core.replace(",", "."))),
                        approx=approx, decimals=d, measure=measure)

    def permille(self, value: Decimal, d: int, sign: str = "‰"):
        core = vi(value, d, group=False)
        return self.fig(core, "", sign, "per_mille", value=float(rhu(value, d)), decimals=d)

    def ratio(self, a: str, b: str, num, den, unit: str | None = None, space_slash: bool = False,
              money_unit: str | None = None):
        core = f"{a}{' ' if space_slash else ''}/{b}"
        return self.fig(core, " " if unit else "", unit or "", "ratio", unit=money_unit or unit,
                        numerator=float(num), denominator=float(den))


PLAN_WORDS = re.compile(r"\s*(?:kế hoạch|KH|dự toán|chỉ tiêu)")     # after a percentage: a share of the plan
_QUALIFIER = re.compile(r"(?:^|\s|\()(khoảng|gần|trên|hơn|dưới|ước(?: tính| đạt| thực hiện)?)\s$")


def qualifier(before: str) -> str | None:
    """The word that makes the next number approximate ('khoảng', 'trên', 'ước' ...), if any."""
    m = _QUALIFIER.search(before)
    return m.group(1).split()[0] if m else None


def money_parts(v: int, style: str) -> tuple[str, str, str]:
    """(number, separator, currency) of an amount in đồng written in one of the usual styles."""
    if style == "đ":
        return vi(v), "", "đ"
    if style == "đồng":
        return vi(v), " ", "đồng"
    if style == "VNĐ":
        return vi(v), " ", "VNĐ"
    if style == "triệu":
        return vi_min(D(v) / 10**6), " ", "triệu đồng"
    if style == "triệu.":
        return vi_min(D(v) / 10**6, sep="."), " ", "triệu đồng"
    if style == "tỷ":
        return vi_min(D(v) / 10**9), " ", "tỷ đồng"
    if style == "tỷ triệu":
        billions, rest = divmod(v, 10**9)
        return f"{vi(billions)} tỷ {vi_min(D(rest) / 10**6)}", " ", "triệu đồng"
    raise ValueError(style)


def money_styles(v: int) -> list[str]:
    """The styles that can write v exactly and plausibly."""
    styles = ["đ", "đồng"]
    if v % 10**5 == 0 and 10**6 <= v < 10**9:
        styles += ["triệu", "triệu"]
        if v % 10**6 and v < 10**8:
            styles.append("triệu.")
    if v >= 10**9 and v % 10**6 == 0:
        styles.append("tỷ")
        if v % 10**9 and v % 10**8 == 0:
            styles.append("tỷ triệu")
    if v >= 10**8:
        styles.append("VNĐ")
    return styles


# --- The report grammar ------------------------------------------------------------------------------

SUBJECTS = {
    "general": ["Công tác lãnh đạo, chỉ đạo, điều hành", "Việc triển khai các nghị quyết của HĐND {lvl}",
                "Công tác phối hợp giữa UBND {lvl} với Ủy ban MTTQ và các đoàn thể",
                "Công tác kiểm tra, đôn đốc thực hiện nhiệm vụ", "Việc thực hiện quy chế làm việc của UBND {lvl}"],
    "agri": ["Công tác chỉ đạo sản xuất nông nghiệp", "Việc chuyển đổi cơ cấu cây trồng",
             "Công tác phòng, chống thiên tai", "Công tác thủy lợi nội đồng", "Các mô hình liên kết sản xuất",
             "Công tác bảo vệ thực vật", "Việc đưa giống mới vào sản xuất"],
    "livestock": ["Công tác phòng, chống dịch bệnh gia súc, gia cầm", "Công tác kiểm soát giết mổ",
                  "Hoạt động chăn nuôi", "Công tác tiêm phòng cho đàn vật nuôi"],
    "rural": ["Phong trào xây dựng nông thôn mới", "Cuộc vận động hiến đất, góp công làm đường giao thông",
              "Việc duy trì, nâng cao chất lượng các tiêu chí nông thôn mới", "Chương trình mỗi xã một sản phẩm"],
    "business": ["Hoạt động thương mại, dịch vụ", "Công tác quản lý thị trường", "Công tác kiểm tra vệ sinh an toàn thực phẩm",
                 "Hoạt động của các cơ sở sản xuất tiểu thủ công nghiệp", "Việc thanh toán không dùng tiền mặt",
                 "Công tác hỗ trợ doanh nghiệp, hộ kinh doanh"],
    "budget": ["Công tác quản lý thu ngân sách", "Việc quản lý, sử dụng ngân sách", "Công tác công khai tài chính",
               "Công tác quyết toán các công trình xây dựng cơ bản", "Việc quản lý tài sản công"],
    "urban": ["Công tác quản lý trật tự xây dựng", "Công tác chỉnh trang đô thị", "Việc quản lý vỉa hè, lòng đường",
              "Công tác quản lý đất đai", "Công tác giải phóng mặt bằng các dự án"],
    "env": ["Công tác thu gom, xử lý rác thải", "Công tác bảo vệ môi trường", "Công tác quản lý tài nguyên, khoáng sản",
            "Việc phân loại rác thải tại nguồn"],
    "education": ["Công tác giáo dục - đào tạo", "Chất lượng giáo dục toàn diện", "Công tác khuyến học, khuyến tài",
                  "Công tác đầu tư cơ sở vật chất trường lớp", "Công tác phổ cập giáo dục, xóa mù chữ",
                  "Việc thực hiện chương trình giáo dục phổ thông mới"],
    "culture": ["Phong trào toàn dân đoàn kết xây dựng đời sống văn hóa", "Công tác thông tin, tuyên truyền",
                "Hoạt động văn hóa, văn nghệ, thể dục thể thao", "Công tác quản lý di tích, lễ hội",
                "Việc thực hiện nếp sống văn minh trong việc cưới, việc tang"],
    "health": ["Công tác chăm sóc sức khỏe Nhân dân", "Công tác phòng, chống dịch bệnh", "Công tác dân số - kế hoạch hóa gia đình",
               "Công tác kiểm tra an toàn thực phẩm", "Chương trình tiêm chủng mở rộng", "Công tác khám chữa bệnh bảo hiểm y tế"],
    "social": ["Công tác an sinh xã hội", "Công tác giảm nghèo", "Việc thực hiện chính sách đối với người có công",
               "Công tác bảo vệ, chăm sóc trẻ em", "Công tác giải quyết việc làm", "Công tác chi trả trợ cấp xã hội"],
    "defence": ["Công tác quân sự địa phương", "Công tác xây dựng lực lượng dân quân", "Công tác tuyển quân",
                "Công tác giáo dục quốc phòng - an ninh"],
    "security": ["Tình hình an ninh chính trị, trật tự an toàn xã hội", "Phong trào toàn dân bảo vệ an ninh Tổ quốc",
                 "Công tác tuần tra, kiểm soát", "Công tác phòng cháy, chữa cháy", "Công tác quản lý cư trú"],
    "government": ["Công tác cải cách hành chính", "Công tác chuyển đổi số", "Công tác tiếp công dân, giải quyết đơn thư",
                   "Công tác tư pháp - hộ tịch", "Công tác thi đua, khen thưởng", "Công tác xây dựng chính quyền",
                   "Công tác thanh tra, phòng chống tham nhũng"],
}
PREDICATES = [
    "tiếp tục được quan tâm chỉ đạo", "được triển khai đồng bộ, hiệu quả", "được duy trì thường xuyên",
    "có nhiều chuyển biến tích cực", "được tăng cường", "đạt được những kết quả tích cực",
    "được thực hiện nghiêm túc, đúng quy định", "được chú trọng", "được tổ chức thực hiện có hiệu quả",
    "từng bước đi vào nền nếp", "được các ngành, đoàn thể phối hợp triển khai tích cực",
    "được lãnh đạo, chỉ đạo quyết liệt", "tiếp tục được đẩy mạnh", "được quan tâm đúng mức",
]
MANNERS = [
    "bám sát kế hoạch đề ra", "theo đúng quy định của pháp luật", "gắn với nhiệm vụ chính trị của địa phương",
    "với sự vào cuộc của cả hệ thống chính trị", "có trọng tâm, trọng điểm", "theo đúng tiến độ",
    "phù hợp với tình hình thực tế", "ngay từ đầu năm", "với nhiều hình thức phong phú",
]
OUTCOMES = [
    "ổn định đời sống Nhân dân", "nâng cao hiệu quả quản lý nhà nước", "tạo sự đồng thuận trong Nhân dân",
    "hoàn thành các chỉ tiêu đề ra", "bảo đảm an sinh xã hội trên địa bàn",
    "thúc đẩy phát triển kinh tế - xã hội của địa phương", "nâng cao chất lượng cuộc sống của Nhân dân",
    "củng cố niềm tin của Nhân dân đối với chính quyền", "giữ vững ổn định tình hình trên địa bàn",
]
CONNECTORS = [", góp phần ", "; qua đó góp phần ", ", từng bước ", ", nhằm "]
OPENERS = ["Bên cạnh đó, ", "Ngoài ra, ", "Đồng thời, ", "Trong kỳ, ", "Nhìn chung, "]
AGENTS = ["công chức Địa chính - Xây dựng", "Công an {lvl}", "Ban Chỉ huy Quân sự {lvl}", "Trưởng các {sub}",
          "Trạm Y tế {lvl}", "công chức Văn hóa - Xã hội", "Hội Nông dân {lvl}", "Hội Liên hiệp Phụ nữ {lvl}",
          "Đoàn Thanh niên {lvl}", "Hội Cựu chiến binh {lvl}", "Ủy ban MTTQ {lvl}", "công chức Tư pháp - Hộ tịch",
          "công chức Tài chính - Kế toán", "Văn phòng HĐND - UBND {lvl}", "các ngành, đoàn thể"]
ACTIONS = [
    "tăng cường kiểm tra, xử lý các trường hợp vi phạm", "tuyên truyền, vận động Nhân dân chấp hành tốt các quy định",
    "rà soát, cập nhật đầy đủ hồ sơ, số liệu", "phối hợp tổ chức các đợt ra quân", "kịp thời nắm bắt tâm tư, nguyện vọng của Nhân dân",
    "chủ động tham mưu các giải pháp tháo gỡ khó khăn", "theo dõi, báo cáo kết quả định kỳ", "hướng dẫn các {sub} triển khai thực hiện",
    "tổ chức hội nghị sơ kết, rút kinh nghiệm", "bố trí lực lượng trực, xử lý kịp thời các tình huống phát sinh",
]
DOC_TOPICS = {
    "general": ["triển khai nhiệm vụ phát triển kinh tế - xã hội", "thực hiện quy chế dân chủ ở cơ sở",
                "phân công nhiệm vụ các thành viên UBND"],
    "agri": ["sản xuất vụ Đông Xuân", "phòng, chống thiên tai và tìm kiếm cứu nạn", "chuyển đổi cơ cấu cây trồng trên đất lúa",
             "phòng, chống hạn hán, xâm nhập mặn"],
    "livestock": ["tiêm phòng vắc xin cho đàn vật nuôi", "phòng, chống bệnh dịch tả lợn châu Phi"],
    "rural": ["duy trì các tiêu chí nông thôn mới", "ra quân làm đường giao thông nông thôn"],
    "business": ["kiểm tra an toàn thực phẩm trong dịp Tết", "phát triển thương mại điện tử", "quản lý chợ trên địa bàn"],
    "budget": ["giao dự toán thu, chi ngân sách", "thực hành tiết kiệm, chống lãng phí", "quản lý nguồn thu ngoài quốc doanh"],
    "urban": ["lập lại trật tự vỉa hè, lòng đường", "quản lý trật tự xây dựng", "đặt tên đường, phố"],
    "env": ["thu gom, phân loại rác thải sinh hoạt", "bảo vệ môi trường khu dân cư", "ra quân tổng vệ sinh môi trường"],
    "education": ["tuyển sinh đầu cấp", "phổ cập giáo dục, xóa mù chữ", "chuẩn bị khai giảng năm học mới"],
    "culture": ["tổ chức các hoạt động mừng Đảng, mừng Xuân", "bình xét các danh hiệu văn hóa", "quản lý lễ hội truyền thống"],
    "health": ["phòng, chống sốt xuất huyết", "chiến dịch tiêm chủng mở rộng", "bảo đảm an toàn thực phẩm"],
    "social": ["chăm lo Tết cho các đối tượng chính sách", "rà soát hộ nghèo, hộ cận nghèo", "xóa nhà tạm, nhà dột nát"],
    "defence": ["tuyển chọn, gọi công dân nhập ngũ", "huấn luyện dân quân", "diễn tập khu vực phòng thủ"],
    "security": ["cao điểm tấn công, trấn áp tội phạm", "phòng cháy, chữa cháy", "bảo đảm trật tự an toàn giao thông"],
    "government": ["cải cách hành chính", "chuyển đổi số", "tiếp công dân, giải quyết khiếu nại, tố cáo",
                   "phòng, chống tham nhũng, tiêu cực"],
}
TASK_VERBS = ["Tập trung chỉ đạo", "Tiếp tục đẩy mạnh", "Đẩy mạnh", "Nâng cao hiệu quả", "Tăng cường",
              "Chủ động triển khai", "Thực hiện tốt", "Quan tâm chỉ đạo"]
TASK_SUBJECTS = ("Công tác", "Việc", "Phong trào", "Chương trình", "Cuộc vận động")
TASK_ENDS = ["phấn đấu hoàn thành các chỉ tiêu đề ra", "bảo đảm đúng tiến độ, chất lượng",
             "gắn với trách nhiệm người đứng đầu", "huy động sự vào cuộc của cả hệ thống chính trị",
             "kịp thời tháo gỡ khó khăn, vướng mắc phát sinh", "lấy sự hài lòng của Nhân dân làm thước đo"]
DOMAIN_GROUPS = [("Về phát triển kinh tế", ["agri", "business", "budget", "urban", "env"]),
                 ("Về văn hóa - xã hội", ["education", "culture", "health", "social"]),
                 ("Về quốc phòng - an ninh", ["defence", "security"]),
                 ("Về xây dựng chính quyền", ["government", "general"])]
SHORTFALLS = ["vẫn còn một số hạn chế", "chưa đạt yêu cầu đề ra", "có lúc còn chậm", "chưa thật sự đồng bộ",
              "còn gặp nhiều khó khăn", "chưa phát huy hết hiệu quả"]
LIMITS = [
    "Một số chỉ tiêu về thu ngân sách đạt thấp so với dự toán; nguồn thu chưa ổn định, chưa bền vững.",
    "Tình trạng vi phạm trật tự xây dựng, lấn chiếm hành lang giao thông vẫn còn xảy ra.",
    "Việc thu gom, xử lý rác thải tại một số khu dân cư chưa thường xuyên, còn để tồn đọng.",
    "Tiến độ giải phóng mặt bằng một số dự án còn chậm, chưa đáp ứng yêu cầu.",
    "Sản xuất nông nghiệp còn phụ thuộc nhiều vào thời tiết; giá trị sản xuất trên đơn vị diện tích chưa cao.",
    "Công tác chuyển đổi số ở một số lĩnh vực còn lúng túng; tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.",
    "Tình hình tội phạm trộm cắp tài sản, vi phạm về ma túy vẫn còn tiềm ẩn phức tạp.",
    "Chất lượng hoạt động của một số tổ chức đoàn thể ở cơ sở chưa đồng đều.",
    "Cơ sở vật chất của một số trường học còn thiếu, chưa đáp ứng yêu cầu dạy học hai buổi mỗi ngày.",
    "Một bộ phận cán bộ, công chức còn thiếu chủ động, ngại va chạm trong thực thi công vụ.",
    "Việc quản lý người lao động đi làm ăn xa, người tạm trú còn gặp nhiều khó khăn.",
]
CAUSES = [
    "Nguồn lực đầu tư còn hạn chế, chủ yếu dựa vào ngân sách cấp trên hỗ trợ.",
    "Ý thức chấp hành pháp luật của một bộ phận Nhân dân chưa cao.",
    "Công tác phối hợp giữa các ngành, đoàn thể có lúc chưa chặt chẽ.",
    "Một số cán bộ, công chức kiêm nhiệm nhiều việc, trình độ chuyên môn chưa đáp ứng yêu cầu.",
    "Tình hình thời tiết, dịch bệnh diễn biến phức tạp, ảnh hưởng đến sản xuất và đời sống.",
]
TASKS = [
    "Tập trung chỉ đạo sản xuất nông nghiệp đúng khung thời vụ; chủ động phòng, chống thiên tai, dịch bệnh.",
    "Tăng cường các biện pháp thu ngân sách, chống thất thu; quản lý chi chặt chẽ, tiết kiệm, hiệu quả.",
    "Đẩy mạnh cải cách hành chính, chuyển đổi số; nâng cao chất lượng phục vụ người dân và doanh nghiệp.",
    "Tiếp tục chỉnh trang đô thị, tăng cường quản lý trật tự xây dựng, trật tự vỉa hè, lòng đường.",
    "Nâng cao chất lượng giáo dục, y tế; thực hiện đầy đủ, kịp thời các chính sách an sinh xã hội.",
    "Giữ vững an ninh chính trị, trật tự an toàn xã hội; tấn công trấn áp các loại tội phạm.",
    "Thực hiện tốt công tác tiếp công dân, giải quyết đơn thư ngay từ cơ sở, không để phát sinh điểm nóng.",
    "Tiếp tục thực hiện hiệu quả Đề án {document_number:06} của Chính phủ về phát triển ứng dụng dữ liệu dân cư.",
    "Hoàn thành công tác tuyển chọn, gọi công dân nhập ngũ và huấn luyện dân quân theo kế hoạch.",
    "Đẩy mạnh phong trào thi đua yêu nước, chào mừng các ngày lễ lớn của đất nước.",
    "Tăng cường công tác quản lý đất đai, tài nguyên, môi trường; xử lý dứt điểm các trường hợp lấn chiếm đất công.",
    "Thực hiện nghiêm Nghị định số {document_number:13/2020/NĐ-CP} về chăn nuôi; kiểm soát chặt chẽ dịch bệnh gia súc, gia cầm.",
    "Quan tâm bồi dưỡng, nâng cao năng lực đội ngũ cán bộ, công chức; siết chặt kỷ luật, kỷ cương hành chính.",
    "Duy trì mô hình {slogan:\"3 không\"} về an ninh trật tự tại các {sub}.",
]


UNMET_CRITERIA = ["thu nhập", "hộ nghèo", "lao động có việc làm", "môi trường và an toàn thực phẩm",
                  "giao thông", "cơ sở vật chất văn hóa", "y tế", "quy hoạch"]

TOPIC_WEIGHTS = 17.3


class Report:
    """One report, built in reading order. With plan=None it only counts the places where an
    inconsistency could be planted (a probe run); with a plan it plants them there. The two runs draw
    the same random numbers, so they write the same report apart from the planted spots."""

    def __init__(self, unit: Unit, year: int, period: str, seed: int, plan: dict | None = None):
        self.u, self.year, self.period = unit, year, period
        self.rng = random.Random(seed)
        self.prng = random.Random(seed * 31 + 17)
        self.plan = plan
        self.sites: list[tuple[str, tuple[str, ...]]] = []
        self.paras: list[Para] = []
        self.notes: dict[int, Para] = {}
        self.sections: list[dict] = []
        self.path: list[str] = []
        self.note_no = 0
        self.arabic_n = self.sub_n = 0
        self.used: set[str] = set()
        r = self.rng
        # a report is planned by its length in pages and its number of figures; topics share the figures
        # (a budget spent clause by clause) and are padded out with prose to reach the length
        self.size = r.randint(3, 10)
        self.fig_target = r.randint(max(15, 3 * self.size + 4), min(60, 6 * self.size + 2))
        lines = self.size * 42 - r.randint(8, 30)
        self.prose_rate = max(0.3, (lines - 110 - 0.75 * self.fig_target) / 25.0)
        self.budget = 0.0
        self.H = int(unit.households * 1.011 ** (year - 2019)) + r.randint(-20, 20)
        self.N = int(self.H * unit.persons) + r.randint(-50, 50)
        self.T = unit.subunits
        self.f = {"year": 1.0, "6 months": 0.5, "9 months": 0.75}[period]
        self.lvl = unit.level
        self.sub = unit.sub_word
        self.unit_full = f"{unit.level} {unit.name}"
        y = year
        if period == "year":
            self.span, self.span_cap = f"năm {{year:{y}}}", f"Năm {{year:{y}}}"
            self.next_span = f"năm {{year:{y + 1}}}"
            self.next_when = (y + 1, "year")
        elif period == "6 months":
            self.span = f"{{period:6 tháng đầu năm}} {{year:{y}}}"
            self.span_cap = r.choice([f"Sáu tháng đầu năm {{year:{y}}}", self.span])
            self.next_span = f"{{period:6 tháng cuối năm}} {{year:{y}}}"
            self.next_when = (y, "last 6 months")
        else:
            self.span = f"{{period:9 tháng đầu năm}} {{year:{y}}}"
            self.span_cap = r.choice([f"Chín tháng đầu năm {{year:{y}}}", self.span])
            self.next_span = r.choice([f"{{period:3 tháng cuối năm}} {{year:{y}}}", f"{{period:quý IV/{y}}}"])
            self.next_when = (y, "last 3 months")     # the targets' section title says "3 THÁNG CUỐI NĂM"

    # helpers -----------------------------------------------------------------------------------------
    def ri(self, a: int, b: int) -> int:
        return self.rng.randint(a, b)

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def fund(self, weight: float) -> None:
        """A topic starts: it may spend its share of the report's figures (and what earlier ones left)."""
        self.budget += self.fig_target * weight / TOPIC_WEIGHTS
        self.used: set[str] = set()

    def take(self, figures: float, priority: bool = False) -> bool:
        """Whether the next clause, which writes this many figures, fits the budget. A priority clause
        (one that makes a check possible) may overdraw it; later topics then write less."""
        fits = self.budget >= (-3 if priority else figures * 0.8)
        if fits and self.rng.random() < (0.9 if priority else 0.72):
            self.budget -= figures
            return True
        return False

    def fmt(self, s: str) -> str:
        return s.replace("{lvl}", self.lvl).replace("{sub}", self.sub).replace("{unit}", self.unit_full)

    def para(self, role: str = "body", nowrap: bool = False) -> Para:
        P = Para(" > ".join(self.path), role, nowrap)
        self.paras.append(P)
        return P

    def line(self, template: str, role: str = "header") -> Para:
        return self.para(role, nowrap=True).say(template)

    def subject(self, domain: str) -> str:
        """A subject not used yet in this topic, falling back on the general ones."""
        fresh = [s for s in SUBJECTS[domain] if s not in self.used]
        if not fresh:
            fresh = [s for s in SUBJECTS["general"] if s not in self.used] or SUBJECTS[domain]
        s = self.rng.choice(fresh)
        self.used.add(s)
        return s

    def doc_date(self) -> str:
        last = {"year": 11, "6 months": 6, "9 months": 9}[self.period]
        d, m = self.ri(1, 28), self.ri(1, last)
        return self.pick([f"{d}/{m}/{self.year}", f"{d:02d}/{m:02d}/{self.year}", f"{d:02d}.{m:02d}.{self.year}"])

    def sentence(self, domain: str, opening: bool = False) -> str:
        """One sentence of report prose about a domain; {reason:...} spans mark its non-figure numbers."""
        r = self.rng
        form = r.random() if not opening else 0.3
        if form < 0.14:
            kind, code = r.choice((("Kế hoạch", "KH-UBND"), ("Công văn", "UBND"), ("Quyết định", "QĐ-UBND"),
                                   ("Thông báo", "TB-UBND")))
            issuer = r.choice(("UBND {lvl}", "Chủ tịch UBND {lvl}", "UBND {lvl}"))
            s = (f"{issuer} đã ban hành {kind} số {{document_number:{self.ri(3, 350)}/{code}}} ngày "
                 f"{{date:{self.doc_date()}}} về {r.choice(DOC_TOPICS[domain])}")
            if r.random() < 0.5:
                s += f", chỉ đạo {r.choice(AGENTS)} {r.choice(ACTIONS)}"
            return self.fmt(s) + "."
        if form < 0.19:
            s = (f"Tham gia đầy đủ các hội nghị, lớp tập huấn do cấp trên tổ chức về {r.choice(DOC_TOPICS[domain])}"
                 + r.choice(("", "; triển khai kịp thời đến các {sub}", ", quán triệt đến cán bộ, công chức")))
            return self.fmt(s) + "."
        subject = self.subject(domain)
        if form < 0.55:
            s = f"{subject} {r.choice(PREDICATES)}"
            if r.random() < 0.5:
                s += ", " + r.choice(MANNERS)
            if r.random() < 0.6:
                s += r.choice(CONNECTORS) + r.choice(OUTCOMES)
        elif form < 0.74:
            s = f"{r.choice(OPENERS)}{subject[0].lower()}{subject[1:]} {r.choice(PREDICATES)}"
            if r.random() < 0.5:
                s += r.choice(CONNECTORS) + r.choice(OUTCOMES)
        elif form < 0.88:
            s = f"UBND {{lvl}} đã chỉ đạo {r.choice(AGENTS)} {r.choice(ACTIONS)}"
            if r.random() < 0.5:
                s += f" trong {subject[0].lower()}{subject[1:]}"
            if r.random() < 0.5:
                s += ", " + r.choice(MANNERS)
        else:
            s = f"Tuy nhiên, {subject[0].lower()}{subject[1:]} {r.choice(SHORTFALLS)}"
        return self.fmt(s) + "."

    def n_prose(self, share: float = 1.0) -> int:
        x = max(0.0, self.prose_rate * share * self.rng.uniform(0.6, 1.4))
        return int(x) + (1 if self.rng.random() < x - int(x) else 0)

    def prose(self, P: Para, domain: str, k: int | None = None) -> None:
        for _ in range(self.n_prose() if k is None else k):
            P.say((" " if P.n and not P.text.endswith(" ") else "") + self.sentence(domain, opening=not P.n))

    def prose_para(self, domain: str, share: float = 1.0) -> None:
        """Prose paragraphs, about four sentences each."""
        n = self.n_prose(share)
        while n > 0:
            k = min(n, self.ri(2, 5))
            P = self.para()
            self.prose(P, domain, k)
            n -= k

    def site(self, check: str, feasible) -> str | None:
        index = len(self.sites)
        self.sites.append((check, tuple(feasible)))
        return None if self.plan is None else self.plan.get(index)

    def issue(self, P: Para, start: int, check: str, stated, computed, kind: str | None, end: int | None = None) -> None:
        """A check the text ties together from START to END: consistent, or planted (KIND) and so an issue too."""
        row = dict(start=start, end=P.n if end is None else end, check=check, stated=float(stated),
                   computed=round(float(computed), 6), kind_of_error=kind)
        P.checks.append(dict(row, consistent=kind is None))
        if kind:
            P.issues.append(row)

    def money_style(self, v: int, prefer=None) -> str:
        styles = money_styles(v)
        if prefer:
            good = [s for s in prefer if s in styles]
            if good:
                return self.pick(good)
        return self.pick(styles)

    def dec_pct(self) -> int:
        return self.rng.choices((0, 1, 2), (3, 5, 2))[0]

    # headings ----------------------------------------------------------------------------------------
    def _section(self, P: Para, number: str, title: str, level: int, kind: str) -> None:
        self.sections.append(dict(para=P, number=number, title=title, level=level, type=kind,
                                  path=" > ".join(self.path)))

    def part(self, k: int, title: str) -> None:
        digit = k > 1 and self.chance(0.2)
        number = f"Phần thứ {k}" if digit else f"Phần thứ {PART_WORDS[k]}"
        self.path = [number]
        P = self.para("heading")
        P.say(f"Phần thứ {{heading_number:{k}}}" if digit else number)
        P.t(self.pick([":", ":", ""]))
        self._section(P, number, title, 1, "heading")
        self.para("heading").say(upper_markup(title))

    def roman(self, k: int, title: str) -> None:
        self.path = self.path[:1] + [ROMAN[k]]
        P = self.para("heading").t(f"{ROMAN[k]}. {title.upper()}")
        self._section(P, ROMAN[k], title.upper(), 2, "heading")
        self.arabic_n = 0

    def arabic(self, title: str, inline: bool = False) -> Para | None:
        self.arabic_n += 1
        k = self.arabic_n
        self.path = self.path[:2] + [str(k)]
        P = self.para("heading" if not inline else "body")
        P.say(f"{{heading_number:{k}}}. ")
        P.t(title + (": " if inline else ""))
        self._section(P, str(k), title, 3, "inline_heading" if inline else "heading")
        self.sub_n = 0
        return P if inline else None

    def subheading(self, title: str, inline: bool) -> Para | None:
        self.sub_n += 1
        number = f"{self.arabic_n}.{self.sub_n}"
        self.path = self.path[:3] + [number]
        P = self.para("body" if inline else "heading")
        P.say(f"{{heading_number:{number}}}" + (" " if inline or self.chance(0.4) else ". "))
        P.t(title + (": " if inline else ""))
        self._section(P, number, title, 4, "inline_heading" if inline else "heading")
        return P if inline else None

    def item(self, k: int) -> Para:
        self.path = self.path[:2] + [str(k)] if len(self.path) >= 2 else self.path[:1] + [str(k)]
        P = self.para()
        P.say(f"{{heading_number:{k}}}. ")
        self._section(P, str(k), "", len(self.path), "numbered_item")
        return P

    def footnote(self, P: Para) -> Para:
        """Glue the next footnote marker to P's last character; give back the footnote body."""
        self.note_no += 1
        no = self.note_no
        start = P.n
        P.t(str(no))
        P.markers.append((start, P.n, no))
        F = Para(f"footnote {no}", "footnote")
        lead = self.rng.choices(("", "  "), (85, 15))[0]
        F.t(lead)
        F.trap(str(no), "footnote_number")
        F.t(self.rng.choices((" ", " :"), (85, 15))[0])
        self.notes[no] = F
        return F

    # checkable constructs ----------------------------------------------------------------------------
    def ratio_pct(self, P: Para, a, b, *, fmt=None, unit=None, money_unit=None, scale=1, after="",
                  link=None, d=None, tail="", in_list=False, space_slash=False, of_plan=False) -> None:
        """'a/b unit{after}, đạt Z%{tail}' with Z = 100·a/b rounded half up: a planting site."""
        r = self.rng
        d = self.dec_pct() if d is None else d
        if link is None:
            link = r.choice((", đạt ", " đạt ", " (đạt ", ", chiếm ", ", bằng ", " = "))
        dot = r.random() < 0.06
        fmt = fmt or (lambda x: vi(x))
        v = D(100) * D(a) / D(b)
        z = rhu(v, d)
        half = D(5).scaleb(-d - 1)
        kind = None
        if not in_list:
            feasible = ["wrong_percent"]
            if abs(trunc(v, d) - v) > half:
                feasible.append("truncated")
            if a != b and abs(D(100) * D(b) / D(a) - z) > half and D(a) / D(b) > D("0.55"):
                feasible.append("swapped")
            if d == 2 and abs(rhu(v, 1) - v) > half:
                feasible.append("padded")
            kind = self.site("ratio_percent", feasible)
        start = P.n
        num, den = (b, a) if kind == "swapped" else (a, b)
        paren = "(" in link
        P.ratio(fmt(num), fmt(den), D(num) * scale, D(den) * scale, unit=unit, money_unit=money_unit,
                space_slash=space_slash)
        P.t(after + link)
        of_plan = "share_of_plan" if of_plan or PLAN_WORDS.match(tail) else None
        if kind in (None, "swapped"):
            P.pct(z, d, dot=dot, measure=of_plan)
            stated = z
        elif kind == "truncated":
            stated = trunc(v, d)
            P.pct(stated, d, dot=dot, measure=of_plan)
        elif kind == "padded":
            stated = rhu(v, 1)
            P.pct(stated, 2, written=vi(stated, 2, group=False, sep="." if dot else ","), measure=of_plan)
        else:
            stated = self.wrong_percent(v, z, d)
            P.pct(stated, d, dot=dot, measure=of_plan)
        end = P.n
        if paren:
            words, punct = re.fullmatch(r"(.*?)([.;, ]*)", tail).groups()
            P.t(words + ")")
            end = P.n
            tail = punct
        P.t(tail)
        self.issue(P, start, "ratio_percent", stated, D(100) * D(num) / D(den), kind, end=end)

    def wrong_percent(self, v: Decimal, z: Decimal, d: int) -> Decimal:
        """A percentage that no rounding of v gives: two digits swapped, or the decimal point slipped."""
        unit = D(1).scaleb(-d)
        digits = vi(z, d, group=False).replace(",", "")
        options = []
        for i in range(len(digits) - 1):
            if digits[i] != digits[i + 1]:
                s = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
                options.append(D(s).scaleb(-d))
        options.append(rhu(z / 10, d))
        options.append(z + unit * self.prng.choice((-7, -5, -3, 3, 4, 6)))
        good = [o for o in options if o > 0 and abs(o - v) > 3 * unit and o != z]
        return self.prng.choice(good) if good else z + 9 * unit

    def parts_sum(self, P: Para, total, parts: list[tuple[str, object]], write, *, lead=" (trong đó: ",
                  sep=", ", close=")") -> None:
        """'total (trong đó: label part, ...)'; write(P, value) writes one figure."""
        kind = self.site("parts_sum", ("total_mismatch",))
        computed = sum(D(v) for _, v in parts)
        stated = D(total)
        if kind:
            stated = self.mismatch_total(D(total))
        start = P.n
        write(P, int(stated) if isinstance(total, int) else stated)
        P.t(lead).listing()
        for i, (label, v) in enumerate(parts):
            P.t((sep if i else "") + (label + " " if label else ""))
            write(P, v)
        P.t(close).listing(False)
        self.issue(P, start, "parts_sum", stated, computed, kind)

    def mismatch_total(self, total: Decimal) -> Decimal:
        whole = int(total)
        step = D(10) ** max(0, len(str(whole)) - 2)
        delta = step * self.prng.choice((1, 1, 2))
        return total + delta if self.prng.random() < 0.6 or total - delta <= 0 else total - delta

    def shares(self, P: Para, labels: list[str], d: int, sep: str = "; ", weights=None) -> None:
        """'label 38,4%; label 41,7%; ...' adding up to exactly 100 at the written precision."""
        units = 100 * 10**d
        w = weights or [self.rng.random() + 0.15 for _ in labels]
        raw = [x / sum(w) * units for x in w]
        cut = [max(1, int(x)) for x in raw]
        order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=True)
        i = 0
        while sum(cut) < units:
            cut[order[i % len(order)]] += 1
            i += 1
        while sum(cut) > units:
            j = max(range(len(cut)), key=lambda k: cut[k])
            cut[j] -= 1
        kind = self.site("percent_sum", ("shares_not_100",))
        if kind:
            n = len(cut)
            delta = (n // 2 + 1 + self.prng.randint(0, 3)) if d == 0 else n + self.prng.randint(2, 15)
            j = self.prng.randrange(n)
            sign = 1 if self.prng.random() < 0.5 or cut[j] - delta <= 0 else -1
            cut[j] += sign * delta
        start = P.n
        P.listing()
        for i, (label, c) in enumerate(zip(labels, cut)):
            P.t((sep if i else "") + label + " ")
            P.pct(D(c).scaleb(-d), d)
        P.listing(False)
        self.issue(P, start, "percent_sum", 100, D(sum(cut)).scaleb(-d), kind)

    def money_words(self, P: Para, amount: int, style: str = "đ") -> None:
        """'8.100.000đ (Tám triệu một trăm nghìn đồng)': a planting site."""
        kind = self.site("words_digits", ("words_mismatch",))
        said = amount
        if kind:
            s = str(amount)
            nonzero = [i for i, c in enumerate(s) if c != "0"]
            if len(nonzero) >= 2:
                i = nonzero[-1]
                said = int(s[:i] + "0" + s[i + 1:])
            else:
                said = amount + 10 ** (len(s) - 1)
        words = words_vi(said) + " đồng"
        form = self.rng.choices(("({})", "( {})", "(Bằng chữ: {})"), (80, 10, 10))[0]
        start = P.n
        P.money(amount, style, in_words=said)
        P.t(" " + form.format(cap(words) if not form.startswith("(B") else words))
        self.issue(P, start, "words_digits", amount, said, kind)

    def implied_share(self, P: Para, count: int, unit: str, form: int | None = None,
                      measures: tuple[str | None, str | None] = (None, None)) -> None:
        """A count of households with its share and no base: the base is the household total given in
        the opening paragraph."""
        d = self.rng.choice((1, 2, 2))
        form = self.ri(0, 2) if form is None else form
        lead0 = self.chance(0.5)
        kind = self.site("implied_denominator", ("base_mismatch",))
        base = D(self.H)
        p = rhu(D(100) * count / base, d)
        if kind:
            for k in ("0.86", "0.9", "1.12", "1.2", "0.8", "1.3"):
                alt = rhu(D(100) * count / (base * D(k)), d)
                if alt != p and alt > 0:
                    p = alt
                    break
            else:
                p = p + D(3).scaleb(-d)
        start = P.n
        counted, share = measures
        if form == 1:
            P.about(share).pct(p, d)
            P.t("(")
            P.about(counted).count(count, unit, lead0=lead0)
            P.t(")")
        else:
            P.about(counted).count(count, unit, lead0=lead0)
            P.t(" (chiếm " if form == 0 else " (đạt ")
            P.about(share).pct(p, d)
            P.t(")")
        self.issue(P, start, "implied_denominator", p, D(100) * count / base, kind)

    def near_wrong(self, v: Decimal, z: Decimal, d: int) -> Decimal:
        """A stated value that no rounding of v gives yet close enough to v to be taken for a slip (a digit
        pair swapped, a few units of the last place): a check that weighs how far off a base is keeps it."""
        unit = D(1).scaleb(-d)
        digits = vi(z, d, group=False).replace(",", "")
        options = [D(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]).scaleb(-d)
                   for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
        options += [z + unit * k for k in (-7, -5, -4, -3, 3, 4, 5, 7)]
        good = [o for o in options if o > 0 and abs(o - v) > 2 * unit and D("0.8") * v <= o <= D("1.25") * v]
        return self.prng.choice(good) if good else z + 3 * unit

    def change_against_prior(self, P: Para, now, prior, write, *, now_tail: str = "", shape: str | None = None,
                             d: int | None = None) -> None:
        """'12 vụ …, giảm 3 vụ so với cùng kỳ (15 vụ), giảm 20%', 'tăng 8 vụ (cùng kỳ 40 vụ), tăng 20%',
        '1.330 tấn, so với năm 2023 (1.250 tấn) tăng 6,4%': the change in percent on the earlier value,
        rounded half up; a planting site. write(P, x) writes one figure of the unit."""
        d = self.pick([0, 1, 1, 2]) if d is None else d
        word = "tăng" if now > prior else "giảm"
        delta = abs(D(now) - D(prior))
        v = D(100) * delta / D(prior)
        z = rhu(v, d)
        kind = self.site("change", ("wrong_change",))
        stated = self.wrong_percent(v, z, d) if kind else z
        shape = shape or self.pick(["so_voi", "cung_ky", "year"])
        indicator, measure = P.measures
        part = P.part          # a part's change and earlier value are parts too (a species of the herd)
        P.falls = word == "giảm"
        start, _ = write(P, now)
        P.t(now_tail)
        if shape == "year":
            earlier = (f"so với năm {{year:{self.year - 1}}}" if self.period == "year"
                       else f"so với cùng kỳ năm {{year:{self.year - 1}}}")
            P.say(f", {earlier} (")
            P.about(indicator, "prior", part)
            write(P, prior)
            P.t(f") {word} ")
        else:
            P.t(f", {word} ")
            P.about(indicator, "change", part)
            write(P, delta)
            P.t(" so với cùng kỳ (" if shape == "so_voi" else " (cùng kỳ ")
            P.about(indicator, "prior", part)
            write(P, prior)
            P.t(f"), {word} ")
        P.about(indicator, "change", part)
        P.pct(stated, d)
        P.about(indicator, measure, part)
        P.falls = False
        self.issue(P, start, "change", stated, v, kind)

    def part_of_base(self, P: Para, part: int, part_unit: str, base: int, base_unit: str, *, link: str,
                     after: str = "", pct_link: str = ", chiếm ", d: int | None = None,
                     share: str | None = None) -> None:
        """'12 ca suy dinh dưỡng / 420 trẻ được cân đo, chiếm 2,86%': a part of a base named with another
        noun, and its share; a planting site."""
        d = self.pick([1, 2, 2]) if d is None else d
        v = D(100) * part / base
        z = rhu(v, d)
        kind = self.site("ratio_percent", ("wrong_percent",))
        stated = self.near_wrong(v, z, d) if kind else z
        start, _ = P.count(part, part_unit, lead0=self.chance(0.4))
        P.t(link)
        P.count(base, base_unit)
        P.t(after + pct_link)
        measures = P.measures
        P.about(share).pct(stated, d)
        P.measures = measures
        self.issue(P, start, "ratio_percent", stated, v, kind)

    def birth_rate(self, P: Para, births_start: int, births: int, sign: str) -> None:
        """The crude birth rate per 1000 over the population of the opening paragraph; a planting site."""
        d = self.pick([2, 2, 1])
        v = D(births) * 1000 / D(self.N)
        z = rhu(v, d)
        kind = self.site("ratio_percent", ("wrong_rate",))
        stated = self.near_wrong(v, z, d) if kind else z
        P.permille(stated, d, sign)
        self.issue(P, births_start, "ratio_percent", stated, v, kind)

    def counted_parts(self, P: Para, parts: list[tuple[int, str]], unit: str, *, lead: str, lead0: bool = True,
                      sep: str = ", ", close: str = ")") -> None:
        """'05 sản phẩm OCOP (trong đó 01 sản phẩm 4 sao, 04 sản phẩm 3 sao)': a count and its parts, each
        part's label after its noun ({label:...} spans allowed); a planting site."""
        kind = self.site("parts_sum", ("total_mismatch",))
        total = sum(n for n, _ in parts)
        stated = int(self.mismatch_total(D(total))) if kind else total
        start, _ = P.count(stated, unit, lead0=lead0)
        P.t(lead).listing()
        for i, (n, label) in enumerate(parts):
            P.t(sep if i else "")
            P.count(n, unit, lead0=lead0)
            P.say(label)
        P.t(close).listing(False)
        self.issue(P, start, "parts_sum", stated, total, kind)

    def small_count(self, P: Para, n: int, unit: str, capital: bool = False, words: float = 0.35):
        """A small count as reports write it: '02 vụ', '2 vụ' or 'hai vụ'."""
        if 2 <= n <= 9 and self.chance(words):
            return P.count_words(n, unit, capital=capital)
        return P.count(n, unit, lead0=self.chance(0.6))

    def grade_weights(self) -> list[float]:
        """Shares of four grades, best to worst, as school results usually fall."""
        return [self.rng.uniform(0.2, 0.4), self.rng.uniform(0.3, 0.45), self.rng.uniform(0.15, 0.3),
                self.rng.uniform(0.004, 0.03)]

    def ratio_list(self, P: Para, labels: list[str], total: int, unit: str | None, link: str = " đạt ",
                   sep: str = "; ") -> None:
        """'label 187/612 em đạt 30,6%; label 226/612 đạt 36,9%; ...': counts adding up to the total,
        percentages rounded half up and adding up to exactly 100."""
        d = self.rng.choice((1, 1, 2, 0))
        for _ in range(200):
            w = self.grade_weights()[:len(labels)]
            counts = [max(1, int(x / sum(w) * total)) for x in w]
            counts[self.rng.randrange(len(counts) - 1)] += total - sum(counts)
            if min(counts) < 1:
                continue
            pcts = [rhu(D(100) * c / total, d) for c in counts]
            if sum(pcts) == 100:
                break
        else:
            counts, pcts, d = [total], [D(100)], 0
            labels = labels[:1]
        group = self.chance(0.85)
        P.listing()
        for i, (label, c, p) in enumerate(zip(labels, counts, pcts)):
            P.t((sep if i else "") + label + " ")
            start, _ = P.ratio(vi(c, group=group), vi(total, group=group), c, total, unit=unit if i == 0 else None)
            P.t(link)
            P.pct(p, d)
            self.issue(P, start, "ratio_percent", p, D(100) * c / total, None)
        P.listing(False)

    # the report --------------------------------------------------------------------------------------
    def build(self) -> "Report":
        self.header()
        self.part(1, self.part_one_title())
        self.intro()
        sections = [self.economy, self.society, self.defence, self.government, self.assessment]
        if self.size >= 6 and self.chance(0.4):
            sections.insert(0, self.direction)
        for k, section in enumerate(sections, 1):
            section(k)
        self.part(2, self.part_two_title())
        self.part_two()
        if self.chance(0.3):
            self.part(3, self.pick(["KIẾN NGHỊ, ĐỀ XUẤT", "ĐỀ XUẤT, KIẾN NGHỊ"]))
            self.part_three()
        self.closing()
        return self

    def header(self) -> None:
        u, y = self.u, self.year
        self.line(self.pick(["ỦY BAN NHÂN DÂN  ", "ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "]))
        self.line(f"{u.level.upper()} {u.name.upper()}")
        self.line(f"Số: {{document_number:{self.ri(45, 420)}/BC-UBND}}")
        self.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ")
        self.line("Độc lập - Tự do - Hạnh phúc ")
        month, day = {"year": (self.pick([11, 12, 12, 12]), self.ri(1, 28)),
                      "6 months": (6, self.ri(10, 28)), "9 months": (9, self.ri(12, 28))}[self.period]
        dd = f"{day:02d}" if self.chance(0.6) else str(day)
        mm = f"{month:02d}" if self.chance(0.3) else str(month)
        place = u.name if self.chance(0.8) else u.district
        self.line(f"{place}, ngày {{date:{dd} tháng {mm} năm {y}}}" + self.pick(["", " ", "  "]))
        self.line("BÁO CÁO ")
        if self.period == "year":
            first = self.pick([
                f"Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội năm {{year:{y}}};",
                f"Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh năm {{year:{y}}};",
                f"Tổng kết tình hình kinh tế - xã hội, quốc phòng - an ninh năm {{year:{y}}};",
            ])
            second = self.pick([f"phương hướng, nhiệm vụ năm {{year:{y + 1}}} ",
                                f"mục tiêu, nhiệm vụ và giải pháp năm {{year:{y + 1}}} "])
        else:
            months = "6" if self.period == "6 months" else "9"
            first = self.pick([
                f"Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội {{period:{months} tháng đầu năm}} {{year:{y}}};",
                f"Kết quả thực hiện nhiệm vụ kinh tế - xã hội, quốc phòng - an ninh {{period:{months} tháng đầu năm}} {{year:{y}}};",
            ])
            rest = "6 tháng cuối năm" if months == "6" else "3 tháng cuối năm"
            second = f"nhiệm vụ, giải pháp trọng tâm {{period:{rest}}} {{year:{y}}} "
        self.line(first + " ")
        self.line(second)
        self.session = None
        if self.chance(0.85):
            base = 2021 if y >= 2021 else 2016
            khoa = u.khoa if y >= 2021 else u.khoa - 1
            n = max(2, 2 * (y - base) + (1 if self.period == "6 months" else 2) + self.ri(0, 2))
            self.session = n
            self.line(f"(Trình kỳ họp thứ {{ordinal:{n}}} - HĐND {self.unit_full} khóa {ROMAN[khoa]})"
                      + self.pick(["", " ", "  "]))
        self.line(" ")

    def part_one_title(self) -> str:
        y = self.year
        if self.period == "year":
            return self.pick([f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ KINH TẾ - XÃ HỘI NĂM {{year:{y}}}",
                              f"TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM {{year:{y}}}",
                              f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM {{year:{y}}}"])
        months = "6" if self.period == "6 months" else "9"
        return self.pick([f"KẾT QUẢ THỰC HIỆN NHIỆM VỤ {{period:{months} THÁNG ĐẦU NĂM}} {{year:{y}}}",
                          f"TÌNH HÌNH THỰC HIỆN NHIỆM VỤ {{period:{months} THÁNG ĐẦU NĂM}} {{year:{y}}}"])

    def part_two_title(self) -> str:
        y = self.year
        if self.period == "year":
            return self.pick([f"PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {{year:{y + 1}}}",
                              f"MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP NĂM {{year:{y + 1}}}"])
        rest = "6 THÁNG CUỐI NĂM" if self.period == "6 months" else "3 THÁNG CUỐI NĂM"
        return f"NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM {{period:{rest}}} {{year:{y}}}"

    def intro(self) -> None:
        u, y = self.u, self.year
        P = self.para()
        if self.chance(0.5):
            P.say(f"Thực hiện Nghị quyết số {{document_number:{self.ri(12, 60)}/NQ-HĐND}} ngày "
                  f"{{date:{self.ri(10, 28)}/12/{y - 1}}} của HĐND {self.lvl} về nhiệm vụ phát triển kinh tế - xã hội "
                  f"năm {{year:{y}}}, ")
        else:
            P.say(self.span_cap)
            if self.chance(0.3):
                F = self.footnote(P)
                cutoff = {"year": (30, 11), "6 months": (15, 6), "9 months": (15, 9)}[self.period]
                F.say(f"Số liệu tính đến ngày {{date:{cutoff[0]}/{cutoff[1]}/{y}}}; "
                      + self.pick(["một số chỉ tiêu là số ước thực hiện đến hết năm.",
                                   "số liệu thu, chi ngân sách là số ước thực hiện."]))
            P.t(", ")
        P.t(self.pick([
            "trong bối cảnh còn nhiều khó khăn, thách thức: giá cả nhiều mặt hàng tăng, sức mua giảm, thời tiết diễn biến bất thường; ",
            "bên cạnh những thuận lợi cơ bản, địa phương cũng gặp không ít khó khăn do ảnh hưởng của tình hình kinh tế chung; ",
            "trong điều kiện nguồn lực còn hạn chế, nhiều nhiệm vụ phát sinh đột xuất; ",
        ]))
        district = f"{u.district_level} {u.district}"
        province = f"thành phố {u.province}" if u.province in CITY_PROVINCES else f"tỉnh {u.province}"
        P.t(f"UBND {self.unit_full} ({district}, {province}) đã bám sát sự chỉ đạo của cấp trên, "
            "tập trung lãnh đạo, điều hành quyết liệt các nhiệm vụ. ")
        if y == 2025 and self.period != "6 months":
            P.say("Từ ngày {date:01/7/2025}, chính quyền địa phương {label:2 cấp} chính thức vận hành, bộ máy "
                  "được sắp xếp, tổ chức lại bảo đảm thông suốt. ")
        P.t(f"Toàn {self.lvl} có ")
        P.about("households").count(self.H, "hộ")
        P.t(self.pick([" với ", " gồm "]))
        P.about("population").count(self.N, self.pick(["nhân khẩu", "người"]))
        P.t(", sinh sống tại ")
        P.about(None).count(self.T, self.sub, lead0=self.chance(0.5))
        P.t(". Kết quả cụ thể trên từng lĩnh vực như sau:")

    def direction(self, k: int) -> None:
        self.roman(k, self.pick(["CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, ĐIỀU HÀNH"]))
        P = self.para()
        P.say(f"Ngay từ đầu năm, UBND {self.lvl} đã ban hành Kế hoạch số "
              f"{{document_number:{self.ri(3, 40)}/KH-UBND}} triển khai nhiệm vụ phát triển kinh tế - xã hội "
              f"{self.span}, phân công cụ thể cho từng thành viên UBND và công chức chuyên môn.")
        self.prose(P, "general")
        self.prose_para("general", 0.8)

    # I. economy --------------------------------------------------------------------------------------
    def economy(self, k: int) -> None:
        self.roman(k, self.pick(["LĨNH VỰC KINH TẾ", "PHÁT TRIỂN KINH TẾ", "VỀ KINH TẾ"]))
        agri_p = {"xã": 1.0, "thị trấn": 0.6, "phường": 0.25}[self.lvl]
        if self.chance(agri_p):
            self.agriculture()
            if self.lvl == "xã" and self.chance(0.6):
                self.new_rural()
        self.business()
        self.budget_topic()
        if self.lvl != "xã" or self.chance(0.3):
            self.urban()
        if self.lvl == "xã" or self.chance(0.5):
            self.environment()

    def agriculture(self) -> None:
        self.fund(1.6)
        title = self.pick(["Sản xuất nông nghiệp", "Nông nghiệp", "Nông nghiệp, phòng chống thiên tai"])
        split = self.size >= 6 and self.chance(0.7)
        self.arabic(title)
        if split:
            self.subheading("Trồng trọt", inline=False)
        P = self.para()
        season = self.pick(["cả năm", "vụ Đông Xuân", "vụ Xuân"]) if self.period == "year" else \
            self.pick(["vụ Đông Xuân", "vụ Xuân"])
        rice = D(self.ri(1200, 9000)) / 10 * (2 if self.period == "year" and season == "cả năm" else 1)
        corn, peanut, veg = (D(self.ri(100, 1600)) / 10 for _ in range(3))
        total = rice + corn + peanut + veg
        P.say(self.sentence("agri", opening=True) + " ")
        # a season's area is the season's (its own period), the whole year's the report's
        in_season = (self.year, "season " + season.removeprefix("vụ ").lower()) if season.startswith("vụ") else (None,)
        if self.take(5):
            P.t(f"Tổng diện tích gieo trồng {season} đạt ")
            P.about("crop_area").during(*in_season)
            self.parts_sum(P, total, [("lúa", rice), ("ngô", corn), (self.pick(["lạc", "đậu các loại"]), peanut),
                                      ("rau màu các loại", veg)], lambda P, v: P.qty(v, 1, "ha"))
            P.t(". ").during()
        elif self.take(1):
            P.t(f"Tổng diện tích gieo trồng {season} đạt ")
            P.about("crop_area").during(*in_season).qty(total, 1, "ha")
            P.t(". ").during()
        yield_ = D(self.ri(480, 720)) / 10
        output = rhu(rice * yield_ / 10, 1)
        if self.take(2):
            said = self.pick(["ước đạt ", "đạt "])
            P.t("Năng suất lúa bình quân " + said)
            P.about(None).qty(yield_, 1, "tạ/ha")
            P.t(", sản lượng ")
            P.about("food_output", "estimate" if said.startswith("ước") else "actual").qty(output, 1, "tấn")
            P.t(". ")
        if self.take(2):
            plan = rhu(output * D(self.ri(90, 125)) / 100 * (1 if self.period == "year" else 2), -1)
            P.t("Tổng sản lượng lương thực có hạt ước đạt ")
            P.about("food_output", "estimate")
            self.ratio_pct(P, output, plan, fmt=vi_min, unit="tấn", link=self.pick([", đạt ", " đạt "]),
                           d=self.pick([1, 2]), tail=" kế hoạch năm. ")
        if self.take(1, priority=self.chance(0.3)):
            P.about(None)
            P.t("Các mô hình cánh đồng lớn, lúa chất lượng cao cho năng suất từ ")
            lo = self.ri(5, 7)
            if self.chance(0.5):
                P.count_range(lo, lo + 1, "tấn/ha")
            else:
                P.count_range(lo * 10 + self.ri(0, 5), lo * 10 + self.ri(8, 15), "tạ/ha")
            P.t(", cao hơn sản xuất đại trà. ")
        if self.take(3, priority=self.chance(0.3)):
            d = self.pick([0, 1])
            prior = rhu(output * D(self.ri(85, 115)) / 100, d)
            if prior == rhu(output, d):
                prior += 1
            P.t("Tổng sản lượng lương thực có hạt đạt ")
            P.about("food_output")
            self.change_against_prior(P, rhu(output, d), prior, lambda P, x: P.qty(x, d, "tấn"), shape="year")
            P.t(". ")
        if self.take(1):
            P.about(None)
            P.t("Tỷ lệ cơ giới hóa khâu làm đất đạt ")
            P.pct(D(self.ri(90, 99)), 0, space=self.chance(0.3), approx=self.pick(["trên", "hơn", None]))
            P.t("; giống lúa xác nhận được sử dụng trên phần lớn diện tích. ")
        if self.take(4):
            seed_t = D(self.ri(50, 300)) / 10
            price = self.ri(12, 20) * 1000
            P.about(None)
            P.t("Hỗ trợ ")
            P.qty(seed_t, 1, "tấn")
            P.t(" giống lúa chất lượng cao cho ")
            P.count(self.ri(200, 1500), "hộ")
            P.t(", đơn giá ")
            P.money(price, "đồng", per="/kg")
            P.t(", tổng kinh phí ")
            P.money(int(seed_t * 1000 * price), self.pick(["đ", "đồng"]))
            P.t(".")
        self.prose(P, "agri")
        self.prose_para("agri", 0.5)
        if split or self.chance(0.5):
            if split:
                self.subheading(self.pick(["Chăn nuôi, thú y", "Chăn nuôi"]), inline=False)
            self.livestock()
        if self.take(3):
            P = self.para()
            P.t("Huy động Nhân dân nạo vét ")
            P.qty(D(self.ri(15, 120)) / 10, 1, "km")
            P.t(" kênh mương nội đồng; bê tông hóa ")
            P.qty(D(self.ri(5, 40)) / 10, self.pick([1, 2]), "km")
            P.t(" kênh mương với tổng kinh phí ")
            v = self.ri(8, 60) * 10**8 + self.ri(0, 9) * 10**7
            # one work's funding is a part of the unit's investment, not its value (a report may fund several)
            P.about("investment", part=True).money(v, self.money_style(v, ["đ", "đồng", "tỷ"]))
            P.t(".")
            self.prose(P, "agri", self.ri(0, 1))

    def livestock(self) -> None:
        self.fund(0.9)
        P = self.para()
        buffalo, cow, pig = self.ri(80, 900), self.ri(200, 2500), self.ri(500, 6000)
        P.say(self.sentence("livestock", opening=True) + " ")
        if self.take(4):
            P.t("Tổng đàn gia súc hiện có ")
            P.about("livestock")
            self.parts_sum(P, buffalo + cow + pig, [("trâu", buffalo), ("bò", cow), ("lợn", pig)],
                           lambda P, v: P.count(int(v), "con"), lead=self.pick([" (trong đó: ", " ("]))
            P.t("; đàn gia cầm ")
            P.about("livestock", part=True)        # poultry beside the herd's total is a part of the livestock
            P.count(self.ri(20, 90) * 1000 + self.ri(0, 9) * 100, "con", approx=self.pick(["gần", "khoảng", "trên"]))
            P.t(". ")
        if self.take(3, priority=self.chance(0.3)):
            P.t(f"Hiện nay, toàn {self.lvl} có ")
            P.about("livestock", part=True).count(self.ri(50, 900), "con bò")     # species: parts of the herd
            P.t(self.pick([" và ", ", "]))
            P.count(self.ri(300, 5000), "con lợn")
            if self.lvl == "xã" and self.chance(0.6):
                P.t("; duy trì ")
                P.about(None).count(self.ri(10, 180), "lồng nuôi cá")
                P.t(" trên sông")
            P.t(". ")
        if self.take(3, priority=self.chance(0.3)):
            prior = self.ri(300, 5000)
            now = prior + self.pick([-1, 1]) * self.ri(5, prior // 5)
            P.t("Đàn lợn hiện có ")
            P.about("livestock", part=True)
            self.change_against_prior(P, now, prior, lambda P, x: P.count(int(x), "con"),
                                      shape=self.pick(["so_voi", "cung_ky"]))
            P.t(", do giá thịt lợn hơi ổn định. ")
        if self.take(3):
            P.about(None)
            P.say("Tiêm phòng lở mồm long móng {label:đợt 1} cho ")
            herd = buffalo + cow
            self.ratio_pct(P, int(herd * self.ri(78, 99) / 100), herd, unit="con", after=" trâu, bò",
                           link=self.pick([", đạt ", " đạt "]))
            P.t("; tiêm phòng dại cho ")
            P.count(self.ri(150, 900), "con")
            P.t(" chó")
            P.t(".")
        self.prose(P, "livestock")

    def new_rural(self) -> None:
        self.fund(0.9)
        self.arabic("Xây dựng nông thôn mới")
        P = self.para()
        P.say("Thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn {year:2021-2025}, ")
        P.t(f"{self.lvl} tiếp tục nâng cao chất lượng các tiêu chí")
        if self.take(2):
            P.t(", đến nay đạt ")
            met = self.ri(14, 19)
            P.about("new_rural_criteria")
            self.ratio_pct(P, met, 19, unit="tiêu chí", d=self.pick([1, 2]), link=", đạt ", tail=".")
            if 2 <= 19 - met <= 5 and self.take(1):
                P.t(" ")
                P.about(None).count_words(19 - met, "tiêu chí", capital=True)
                P.t(" chưa đạt là " + ", ".join(self.rng.sample(UNMET_CRITERIA, 19 - met)) + ".")
        else:
            P.t(".")
        if self.take(2):
            P.about(None)
            P.t(" Nhân dân hiến ")
            P.qty(self.ri(8, 90) * 100, 0, "m2")
            P.t(" đất, đóng góp ngày công để bê tông hóa ")
            P.qty(D(self.ri(8, 60)) / 10, 1, "km")
            P.t(" đường giao thông nông thôn")
            if self.chance(0.5):
                P.say(f" tại thôn {self.pick(SYLLABLES)} {{label:{self.ri(1, 3)}}}")
            P.t(".")
        if self.take(3, priority=self.chance(0.4)):
            four, three = self.ri(0, 2), self.ri(1, 6)
            P.t(f" Toàn {self.lvl} có ")
            P.about("ocop_products")
            if four:
                self.counted_parts(P, [(four, " đạt {label:4 sao}"), (three, " đạt {label:3 sao}")], "sản phẩm",
                                   lead=" OCOP (trong đó ")
            else:
                P.count(three, "sản phẩm", lead0=True)
                P.say(" OCOP đạt {label:3 sao}")
            P.t(self.pick([", từng bước khẳng định thương hiệu trên thị trường.", "."]))
        if self.take(1):
            P.about(None)
            P.say(" Hội Liên hiệp Phụ nữ duy trì cuộc vận động xây dựng gia đình {slogan:\"5 không, 3 sạch\"} với ")
            P.pct(D(self.ri(80, 98)), 0)
            P.t(" hộ hội viên đăng ký.")
        self.prose(P, "rural")

    def business(self) -> None:
        self.fund(1.0)
        self.arabic(self.pick(["Công nghiệp - tiểu thủ công nghiệp, thương mại - dịch vụ",
                               "Thương mại, dịch vụ", "Phát triển kinh tế, thương mại - dịch vụ"]))
        P = self.para()
        P.say(self.sentence("business", opening=True) + " ")
        scale = {"phường": 1.0, "thị trấn": 0.7, "xã": 0.35}[self.lvl]
        if self.take(2):
            P.t(f"Toàn {self.lvl} hiện có ")
            P.about("business_households").count(int(self.ri(150, 900) * scale) + 20, "hộ kinh doanh")
            P.t(" và ")
            P.about("enterprises").count(max(2, int(self.ri(8, 90) * scale)), "doanh nghiệp")
            P.t(" đang hoạt động. ")
        if self.take(2):
            P.t("Kiểm tra ")
            P.about(None).count(self.ri(12, 90), "cơ sở")
            P.t(" sản xuất, kinh doanh thực phẩm, phát hiện, xử lý ")
            P.count(self.ri(1, 9), "cơ sở", lead0=True)
            P.t(" vi phạm. ")
        if self.take(3):
            v = self.ri(40, 3000) * 10**9 + self.ri(0, 9) * 10**8 * (1 if self.chance(0.6) else 0)
            v = max(10**9, int(v * self.f) // 10**8 * 10**8)
            P.t("Tổng giá trị sản xuất các ngành ước đạt ")
            P.about("production_value", "estimate").money(v, self.money_style(v, ["tỷ triệu", "tỷ"]))
            P.t(", đạt ")
            P.pct(D(self.ri(400, 1150)) / 10 if self.period != "year" else D(self.ri(980, 1150)) / 10, 1,
                  measure="share_of_plan")
            P.t(" kế hoạch, tăng ")
            P.pct(D(self.ri(30, 140)) / 10, 1, dot=self.chance(0.1), measure="change")
            P.t(" so với cùng kỳ. ")
        if self.take(3, priority=self.chance(0.5)):
            if self.lvl == "xã":
                labels = ["nông, lâm nghiệp, thủy sản", "công nghiệp - xây dựng", "thương mại - dịch vụ"]
            else:
                labels = ["thương mại - dịch vụ", "công nghiệp - xây dựng", "nông nghiệp"]
            P.t("Cơ cấu kinh tế: ")
            P.about("economic_structure")
            self.shares(P, labels, self.pick([1, 1, 2]), sep=self.pick(["; ", ", "]))
            P.t(". ")
        if self.take(1):
            income = self.ri(38, 95) * 10**6 + self.ri(0, 9) * 10**5 * self.pick([0, 1])
            P.t("Thu nhập bình quân đầu người đạt ")
            P.about("income_per_capita").money(income, self.pick(["đồng", "triệu"]), per="/người/năm")
            P.t(". ")
        self.prose(P, "business")
        if self.take(2):
            P = self.para()
            P.t("Cấp mới ")
            P.about(None).count(self.ri(8, 80), "giấy chứng nhận")
            P.t(" đăng ký hộ kinh doanh")
            P.t("; hướng dẫn thành lập mới ")
            P.about("enterprises").count(self.ri(1, 12), "doanh nghiệp", lead0=True)
            P.t(".")
            self.prose(P, "business", self.ri(0, 2))
        self.prose_para("business", 0.4)

    def budget_topic(self) -> None:
        self.fund(1.1)
        self.arabic(self.pick(["Tài chính - ngân sách", "Thu, chi ngân sách", "Công tác tài chính, ngân sách"]))
        split = self.size >= 7 and self.chance(0.6)
        if split:
            self.subheading("Thu ngân sách", inline=False)
        P = self.para()
        base = {"phường": 12, "thị trấn": 8, "xã": 5}[self.lvl]
        plan = self.ri(base * 10, base * 40) * 10**8
        actual_ratio = self.ri(55, 80) if self.period != "year" else self.ri(92, 160)
        style = self.pick(["đ", "triệu", "triệu"])
        self.budget -= 2            # every report states its revenue against the plan
        said = self.pick(['ước thực hiện ', 'đạt ', 'ước đạt '])
        P.t(f"Tổng thu ngân sách nhà nước trên địa bàn {said}")
        P.about("budget_revenue_state", "estimate" if said.startswith("ước") else "actual")
        if style == "đ":
            actual = plan * actual_ratio // 100 // 10**6 * 10**6 + self.ri(0, 999) * 10**3
            self.ratio_pct(P, actual, plan, fmt=lambda x: vi(x) + "đ", money_unit="đ", of_plan=True,
                           link=self.pick([", đạt ", " đạt "]),
                           tail=self.pick([" dự toán. ", " kế hoạch. ", "KH. ", ". "]))
        else:
            actual = plan * actual_ratio // 100 // 10**5 * 10**5
            self.ratio_pct(P, D(actual) / 10**6, D(plan) / 10**6, fmt=vi_min, unit="triệu đồng", of_plan=True,
                           scale=10**6, link=", đạt ", tail=self.pick([" dự toán. ", " kế hoạch. ", ". "]))
        if self.take(4, priority=self.chance(0.4)):
            balance = self.ri(10, 60) * 10**8 + self.ri(0, 99) * 10**6
            transfer = self.ri(10, 80) * 10**8 + self.ri(0, 99) * 10**6
            fees = self.ri(1, 30) * 10**7
            P.t(f"Thu ngân sách {self.lvl} ")
            st = self.pick(["đ", "đồng", "VNĐ"])
            P.about("budget_revenue_local")
            fee = lambda P, v: (P.about("tax_revenue") if v == fees else P).money(int(v), st)   # noqa: E731
            self.parts_sum(P, balance + transfer + fees,
                           [("thu cân đối", balance), ("thu bổ sung từ ngân sách cấp trên", transfer),
                            ("thu phí, lệ phí", fees)], fee)
            P.about(None)
            P.t(". ")
        self.prose(P, "budget")
        if split:
            self.subheading("Chi ngân sách", inline=False)
            P = self.para()
        spend = plan * self.ri(40, 95) // 100 // 10**6 * 10**6
        invest = spend * self.ri(20, 45) // 100 // 10**6 * 10**6
        st = self.pick(["đ", "đồng"])
        if self.take(3):
            said = self.pick(['ước thực hiện ', ''])
            P.t((" " if P.n else "") + f"Tổng chi ngân sách {self.lvl} {said}")
            P.about("budget_expenditure", "estimate" if said else "actual")
            if self.chance(0.5):
                P.money(spend, st)
                P.t(", đạt ")
                P.pct(D(self.ri(4000, 9900)) / 100, 2, dot=self.chance(0.15), measure="share_of_plan")
                P.t(" dự toán, đáp ứng kịp thời các nhiệm vụ chi thường xuyên.")
            else:
                self.parts_sum(P, spend, [("chi đầu tư phát triển", invest), ("chi thường xuyên", spend - invest)],
                               lambda P, v: P.money(int(v), st))
                P.t(".")
        self.prose(P, "budget", self.ri(0, 1))
        if self.take(3):
            P = self.para()
            P.about(None)
            P.t("Dư nợ cho vay ủy thác qua các hội, đoàn thể tại Ngân hàng Chính sách xã hội đạt ")
            P.money(self.ri(15000, 90000) * 10**6, "tỷ")
            P.t(" với ")
            P.count(self.ri(300, 1800), self.pick(["hộ", "lượt hộ"]))
            P.t(" vay")
            P.t("; Quỹ \"Vì người nghèo\" vận động được ")
            v = self.ri(80, 600) * 10**5
            P.money(v, self.money_style(v, ["triệu", "triệu.", "đ", "đồng"]))
            P.t(".")

    def urban(self) -> None:
        self.fund(0.9)
        self.arabic(self.pick(["Quản lý đô thị, xây dựng", "Xây dựng, quản lý đô thị, tài nguyên - môi trường",
                               "Quản lý đô thị, đất đai"]))
        P = self.para()
        P.say(f"Thực hiện Kế hoạch số {{document_number:{self.ri(10, 180)}/KH-UBND}} ngày "
              f"{{date:{self.ri(1, 28):02d}/{self.ri(1, 4):02d}/{self.year}}} về chỉnh trang đô thị, ")
        if self.take(3):
            P.about(None)
            P.t(f"trong {self.pick(['năm', 'kỳ'])} đã nâng cấp ")
            P.qty(D(self.ri(5, 60)) / 10, 1, "km")
            P.t(" đường nội thị, lát mới ")
            P.qty(self.ri(800, 9000), 0, "m2")
            P.t(" vỉa hè, lắp đặt ")
            P.count(self.ri(20, 300), self.pick(["bộ đèn", "bóng đèn"]))
            P.t(self.pick([" chiếu sáng", " LED"]))
            P.t(". ")
        else:
            P.t(f"UBND {self.lvl} đã tập trung nâng cấp hạ tầng, vỉa hè, hệ thống chiếu sáng các tuyến đường chính. ")
        if self.take(4):
            parts = [self.ri(5, 40) * 10**8, self.ri(3, 30) * 10**8, self.ri(1, 20) * 10**7 * 5]
            labels = [f"ngân sách {self.u.district_level}", f"ngân sách {self.lvl}", "Nhân dân đóng góp"]
            P.t("Tổng kinh phí thực hiện là ")
            P.about("investment", part=True)
            st = self.pick(["đ", "đ", "đồng"])
            self.parts_sum(P, sum(parts), list(zip(labels, parts)), lambda P, v: P.money(int(v), st))
            P.t(". ")
        self.prose(P, "urban")
        if self.take(3):
            P = self.para()
            P.t("Cấp ")
            P.about(None).count(self.ri(10, 90), "giấy phép")
            P.t(" xây dựng")
            P.t(" nhà ở; xử lý ")
            P.count(self.ri(2, 25), "trường hợp", lead0=True)
            P.t(" vi phạm trật tự xây dựng, lấn chiếm hành lang giao thông, tổng số tiền phạt ")
            P.money(self.ri(10, 160) * 250000, self.pick(["đ", "đồng"]))
            P.t(".")
            self.prose(P, "urban", self.ri(0, 2))
        self.prose_para("urban", 0.4)

    def environment(self) -> None:
        self.fund(0.8)
        self.arabic(self.pick(["Tài nguyên - môi trường", "Quản lý đất đai, tài nguyên - môi trường"]))
        P = self.para()
        if self.take(2):
            P.t("Tiếp nhận, hướng dẫn hoàn thiện ")
            P.count(self.ri(20, 160), "hồ sơ")
            P.t(" đề nghị cấp giấy chứng nhận quyền sử dụng đất; kiểm tra, lập biên bản ")
            P.count(self.ri(1, 9), "trường hợp", lead0=True)
            P.t(" lấn chiếm đất công. ")
        if self.take(1):
            P.t("Rác thải sinh hoạt được thu gom bình quân ")
            P.qty(D(self.ri(20, 150)) / 10, 1, "tấn/ngày", approx=self.pick(["khoảng", "khoảng", None]))
            P.t(". ")
        if self.take(2):
            used = int(self.H * self.ri(860, 995) / 1000)
            P.t("Hệ thống cấp nước sạch tiếp tục được mở rộng; ")
            P.about("clean_water_rate")
            self.ratio_pct(P, used, self.H, unit="hộ", after=" sử dụng nước sạch", link=", đạt ", tail=". ")
        if self.take(2):
            P.t("Tổ chức ")
            P.about(None).count(self.ri(4, 24), "đợt", lead0=True)
            P.t(" ra quân vệ sinh môi trường, huy động ")
            P.count(self.ri(8, 40) * 100, "lượt người", approx=self.pick(["hơn", "trên"]))
            P.t(" tham gia.")
        self.prose(P, "env")
        if not P.n:
            self.prose(P, "env", 2)

    # II. society -------------------------------------------------------------------------------------
    def society(self, k: int) -> None:
        self.roman(k, self.pick(["VĂN HÓA - XÃ HỘI", "LĨNH VỰC VĂN HÓA - XÃ HỘI"]))
        self.education()
        self.culture()
        self.health()
        self.social()

    def education(self) -> None:
        self.fund(1.5)
        self.arabic(self.pick(["Giáo dục - đào tạo", "Giáo dục", "Công tác giáo dục"]))
        P = self.para()
        y = self.year
        a, b = (y - 1, y) if self.period != "year" or self.chance(0.5) else (y, y + 1)
        P.say(f"Năm học {{year:{a}-{b}}}").during(b, f"school year {a}-{b}")
        F = self.footnote(P) if self.note_no < 4 and self.take(7, priority=self.chance(0.45)) else None
        P.t(self.pick([", các nhà trường tiếp tục giữ vững chuẩn quốc gia", ", các trường hoàn thành chương trình đúng kế hoạch"]))
        if self.take(1):
            P.t("; tổng số học sinh các cấp đầu năm học là ")
            P.about("students").count(int(self.N * self.ri(16, 22) / 100), self.pick(["học sinh", "em"]))
        P.t(". ").during()
        if self.take(4, priority=self.chance(0.3)):
            # the schools and pupils the unit has now, a paragraph of its own: in the paragraph that names a school
            # year they would be that year's (a paragraph carries its school year)
            P = self.para()
            kinds = [(self.ri(1, 2), " mầm non"), (self.ri(1, 2), " tiểu học"), (1, " THCS")]
            P.t(f"Toàn {self.lvl} có ")
            P.about(None)
            self.counted_parts(P, kinds, "trường", lead=" (gồm ", lead0=True)
            P.t(" với ")
            P.count(self.ri(25, 90), "lớp")
            P.t(self.pick([", ", " và "]))
            P.about("students").count(int(self.N * self.ri(16, 22) / 100), "học sinh")
            P.t(". ")
        if self.take(2):
            graduates = self.ri(80, 400)
            P.about("students", part=True)
            if self.chance(0.5):
                P.t("Xét công nhận tốt nghiệp THCS ")
                self.ratio_pct(P, graduates - self.ri(0, 4), graduates, unit="học sinh",
                               link=self.pick([", đạt ", " đạt "]), tail=". ")
            else:
                P.t("Kết quả xét tốt nghiệp THCS: ")
                self.ratio_pct(P, graduates - self.ri(0, 4), graduates, unit="học sinh",
                               after=self.pick([" được công nhận tốt nghiệp", " tốt nghiệp"]), link=", đạt ", tail=". ")
        if self.take(3):
            kids = self.ri(150, 600)
            P.t("Trường Mầm non có ")
            if self.chance(0.5):
                P.about(None).count(max(4, kids // self.ri(25, 32)), "lớp", lead0=True)
                P.t(" với ")
            P.about("students", part=True).count(kids, "trẻ")
            P.say(", trong đó khối mẫu giáo {label:5-6 tuổi} chiếm phần lớn; trẻ suy dinh dưỡng thể thấp còi ")
            P.about("child_malnutrition_rate", part=True)
            self.ratio_pct(P, int(kids * self.ri(20, 80) / 1000) + 1, kids, unit="trẻ", link=", chiếm ", tail=". ")
        if self.take(2):
            P.about("students", part=True)
            P.say(f"Tuyển sinh {{label:lớp 1}} năm học {{year:{b}-{b + 1}}} được ").during(b + 1, f"school year {b}-{b + 1}")
            P.count(self.ri(80, 400), "em")
            P.say(", {label:lớp 6} được ")
            P.count(self.ri(70, 380), "em")
            P.t(". ").during()
        if self.take(1):
            P.about("investment", part=True)
            P.t("Đầu tư sửa chữa, nâng cấp phòng học, công trình vệ sinh trường học với tổng kinh phí ")
            v = self.ri(3, 90) * 10**8 // 2
            P.money(v, self.money_style(v, ["đ", "đồng", "triệu", "tỷ"]))
            P.t(". ")
        self.prose(P, "education")
        if self.take(2, priority=self.chance(0.6)):
            P = self.para()
            P.t(f"Hội Khuyến học {self.lvl} trao thưởng ")
            P.about("students", part=True).count(self.ri(20, 150), "học sinh")
            P.t(" đạt thành tích cao với số tiền ")
            P.about(None)
            amount = self.ri(10, 300) * 50000 + self.pick([0, 0, 250000, 150000])
            self.money_words(P, amount, self.pick(["đ", "đ", "đồng"]))
            P.t(".")
            self.prose(P, "education", self.ri(0, 1))
        self.prose_para("education", 0.4)
        if F is not None:
            self.school_note(F, a, b)

    def school_note(self, F: Para, a: int, b: int) -> None:
        primary = f"Trường Tiểu học {self.u.schools[0]}"
        middle = f"Trường THCS {self.u.schools[1]}"
        F.say(f"Năm học {{year:{a}-{b}}}: ").during(b, f"school year {a}-{b}")
        F.about("students", part=True)
        if self.chance(0.5):
            F.t(f"{primary}: ")
            self.ratio_list(F, ["hoàn thành xuất sắc", "hoàn thành tốt", "hoàn thành", "chưa hoàn thành"],
                            self.ri(300, 1200), self.pick(["em", "học sinh", None]))
            F.t(". ")
        new_scale = a >= 2021
        labels = ["tốt", "khá", "đạt", "chưa đạt"] if new_scale else ["giỏi", "khá", "trung bình", "yếu"]
        F.t(f"{middle} xếp loại {'kết quả học tập' if new_scale else 'học lực'}: ")
        if self.chance(0.5):
            self.shares(F, labels, self.pick([1, 1, 2]), weights=self.grade_weights())
        else:
            self.ratio_list(F, labels, self.ri(250, 900), None)
        if self.chance(0.5):
            total = self.ri(80, 300)
            F.t("; xét tốt nghiệp THCS ")
            self.ratio_pct(F, total - self.ri(0, 3), total, unit="học sinh", link=", đạt ")
        F.t(".")

    def culture(self) -> None:
        self.fund(1.2)
        y = self.year
        inline = self.chance(0.6)
        self.arabic(self.pick(["Văn hóa - Thông tin - Thể thao", "Văn hóa, thông tin, thể thao"]))
        P = self.subheading("Công tác văn hóa", inline=True) if inline else self.para()
        if self.chance(0.5):
            P.say(f"Tổ chức các hoạt động mừng Đảng, mừng Xuân {CAN_CHI[y]}, {{anniversary:kỷ niệm {y - 1930} năm}} "
                  f"Ngày thành lập Đảng Cộng sản Việt Nam ({{date:3/2/1930 - 3/2/{y}}}). ")
        else:
            P.say(f"Tổ chức các hoạt động {{anniversary:kỷ niệm {y - 1945} năm}} Cách mạng tháng Tám và Quốc khánh "
                  f"{{date:2/9}}. ")
        P.t(f"Phong trào xây dựng gia đình văn hóa, {self.sub} văn hóa được duy trì; kết quả bình xét ")
        F = None
        if self.note_no < 4 and self.take(4, priority=self.chance(0.5)):
            P.say(f"năm {{year:{y - 1 if self.period != 'year' else y}}}")
            F = self.footnote(P)
        else:
            P.t("các danh hiệu văn hóa")
        P.t(self.pick([" được công khai tại các khu dân cư.", " được công bố công khai."]))
        if self.take(2):
            P.t(" Sửa chữa, nâng cấp ")
            P.about(None).count(self.ri(1, 3), "nhà văn hóa", lead0=True)
            P.t(f" {self.sub} với kinh phí ")
            P.about("investment", part=True)
            v = self.ri(4, 60) * 10**7
            P.money(v, self.money_style(v, ["đ", "triệu", "đồng"]), approx=self.pick(["gần", "hơn", None, None]))
            P.t(" từ nguồn xã hội hóa.")
        if self.take(2, priority=self.chance(0.4)):
            village, phrase = (("làng", "làng văn hóa") if self.lvl == "xã" else ("khu dân cư", "khu dân cư văn hóa"))
            total = self.ri(5, 20)
            P.say(f" Năm {{year:{y - 1 if self.period != 'year' else y}}}, có ")
            P.about("cultural_residential_areas").during(y - 1 if self.period != 'year' else y, "year")
            self.ratio_pct(P, total - self.ri(0, 3), total, unit=village, after=f" được công nhận danh hiệu {phrase}",
                           link=", đạt ", d=self.pick([1, 2]), tail=".")
            P.during()
        if self.take(3, priority=self.chance(0.3)):
            P.about(None)
            P.t(" Duy trì hoạt động ")
            P.count(self.ri(4, 25), "câu lạc bộ")
            P.t(" văn nghệ, thể dục thể thao; tổ chức ")
            self.small_count(P, self.ri(1, 4), "lễ hội")
            P.t(" truyền thống đúng quy định")
            if self.chance(0.6):
                relics = self.ri(2, 9)
                P.t("; trên địa bàn có ")
                P.count(relics, "di tích", lead0=True)
                P.t(" lịch sử - văn hóa, trong đó ")
                P.count(self.ri(1, relics), "di tích", lead0=True)
                P.t(" được xếp hạng cấp tỉnh")
            P.t(".")
        self.prose(P, "culture")
        P = self.subheading("Công tác thông tin - thể thao", inline=True) if inline else self.para()
        P.t(f"Đài truyền thanh {self.lvl} duy trì tiếp âm, phát sóng đều đặn")
        if self.take(1):
            P.t(", phát ")
            P.count(self.ri(60, 400), "tin bài")
        P.say(f"; tổ chức Giải bóng đá thanh niên {{ordinal:lần thứ {self.ri(2, 9)}}}")
        if self.take(2):
            P.t(" với ")
            P.count(self.ri(6, 16), "đội", lead0=True)
            P.t(" tham gia, thu hút ")
            P.count(self.ri(8, 40) * 100, "lượt người", approx=self.pick(["hơn", "trên", "gần"]))
            P.t(" cổ vũ")
        P.t(".")
        self.prose(P, "culture", self.ri(0, 2))
        if F is not None:
            self.culture_note(F)

    def culture_note(self, F: Para) -> None:
        y = self.year - 1 if self.period != "year" else self.year
        F.say(f"Năm {{year:{y}}} có ").during(y, "year")
        F.about("cultural_family_rate")
        self.ratio_pct(F, int(self.H * self.ri(880, 960) / 1000), self.H, unit="hộ",
                       after=" được công nhận Gia đình văn hóa", link=self.pick([" (đạt ", ", đạt "]))
        F.t("; ")
        good = self.T - self.ri(0, 2)
        F.about("cultural_residential_areas")
        self.ratio_pct(F, good, self.T, unit=self.sub, after=" đạt danh hiệu văn hóa",
                       link=self.pick([" (đạt ", ", đạt "]), fmt=lambda x: f"{int(x):02d}")
        F.t(".")

    def health(self) -> None:
        self.fund(1.4)
        self.arabic(self.pick(["Y tế, dân số", "Y tế - dân số - gia đình", "Công tác y tế, dân số"]))
        P = self.para()
        P.t(self.pick(["Trạm Y tế duy trì tốt công tác khám, điều trị ban đầu",
                       "Trạm Y tế tiếp tục giữ vững Bộ tiêu chí quốc gia về y tế"]))
        if self.take(1):
            P.about(None)
            P.t(", khám, điều trị cho ")
            P.count(int(self.N * self.ri(20, 60) / 100 * self.f), "lượt người")
        if self.take(2):
            P.about("vaccination_rate")
            P.t("; tiêm chủng đầy đủ cho ")
            kids = int(self.N * self.ri(9, 14) / 1000 * self.f) + 5
            self.ratio_pct(P, kids - self.ri(0, 5), kids, unit="trẻ", link=self.pick([", đạt ", " đạt "]))
        P.t(". ")
        if self.take(1):
            P.about(None)
            P.t("Trạm Y tế được bổ sung trang thiết bị với kinh phí ")
            v = self.ri(5, 90) * 10**7
            P.money(v, self.money_style(v, ["đ", "đồng", "triệu"]))
            P.t(". ")
        if self.take(1):
            P.t("Tỷ lệ người dân tham gia bảo hiểm y tế đạt ")
            P.about("health_insurance_rate").pct(D(self.ri(8800, 9950)) / 100, self.pick([1, 2]))
            P.t(". ")
        if self.take(3, priority=True):
            births = max(4, int(self.N * self.ri(90, 160) / 10000 * self.f))
            deaths = max(2, int(self.N * self.ri(45, 80) / 10000 * self.f))
            P.t(f"{self.pick(['Trong kỳ', 'Toàn ' + self.lvl])} có ")
            born, _ = P.about("births").count(births, "trẻ")
            P.t(" sinh ra")
            P.t(", tỷ suất sinh " + self.pick(["thô ", ""]))
            P.about("crude_birth_rate")
            self.birth_rate(P, born, births, self.pick(["‰", "‰", "%o"]))
            if self.take(1, priority=self.chance(0.4)):
                P.t("; tỷ số giới tính khi sinh ")
                P.about("sex_ratio_at_birth").count_pair(self.ri(104, 118), "bé trai", 100, "bé gái")
            P.t("; ")
            P.about(None).count(deaths, "người")
            P.t(" chết")
            if self.take(1):
                P.t("; tỷ lệ tăng dân số tự nhiên ")
                P.about("natural_increase_rate").permille(D(births - deaths) * 1000 / self.N, 2, self.pick(["‰", "%o"]))
            P.t(". ")
        if self.take(3, priority=self.chance(0.4)):
            weighed = int(self.N * self.ri(60, 90) / 1000) + 20
            P.say(self.pick(["Tổ chức cân, đo trẻ {age:dưới 5 tuổi}: ", "Kết quả cân, đo trẻ em {age:dưới 5 tuổi} có "]))
            P.about(None)
            self.part_of_base(P, max(2, int(weighed * self.ri(25, 110) / 1000)), "ca", weighed, "trẻ",
                              link=self.pick([" suy dinh dưỡng / ", " suy dinh dưỡng/"]), after=" được cân đo",
                              share="child_malnutrition_rate")
            P.t(". ")
        if self.take(1):
            P.about("third_child_births")
            P.say("Số trường hợp sinh {ordinal:con thứ 3} trở lên là ")
            P.count(self.ri(2, 15), "trường hợp", lead0=True)
            P.t(".")
        self.prose(P, "health")
        self.prose_para("health", 0.4)

    def social(self) -> None:
        self.fund(1.5)
        y = self.year
        self.arabic(self.pick(["Lao động - Thương binh và Xã hội", "Lao động, chính sách xã hội",
                               "Công tác an sinh xã hội"]))
        P = self.para()
        if self.take(2):
            P.about(None)
            P.t("Chi trả trợ cấp hằng tháng cho ")
            people = self.ri(120, 700)
            P.count(people, "đối tượng")
            P.t(" bảo trợ xã hội với tổng kinh phí ")
            v = int(people * self.ri(360, 540) * 1000 * 12 * self.f) // 10**6 * 10**6
            P.money(v, self.money_style(v, ["đ", "đồng", "tỷ", "VNĐ"]), approx=self.pick(["ước", None]))
            P.t(", bảo đảm đúng đối tượng, kịp thời. ")
        if self.take(3):
            P.t("Giải quyết việc làm mới cho ")
            P.about("jobs_created").count(int(self.ri(120, 400) * self.f), "lao động")
            P.t(", đạt ")
            P.pct(D(self.ri(400, 1200)) / 10 if self.period != "year" else D(self.ri(1000, 1200)) / 10, 1,
                  measure="share_of_plan")
            P.t(" kế hoạch, trong đó đi làm việc ở nước ngoài ")
            P.count(self.ri(3, 40), "người", lead0=True)
            P.t(". ")
        P.about(None)
        P.say(f"Nhân dịp Tết Nguyên đán {CAN_CHI[y]}")
        F = None
        if self.note_no < 4 and self.take(7, priority=self.chance(0.4)):
            P.say(f" năm {{year:{y}}}")
            F = self.footnote(P)
        P.t(f", UBND {self.lvl} phối hợp Ủy ban MTTQ tổ chức thăm hỏi, tặng quà các đối tượng chính sách, hộ nghèo")
        if self.take(2):
            P.t("; tổ chức mừng thọ ")
            elders = self.ri(40, 260)
            P.count(elders, "cụ")
            P.say(" {age:từ 80 tuổi} trở lên với tổng số tiền ")
            P.money(elders * self.pick([300000, 500000, 400000]), self.pick(["đ", "đồng"]))
        P.t(". ")
        if self.take(4, priority=True):
            P.t(self.pick([f"Kết quả rà soát, toàn {self.lvl} còn ", "Kết quả rà soát, hộ nghèo còn "]))
            poor = max(3, int(self.H * self.ri(4, 30) / 1000))
            near = max(3, int(self.H * self.ri(5, 35) / 1000))
            self.implied_share(P, poor, self.pick(["hộ nghèo", "hộ"]), form=self.pick([0, 0, 2]),
                               measures=("poor_households", "poor_household_rate"))
            P.t("; hộ cận nghèo ")
            self.implied_share(P, near, "hộ", form=self.pick([0, 1]),
                               measures=("near_poor_households", "near_poor_household_rate"))
            P.about(None)
            P.t(". ")
        self.prose(P, "social")
        if self.take(6, priority=self.chance(0.4)):
            P = self.para()
            new, fix = self.ri(2, 12), self.ri(1, 10)
            P.t("Thực hiện Chương trình xóa nhà tạm, nhà dột nát, đã hỗ trợ ")
            self.parts_sum(P, new + fix, [("xây mới", new), ("sửa chữa", fix)],
                           lambda P, v: P.count(int(v), "hộ", lead0=True), lead=" (")
            each_new, each_fix = self.pick([40, 50, 60]) * 10**6, self.pick([20, 25, 30]) * 10**6
            P.t(" với tổng kinh phí ")
            st = self.pick(["đ", "đồng"])
            self.parts_sum(P, new * each_new + fix * each_fix,
                           [("xây mới", new * each_new), ("sửa chữa", fix * each_fix)],
                           lambda P, v: P.money(int(v), st))
            P.t(". ")
            self.prose(P, "social", self.ri(0, 1))
        if self.take(2):
            P = self.para()
            plan = self.ri(30, 180)
            P.about("blood_donation")
            P.t("Vận động hiến máu tình nguyện được ")
            self.ratio_pct(P, plan + self.ri(-4, 25), plan, unit="đơn vị máu", link=" (đạt ", d=0,
                           tail=self.pick([" kế hoạch", " chỉ tiêu giao", " chỉ tiêu"]) + ". ")
            if self.take(2):
                P.t("Tặng ")
                P.about(None).count(self.ri(15, 80), "suất quà")
                P.say(" cho trẻ em có hoàn cảnh khó khăn nhân {date:ngày Quốc tế Thiếu nhi 1/6}, mỗi suất ")
                P.money(self.pick([300000, 500000, 400000]), self.pick(["đồng", "đ", "VNĐ"]))
                P.t(".")
        self.prose_para("social", 0.4)
        if F is not None:
            self.gift_note(F)

    def gift_note(self, F: Para) -> None:
        rows = [("Quà của Chủ tịch nước", 300000), ("quà của tỉnh", self.pick([500000, 600000, 800000])),
                (f"quà của {self.u.district_level}", self.pick([300000, 400000])),
                (f"quà của {self.lvl} và các nhà hảo tâm", self.pick([200000, 500000]))]
        rows = rows[: self.ri(2, 3)]
        counts = [self.ri(60, 320) for _ in rows]
        st = self.pick(["đ", "đ", "đồng"])
        kind = self.site("parts_sum", ("total_mismatch",))
        start = F.n
        for i, ((label, each), c) in enumerate(zip(rows, counts)):
            F.t(("; " if i else "") + label + ": ")
            F.count(c, "suất")
            F.t(", trị giá ")
            F.money(c * each, self.pick([st, "đồng"]))
        F.t(". Tổng cộng ")
        F.count(sum(counts), "suất")
        F.t(", trị giá ")
        moneys = sum(c * each for (_, each), c in zip(rows, counts))
        stated = D(moneys) if not kind else self.mismatch_total(D(moneys))
        F.money(int(stated), st)
        self.issue(F, start, "parts_sum", stated, moneys, kind)
        F.t(".")

    # III. defence ------------------------------------------------------------------------------------
    def defence(self, k: int) -> None:
        self.fund(1.1)
        self.roman(k, self.pick(["QUỐC PHÒNG - AN NINH", "LĨNH VỰC QUỐC PHÒNG - AN NINH"]))
        inline = self.chance(0.5)
        P = self.arabic("Công tác quân sự", inline=True) if inline else None
        if P is None:
            self.arabic("Công tác quân sự")
            P = self.para()
        P.say(self.sentence("defence", opening=True) + " ")
        if (self.period != "6 months" or self.chance(0.5)) and self.take(2):
            n = self.ri(4, 14)
            P.t("Hoàn thành công tác tuyển quân, giao ")
            P.about("military_recruits").ratio(f"{n:02d}", f"{n:02d}", n, n, unit=self.pick(["tân binh", "thanh niên", "công dân"]),
                    space_slash=self.chance(0.3))
            P.t(" lên đường nhập ngũ, đạt ")
            P.pct(D(100), 0, measure="share_of_plan")
            P.about(None)
            P.t(" chỉ tiêu")
            if self.take(1):
                P.t("; tặng quà mỗi tân binh ")
                P.money(self.pick([1, 2, 3, 5]) * 10**6, self.pick(["đồng", "đ", "triệu"]))
            P.t(". ")
        if self.take(2):
            P.about(None)
            P.t("Huấn luyện cho ")
            P.count(self.ri(25, 70), self.pick(["chiến sĩ", "đồng chí"]))
            P.t(" dân quân")
            P.say(" {ordinal:năm thứ nhất} đạt yêu cầu" if self.chance(0.5) else " đạt yêu cầu")
            P.t("; đăng ký nghĩa vụ quân sự cho ")
            P.count(self.ri(30, 120), "công dân")
            P.t(".")
        self.prose(P, "defence", self.ri(0, 2))
        P = self.arabic("Công tác an ninh, trật tự", inline=True) if inline else None
        if P is None:
            self.arabic(self.pick(["Công tác an ninh, trật tự", "An ninh chính trị, trật tự an toàn xã hội"]))
            P = self.para()
        P.say(self.sentence("security", opening=True) + " ")
        if self.take(3):
            cases = self.ri(2, 9)
            solved = cases - self.pick([0, 0, 1])
            P.t("Xảy ra ")
            P.about("criminal_cases").count(cases, "vụ", lead0=True)
            P.t(" phạm pháp hình sự, đã điều tra làm rõ ").about("criminal_cases", part=True)
            P.ratio(f"{solved:02d}", f"{cases:02d}", solved, cases, unit="vụ")
            P.t(". ")
        if self.take(2):
            P.t("Bắt, xử lý ")
            P.about("criminal_cases", part=True).count(self.ri(2, 9), "vụ", glued=self.chance(0.6))
            P.t("/")
            P.about(None).count(self.ri(4, 20), "đối tượng")
            P.t(" vi phạm về ma túy. ")
        if self.take(3, priority=self.chance(0.4)):
            P.about(None)
            P.t("Xử phạt vi phạm hành chính ")
            P.count(self.ri(5, 40), "trường hợp", lead0=True)
            decree = self.pick(["100/2019/NĐ-CP", "144/2021/NĐ-CP",
                                "168/2024/NĐ-CP" if self.year >= 2025 else "123/2021/NĐ-CP"])
            P.say(f" theo Nghị định số {{document_number:{decree}}} với số tiền ")
            fine = self.ri(10, 90) * 250000 + self.pick([0, 0, 100000])
            if self.chance(0.5):
                self.money_words(P, fine, self.pick(["đ", "đồng"]))
            else:
                P.money(fine, self.pick(["đ", "đồng"]))
            P.t(".")
        if self.chance(0.4):
            P.say(f" Duy trì mô hình {{slogan:\"{cap(self.sub)} 2 không\"}} tại {self.sub} số {{label:{self.ri(1, self.T)}}}.")
        self.prose(P, "security")
        self.courts()
        self.prose_para("security", 0.3)

    def courts(self) -> None:
        """Crime against the same period, cases solved, prosecutions and trials, road accidents, mediation."""
        self.fund(0.8)
        P = self.para()
        lead0 = self.chance(0.6)
        vu = lambda P, x: P.count(int(x), "vụ", lead0=lead0)          # noqa: E731
        if self.take(5, priority=self.chance(0.5)):
            prior = self.ri(4, 30)
            now = max(1, prior + self.pick([-1, 1]) * self.ri(1, max(1, prior // 3)))
            if now == prior:
                now += 1
            P.t(self.pick(["Trên địa bàn xảy ra ", f"Trong kỳ, trên địa bàn {self.lvl} xảy ra "]))
            P.about("criminal_cases")
            self.change_against_prior(P, now, prior, vu, now_tail=" phạm pháp hình sự",
                                      shape=self.pick(["so_voi", "cung_ky"]))
            if now >= 2:
                solved = now - self.pick([0, 0, 1, 1, 2]) if now > 2 else now
                P.t("; đã điều tra làm rõ ").about("criminal_cases", part=True)
                self.ratio_pct(P, solved, now, unit="vụ", fmt=lambda x: f"{int(x):02d}" if lead0 else vi(x),
                               link=", đạt ", d=self.pick([1, 2]))
            P.t(". ")
        if self.take(3, priority=self.chance(0.4)):
            P.t(f"Công an {self.lvl} phối hợp củng cố hồ sơ, đề nghị khởi tố ")
            self.small_count(P.about("criminal_cases", part=True), self.ri(1, 6), "vụ án")
            P.t(", ")
            self.small_count(P.about(None), self.ri(2, 12), "bị can")
            P.t(f"; Tòa án nhân dân {self.u.district_level} tổ chức ")
            self.small_count(P, self.ri(1, 3), "phiên tòa")
            P.t(" xét xử lưu động ")
            P.about("criminal_cases", part=True).count(self.ri(1, 3), "vụ án", lead0=lead0)
            P.t(" với ")
            P.about(None).count(self.ri(2, 9), "bị cáo", lead0=lead0)
            P.t(f" tại hội trường UBND {self.lvl}. ")
        if self.take(4, priority=self.chance(0.4)):
            prior = self.ri(2, 12)
            now = max(1, prior + self.pick([-2, -1, 1, 2]))
            if now == prior:
                now += 1
            P.t(self.pick(["Xảy ra ", "Trên các tuyến giao thông xảy ra "]))
            P.about("traffic_accidents")
            self.change_against_prior(P, now, prior, lambda P, x: self.small_count(P, int(x), "vụ"),
                                      now_tail=" tai nạn giao thông", shape=self.pick(["so_voi", "cung_ky"]))
            P.about("traffic_accidents", part=True).t("; làm chết ")
            P.count(self.ri(1, 4), "người", lead0=lead0)
            P.t(", bị thương ")
            P.count(self.ri(1, 6), "người", lead0=lead0)
            P.t(". ")
        if self.take(4, priority=self.chance(0.4)):
            cases = self.ri(6, 40)
            done = cases - self.ri(1, max(1, cases // 4))
            P.about(None)
            P.t("Các tổ hòa giải ở cơ sở (")
            P.count(self.T, "tổ hòa giải", lead0=lead0)
            P.t(" với ")
            P.count(self.T * self.ri(5, 7), "hòa giải viên")
            P.t(") đã tiếp nhận ")
            d = self.pick([1, 2])
            v = D(100) * done / cases
            kind = self.site("ratio_percent", ("wrong_percent",))
            stated = self.near_wrong(v, rhu(v, d), d) if kind else rhu(v, d)
            start, _ = P.count(cases, "vụ việc", lead0=lead0)
            P.t(", hòa giải thành ")
            P.count(done, "vụ việc", lead0=lead0)
            P.t(", đạt ")
            P.pct(stated, d)
            self.issue(P, start, "ratio_percent", stated, v, kind)
            P.t(".")
        self.prose(P, "security", self.ri(0, 1))
        if not P.n:
            self.prose(P, "security", 2)

    # IV. government ----------------------------------------------------------------------------------
    def government(self, k: int) -> None:
        self.fund(1.2)
        self.roman(k, self.pick(["XÂY DỰNG CHÍNH QUYỀN", "XÂY DỰNG CHÍNH QUYỀN, CẢI CÁCH HÀNH CHÍNH",
                                 "CÔNG TÁC XÂY DỰNG CHÍNH QUYỀN"]))
        P = self.para()
        P.say(f"Thực hiện Kế hoạch số {{document_number:{self.ri(5, 60)}/KH-UBND}} ngày "
              f"{{date:{self.ri(2, 28):02d}.01.{self.year}}} về cải cách hành chính, ")
        files = int(self.H * self.ri(35, 110) / 100 * self.f)
        F = None
        if self.take(3):
            P.t("Bộ phận một cửa đã tiếp nhận ")
            P.about("admin_procedures").count(files, "hồ sơ")
            P.t(" thủ tục hành chính; giải quyết đúng và trước hạn ")
            P.about("admin_procedures_on_time_rate")
            self.ratio_pct(P, files - self.ri(0, max(1, files // 150)), files, unit="hồ sơ",
                           link=self.pick([", đạt ", " đạt "]))
            if self.year >= 2022 and self.note_no < 4 and self.take(2, priority=self.chance(0.5)):
                F = self.footnote(P)
            if self.take(2):
                P.t("; hồ sơ nộp trực tuyến ")
                P.about("online_dossier_rate")
                self.ratio_pct(P, int(files * self.ri(40, 98) / 100), files, unit="hồ sơ",
                               link=self.pick([", đạt ", ", chiếm "]))
            P.t(". ")
        else:
            P.t(f"Bộ phận một cửa {self.lvl} tiếp nhận, giải quyết thủ tục hành chính đúng quy định. ")
        if self.take(3):
            letters = self.ri(5, 40)
            solved = letters - self.ri(0, 3)
            P.t("Tiếp công dân ")
            P.about(None).count(self.ri(12, 60), "buổi")
            P.t(", tiếp nhận ")
            P.about("complaints")
            P.count(letters, "đơn", lead0=True)
            P.t(", đã giải quyết ").about("complaints", part=True)
            if solved != letters and self.chance(0.6):
                self.ratio_pct(P, solved, letters, unit="đơn", link=", đạt ", d=self.pick([1, 2]), tail=". ")
            else:
                P.ratio(f"{solved:02d}" if solved < 10 else vi(solved),
                        f"{letters:02d}" if letters < 10 else vi(letters), solved, letters, unit="đơn")
                P.t(". ")
        self.prose(P, "government")
        if self.take(6):
            P = self.para()
            P.about(None)
            P.t("Công tác tư pháp - hộ tịch: đăng ký khai sinh ")
            P.count(int(self.N * self.ri(10, 15) / 1000 * self.f), "trường hợp")
            P.t(", khai tử ")
            P.count(int(self.N * self.ri(5, 7) / 1000 * self.f), "trường hợp")
            P.t(", kết hôn ")
            P.count(int(self.N * self.ri(5, 9) / 1000 * self.f), "cặp")
            P.t("; chứng thực ")
            P.count(self.ri(800, 6000), "bản sao")
            P.t(". Hòa giải thành ")
            m = self.ri(5, 20)
            self.ratio_pct(P, m - self.ri(1, 3), m, unit="vụ việc", link=", đạt ", d=1, tail=".")
            self.prose(P, "government", self.ri(0, 1))
        self.prose_para("government", 0.5)
        if F is not None:
            F.say("Đề án {document_number:06}: đã kích hoạt tài khoản định danh điện tử {label:mức 2} cho ")
            eligible = int(self.N * self.ri(70, 85) / 100)
            F.about("digital_id_rate")
            self.ratio_pct(F, int(eligible * self.ri(900, 995) / 1000), eligible, unit="công dân",
                           after=" đủ điều kiện", link=", đạt ", tail=".")

    # V. assessment -----------------------------------------------------------------------------------
    def assessment(self, k: int) -> None:
        self.fund(0.3)
        self.roman(k, self.pick(["ĐÁNH GIÁ CHUNG", "ĐÁNH GIÁ CHUNG", "NHẬN XÉT, ĐÁNH GIÁ"]))
        self.arabic(self.pick(["Kết quả đạt được", "Những kết quả nổi bật", "Ưu điểm"]))
        P = self.para()
        if self.period == "year" and self.take(2):
            P.t(f"Trong năm, {self.lvl} hoàn thành ")
            total = self.ri(15, 24)
            P.about("targets_met")
            self.ratio_pct(P, total - self.ri(0, 3), total, unit="chỉ tiêu", after=" Nghị quyết HĐND giao",
                           link=" (đạt ", d=self.pick([1, 2]), tail="; ")
        else:
            P.t("Các chỉ tiêu chủ yếu cơ bản đạt kế hoạch; ")
        P.t(self.pick(["thu ngân sách đạt khá; an sinh xã hội được bảo đảm; quốc phòng, an ninh được giữ vững.",
                       "đời sống Nhân dân ổn định; an ninh, trật tự được bảo đảm."]))
        self.prose(P, "general")
        self.arabic(self.pick(["Tồn tại, hạn chế", "Hạn chế, khó khăn"]))
        for s in self.rng.sample(LIMITS, min(len(LIMITS), 2 + self.size // 3 + self.ri(0, 2))):
            self.para().t("- " + s)
        if self.chance(0.7):
            self.arabic("Nguyên nhân")
            self.para().t(" ".join(self.rng.sample(CAUSES, self.ri(2, 4))))

    # Part two and three ------------------------------------------------------------------------------
    def part_two(self) -> None:
        self.fund(0.8)
        if self.period == "year":
            P = self.para()
            P.say(f"Năm {{year:{self.year + 1}}} là năm có ý nghĩa quan trọng")
            P.say(self.pick([f", năm cuối thực hiện kế hoạch phát triển kinh tế - xã hội giai đoạn {{year:2021-2025}}. ",
                             ", năm tăng tốc, bứt phá hoàn thành các mục tiêu đã đề ra. "]))
            P.t(f"UBND {self.lvl} đề ra các chỉ tiêu, nhiệm vụ chủ yếu như sau:")
            self.roman(1, self.pick(["CHỈ TIÊU CHỦ YẾU", "MỤC TIÊU, CHỈ TIÊU"]))
            self.targets()
            self.roman(2, self.pick(["NHIỆM VỤ, GIẢI PHÁP", "NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU"]))
            if self.chance(0.6):
                self.domain_tasks()
            else:
                self.tasks(1)
        else:
            self.path = self.path[:1]
            k = self.targets(plain=True)
            self.tasks(k + 1, plain=True)

    def targets(self, plain: bool = False) -> int:
        targets = [self.target_growth, self.target_budget, self.target_poverty, self.target_insurance,
                   self.target_water]
        n = 0
        for target in self.rng.sample(targets, len(targets)):
            if n >= (1 if plain else 2) and not self.take(1.5):
                break
            n += 1
            self.path = self.path[:1] if plain else self.path[:2]
            target(self.item(n).during(*self.next_when))
        return n

    def target_growth(self, P: Para) -> None:
        P.t("Phấn đấu tổng giá trị sản xuất tăng ")
        P.about("production_value", "target").pct(D(self.ri(6, 12)), 0)
        if self.chance(0.5):
            P.t(" trở lên so với năm trước.")
        else:
            P.t("; thu nhập bình quân đầu người tăng ")
            P.about("income_per_capita", "target").pct(D(self.ri(50, 120)) / 10, 1)
            P.t(".")

    def target_budget(self, P: Para) -> None:
        P.t("Thu ngân sách nhà nước trên địa bàn đạt ")
        P.about("budget_revenue_state", "target").money(self.ri(5, 60) * 10**9 + self.pick([0, 5 * 10**8]), "tỷ", approx="trên")
        P.t("; quản lý chi chặt chẽ, tiết kiệm, hiệu quả.")

    def target_poverty(self, P: Para) -> None:
        P.t("Giảm tỷ lệ hộ nghèo xuống dưới ")
        P.about("poor_household_rate", "target").pct(D(self.ri(5, 20)) / 10, 1)
        P.t("; không để phát sinh hộ tái nghèo.")

    def target_insurance(self, P: Para) -> None:
        P.t("Tỷ lệ người dân tham gia bảo hiểm y tế đạt ")
        P.about("health_insurance_rate", "target").pct(D(self.ri(92, 98)), 0, approx=self.pick(["trên", None]))
        P.t("; tỷ lệ lao động qua đào tạo đạt ")
        P.about("trained_labour_rate", "target").pct(D(self.ri(650, 800)) / 10, 1)
        P.t(".")

    def target_water(self, P: Para) -> None:
        P.t("Tỷ lệ hộ dùng nước sạch đạt ")
        P.about("clean_water_rate", "target").pct(D(self.ri(92, 99)), 0, space=self.chance(0.4), approx="trên")
        P.t("; ")
        P.about("waste_collection_rate", "target").pct(D(100), 0)
        P.t(" rác thải sinh hoạt được thu gom, xử lý.")

    def tasks(self, first: int, plain: bool = False) -> None:
        pool = list(TASKS)
        y = self.year if self.period != "year" else self.year + 1
        pool.append(f"Hoàn thành nâng cấp các tuyến đường nội thị trong {{period:quý III/{y}}}; "
                    "đẩy nhanh tiến độ giải ngân vốn đầu tư công.")
        pool.append(f"Chuẩn bị tốt các điều kiện tổ chức Đại hội Đảng bộ {{lvl}} nhiệm kỳ {{year:2025-2030}}.")
        n = min(len(pool), self.ri(3, 4 + self.size // 2))
        for i, s in enumerate(self.rng.sample(pool, n)):
            self.path = self.path[:1] if plain else self.path[:2]
            P = self.item(first + i)
            P.say(self.fmt(s))
            for _ in range(self.n_prose(0.15)):
                P.t(" " + self.task_sentence(self.pick(list(SUBJECTS))))

    def task_sentence(self, domain: str) -> str:
        fresh = [s for s in SUBJECTS[domain] if s.startswith(TASK_SUBJECTS) and s not in self.used]
        subject = self.pick(fresh or [s for s in SUBJECTS["general"] if s.startswith(TASK_SUBJECTS)])
        self.used.add(subject)
        s = f"{self.pick(TASK_VERBS)} {subject[0].lower()}{subject[1:]}"
        if self.chance(0.6):
            s += self.pick([", ", "; "]) + self.pick(TASK_ENDS)
        return self.fmt(s) + "."

    def domain_tasks(self) -> None:
        """'1. Về phát triển kinh tế: Tập trung ...' items, a few task sentences each."""
        for k, (title, domains) in enumerate(DOMAIN_GROUPS, 1):
            self.used = set()
            self.path = self.path[:2] + [str(k)]
            P = self.para()
            P.say(f"{{heading_number:{k}}}. ")
            P.t(title + ": ")
            self._section(P, str(k), title, 3, "inline_heading")
            n = max(1, self.n_prose(0.5))
            for i in range(n):
                P.t((" " if i else "") + self.task_sentence(self.pick(domains)))
            if self.chance(0.4):
                P.say(" " + self.fmt(self.pick(TASKS)))

    def part_three(self) -> None:
        self.path = self.path[:1]
        P = self.item(1)
        P.t(f"Đề nghị UBND {self.u.district_level} quan tâm hỗ trợ kinh phí ")
        v = self.ri(2, 30) * 10**9 // 2
        P.money(v, self.money_style(v, ["tỷ", "tỷ triệu"]), approx=self.pick(["khoảng", None]))
        P.t(" để nâng cấp hạ tầng giao thông, thoát nước trên địa bàn.")
        self.path = self.path[:1]
        P = self.item(2)
        P.t("Đề nghị các cơ quan chuyên môn sớm hướng dẫn, tháo gỡ vướng mắc trong công tác bồi thường, "
            "giải phóng mặt bằng.")

    def closing(self) -> None:
        self.path = []
        P = self.para("closing")
        P.say(f"Trên đây là báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội {self.span} ")
        P.say(f"và {self.pick(['phương hướng, nhiệm vụ', 'nhiệm vụ trọng tâm'])} {self.next_span} "
              f"của UBND {self.unit_full}, ")
        if self.session:
            P.say(f"trình kỳ họp thứ {{ordinal:{self.session}}} HĐND {self.lvl} xem xét, cho ý kiến./.")
        else:
            P.t(f"kính trình HĐND {self.lvl} xem xét, cho ý kiến./.")
        self.line(" ", "closing")
        superior = (f"- UBND tỉnh {self.u.province};" if self.year == 2025 and self.period != "6 months"
                    else f"- UBND {self.u.district_level} {self.u.district};")
        self.line(f"Nơi nhận: \n{superior} ", "closing")
        for s in (f"- TT Đảng ủy, TT HĐND {self.lvl};", f"- Chủ tịch, các PCT UBND {self.lvl};",
                  f"- UBMTTQ và các đoàn thể {self.lvl};", f"- Các đại biểu HĐND {self.lvl};",
                  f"- Trưởng các {self.sub};", "- Lưu: VT."):
            if s.startswith("- Trưởng") and self.chance(0.5):
                continue
            self.line(s + " ", "closing")
        self.line(" ", "closing")
        self.line(self.pick(["TM. ỦY BAN NHÂN DÂN  ", "TM. ỦY BAN NHÂN DÂN "]), "closing")
        self.line(self.pick(["CHỦ TỊCH ", "CHỦ TỊCH", "KT. CHỦ TỊCH "]), "closing")
        for _ in range(self.ri(2, 4)):
            self.line(" ", "closing")
        people = self.u.people
        self.line(people[min(len(people) - 1, max(0, self.year - 2019) // 3)] + " ", "closing")


def upper_markup(template: str) -> str:
    """Upper-case the words of a {reason:...} template, leaving the reason names alone."""
    out, pos = [], 0
    for m in _TOKEN.finditer(template):
        out.append(template[pos:m.start()].upper())
        out.append("{" + m.group(1) + ":" + m.group(2).upper() + "}")
        pos = m.end()
    out.append(template[pos:].upper())
    return "".join(out)


# --- Layout: paragraphs to printed lines and pages, with the offset map ------------------------------

@dataclass
class Line:
    para: int
    start: int
    end: int            # paragraph characters [start, end) are printed (a kept trailing space included)
    suffix: str = ""    # spaces after a paragraph's last line


@dataclass
class Laid:
    text: str
    pages: int
    segments: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)   # para -> (start, end, file)
    notes_segments: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    page_numbers: list[tuple[int, int]] = field(default_factory=list)


def wrap(P: Para, rng: random.Random, lo: int, hi: int) -> list[tuple[int, int]]:
    s = P.text
    if P.nowrap or len(s) <= lo:
        return [(0, len(s))]
    blocked = {j for a, b in P.nobreak for j in range(a, b) if s[j] == " "}
    lines, i = [], 0
    while True:
        w = rng.randint(lo, hi)
        if len(s) - i <= w:
            lines.append((i, len(s)))
            return lines
        k = s.rfind(" ", i + 8, i + w + 1)
        while k != -1 and k in blocked:
            k = s.rfind(" ", i + 8, k)
        if k == -1:
            k = s.find(" ", i + w)
            while k != -1 and k in blocked:
                k = s.find(" ", k + 1)
            if k == -1:
                lines.append((i, len(s)))
                return lines
        keep = rng.random() < 0.72
        lines.append((i, k + 1 if keep else k))
        i = k + 1


def layout(paras: list[Para], notes: dict[int, Para], rng: random.Random) -> Laid:
    lines: list[Line] = []
    for pi, P in enumerate(paras):
        spans = wrap(P, rng, 74, 90) if P.role != "header" else [(0, len(P.text))]
        for a, b in spans:
            lines.append(Line(pi, a, b))
        if P.role in ("body", "heading") and not P.text.endswith(" "):
            lines[-1].suffix = rng.choices(("", " ", "  "), (35, 50, 15))[0]
    note_lines = {no: wrap(F, rng, 108, 124) for no, F in notes.items()}
    # a page may not end inside a figure or a non-figure number that wraps
    no_break_before = [False] * len(lines)
    for i in range(1, len(lines)):
        cur, prev = lines[i], lines[i - 1]
        if cur.para == prev.para:
            P = paras[cur.para]
            no_break_before[i] = (any(f["start"] < cur.start < f["end"] for f in P.figs)
                                  or any(a < cur.start < b for a, b, _ in P.traps))
    marker_at: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        for a, _b, no in paras[ln.para].markers:
            if ln.start <= a < ln.end:
                marker_at.setdefault(i, []).append(no)
    # pages: (first line, last line exclusive, notes)
    pages, i = [], 0
    while i < len(lines):
        cap_ = rng.randint(40, 45)
        first, used, page_notes = i, 0, []
        while i < len(lines):
            add_notes = [no for no in marker_at.get(i, []) if no not in page_notes]
            cost = 1 + sum(len(note_lines[no]) for no in add_notes)
            if used + cost > cap_ and i - first >= 12 and not no_break_before[i]:
                break
            used += cost
            page_notes += add_notes
            i += 1
        pages.append((first, i, page_notes))
    # a page number stands at the top of a few pages that have no footnotes before them
    plain = [k for k in range(1, len(pages)) if not pages[k - 1][2]]
    numbered = set(rng.sample(plain, min(len(plain), rng.choice((1, 2, 2, 3))))) if plain else set()

    out: list[str] = []
    pos = 0
    segments: dict[int, list[tuple[int, int, int]]] = {}
    notes_segments: dict[int, list[tuple[int, int, int]]] = {}
    page_numbers: list[tuple[int, int]] = []

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    def emit_notes(nos: list[int]) -> None:
        emit("\n\n \n")
        for j, no in enumerate(nos):
            F = notes[no]
            for li, (a, b) in enumerate(note_lines[no]):
                if j or li:
                    emit("\n\n")
                notes_segments.setdefault(no, []).append((a, b, pos))
                emit(F.text[a:b])
        emit("\n")

    lead = ""
    for k, (first, last, page_notes) in enumerate(pages):
        for i in range(first, last):
            ln = lines[i]
            if i > first:
                emit("\n\n")
            if i == first and lead:
                emit(lead)
            text = paras[ln.para].text
            segments.setdefault(ln.para, []).append((ln.start, ln.end, pos))
            emit(text[ln.start:ln.end] + ln.suffix)
        if page_notes:
            emit_notes(sorted(page_notes))
            lead = " "
        elif k + 1 < len(pages):
            if k + 1 in numbered:
                emit("\n\n\n\n")
                page_numbers.append((pos, pos + len(str(k + 2))))
                emit(f"{k + 2} \n\n")
                lead = ""
            else:
                emit("\n\n")
                lead = " "
    if not pages[-1][2]:
        emit("\n")
    return Laid("".join(out), len(pages), segments, notes_segments, page_numbers)


def locate(segs: list[tuple[int, int, int]], p: int) -> int:
    """File offset of paragraph character p."""
    for a, b, f in segs:
        if a <= p < b:
            return f + (p - a)
    raise ValueError(f"character {p} was not printed")


# --- One document: probe, plant, lay out, collect truth ---------------------------------------------

@dataclass
class Doc:
    text: str
    pages: int
    figures: list[dict]
    issues: list[dict]
    checks: list[dict]
    sections: list[dict]
    non_figures: list[dict]


def choose_plan(sites, n_errors: int, rng: random.Random) -> dict[int, str]:
    """Which sites get which error: each check family about as often as the report allows."""
    plan: dict[int, str] = {}
    families = sorted(set(ERROR_KINDS.values()))
    for _ in range(n_errors):
        order = []
        for family in rng.sample(families, len(families)):
            kinds = [k for k, f in ERROR_KINDS.items() if f == family]
            order += rng.sample(kinds, len(kinds))
        for wanted in order:
            candidates = [i for i, (_check, feasible) in enumerate(sites) if wanted in feasible and i not in plan]
            if candidates:
                plan[rng.choice(candidates)] = wanted
                break
    return plan


def make_doc(unit: Unit, year: int, period: str, seed: int, n_errors: int) -> Doc:
    for attempt in range(40):
        s = seed + attempt * 1_000_003
        probe = Report(unit, year, period, s).build()
        n_figs = sum(len(P.figs) for P in probe.paras) + sum(len(F.figs) for F in probe.notes.values())
        if not 15 <= n_figs <= 60:
            continue
        plan = choose_plan(probe.sites, n_errors, random.Random(s + 5))
        report = Report(unit, year, period, s, plan).build()
        laid = layout(report.paras, report.notes, random.Random(s + 11))
        if 3 <= laid.pages <= 10 or attempt == 39:
            return collect(report, laid)
    raise RuntimeError("no report fitted 15-60 figures and 3-10 pages")


def collect(report: Report, laid: Laid) -> Doc:
    text = laid.text
    figures, issues, checks, sections, non_figures = [], [], [], [], []

    def place(segs, a: int, b: int) -> tuple[int, int]:
        return locate(segs, a), locate(segs, b - 1) + 1

    def gather(P: Para, segs) -> None:
        for f in P.figs:
            s, e = place(segs, f["start"], f["end"])
            raw = text[s:e]
            assert " ".join(raw.split()) == " ".join(P.text[f["start"]:f["end"]].split()), (raw, P.text)
            row = {k: v for k, v in f.items() if k not in ("start", "end", "when")}
            year, span = f["when"] or (report.year, report.period)
            if f["indicator"] is None:
                year, span = None, None
            elif f["measure"] == "prior":
                year -= 1
            figures.append(dict(char_start=s, char_end=e, raw=raw, section=P.section, period_year=year,
                                period_span=span, **row))
        for a, b, reason in P.traps:
            s, e = place(segs, a, b)
            non_figures.append(dict(char_start=s, char_end=e, text=text[s:e], reason=reason))
        for a, b, no in P.markers:
            s, e = place(segs, a, b)
            non_figures.append(dict(char_start=s, char_end=e, text=text[s:e], reason="footnote_marker"))
        for rows, tied in ((issues, P.issues), (checks, P.checks)):
            for it in tied:
                s, e = place(segs, it["start"], it["end"])
                rows.append(dict(char_start=s, char_end=e, text=P.text[it["start"]:it["end"]],
                                 **{k: v for k, v in it.items() if k not in ("start", "end")}))

    index = {id(P): i for i, P in enumerate(report.paras)}
    for i, P in enumerate(report.paras):
        gather(P, laid.segments[i])
    for no, F in report.notes.items():
        gather(F, laid.notes_segments[no])
    for sec in report.sections:
        P = sec["para"]
        s = locate(laid.segments[index[id(P)]], 0)
        sections.append(dict(char_start=s, number=sec["number"], title=sec["title"], level=sec["level"],
                             type=sec["type"], section=sec["path"]))
    for s, e in laid.page_numbers:
        non_figures.append(dict(char_start=s, char_end=e, text=text[s:e], reason="page_number"))
    figures.sort(key=lambda r: r["char_start"])
    non_figures.sort(key=lambda r: r["char_start"])
    issues.sort(key=lambda r: r["char_start"])
    checks.sort(key=lambda r: r["char_start"])
    newlines = [m.start() for m in re.finditer("\n", text)]
    for rows in (figures, issues, checks, sections, non_figures):
        for r in rows:
            r["line"] = bisect.bisect_left(newlines, r["char_start"]) + 1
    return Doc(text, laid.pages, figures, issues, checks, sections, non_figures)


# --- The archive -------------------------------------------------------------------------------------

def person(rng: random.Random) -> str:
    while True:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if name not in BANNED_PEOPLE:
            return name


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-syllable name whose slug is not taken yet ('Thạnh Lộc' and 'Thanh Lộc' share one)."""
    while True:
        a, b = rng.sample(SYLLABLES, 2)
        name = f"{a} {b}"
        if name not in BANNED_NAMES and slugify(name) not in taken:
            taken.add(slugify(name))
            return name


def make_units(rng: random.Random, n_units: int) -> list[Unit]:
    n_prov = min(len(PROVINCES), max(1, -(-n_units // 5)))
    provinces = rng.sample(PROVINCES, n_prov)
    districts: dict[str, list[tuple[str, str]]] = {p: [] for p in provinces}
    taken_district: dict[str, set[str]] = {p: set() for p in provinces}
    taken_unit: dict[tuple[str, str], set[str]] = {}
    units = []
    for i in range(n_units):
        prov = provinces[i % n_prov]
        ds = districts[prov]
        if not ds or (len(ds) < 4 and rng.random() < 0.45):
            if prov in CITY_PROVINCES:
                level = rng.choice(["quận", "quận", "huyện"])
            else:
                level = rng.choices(["huyện", "thị xã", "thành phố"], (6, 2, 2))[0]
            ds.append((place_name(rng, taken_district[prov]), level))
        dname, dlevel = rng.choice(ds)
        if dlevel == "quận":
            level = "phường"
        elif dlevel == "huyện":
            level = rng.choices(["xã", "thị trấn"], (3, 1))[0]
        else:
            level = rng.choices(["phường", "xã"], (3, 1))[0]
        taken = taken_unit.setdefault((prov, dname), {slugify(dname)})
        name = place_name(rng, taken)
        households = {"phường": rng.randint(1800, 9500), "xã": rng.randint(1200, 6000),
                      "thị trấn": rng.randint(1100, 4200)}[level]
        schools = (name, name, name) if rng.random() < 0.7 else (place_name(rng, set()), name, name)
        unit = Unit(prov, dname, dlevel, level, name, households, rng.uniform(3.3, 4.1),
                    rng.randint(5, 24), rng.randint(11, 22), schools,
                    tuple(person(rng) for _ in range(3)))
        unit.slug = "/".join((slugify(prov), slugify(dname), slugify(f"{level} {name}")))
        units.append(unit)
    return units


def plan_archive(rng: random.Random, n_unique: int) -> list[tuple[Unit, int, str]]:
    n_units = max(1, min(n_unique, round(n_unique / 4.5)))
    units = make_units(rng, n_units)
    slots = {id(u): [(y, p) for y in range(2019, 2026) for p in PERIODS] for u in units}
    weight = {"year": 6, "6 months": 3, "9 months": 1}
    docs = []
    for i in range(n_unique):
        if i < n_units:
            u = units[i]
        else:
            u = rng.choice([x for x in units if slots[id(x)]])
        free = slots[id(u)]
        y, p = rng.choices(free, [weight[p] for _, p in free])[0]
        free.remove((y, p))
        docs.append((u, y, p))
    return docs


def generate_archive(out_dir: Path, count: int, seed: int = 7, pdf_fraction: float = 0.0) -> pd.DataFrame:
    """Write `count` report files (two of them duplicates of others) and the truth tables under
    out_dir/_truth; give back the manifest (documents.parquet)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    rng = random.Random(seed)
    n_dup = min(2, count - 1) if count >= 2 else 0
    n_unique = count - n_dup
    plan = plan_archive(rng, n_unique)
    jobs = []
    for unit, year, period in plan:
        n_errors = rng.choices((0, 1, 2), (70, 20, 10))[0]
        jobs.append((unit, year, period, rng.getrandbits(40), n_errors))
    originals = (rng.sample(range(n_unique), n_dup) if n_unique >= n_dup
                 else [rng.randrange(n_unique) for _ in range(n_dup)])

    documents, figures, issues, checks, sections, non_figures = [], [], [], [], [], []
    docs: list[tuple[str, Doc, dict]] = []
    for unit, year, period, doc_seed, n_errors in jobs:
        doc = make_doc(unit, year, period, doc_seed, n_errors)
        rel = f"{unit.slug}/{year}-{PERIODS[period]}.txt"
        meta = dict(province=unit.province, district=unit.district, district_level=unit.district_level,
                    unit_level=unit.level, unit_name=unit.name, year=year, period=period)
        docs.append((rel, doc, meta))
    dup_paths = []
    for j, i in enumerate(originals):
        rel, doc, meta = docs[i]
        if j == 0:
            dup = rel[:-4] + "-ban-sao.txt"
        else:
            head, unit_slug, name = rel.rsplit("/", 2)
            dup = f"{head}/{unit_slug}-{name}"
        dup_paths.append((dup, rel, doc, meta))

    def write(rel: str, doc: Doc, meta: dict, duplicate_of: str | None) -> None:
        data = doc.text.encode("utf-8")
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        documents.append(dict(path=rel, **meta, pages=doc.pages, lines=doc.text.count("\n") + 1,
                              chars=len(doc.text), figures=len(doc.figures), inconsistencies=len(doc.issues),
                              sha256=hashlib.sha256(data).hexdigest(), duplicate_of=duplicate_of, pdf_path=None))
        for rows, table in ((doc.figures, figures), (doc.issues, issues), (doc.checks, checks),
                            (doc.sections, sections), (doc.non_figures, non_figures)):
            table.extend(dict(path=rel, **r) for r in rows)

    for rel, doc, meta in docs:
        write(rel, doc, meta, None)
    for dup, rel, doc, meta in dup_paths:
        write(dup, doc, meta, rel)

    if pdf_fraction > 0:
        chosen = sorted(rng.sample(range(n_unique), max(1, round(pdf_fraction * n_unique))))
        pdfs = write_pdfs(out_dir, [docs[i][0] for i in chosen])
        for row in documents:
            row["pdf_path"] = pdfs.get(row["path"])

    truth = out_dir / "_truth"
    truth.mkdir(parents=True, exist_ok=True)
    manifest = pd.DataFrame(documents)
    for col in ("duplicate_of", "pdf_path"):
        manifest[col] = manifest[col].astype("string")
    assert manifest["path"].is_unique
    manifest.to_parquet(truth / "documents.parquet", index=False)
    fig_cols = ["path", "char_start", "char_end", "raw", "kind", "value", "value_max", "numerator", "denominator",
                "unit", "approx", "decimals", "in_words", "indicator", "measure", "period_year", "period_span", "falls",
                "whole", "section", "line"]
    frame(figures, fig_cols, {"value": "float64", "value_max": "float64", "numerator": "float64",
                              "denominator": "float64", "in_words": "float64", "decimals": "Int64",
                              "period_year": "Int64", "falls": "boolean", "whole": "boolean"}).to_parquet(
        truth / "figures.parquet", index=False)
    frame(issues, ["path", "check", "stated", "computed", "kind_of_error", "text", "char_start", "char_end", "line"],
          {"stated": "float64", "computed": "float64"}).to_parquet(truth / "inconsistencies.parquet", index=False)
    frame(checks, ["path", "check", "stated", "computed", "consistent", "kind_of_error", "text", "char_start", "char_end",
                   "line"], {"stated": "float64", "computed": "float64", "consistent": "bool"}).to_parquet(
        truth / "checks.parquet", index=False)
    frame(sections, ["path", "number", "title", "level", "type", "section", "char_start", "line"], {}).to_parquet(
        truth / "sections.parquet", index=False)
    frame(non_figures, ["path", "char_start", "char_end", "text", "reason", "line"], {}).to_parquet(
        truth / "non_figures.parquet", index=False)
    return manifest


def frame(rows: list[dict], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for col, dtype in dtypes.items():
        df[col] = df[col].astype(dtype)
    return df


def write_pdfs(out_dir: Path, rels: list[str]) -> dict[str, str]:
    """Lay out the chosen reports as Word-like PDFs beside their text (LibreOffice, samples/make_pdfs.py)."""
    import importlib.util
    import shutil
    import tempfile
    from xml.etree import ElementTree

    spec = importlib.util.spec_from_file_location("make_pdfs", ROOT / "samples" / "make_pdfs.py")
    make_pdfs = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = make_pdfs
    spec.loader.exec_module(make_pdfs)
    make_pdfs.check_font()
    result = {}
    with tempfile.TemporaryDirectory(prefix="archive-pdfs-") as tmp:
        work = Path(tmp)
        fodts = []
        for i, rel in enumerate(rels):
            source = (out_dir / rel).read_text(encoding="utf-8")
            xml = make_pdfs.to_fodt(make_pdfs.build_document(f"doc{i:05d}", source))
            ElementTree.fromstring(xml)
            fodt = work / f"doc{i:05d}.fodt"
            fodt.write_text(xml, encoding="utf-8")
            fodts.append(fodt)
        pdf_dir = work / "pdf"
        pdf_dir.mkdir()
        make_pdfs.convert(fodts, pdf_dir, work)
        for i, rel in enumerate(rels):
            target = rel[:-4] + ".pdf"
            shutil.move(str(pdf_dir / f"doc{i:05d}.pdf"), out_dir / target)
            result[rel] = target
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pdf-fraction", type=float, default=0.0,
                        help="also lay out this share of the reports as PDF beside the text (needs LibreOffice)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        manifest = generate_archive(args.out_dir, args.count, args.seed, args.pdf_fraction)
    except FileExistsError as e:
        sys.exit(str(e))
    truth = args.out_dir / "_truth"
    figures = pd.read_parquet(truth / "figures.parquet")
    issues = pd.read_parquet(truth / "inconsistencies.parquet")
    print(f"{len(manifest)} files ({manifest['duplicate_of'].notna().sum()} duplicates), "
          f"{manifest['pages'].sum()} pages, {len(figures)} figures, {len(issues)} inconsistencies "
          f"in {time.perf_counter() - started:.1f} s")
    print("figures by kind:", figures["kind"].value_counts().to_dict())
    print("inconsistencies:", issues.groupby(["check", "kind_of_error"]).size().to_dict())


if __name__ == "__main__":
    main()
