# Resistance role-play simulator: web API + static frontend in one slim image.
#   docker build -t resistance-sim .
#   docker run -p 8000:8000 -v sim-data:/data resistance-sim            # SQLite in the volume
#   docker run -p 8000:8000 -e SIM_DATABASE_URL=postgresql+psycopg://user:pass@db:5432/sim \
#              resistance-sim                                            # PostgreSQL
# See docs/DEPLOY.md for every setting (SIM_* environment variables).
# BASE_IMAGE is for machines that cannot reach Docker Hub (see .ci/container-check).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (cached layer), then the code. Editable install keeps the repository layout
# (personas/, frontend/, scoring/model/) next to the package, where sim.config looks for them.
COPY pyproject.toml README.md ./
COPY sim ./sim
COPY scoring ./scoring
RUN pip install -e .

COPY personas ./personas
COPY frontend ./frontend

# Non-root user; the SQLite database lives in the /data volume, owned by that user.
RUN groupadd --system --gid 10001 sim \
    && useradd --system --uid 10001 --gid sim --home-dir /app --shell /usr/sbin/nologin sim \
    && mkdir -p /data && chown sim:sim /data

ENV SIM_DATABASE_URL=sqlite:////data/sim.db \
    SIM_PERSONAS_DIR=/app/personas \
    SIM_LOG_JSON=true

USER sim
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

# `sim serve` applies the Alembic migrations, then runs uvicorn; SIM_WORKERS=N (or --workers N)
# runs N worker processes under uvicorn's supervisor, which restarts one that dies (its
# half-done turns are recovered: docs/DEPLOY.md). The app itself limits request bodies
# (SIM_MAX_BODY_BYTES); put a reverse proxy with TLS in front (compose.yaml has one).
# State lives in the database (and Redis, SIM_REDIS_URL), so any worker serves any turn.
ENV SIM_WORKERS=1
CMD ["sim", "serve", "--host", "0.0.0.0", "--port", "8000"]
