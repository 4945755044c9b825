# Pressroom API image.
#
# Stage 1 installs the pinned dependencies from requirements.lock (hash-checked) and then the
# project itself without resolving anything further, into a virtualenv at /opt/venv.
# Stage 2 copies only that virtualenv onto a clean base and runs it as an unprivileged user.

FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src

# Dependencies first, so this layer is reused until the lock file changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The project: every dependency is already there, so nothing else is fetched or resolved.
COPY . .
RUN pip install --no-deps --no-build-isolation .


FROM python:3.11-slim

RUN groupadd --gid 10001 pressroom \
    && useradd --uid 10001 --gid pressroom --no-log-init --create-home --home-dir /app \
       --shell /usr/sbin/nologin pressroom

# Media files (PRESSROOM_MEDIA_URL=file:///app/media): a volume mounted here keeps this owner.
RUN install -d -o pressroom -g pressroom /app/media

COPY --from=build /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PRESSROOM_HOST=0.0.0.0 \
    PRESSROOM_PORT=8000 \
    PRESSROOM_PRODUCTION=true

WORKDIR /app
USER 10001:10001

EXPOSE 8000

# Liveness only (/healthz); /readyz is the one that also checks the database. The opener
# skips any HTTP(S)_PROXY set in the environment so the probe always hits this container.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as r; r.build_opener(r.ProxyHandler({})).open('http://127.0.0.1:%s/healthz' % os.environ.get('PRESSROOM_PORT', '8000'), timeout=4)" || exit 1

# Migrate, then replace the shell with the server so it receives SIGTERM directly.
CMD ["sh", "-c", "pressroom migrate && exec pressroom serve"]
