"""Batch runs over an archive: one dataset, resumable after kill -9, duplicates once, Dask equal to local."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from extract.cli import main
from extract.dataset import done_keys, read_table

from conftest import ROOT

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def make_archive(root: Path, copies: int) -> list[Path]:
    """Sample reports filed as an archive; each copy gets its own archive note, so its own sha256."""
    paths = []
    for sample in SAMPLES:
        text = sample.read_text(encoding="utf-8")
        for n in range(copies):
            path = root / sample.stem / f"{n:03d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + f"\n\nGhi chú lưu trữ: bản sao số {n}.\n", encoding="utf-8")
            paths.append(path)
    return paths


def snapshot(out: Path) -> dict[str, pd.DataFrame]:
    """The four tables, rows in a canonical order, for comparing two datasets."""
    tables = {}
    for name, keys in (("documents", ["doc_id"]), ("sections", ["doc_id", "section_id"]),
                       ("figures", ["doc_id", "figure_id"]), ("checks", ["doc_id", "check_id"])):
        frame = read_table(out, name)
        frame["source"] = frame["source"].map(lambda s: Path(s).name)
        if "also_at" in frame:
            frame["also_at"] = frame["also_at"].map(lambda a: sorted(Path(p).name for p in a) if a is not None else [])
        if "figure_ids" in frame:
            frame["figure_ids"] = frame["figure_ids"].map(list)
        tables[name] = frame.sort_values(keys).reset_index(drop=True)
    return tables


def assert_same_dataset(a: Path, b: Path) -> None:
    left, right = snapshot(a), snapshot(b)
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_dtype=False, obj=name)


def test_dataset_is_partitioned_and_readable_by_the_usual_tools(tmp_path):
    out = tmp_path / "ds"
    assert main(["run", *map(str, SAMPLES), "--out", str(out), "--workers", "2"]) == 0
    parts = list((out / "figures").glob("province=*/year=*/part-*.parquet"))
    assert len(parts) == len(SAMPLES)
    import duckdb
    import polars
    import pyarrow.dataset as ds
    by_duckdb = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/figures/**/*.parquet', "
                           f"hive_partitioning=true)").fetchall()[0][0]
    by_pyarrow = ds.dataset(out / "figures", format="parquet", partitioning="hive").count_rows()
    by_pandas = len(pd.read_parquet(out / "figures"))
    by_polars = polars.scan_parquet(f"{out}/figures/**/*.parquet", hive_partitioning=True).collect().height
    assert by_duckdb == by_pyarrow == by_pandas == by_polars == len(read_table(out, "figures")) > 500


def test_a_rerun_skips_what_is_done_and_a_duplicate_is_processed_once(tmp_path, capsys):
    archive = tmp_path / "archive"
    first, second = make_archive(archive, 1)[:2]
    twin = archive / "elsewhere" / "same-bytes.txt"
    twin.parent.mkdir()
    twin.write_bytes(first.read_bytes())
    out = tmp_path / "ds"
    assert main(["run", str(archive), "--out", str(out), "--workers", "2"]) == 0
    documents = read_table(out, "documents")
    assert len(documents) == len(SAMPLES)
    row = documents[documents["source"].isin([str(first), str(twin)])].iloc[0]
    assert sorted([row["source"], *row["also_at"]]) == sorted([str(first), str(twin)])
    capsys.readouterr()
    assert main(["run", str(archive), "--out", str(out)]) == 0
    assert "0 extracted" in capsys.readouterr().out and len(read_table(out, "documents")) == len(SAMPLES)


def test_metadata_csv_overrides_what_the_report_says(tmp_path):
    sample = SAMPLES[0]
    table = tmp_path / "meta.csv"
    table.write_text(f"path,province_name,report_year,unit_name\n{sample},Hà Nam,2031,Hòa Bình Mới\n", encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["run", str(sample), "--out", str(out), "--metadata", str(table)]) == 0
    documents = read_table(out, "documents")
    assert (documents.iloc[0]["province_name"], documents.iloc[0]["report_year"]) == ("Hà Nam", 2031)
    assert (documents.iloc[0]["province"], documents.iloc[0]["year"]) == ("ha-nam", 2031)


def run_command(archive: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extract", "run", str(archive), "--out", str(out), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_run_killed_with_sigkill_and_run_again_gives_the_same_dataset(tmp_path):
    archive = tmp_path / "archive"
    files = make_archive(archive, 6)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    assert run_command(archive, whole, "--workers", "2").wait(timeout=900) == 0
    process = run_command(archive, resumed, "--workers", "2")
    deadline = time.monotonic() + 600
    while len(done_keys(resumed)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    interrupted_at = len(done_keys(resumed))
    assert 0 < interrupted_at < len(files), "the run was not interrupted in the middle"
    assert run_command(archive, resumed, "--workers", "2").wait(timeout=900) == 0
    assert len(done_keys(resumed)) == len(files)
    assert_same_dataset(whole, resumed)


def test_the_dask_engine_on_a_local_cluster_writes_the_local_engine_dataset(tmp_path):
    pytest.importorskip("dask.distributed")
    archive = tmp_path / "archive"
    make_archive(archive, 2)
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(archive), "--out", str(local), "--workers", "2"]) == 0
    assert main(["run", str(archive), "--out", str(dask), "--engine", "dask", "--workers", "2"]) == 0
    assert_same_dataset(local, dask)


def stalled_file(folder: Path) -> Path:
    """A file whose reading never ends, whatever the machine's speed: a pipe nothing ever writes to (as a
    stale network mount behaves)."""
    path = folder / "a-stalled.txt"
    os.mkfifo(path)
    return path


def test_a_file_over_its_time_limit_is_recorded_and_its_worker_replaced(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    stalled = stalled_file(tmp_path)
    text = SAMPLES[0].read_text(encoding="utf-8")
    for n in range(3):
        (archive / f"normal-{n}.txt").write_text(text + f"\n\nBản số {n}.\n", encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["run", str(stalled), str(archive), "--out", str(out), "--workers", "1", "--timeout", "3"]) == 1
    documents = read_table(out, "documents")
    by_name = dict(zip(documents["source"].map(lambda s: Path(s).name), documents.to_dict("records")))
    assert by_name["a-stalled.txt"]["error"] == "took longer than 3 s (stopped)"
    assert by_name["a-stalled.txt"]["error_kind"] == "run"
    # the one worker was replaced: the files after the stalled one were still extracted
    assert all(by_name[f"normal-{n}.txt"]["status"] == "ok" for n in range(3))


def test_every_file_gets_the_time_limit_on_dask(tmp_path):
    """A Dask task cannot be stopped from outside: each file, plain text too, runs in a child with the limits."""
    pytest.importorskip("dask.distributed")
    stalled = stalled_file(tmp_path)
    out = tmp_path / "ds"
    assert main(["run", str(stalled), str(SAMPLES[0]), "--out", str(out), "--engine", "dask", "--workers", "1",
                 "--timeout", "5"]) == 1
    documents = read_table(out, "documents")
    by_name = dict(zip(documents["source"].map(lambda s: Path(s).name), documents.to_dict("records")))
    assert by_name["a-stalled.txt"]["error"] == "took longer than 5 s (stopped)"
    assert by_name[SAMPLES[0].name]["status"] == "ok"


def test_a_file_over_its_memory_cap_is_recorded_and_the_batch_goes_on(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    text = SAMPLES[0].read_text(encoding="utf-8")
    (archive / "huge.txt").write_text(text * 400, encoding="utf-8")        # about 7 MB of report
    (archive / "normal.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["run", str(archive), "--out", str(out), "--workers", "1", "--memory", "200"]) == 1
    documents = read_table(out, "documents").set_index(read_table(out, "documents")["source"].map(
        lambda s: Path(s).name))
    assert documents.loc["normal.txt", "status"] == "ok"
    assert documents.loc["huge.txt", "status"] == "error"
    assert "memory" in documents.loc["huge.txt", "error"] and documents.loc["huge.txt", "error_kind"] == "run"
    # run again with room: the file stopped by the cap is read, the dataset has no error left
    assert main(["run", str(archive), "--out", str(out), "--workers", "1", "--memory", "3072"]) == 0
    documents = read_table(out, "documents")
    assert len(documents) == 2 and set(documents["status"]) == {"ok"}


def test_every_format_runs_on_dask_with_the_users_limits(tmp_path):
    """On the engine's own cluster each file is processed in a child of the worker, with the limits."""
    pytest.importorskip("dask.distributed")
    archive = tmp_path / "archive"
    archive.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.pdf")) + SAMPLES:
        (archive / sample.name).write_bytes(sample.read_bytes())
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(archive), "--out", str(local), "--workers", "2"]) == 0
    assert main(["run", str(archive), "--out", str(dask), "--engine", "dask", "--workers", "2"]) == 0
    assert_same_dataset(local, dask)
    assert set(read_table(dask, "documents")["format"]) == {"pdf", "txt"}
    slow = tmp_path / "slow"
    assert main(["run", str(archive), "--out", str(slow), "--engine", "dask", "--workers", "1",
                 "--timeout", "0.01"]) == 1
    errors = read_table(slow, "documents")["error"]
    assert len(errors) == len(SAMPLES) * 2 and errors.str.contains("took longer than 0.01 s").all()


def test_a_cluster_of_daemonic_workers_reads_every_format_with_the_users_limits(tmp_path):
    """Workers that `dask worker` starts are daemonic, which multiprocessing forbids children: each file is
    processed in a child of the worker's fork server all the same, with the limits."""
    distributed = pytest.importorskip("dask.distributed")
    archive = tmp_path / "archive"
    archive.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.pdf"))[:2] + SAMPLES[:2]:
        (archive / sample.name).write_bytes(sample.read_bytes())
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", str(archive), "--out", str(local), "--workers", "1"]) == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert all(client.run(lambda: __import__("multiprocessing").current_process().daemon).values())
        assert main(["run", str(archive), "--out", str(dask), "--engine", "dask", "--scheduler",
                     cluster.scheduler_address]) == 0
        assert_same_dataset(local, dask)
        slow = tmp_path / "slow"
        assert main(["run", str(archive), "--out", str(slow), "--engine", "dask", "--scheduler",
                     cluster.scheduler_address, "--timeout", "0.01"]) == 1
    errors = read_table(slow, "documents")["error"]
    assert len(errors) == 4 and errors.str.contains("took longer than 0.01 s").all()


def test_files_stopped_by_the_runs_limits_are_read_again_by_the_next_run(tmp_path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    long = archive / "long.txt"
    long.write_text(SAMPLES[0].read_text(encoding="utf-8") * 40, encoding="utf-8")    # seconds of work
    (archive / "empty.txt").write_bytes(b"")
    out = tmp_path / "ds"
    assert main(["run", str(archive), "--out", str(out), "--workers", "1", "--timeout", "0.5"]) == 1
    documents = read_table(out, "documents").set_index("source")
    assert documents.loc[str(long), "error_kind"] == "run"
    assert documents.loc[str(archive / "empty.txt"), "error_kind"] == "file"
    capsys.readouterr()
    # rerun with room: the timed-out file is read again, the empty one is not, and both runs say so
    assert main(["run", str(archive), "--out", str(out), "--workers", "1"]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    documents = read_table(out, "documents").set_index("source")
    assert len(documents) == 2 and documents.loc[str(long), "status"] == "ok"
    assert len(read_table(out, "figures")) > 1000
    assert "1 file in error in the dataset (0 for this run's time, memory or tools" in printed
    (archive / "empty.txt").write_bytes(b"")            # the same bytes: still the same document
    assert main(["run", str(archive), "--out", str(out), "--retry-failed"]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "0 extracted, 1 failed" in printed and "1 already in the dataset" in printed
    assert len(read_table(out, "documents")) == 2


@pytest.mark.parametrize("args,message", [
    (["--workers", "0"], "argument --workers: must be more than 0, not 0"),
    (["--workers", "-2"], "argument --workers: must be more than 0, not -2"),
    (["--timeout", "-1"], "argument --timeout: must be more than 0, not -1"),
    (["--memory", "abc"], "argument --memory: 'abc' is not a number"),
])
def test_limits_that_cannot_be_are_refused_in_one_line(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(SAMPLES[0]), "--out", str(tmp_path / "ds"), *args])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    pytest.importorskip("dask.distributed")
    code = main(["run", str(SAMPLES[0]), "--out", str(tmp_path / "ds"), "--engine", "dask",
                 "--scheduler", "tcp://127.0.0.1:9"])
    printed = capsys.readouterr().out
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in printed
    assert "Traceback" not in printed


def test_whole_number_columns_stay_whole_numbers_where_they_have_gaps(tmp_path):
    pdf = sorted((ROOT / "samples").glob("*.pdf"))[0]
    out = tmp_path / "ds"
    assert main(["run", str(pdf), str(SAMPLES[0]), "--out", str(out)]) == 0
    for read in (lambda table: read_table(out, table), lambda table: pd.read_parquet(out / table)):
        figures, sections = read("figures"), read("sections")
        assert figures["page"].isna().any() and figures["row"].isna().any()     # text figures; not cells
        for column in ("page", "row", "col", "line"):
            assert str(figures[column].dtype) == "Int32", column
        assert str(sections["level"].dtype) == "Int32" and str(read("documents")["pages"].dtype) == "Int32"
        assert figures.groupby("page").size().index.tolist() == sorted(set(figures["page"].dropna()))


@pytest.mark.parametrize("table,message", [
    ("path,report_year\n{sample},abc\n", "row 2, column report_year: 'abc' is not a whole number"),
    ("path,report_year\n{sample},2024.5\n", "row 2, column report_year: '2024.5' is not a whole number"),
    ("path,provnce_name\n{sample},Hà Nam\n", "unknown column 'provnce_name'"),
    ("path,report_date\n{sample},31/12/2024\n", "row 2, column report_date: '31/12/2024' is not a date"),
    ("unit_name\nHòa Bình\n", "needs a doc_id or a path column"),
])
def test_a_metadata_table_with_a_wrong_value_is_refused_before_anything_is_read(tmp_path, capsys, table, message):
    csv = tmp_path / "meta.csv"
    csv.write_text(table.format(sample=SAMPLES[0]), encoding="utf-8")
    out = tmp_path / "ds"
    assert main(["run", str(SAMPLES[0]), "--out", str(out), "--metadata", str(csv)]) == 2
    printed = " ".join(capsys.readouterr().out.split())
    assert message in printed and "Traceback" not in printed
    assert not out.exists()


def test_metadata_is_applied_to_documents_already_in_the_dataset_without_reading_them_again(tmp_path, capsys):
    out = tmp_path / "ds"
    assert main(["run", *map(str, SAMPLES), "--out", str(out)]) == 0
    figures_before = len(read_table(out, "figures"))
    first, second = SAMPLES[0], SAMPLES[1]
    doc_id = read_table(out, "documents").set_index("source").loc[str(second), "doc_id"]
    csv = tmp_path / "meta.csv"
    csv.write_text(f"path,doc_id,province_name,report_year\n{first},,Hà Nam,2024.0\n,{doc_id},,2019\n"
                   f"{tmp_path / 'nowhere.txt'},,Hà Nam,2024\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["run", *map(str, SAMPLES), "--out", str(out), "--metadata", str(csv)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "0 extracted" in printed and f"{tmp_path / 'nowhere.txt'} matches no document in the dataset" in printed
    documents = read_table(out, "documents").set_index("source")
    assert (documents.loc[str(first), "province_name"], documents.loc[str(first), "report_year"]) == ("Hà Nam", 2024)
    assert (documents.loc[str(first), "province"], documents.loc[str(first), "year"]) == ("ha-nam", 2024)
    assert documents.loc[str(second), "report_year"] == 2019 and documents.loc[str(second), "year"] == 2019
    figures = read_table(out, "figures")
    assert len(figures) == figures_before and len(done_keys(out)) == len(SAMPLES)
    moved = figures[figures["source"] == str(first)]
    assert set(zip(moved["province"], moved["year"])) == {("ha-nam", 2024)}


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_scheduler_and_workers_started_apart_give_the_local_engine_dataset(tmp_path):
    """As a user runs a cluster: `dask scheduler` and `dask worker` as processes of their own, PDFs and texts."""
    distributed = pytest.importorskip("dask.distributed")
    archive = tmp_path / "archive"
    archive.mkdir()
    for sample in sorted((ROOT / "samples").glob("*.pdf")) + SAMPLES:
        (archive / sample.name).write_bytes(sample.read_bytes())
    address = f"tcp://127.0.0.1:{free_port()}"
    dask = Path(sys.executable).parent / "dask"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    scheduler = subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                  "--no-dashboard"], **quiet)
    workers = subprocess.Popen([str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                "--no-dashboard"], **quiet)
    try:
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        local, cluster = tmp_path / "local", tmp_path / "cluster"
        assert main(["run", str(archive), "--out", str(local), "--workers", "2"]) == 0
        assert main(["run", str(archive), "--out", str(cluster), "--engine", "dask", "--scheduler", address]) == 0
        assert_same_dataset(local, cluster)
        assert set(read_table(cluster, "documents")["format"]) == {"pdf", "txt"}
    finally:
        for process in (workers, scheduler):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_a_runs_summary_counts_and_lists_the_runs_own_documents(tmp_path, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    first, second = SAMPLES[0], SAMPLES[1]
    (archive / first.name).write_bytes(first.read_bytes())
    out = tmp_path / "ds"
    assert main(["run", str(archive), "--out", str(out), "--workers", "1"]) == 0
    capsys.readouterr()
    (archive / second.name).write_bytes(second.read_bytes())
    assert main(["run", str(archive), "--out", str(out), "--workers", "1"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    figures = read_table(out, "figures")
    documents = read_table(out, "documents").set_index("source")
    new = documents.loc[str(archive / second.name), "doc_id"]
    assert "1 extracted" in printed and "1 already in the dataset" in printed
    assert f"; {(figures['doc_id'] == new).sum()} figures;" in printed and len(figures) > (figures["doc_id"] == new).sum()
    listed = printed.split(" files: ")[0]          # the table of the run's files (names may fold in it)
    assert second.stem[:15] in listed and first.stem[:15] not in listed
