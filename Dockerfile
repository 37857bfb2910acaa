# Helder's image: gunicorn for `web`, the same image runs Celery `worker` and
# `beat` (docker-compose.yml). Static files and compiled catalogues are built
# here, so the container needs no write access to /app.
FROM python:3.11-slim

# PYTHONPATH=/app: `pip install .` also copies config/, accounts/ and
# organizations/ into site-packages; /app must win so that BASE_DIR (and with
# it templates/, static/ and locale/) is /app, and apps that pyproject does
# not list are importable.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: msgfmt, for compilemessages below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import subprocess, sys, tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
subprocess.run([sys.executable, '-m', 'pip', 'install', *deps], check=True)"

COPY . .
RUN pip install .

# The settings refuse to load without a SECRET_KEY when DEBUG is off; this
# one exists only for these two build commands and is not kept in the image.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && DEBUG=false SECRET_KEY=build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py compilemessages --ignore=.venv

RUN useradd --system --create-home --uid 10001 helder
USER helder

EXPOSE 8000
# gunicorn.conf.py keeps gunicorn from announcing itself in a Server header.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
