"""GraphML and CSV node and edge lists of the link graph."""

import csv
import io

import networkx as nx

from jumelage import exports_graph
from jumelage.analytics.definition import make_definition
from tests.stats.builders import link, place, snap

DATA = snap(
    [
        place(1, "DE", name="Köln", qid="Q365", lat=50.9, lon=6.9, population=1084795),
        place(2, "GB", name="Liverpool & <Bootle>"),
        place(3, "FR", name="Lille"),
    ],
    [link(1, 1, 2, start_date="1952"), link(2, 1, 3), link(3, 1, 3, level="contact")],
)


def written(format, definition=None):
    out = io.StringIO()
    exports_graph.write(format, DATA, definition or make_definition(), out)
    return out.getvalue()


def test_graphml_opens_in_networkx_with_the_nodes_edges_and_attributes(tmp_path):
    path = tmp_path / "links.graphml"
    path.write_text(written("graphml"), encoding="utf-8")
    g = nx.read_graphml(path)
    assert (g.number_of_nodes(), g.number_of_edges()) == (3, 2)
    assert g.nodes["n1"]["label"] == "Köln"
    assert g.nodes["n1"]["population"] == 1084795
    assert g.nodes["n2"]["label"] == "Liverpool & <Bootle>"
    assert g.edges["n1", "n3"]["weight"] == 2
    assert g.edges["n1", "n3"]["levels"] == "contact;partnership"
    assert g.edges["n1", "n2"]["start_date"] == "1952"


def test_the_node_list_has_gephi_s_columns_and_the_degree():
    rows = list(csv.DictReader(io.StringIO(written("nodes-csv"))))
    assert list(rows[0])[:2] == ["Id", "Label"]
    assert {r["Label"]: int(r["degree"]) for r in rows} == {
        "Köln": 2,
        "Liverpool & <Bootle>": 1,
        "Lille": 1,
    }


def test_the_edge_list_has_one_undirected_row_per_linked_pair():
    rows = list(csv.DictReader(io.StringIO(written("edges-csv"))))
    assert [(r["Source"], r["Target"], r["Type"], r["Weight"]) for r in rows] == [
        ("1", "2", "Undirected", "1"),
        ("1", "3", "Undirected", "2"),
    ]


def test_the_export_follows_the_definition():
    rows = list(
        csv.DictReader(io.StringIO(written("edges-csv", make_definition(levels=["contact"]))))
    )
    assert [(r["Source"], r["Target"], r["link_ids"]) for r in rows] == [("1", "3", "3")]


FORMULAS = snap(
    [
        place(1, "DE", name='=HYPERLINK("http://x.example","Köln")', lat=50.9, lon=-6.9),
        place(2, "GB", name="+Liverpool"),
        place(3, "FR", name="-Lille"),
        place(4, "FR", name="@Paris"),
        place(5, "FR", name="\tTab"),
    ],
    [link(n, 1, n + 1) for n in range(1, 5)],
)


def test_the_node_list_quotes_every_cell_a_spreadsheet_would_read_as_a_formula():
    out = io.StringIO()
    exports_graph.write("nodes-csv", FORMULAS, make_definition(), out)
    labels = {r["Label"] for r in csv.DictReader(io.StringIO(out.getvalue(), newline=""))}
    assert labels == {
        '\'=HYPERLINK("http://x.example","Köln")',
        "'+Liverpool",
        "'-Lille",
        "'@Paris",
        "'\tTab",
    }


def test_a_negative_number_stays_a_number_in_the_csv():
    from jumelage.exports import safe_cell

    assert safe_cell(-6.9) == -6.9
    assert safe_cell("-6.9") == "'-6.9"
    assert safe_cell("\rReturn") == "'\rReturn"
    assert safe_cell(None) == ""


def test_the_links_csv_quotes_a_name_written_as_a_formula_and_keeps_coordinates():
    from jumelage import exports

    side = {"id": 7, "qid": None, "country": "DE", "lat": 50.9, "lon": -6.9}
    row = {
        **{f"a_{k}": v for k, v in side.items()},
        **{f"b_{k}": v for k, v in side.items()},
        "a_name": "=1+1",
        "b_name": "@SUM(A1)",
        "level": "partnership",
        "start_date": "1952",
        "end_date": None,
        "id": 1,
        "sources": "wikidata",
    }
    out = io.StringIO()
    exports.write_csv([row], out)
    written_row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (written_row["a_name"], written_row["b_name"]) == ("'=1+1", "'@SUM(A1)")
    assert written_row["a_lon"] == "-6.9"
