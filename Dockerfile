# Engage: the web app and its worker (same image, different command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ENGAGE_ENV=production ENGAGE_INSTANCE_PATH=/data JSON_LOGS=1

# Pango and fonts for the PDF reports (WeasyPrint); gettext for the catalogs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 engage

WORKDIR /app
COPY pyproject.toml README.md ./
COPY engage ./engage
RUN pip install .
COPY . .
RUN pybabel compile -d translations && mkdir -p /data && chown engage /data

USER engage
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "wsgi:app"]
