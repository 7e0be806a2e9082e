"""The persona studio: personas as versioned documents in the database (drafts, published
versions, history), their validation by the one strict loader, test-drives and the battery."""
