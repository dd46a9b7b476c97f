"""Each live session's raised hands, in queue order."""
