"""CE programs: programs and cohorts, assignments and attempts, append-only completion
records, evaluations and certificates, the audit log, privacy, and LTI 1.3 (tool side).

A wing beside the trainee code: it creates practice sessions through the engine (the runtime's
runner) and reads the session records; it never calls the trainee routes. See docs/PROGRAMS.md.
"""
