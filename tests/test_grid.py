"""Ruled tables from drawn lines (extract.grid), and the fast reader's tables against pdfplumber's."""
import pytest

from extract.grid import MAX_EDGES, edges_of, find_grids, merge_edges
from extract.readers.pdf import chars_pdfium, chars_pdfplumber

from conftest import ROOT, SEED


def h(y, x0, x1, width=1.0):
    """A horizontal rule drawn as a stroked line: its box includes the stroke."""
    return (x0, y - width / 2, x1, y + width / 2), False


def v(x, top, bottom, width=1.0):
    return (x - width / 2, top, x + width / 2, bottom), False


def ruled(xs, ys):
    return [h(y, xs[0], xs[-1]) for y in ys] + [v(x, ys[0], ys[-1]) for x in xs]


def test_a_full_grid_gives_its_rows_and_columns():
    tables = find_grids(ruled([100, 200, 300, 400], [50, 70, 90]))
    assert len(tables) == 1
    rows = tables[0]
    assert [[c[0] for c in row] for row in rows] == [[100, 200, 300]] * 2
    assert [row[0][1] for row in rows] == [50, 70]
    assert rows[1][2] == (300, 70, 400, 90)


def test_rules_a_little_apart_or_broken_are_snapped_and_joined():
    shapes = [h(50, 100, 250), h(51.5, 248, 400), h(70, 100, 400), h(90.8, 100, 400)]
    shapes += [v(100, 50, 90), v(201, 50, 70), v(199.5, 70, 90), v(400, 50, 90)]
    rows = find_grids(shapes)[0]
    assert len(rows) == 2 and all(len(row) == 2 for row in rows)


def test_a_merged_cell_leaves_the_columns_it_covers_empty():
    # the header row spans the last two columns: no rule between them above y=70
    shapes = [h(y, 100, 400) for y in (50, 70, 90)] + [v(100, 50, 90), v(200, 50, 90), v(400, 50, 90),
                                                       v(300, 70, 90)]
    rows = find_grids(shapes)[0]
    assert rows[0] == [(100, 50, 200, 70), (200, 50, 400, 70), None]
    assert [c[0] for c in rows[1]] == [100, 200, 300]


def test_filled_rectangles_as_cell_borders_make_the_same_grid():
    # Word draws borders as thin filled rectangles; a cell can also be one outlined rectangle
    thin = [((x - 0.25, 50, x + 0.25, 90), True) for x in (100, 200, 300)]
    thin += [((100, y - 0.25, 300, y + 0.25), True) for y in (50, 70, 90)]
    assert [[c[0] for c in row] for row in find_grids(thin)[0]] == [[100, 200]] * 2
    boxes = [((100, 50, 200, 70), True), ((200, 50, 300, 70), True), ((100, 70, 200, 90), True),
             ((200, 70, 300, 90), True)]
    assert len(find_grids(boxes)[0]) == 2


def test_lines_that_make_no_grid_are_not_a_table():
    footnote_rule = [h(700, 85, 200)]
    underlines = [h(100, 85, 300), h(200, 85, 300)]
    frame = [((85, 60, 510, 780), True)]            # a page border or a text box: one cell is no table
    curve = [((85, 60, 510, 780), False)]           # a drawn shape with curves gives no rules
    assert find_grids(footnote_rule) == []
    assert find_grids(underlines) == []
    assert find_grids(frame) == []
    assert find_grids(curve) == []


def test_a_drawing_of_many_lines_is_not_read_as_a_table():
    # a chart or a hatched area: hundreds of short strokes that cross, not a table (and not a long wait)
    strokes = [h(y, x, x + 10) for y in range(100, 500, 8) for x in range(100, 500, 20)]
    strokes += [v(x, y, y + 10) for x in range(104, 500, 8) for y in range(96, 500, 20)]
    assert len(merge_edges(edges_of(strokes))) > MAX_EDGES
    assert find_grids(strokes) == []


def test_two_grids_on_a_page_are_two_tables_top_first():
    shapes = ruled([100, 200, 300], [400, 420, 440]) + ruled([100, 250, 400], [50, 70, 90])
    tables = find_grids(shapes)
    assert len(tables) == 2
    assert tables[0][0][0][1] == 50 and tables[1][0][0][1] == 400


PDFS = sorted((ROOT / "samples").glob("*.pdf")) + ([SEED / "report.pdf"] if (SEED / "report.pdf").exists() else [])


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_fast_reader_finds_the_tables_pdfplumber_finds(path):
    _, fast = chars_pdfium(str(path))
    _, reference = chars_pdfplumber(str(path))
    assert fast, "every sample PDF has a ruled table"
    assert [(t["page"], len(t["rows"])) for t in fast] == [(t["page"], len(t["rows"])) for t in reference]
    for ours, theirs in zip(fast, reference):
        assert ours["bbox"] == pytest.approx(theirs["bbox"], abs=1.0)
        assert [[text for text, _ in row] for row in ours["rows"]] == [[text for text, _ in row] for row in theirs["rows"]]
        for row, their_row in zip(ours["rows"], theirs["rows"]):
            for (_, box), (_, their_box) in zip(row, their_row):
                assert (box is None) == (their_box is None)
                if box:
                    assert box == pytest.approx(their_box, abs=1.0)
