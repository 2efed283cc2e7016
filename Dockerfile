# placelab's image: the web app (gunicorn) and, with another command, the worker.
# Build: docker build -t placelab .      Run them together: compose.yaml (README, "Containers").

# --- The browser map's bundle, built with Node from the locked npm packages (as make install does).
FROM node:20-bookworm-slim AS map
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY placelab/web/frontend placelab/web/frontend
RUN npm run --silent build

# --- The app: Debian's Python image, with the system parts the Makefile installs.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PLACELAB_DATA_DIR=/app/var \
    PLACELAB_BIND=0.0.0.0:8000
# chromium prints the report's PDF; cairo draws the static maps' PNG; DejaVu fonts for both.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium libcairo2 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml /src/
COPY placelab /src/placelab
COPY --from=map /src/placelab/web/static/placelab/build /src/placelab/web/static/placelab/build
RUN pip install /src && rm -rf /src

# Static files collected once, into the image; WhiteNoise serves them from PLACELAB_DATA_DIR.
# The settings need a secret key to load: a throwaway one, never kept.
WORKDIR /app
RUN PLACELAB_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python -m placelab.web.manage collectstatic --no-input

RUN useradd --system --uid 10001 --home-dir /app placelab && chown -R placelab /app
USER placelab
EXPOSE 8000
# Workers, threads, timeouts and logs: placelab/web/gunicorn_conf.py, read from the package.
CMD ["gunicorn", "-c", "python:placelab.web.gunicorn_conf", "placelab.web.wsgi"]
