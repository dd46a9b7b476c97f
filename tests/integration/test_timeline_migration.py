"""Migration 0004: a timeline written before its text was allowlisted is rebuilt without the
card numbers and tokens it held."""

from __future__ import annotations

from uuid import UUID

from podium.bootstrap import Podium
from projections.store import migrate

OLD_TEXT = "Account.PaymentMethodSet: kind=card, token=sandbox_card_4242424242424242"


def test_migration_0004_rebuilds_a_timeline_that_held_card_numbers(podium: Podium) -> None:
    """A timeline row as the old projection wrote it is gone after the migration: the
    timeline is projected again from the log, to the same rows with safe text."""
    result = podium.accounts.sign_up("Acme", "owner@acme.example", "correct horse 1", False, None)
    account_id = UUID(str(result.body["account_id"]))
    podium.billing.set_payment_method(account_id, "card", {"number": "4242424242424242"})
    podium.projector.catch_up()
    rebuilt_by_now = podium.views.timeline.timeline(str(account_id))
    with podium.read_store.transaction() as cursor:  # the read model as it was before 0004
        cursor.execute("ALTER TABLE timeline DROP COLUMN owner_only")
        cursor.execute(
            "UPDATE timeline SET summary = %s WHERE kind = %s",
            (OLD_TEXT, "Account.PaymentMethodSet"),
        )
        cursor.execute(
            "DELETE FROM schema_migrations WHERE version = %s", ("0004_timeline_safe_text.sql",)
        )
    assert migrate(podium.read_store) == ["0004_timeline_safe_text.sql"]
    assert podium.views.timeline.timeline(str(account_id)) == []  # emptied, to be rebuilt
    podium.projector.catch_up()
    assert podium.views.timeline.timeline(str(account_id)) == rebuilt_by_now
    texts = [row["summary"] for row in rebuilt_by_now]
    assert any("card ending 4242" in text for text in texts)
    assert not any("4242424242424242" in text for text in texts)
