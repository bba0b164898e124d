# Front-end libraries (Chart.js): exactly package-lock.json's versions, from the npm registry.
FROM node:20-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Served by the application itself (STATICFILES_DIRS): the deployment network may be closed.
COPY --from=frontend /app/node_modules/chart.js/dist /app/node_modules/chart.js/dist
# collectstatic needs settings, not a database; the key is a build-time placeholder.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 app && mkdir -p /app/var/media && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
