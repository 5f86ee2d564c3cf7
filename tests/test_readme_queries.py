"""The queries the README shows a researcher are run on a dataset of the sample reports."""
import regex

from extract.cli import main

from conftest import ROOT


def readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Queries", 1)[1].split("\n## ", 1)[0]
    return regex.findall(r"```python\n(.*?)```", section, regex.S)


def test_the_readme_queries_run_and_answer(tmp_path):
    out = tmp_path / "dataset"
    assert main(["run", str(ROOT / "samples"), "--out", str(out)]) == 0
    queries = readme_queries()
    assert len(queries) == 3
    answers = []
    for code in queries:
        scope = {"DATASET": str(out)}
        exec(code, scope)
        frame = list(scope.values())[-1]          # the answer is what the query defines last
        assert len(frame) > 0, code
        answers.append(frame)
    revenue, poor, failing = answers
    assert revenue["billion_dong"].gt(0).all() and revenue["unit_name"].notna().all()
    assert poor["poor_households"].gt(0).all()
    assert failing["checks"].sum() > 50 and 0 < failing["share_failing"].max() < 1
