"""Request sizing and escaping for Bolt servers (pure functions; sizes known by hand from PackStream)."""

import pandas as pd
import pytest

from graph.store._bolt import batches, escape_text, literal_size, packed_size, split_long, text_chunks
from graph.store.mirror import plan_mirror
from tests.conftest import frame_of, make_partner


def test_packstream_sizes_of_strings_and_maps():
    assert packed_size("") == 1
    assert packed_size("a" * 15) == 16  # tiny string: marker and length in one byte
    assert packed_size("a" * 16) == 18  # STRING_8: marker + 1 length byte
    assert packed_size("a" * 256) == 259  # STRING_16
    assert packed_size("ä") == 3  # two UTF-8 bytes
    assert packed_size({"a": "b"}) == 1 + 2 + 2
    assert packed_size(["x", None, True]) == 1 + 2 + 1 + 1


def test_escaping_for_servers_that_splice_parameters():
    assert escape_text("O'Brien \\ Co") == "O\\'Brien \\\\ Co"
    assert escape_text({"k": ["a'", 3]}) == {"k": ["a\\'", 3]}
    assert literal_size("a'b") == 3 + 1 + 2  # escaped text plus the two quotes
    assert literal_size({"id": "x"}) > packed_size({"id": "x"})


def test_batches_respect_rows_bytes_and_order():
    items = [{"p": f"p-{i:06d}", "t": "ä" * (i % 7)} for i in range(100)]
    groups = list(batches(items, max_rows=20, max_bytes=300))
    assert [x for g in groups for x in g] == items
    assert all(len(g) <= 20 and sum(packed_size(x) + 4 for x in g) <= 300 for g in groups)
    assert len(groups) > 5  # the byte limit, not the row limit, decides here
    assert [len(g) for g in batches(items, 30, None)] == [30, 30, 30, 10]
    with pytest.raises(ValueError):
        list(batches([{"t": "x" * 500}], 20, 300))


@pytest.mark.parametrize("as_text", [False, True])
def test_long_texts_are_split_into_fitting_pieces(as_text):
    text = "€'\\ä" * 500
    chunks = text_chunks(text, 100, as_text)
    assert "".join(chunks) == text
    cost = (lambda c: literal_size(c) - 2) if as_text else (lambda c: len(c.encode("utf-8")))
    assert all(cost(c) <= 100 for c in chunks)
    props = {"id": "p-000001", "name": "kurz", "notizen": text}
    base, rest = split_long(props, 600, as_text)
    assert base["id"] == "p-000001" and base["name"] == "kurz" and base["notizen"] == ""
    assert "".join(c for k, c in rest if k == "notizen") == text and {k for k, _ in rest} == {"notizen"}
    assert split_long({"id": "x"}, 600, as_text) == ({"id": "x"}, [])


def test_mirror_plan_by_hand():
    target = frame_of(make_partner(id="p-000001", version="3"), make_partner(id="p-000002"),
                      make_partner(id="p-000003", aktiv="nein"))
    source = frame_of(make_partner(id="p-000001", version="2", name="Alt"), make_partner(id="p-000002", name="Neu"),
                      make_partner(id="p-000004"))
    none = pd.DataFrame()
    plan = plan_mirror(source, target, none, none, "abgleich", "2026-11-26T10:00:00")
    assert [r["id"] for r in plan.added] == ["p-000004"]
    assert [(r["id"], v) for r, v in plan.updated] == [("p-000001", "3"), ("p-000002", "1")]
    assert plan.conflicts == ["p-000001"]  # the target's version 3 is newer than the source's 2
    assert plan.deactivated == []  # p-000003 is missing in the source but already inactive
    plan = plan_mirror(source.iloc[:1], target.iloc[:2], none, none, "abgleich", "T")
    (row, old), = plan.deactivated
    assert (row["id"], row["aktiv"], row["version"], old, row["geaendert_von"]) == ("p-000002", "nein", "2", "1", "abgleich")
