"""Recording control's read model: each session's recordings, and the allowance used."""
