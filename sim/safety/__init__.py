"""Safety review: turns the engine flagged (abuse toward the client, promises nobody can keep,
hints at risk left unanswered), listed for instructors across every session."""
