""".doc, .rtf and .odt: converted by LibreOffice to .docx and read by the Word reader, the same figures as
the Word file they were made from; LibreOffice missing, too slow or failing each gives a clear error."""
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from extract import process_file
from extract.readers import ReadOptions, office

from test_docx import APPENDIX, NESTED, PART_ONE, REPORT_WITH_NUMBERED_HEADINGS, SAMPLES, figure_keys, \
    make_formats, note, para, reference, run, word_file

OFFICE_FORMATS = ("doc", "rtf", "odt")


def libreoffice() -> str:
    found = office.soffice()
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return found


def convert(path: Path, target: str, outdir: Path) -> Path:
    """PATH converted by LibreOffice to TARGET in OUTDIR, with a profile of its own."""
    outdir.mkdir(exist_ok=True)
    profile = outdir / f"profile-{target}"
    subprocess.run([libreoffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", target, "--outdir", str(outdir), str(path)], capture_output=True, timeout=300,
                   check=True)
    return outdir / f"{path.stem}.{target}"


def all_figures(result) -> Counter:
    return Counter((r["kind"], r["numerator"] if r["kind"] == "ratio" else r["value"],
                    r["denominator"] if r["kind"] == "ratio" else None, r["section"], r["row_label"],
                    r["col_header"]) for r in result.figures.to_dict("records"))


# LibreOffice keeps neither a list restarted by a startOverride in a later part (in .doc) nor a table in a cell (in .rtf) as
# Word has them: see the sample tests below
REPORT = "".join([
    PART_ONE,
    para(run("Tỷ lệ hộ gia đình văn hóa năm 2024"), reference("footnote", 1), run(" tăng so với năm 2023.")),
    APPENDIX.replace(NESTED, para("xã hội tự nguyện")),
])


@pytest.mark.parametrize("fmt", OFFICE_FORMATS)
def test_a_word_file_saved_by_libreoffice_gives_the_same_figures(tmp_path, fmt):
    docx = word_file(tmp_path / "report.docx", REPORT,
                     footnotes=note("footnote", 1, "Trong đó 2.917/3.064 hộ đạt 95,20%."))
    converted = convert(docx, fmt, tmp_path / "converted")
    result = process_file(converted)
    assert result.ok, result.error
    assert result.documents.iloc[0]["format"] == fmt
    expected = process_file(docx)
    assert all_figures(result) == all_figures(expected)
    assert list(result.sections["path"]) == list(expected.sections["path"])
    assert (result.checks["check"] == "table_row").sum() == 2


def fake_office(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def doc_file(tmp_path: Path) -> Path:
    """A file that is a Word 97-2003 document by its content (a compound file with a WordDocument stream)."""
    path = tmp_path / "report.doc"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(512))
    return path


@pytest.mark.parametrize("suffix", [".doc", ".rtf"])
def test_without_libreoffice_a_doc_is_an_error_saying_what_to_install(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = doc_file(tmp_path) if suffix == ".doc" else tmp_path / "report.rtf"
    if suffix == ".rtf":
        path.write_bytes(rb"{\rtf1\ansi B\'e1o c\'e1o}")
    row = process_file(path, options=ReadOptions(bounded=False)).documents.iloc[0]
    assert row["status"] == "error"
    assert row["error"] == (f"converting {suffix} needs LibreOffice: install the libreoffice-writer package "
                            "(apt-get install libreoffice-writer-nogui)")


def test_a_conversion_that_takes_too_long_is_stopped_with_its_office(tmp_path, monkeypatch):
    pid_file = tmp_path / "office.pid"
    monkeypatch.setattr(office, "soffice", lambda: fake_office(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait\n"))
    row = process_file(doc_file(tmp_path), options=ReadOptions(bounded=False, timeout=3)).documents.iloc[0]
    assert row["status"] == "error"
    assert row["error"] == "LibreOffice took longer than 1 s to convert the .doc file (stopped)"
    status = Path(f"/proc/{pid_file.read_text().strip()}/status")
    assert not status.exists() or "zombie" in status.read_text(), "the office the launcher started is stopped"


def test_a_file_libreoffice_cannot_convert_is_an_error_with_its_words(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: fake_office(
        tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n"))
    row = process_file(doc_file(tmp_path), options=ReadOptions(bounded=False)).documents.iloc[0]
    assert (row["status"], row["error"]) == \
        ("error", "LibreOffice could not convert the .doc file: Error: source file could not be loaded")


def test_conversions_side_by_side_do_not_meet(tmp_path):
    """Each conversion has a profile of its own: files converted at the same time all come out."""
    libreoffice()
    docx = word_file(tmp_path / "report.docx", REPORT_WITH_NUMBERED_HEADINGS)
    odt = convert(docx, "odt", tmp_path / "converted")
    copies = []
    for n in range(3):
        copies.append(tmp_path / f"copy-{n}.odt")
        shutil.copy(odt, copies[-1])
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(process_file, copies))
    assert all(r.ok for r in results)
    assert len({tuple(r.figures["raw"]) for r in results}) == 1


# ----------------------------------------------------------------- the sample reports

@pytest.fixture(scope="module")
def sample_office(tmp_path_factory) -> dict[str, dict[str, Path]]:
    libreoffice()
    out = tmp_path_factory.mktemp("sample-office")
    built = {sample.stem: make_formats.make_formats(sample, out, set(OFFICE_FORMATS)) for sample in SAMPLES}
    smallest = min(SAMPLES, key=lambda s: s.stat().st_size)
    built[smallest.stem].update(make_formats.make_formats(smallest, out, {"tcvn3.doc", "vni.doc", "mixed.doc"}))
    return built


@pytest.mark.parametrize("fmt", ["rtf", "odt"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_a_sample_as_rtf_or_odt_gives_the_figures_of_its_text(sample_office, sample, fmt):
    result = process_file(sample_office[sample.stem][fmt])
    assert result.ok and result.documents.iloc[0]["format"] == fmt
    assert figure_keys(result) == figure_keys(process_file(sample))


NUMBERED = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\. ")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_a_sample_as_doc_gives_the_figures_of_its_text_numbered_as_libreoffice_shows_the_doc(
        sample_office, sample, tmp_path):
    """The .doc keeps the heading lists and where the later parts restart them (samples/make_formats.py
    writes each restarted list as a list of its own, which LibreOffice's .doc export keeps): its figures
    are those of the text, sections too, and its generated numbers those LibreOffice shows for the .doc."""
    doc = sample_office[sample.stem]["doc"]
    result = process_file(doc)
    assert result.ok and result.documents.iloc[0]["format"] == "doc"
    assert figure_keys(result) == figure_keys(process_file(sample))
    shown = convert(doc, "txt:Text", tmp_path).with_suffix(".txt").read_text(encoding="utf-8-sig")
    shown_lines = {line.strip() for line in shown.splitlines()}
    numbered = [line for line in result.documents.iloc[0]["text"].splitlines() if NUMBERED.match(line)]
    assert numbered and all(line in shown_lines for line in numbered)


@pytest.mark.parametrize("fmt,encoding", [("tcvn3.doc", "tcvn3"), ("vni.doc", "vni"), ("mixed.doc", "mixed")])
def test_a_sample_typed_in_legacy_fonts_gives_the_figures_of_its_text(sample_office, fmt, encoding):
    sample = min(SAMPLES, key=lambda s: s.stat().st_size)
    result = process_file(sample_office[sample.stem][fmt])
    assert result.ok and result.documents.iloc[0]["encoding"] == encoding
    assert figure_keys(result) == figure_keys(process_file(sample))
