"""One state per call: two documents processed at once in threads (as Dask's threaded workers do) give
exactly what each gives alone."""
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from extract import process_file

from conftest import ROOT


def tables(result) -> dict[str, pd.DataFrame]:
    return {name: frame.reset_index(drop=True) for name, frame in result.tables().items()}


def test_two_documents_in_threads_give_what_they_give_in_sequence():
    # a PDF (layout cleaning, with its page margins) and a text report (plain cleaning), both with checks
    files = [ROOT / "samples" / "phuong-tan-an-2025.pdf", ROOT / "samples" / "thi-tran-dong-son-2023.txt",
             ROOT / "samples" / "xa-an-phu-6thang-2025.pdf", ROOT / "samples" / "phuong-hoa-binh-2024.txt"]
    alone = [tables(process_file(f)) for f in files]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(6):      # a race shows in some rounds, not in every one
            together = list(pool.map(lambda f: tables(process_file(f)), files))
            for one, other in zip(alone, together):
                for name in one:
                    pd.testing.assert_frame_equal(one[name], other[name], obj=name)
