"""LTI 1.3 Advantage, tool side (issue 12 item 5), on pylti1p3next: OIDC login, launches into
assignments, deep linking, AGS score return, NRPS rosters, the tool's JWKS with key rotation,
and admin registration of platforms. See docs/PROGRAMS.md, "LTI 1.3"."""
