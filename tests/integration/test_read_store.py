"""The read stores behave alike where the databases differ."""

from __future__ import annotations

from podium.bootstrap import Podium


def test_text_with_nul_is_stored_and_matched_alike_on_both_stores(podium: Podium) -> None:
    """NUL, which PostgreSQL text refuses, becomes U+FFFD in writes and in lookups alike."""
    with podium.read_store.transaction() as cursor:
        cursor.execute("CREATE TABLE nul_probe (value TEXT)")
        cursor.execute("INSERT INTO nul_probe (value) VALUES (%s)", ("a\x00b",))
    found = podium.read_store.query("SELECT value FROM nul_probe WHERE value = %s", ("a\x00b",))
    assert found == [{"value": "a\ufffdb"}]
