# The bot's image: `docker build -t shop-bot .`, then `docker compose up` (compose.yaml).
# Slim, runs as an unprivileged user, every dependency pinned (requirements.lock), the data
# directory a volume. The entry point is bot.py: the default command is `run`; `check` (and
# `demo`) work the same way: `docker run --rm --env-file .env shop-bot check`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
ENV PIP_NO_CACHE_DIR=1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-compile -r requirements.lock

# Only what the bot runs: the switchboard, its settings and its packages (the stand-ins too,
# for `demo`); no tests, benchmarks or .env.
COPY bot.py settings.py ./
COPY application ./application
COPY conversations ./conversations
COPY handlers ./handlers
COPY jobs ./jobs
COPY ui ./ui
COPY shop ./shop
COPY oneentry_client ./oneentry_client
COPY locales ./locales
COPY sandbox ./sandbox

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home shopbot \
    && mkdir /data && chown shopbot:shopbot /data

# The settings that differ in a container; everything else comes from the environment
# (compose.yaml's env_file) as in the settings table of README.md.
ENV DATA_DIR=/data
ENV HEALTH_PORT=8080
ENV HEALTH_LISTEN=0.0.0.0
VOLUME ["/data"]
EXPOSE 8080

USER shopbot

# Alive: /healthz answers, on the health port by long polling, on the webhook's in webhook mode.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('WEBHOOK_PORT', '8443') if os.environ.get('WEBHOOK_URL') else os.environ['HEALTH_PORT']; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

# SIGTERM (docker stop) stops the bot gracefully: it finishes the updates in hand and saves.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "bot.py"]
CMD ["run"]
