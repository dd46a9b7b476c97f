"""The transaction history: every ledger entry with its details and the balance after it."""
