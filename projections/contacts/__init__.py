"""The address book: contacts and contact groups."""
