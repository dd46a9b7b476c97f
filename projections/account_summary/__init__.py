"""The account summary: plan, limits, add-ons, subaccounts and logins of every account."""
