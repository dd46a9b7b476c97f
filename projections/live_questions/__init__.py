"""Each live session's question list: asked, answered, dismissed."""
