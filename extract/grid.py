"""Ruled tables from the lines a page draws: rules -> grid -> cells -> rows.

The fast PDF reader's table finder. It follows the "lines" strategy of pdfplumber's table finder (the
reference): drawn rules are snapped and joined into edges, edges that cross give the grid's points, a
cell is the smallest rectangle whose four corners are points joined by edges, and cells that share
corners make one table. Takes boxes in page coordinates (x0, top, x1, bottom, top-down) and gives, per
table, its rows of cell boxes (None where a merged cell spans the column), left to right.
"""
from dataclasses import dataclass

THIN = 3.0          # a drawn shape this thin is a rule
SNAP = 3.0          # rules this close across their length are one rule
JOIN = 3.0          # collinear rules with a gap this small are one rule
CROSS = 3.0         # a rule this close to another's span still meets it
MIN_LENGTH = 3.0
MAX_EDGES = 600     # more rules than this on a page is a drawing (a chart, a map, hatching), not a table

Box = tuple[float, float, float, float]


@dataclass
class Edge:
    vertical: bool
    at: float           # x of a vertical rule, y of a horizontal one
    start: float        # where it starts and ends along its length
    end: float


def edges_of(shapes: list[tuple[Box, bool]]) -> list[Edge]:
    """Drawn shapes (box, is_rectangle) to edges: a thin shape is one rule, a rectangle gives its four
    sides, anything else (curves, marks) none."""
    edges = []
    for (x0, top, x1, bottom), rectangle in shapes:
        width, height = x1 - x0, bottom - top
        if height <= THIN and width > THIN:
            edges.append(Edge(False, (top + bottom) / 2, x0, x1))
        elif width <= THIN and height > THIN:
            edges.append(Edge(True, (x0 + x1) / 2, top, bottom))
        elif rectangle and width > THIN and height > THIN:
            edges += [Edge(False, top, x0, x1), Edge(False, bottom, x0, x1),
                      Edge(True, x0, top, bottom), Edge(True, x1, top, bottom)]
    return edges


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snap rules that lie within SNAP of each other to their mean position, then join collinear ones."""
    merged = []
    for vertical in (False, True):
        group = sorted((e for e in edges if e.vertical == vertical), key=lambda e: e.at)
        clusters: list[list[Edge]] = []
        for edge in group:
            if clusters and edge.at - clusters[-1][-1].at <= SNAP:
                clusters[-1].append(edge)
            else:
                clusters.append([edge])
        for cluster in clusters:
            at = sum(e.at for e in cluster) / len(cluster)
            joined: list[Edge] = []
            for edge in sorted(cluster, key=lambda e: e.start):
                if joined and edge.start <= joined[-1].end + JOIN:
                    joined[-1].end = max(joined[-1].end, edge.end)
                else:
                    joined.append(Edge(vertical, at, edge.start, edge.end))
            merged += [e for e in joined if e.end - e.start >= MIN_LENGTH]
    return merged


def intersections(edges: list[Edge]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """Points where a vertical and a horizontal edge meet: (x, y) -> (vertical edge ids, horizontal ids)."""
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    verticals = [(i, e) for i, e in enumerate(edges) if e.vertical]
    for h_id, h in ((i, e) for i, e in enumerate(edges) if not e.vertical):
        for v_id, v in verticals:
            if h.start - CROSS <= v.at <= h.end + CROSS and v.start - CROSS <= h.at <= v.end + CROSS:
                v_ids, h_ids = points.setdefault((v.at, h.at), (set(), set()))
                v_ids.add(v_id)
                h_ids.add(h_id)
    return points


def cells_of(points: dict[tuple[float, float], tuple[set[int], set[int]]]) -> list[Box]:
    """The smallest rectangles whose four corners are points joined by edges along all four sides."""
    def joined(a, b) -> bool:
        if a[0] == b[0]:
            return bool(points[a][0] & points[b][0])
        return bool(points[a][1] & points[b][1])

    ordered = sorted(points, key=lambda p: (p[1], p[0]))
    cells = []
    for i, corner in enumerate(ordered):
        rest = ordered[i + 1:]
        below = [p for p in rest if p[0] == corner[0]]
        right = [p for p in rest if p[1] == corner[1]]
        found = None
        for down in below:
            if not joined(corner, down):
                continue
            for across in right:
                if not joined(corner, across):
                    continue
                far = (across[0], down[1])
                if far in points and joined(far, across) and joined(far, down):
                    found = (corner[0], corner[1], far[0], far[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def tables_of(cells: list[Box]) -> list[list[Box]]:
    """Cells that share corners, grouped into tables, top to bottom."""
    corners = [{(x0, top), (x1, top), (x0, bottom), (x1, bottom)} for x0, top, x1, bottom in cells]
    tables: list[tuple[set, list[Box]]] = []
    for cell, its_corners in zip(cells, corners):
        touching = [t for t in tables if t[0] & its_corners]
        if not touching:
            tables.append((set(its_corners), [cell]))
            continue
        first = touching[0]
        first[0].update(its_corners)
        first[1].append(cell)
        for other in touching[1:]:
            first[0].update(other[0])
            first[1].extend(other[1])
            tables.remove(other)
    found = [sorted(t[1], key=lambda c: (c[1], c[0])) for t in tables if len(t[1]) > 1]
    return sorted(found, key=lambda t: (min(c[1] for c in t), min(c[0] for c in t)))


def rows_of(table: list[Box]) -> list[list[Box | None]]:
    """A table's cells as rows over its columns, None where a merged cell covers the column."""
    columns = sorted({c[0] for c in table})
    rows: dict[float, dict[float, Box]] = {}
    for cell in table:
        rows.setdefault(cell[1], {})[cell[0]] = cell
    return [[row.get(x) for x in columns] for _, row in sorted(rows.items())]


def find_grids(shapes: list[tuple[Box, bool]]) -> list[list[list[Box | None]]]:
    """Drawn shapes of one page to its ruled tables, each as rows of cell boxes."""
    edges = merge_edges(edges_of(shapes))
    if sum(e.vertical for e in edges) < 2 or sum(not e.vertical for e in edges) < 2 or len(edges) > MAX_EDGES:
        return []
    return [rows_of(table) for table in tables_of(cells_of(intersections(edges)))]
