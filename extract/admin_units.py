"""Administrative units: the unit a report names (level, name, district, province) matched to its official code.

Takes the documents table's unit columns and the report's date; gives the unit's key across years: its
code in the official lists that `vietnamadminunits` carries offline (the 63 provinces before 1 July 2025,
the 34 after), the code and name of the unit it belongs to since the 2025 reorganisation, and, when no
single unit matches, its normalised name with the reason.
"""
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache

import regex

REORGANISED = date(2025, 7, 1)      # the day the 2025 reorganisation of wards and communes took effect


@dataclass(frozen=True)
class Unit:
    unit_key: str               # the code where matched, else "name:" and the normalised name and place
    unit_name: str | None       # normalised: "Phường Hòa Bình"
    unit_code: str | None       # the official code of the unit the report names, in the lists of its time
    unit_code_2025: str | None  # the unit it is, or was merged into, since 1 July 2025
    unit_name_2025: str | None
    province_2025: str | None
    unit_match: str             # before 2025 | from 2025 | unmatched: the reason

    def row(self) -> dict:
        return asdict(self)


def normal(text: str | None) -> str:
    """A name as one spelling: NFC, one space, old and new tone placement made one (hoà is hòa), numbered
    wards without leading zeros (Phường 01 is Phường 1), lower case."""
    if text is None or text != text:
        return ""
    from .indicators import indicator_rules
    text = " ".join(unicodedata.normalize("NFC", str(text)).split()).lower()
    text = indicator_rules().fold(text)
    return regex.sub(r"\b0+(\d)", r"\1", text)


def display(level: str | None, name: str | None) -> str | None:
    """The unit's name as the official lists write it: "Phường Hòa Bình"."""
    if not name or name != name:
        return None
    words = " ".join(unicodedata.normalize("NFC", str(name)).split())
    level = " ".join(str(level).split()).capitalize() if level and level == level else ""
    return f"{level} {words}".strip()


@cache
def _index(table: str) -> dict[tuple[str, str], list[dict]]:
    """The official list (admin_units_legacy: before the reorganisation; admin_units: after), by level and name."""
    from vietnamadminunits.database.main import query
    district = "district, districtShort, " if table == "admin_units_legacy" else ""
    rows = query(f"SELECT ward, wardShort, wardType, wardCode, {district}province, provinceShort, provinceCode "
                 f"FROM [{table}]")
    index: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        index.setdefault((normal(row["wardType"]), normal(row["wardShort"])), []).append(row)
    return index


def _same_place(written: str | None, *official: str | None) -> bool:
    """A district or province as a report writes it ("Phủ Lý", "thành phố Phủ Lý", "tỉnh Hà Nam") against the
    official full and short names."""
    place = normal(written)
    return any(place and o and (place == normal(o) or place.endswith(" " + normal(o)) or normal(o).endswith(" " + place))
               for o in official)


def _candidates(table: str, level: str, name: str, district: str | None, province: str | None) -> list[dict]:
    found = _index(table).get((normal(level), normal(name)), [])
    if province:
        found = [r for r in found if _same_place(province, r["province"], r["provinceShort"])]
    if district and table == "admin_units_legacy":
        found = [r for r in found if _same_place(district, r["district"], r["districtShort"])]
    return found


def _blank(value):
    return None if value is None or value != value or value == "" else value


@cache
def match_unit(level: str | None, name: str | None, district: str | None, province: str | None,
               report_date: str | None = None, report_year: int | None = None) -> Unit:
    """The official unit a report names. A report dated from 1 July 2025 (or of a later year) is looked up
    in the list after the reorganisation first, an earlier one in the list before it first; a unit matches
    when exactly one of that name and level lies in the district and province the report gives (a list
    before 2025 needs the district or the province, the list after needs the province)."""
    level, name, district, province = (_blank(v) for v in (level, name, district, province))
    shown = display(level, name)
    place = province or district
    fallback = f"name:{normal(shown)}" + (f", {normal(place)}" if place else "") if shown else "name:unknown"
    if not shown or not level:
        return Unit(fallback, shown, None, None, None, None, "unmatched: the report names no unit")
    when = _date(report_date)
    after = (when is not None and when >= REORGANISED) or (when is None and report_year and int(report_year) > 2025)
    tables = ("admin_units", "admin_units_legacy") if after else ("admin_units_legacy", "admin_units")
    reasons = []
    for table in tables:
        if table == "admin_units" and not province or table == "admin_units_legacy" and not (district or province):
            reasons.append(f"{'from' if table == 'admin_units' else 'before'} 2025: no "
                           f"{'province' if table == 'admin_units' else 'district or province'} given")
            continue
        found = _candidates(table, level, name, district, province)
        if len(found) == 1:
            return _matched(table, found[0])
        era = "before 2025" if table == "admin_units_legacy" else "from 2025"
        reasons.append(f"{era}: {len(found)} units named {shown} in {', '.join(p for p in (district, province) if p)}"
                       if found else f"{era}: no {shown} in {', '.join(p for p in (district, province) if p)}")
    return Unit(fallback, shown, None, None, None, None, "unmatched: " + "; ".join(reasons))


def _matched(table: str, row: dict) -> Unit:
    if table == "admin_units":
        return Unit(row["wardCode"], row["ward"], row["wardCode"], row["wardCode"], row["ward"], row["province"],
                    "from 2025")
    from vietnamadminunits import convert_address
    # the official names exactly and no street: the converter takes the unit's successor from its tables
    # (a street would make it look the address up on the Internet)
    successor = convert_address(f"{row['ward']}, {row['district']}, {row['province']}")
    return Unit(row["wardCode"], row["ward"], row["wardCode"], successor.ward_code, successor.ward,
                successor.province, "before 2025")


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text)) if _blank(text) else None
    except ValueError:
        return None
