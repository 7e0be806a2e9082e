"""Security headers, error shape, no tracebacks, OpenAPI declares errors, static frontend."""

from __future__ import annotations

import pytest

from sim.security.headers import CSP


def test_security_headers_on_every_kind_of_response(api):
    for r in (api.anonymous.get("/healthz"), api.anonymous.get("/api/sessions"),
              api.owner.get("/api/personas"), api.anonymous.get("/nope")):
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP


def test_unexpected_errors_have_no_traceback(api, monkeypatch):
    from sim.routes import personas

    def boom(*_a, **_k):
        raise RuntimeError("secret-db-password-in-message")

    monkeypatch.setattr(personas, "card", boom)
    r = api.owner.get("/api/personas")
    assert r.status_code == 500
    assert r.json() == {"error": {"code": "internal", "field": None,
                                  "message": "Internal error; it has been logged."}}
    assert "secret" not in r.text and "Traceback" not in r.text


def test_api_answers_json_not_html(api):
    for r in (api.owner.get("/api/sessions/123456"), api.owner.get("/api/nope"),
              api.owner.request("DELETE", "/api/personas")):
        assert r.headers["content-type"].startswith("application/json"), r.headers
        assert set(r.json()["error"]) == {"code", "message", "field"}


# answered without signing in: health, one-time activation and account links (the link is the
# credential), certificate verification
PUBLIC = {"/healthz", "/api/programs/activate", "/api/verify/{certificate_code}",
          "/api/account/links/check", "/api/account/links/redeem"}


def test_openapi_declares_error_responses(api):
    spec = api.anonymous.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        if path.startswith("/lti/"):  # the LMS's endpoints answer with pages (test_lti.py)
            continue
        for method, op in ops.items():
            codes = set(op["responses"])
            if path not in PUBLIC:
                assert "401" in codes, f"{method} {path} does not declare 401"
            errors = codes - {"200", "201", "204"}
            assert errors, f"{method} {path} declares no error response"
            for code in errors:
                schema = op["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, code)
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_healthz(api, tools):
    shared = "redis" if tools.shared_for(api.engine) else "database"
    assert api.anonymous.get("/healthz").json() == {
        "status": "ok", "database": "ok", "voice": "scripted", "scorer": "keyword-test",
        "shared": shared}


@pytest.mark.parametrize("path", ["/", "/static/index.html"])
def test_frontend_is_served_with_csp(api, path):
    r = api.anonymous.get(path)
    assert r.status_code in (200, 404)
    assert r.headers["content-security-policy"] == CSP
    if r.status_code == 200:
        assert r.headers["content-type"].startswith("text/html")
