"""The instructors' and admins' workspace: the persona studio (personas/) and review."""
