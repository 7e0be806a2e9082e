"""The compose file and its nginx config hold together (no container engine runs in CI, so
this reads them): app x N on PostgreSQL with Redis, migrations once before the apps, a proxy
that streams and limits bodies."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_compose_wires_app_postgres_redis_and_a_proxy():
    doc = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = doc["services"]
    assert set(services) == {"db", "redis", "migrate", "app", "proxy"}
    app = services["app"]
    assert app["command"][:2] == ["sim", "serve"] and "--no-migrate" in app["command"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert app["environment"]["SIM_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert app["environment"]["SIM_REDIS_URL"] == "redis://redis:6379/0"
    assert "replicas" in app["deploy"] and "ports" not in app  # reached through the proxy only
    assert services["migrate"]["command"] == ["sim", "db", "upgrade"]
    mount = services["proxy"]["volumes"][0].split(":")[0]
    conf = (REPO / mount).read_text()
    assert "proxy_buffering off" in conf and "client_max_body_size" in conf
    assert "server app:8000" in conf
