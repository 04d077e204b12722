# syntax=docker/dockerfile:1
# One image for every app process: web (gunicorn, the default CMD), the
# one-shot migrate job, the Celery worker and Celery beat (see docker-compose.yml).

# Front-end assets (GOV.UK Frontend, MOJ Frontend) are compiled from npm in a
# build stage; the runtime image carries only the compiled files, no Node.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY bin/build-assets.mjs bin/
COPY config/assets config/assets
RUN ASSETS_DIR=/build/assets node bin/build-assets.mjs

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/var/lib/complaints

# Unprivileged account the processes run as; it owns VAR_DIR and its home
# (gunicorn keeps its control socket in ~/.gunicorn), never the code.
RUN groupadd --system --gid 10001 complaints \
 && useradd --system --uid 10001 --gid complaints --create-home --home-dir /home/complaints \
        --shell /usr/sbin/nologin complaints

# Pango and HarfBuzz are what WeasyPrint needs to render the printable (PDF) reports.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so that code changes do not re-run the install.
# Every package is pinned by hash; pip refuses anything else.
COPY requirements.lock ./
RUN pip install --require-hashes --no-cache-dir -r requirements.lock

COPY . .
COPY --from=assets /build/assets /app/var/assets

# Static files are collected into the image (served by WhiteNoise). The
# production settings insist on SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, so
# this step alone gets throwaway values; they are not kept in the image.
# STATIC_ROOT is $VAR_DIR/staticfiles, so VAR_DIR must be the same at run time.
RUN mkdir -p "$VAR_DIR" \
 && SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db REDIS_URL=redis://build:6379/0 \
        python manage.py collectstatic --noinput \
 && rm -f /tmp/build.db \
 && chown -R complaints:complaints "$VAR_DIR"

USER complaints:complaints

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
