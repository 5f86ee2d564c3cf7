"""`ward-extract audit`: the checks that fail, worst first, with the text around them; exit codes for scripts."""
from extract.cli import main

CLEAN = "Vận động hiến máu được 58/50 đơn vị máu (đạt 116% chỉ tiêu giao).\n"
FLAWED = ("Học lực khá: 192/448 đạt 44%; học lực yếu: 7/448 đạt 0.1%.\n\n"
          "Kết quả 15 hộ (đạt 0.53%) hộ cận nghèo.\n")


def run(tmp_path, capsys, text, *flags):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    code = main(["audit", str(path), *flags])
    return code, capsys.readouterr().out


def test_lists_problems_worst_first_with_context(tmp_path, capsys):
    code, out = run(tmp_path, capsys, FLAWED)
    assert code == 0
    lines = out.splitlines()
    assert "2 inconsistent" in lines[0]
    assert lines[1].split()[0] == "impossible" and "line 1" in lines[1]
    assert "7/448 đạt 0.1%" in lines[2]
    assert lines[3].split()[0] == "mismatch"
    assert "unverifiable" in out and "ok " not in out


def test_all_lists_every_check(tmp_path, capsys):
    code, out = run(tmp_path, capsys, CLEAN, "--all")
    assert code == 0 and "ok" in out and "58/50 = 116.00%" in out


def test_fail_on_mismatch(tmp_path, capsys):
    assert run(tmp_path, capsys, FLAWED, "--fail-on", "mismatch")[0] == 1
    assert run(tmp_path, capsys, CLEAN, "--fail-on", "mismatch")[0] == 0


def test_fail_on_any_counts_unverifiable_checks(tmp_path, capsys):
    only_unverifiable = "Cấp được 9.000 CCCD (đạt 100% các trường hợp đủ điều kiện).\n"
    assert run(tmp_path, capsys, only_unverifiable, "--fail-on", "mismatch")[0] == 0
    assert run(tmp_path, capsys, only_unverifiable, "--fail-on", "any")[0] == 1
