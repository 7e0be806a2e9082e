"""The administrator's wing: the user list with search, invitations and password-reset links
(one-time, hashed at rest, expiring), bulk invitations from CSV, and everyone's own password
change. Role changes and deactivation use PATCH /api/users/{id} (last-admin protection there)."""
