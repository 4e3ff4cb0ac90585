# Winnow worker image: `winnow worker --stage strip|segment|enrich|all`, `winnow topics apply`, ...
# Used by docker-compose.yml (services topics, strip, segment, enrich).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Project metadata and pinned versions first (README.m[d]: copied when present, the build
# only warns without it), then the two packages; tests, bench, docs and deploy stay out
# (.dockerignore). constraints.txt pins every direct and transitive dependency.
COPY pyproject.toml constraints.txt README.m[d] ./
COPY topics ./topics
COPY workers ./workers
# Six small C extensions (workers/core/labeller/_trees.c, _columns.c, _viterbi.c,
# workers/core/stages/enrich/_simhash.c, _langid.c and workers/core/stages/_domwalk*.c, one module): a compiler is installed for the build only, the
# image fails to build if any module is missing
# (checked from / so the installed package is imported, not the copied sources), and the
# compiler is removed again.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && pip install -c constraints.txt . \
    && cd / && python -c "from workers.core.labeller import _trees, _columns, _viterbi; from workers.core.stages.enrich import _simhash, _langid; from workers.core.stages import _domwalk" \
    && apt-get purge -y --auto-remove gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged user; Faust keeps its table state under WINNOW_DATA_DIR.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home winnow \
    && mkdir -p /var/lib/winnow \
    && chown winnow:winnow /var/lib/winnow
USER winnow

ENV WINNOW_WEB_HOST=0.0.0.0 \
    WINNOW_WEB_PORT=6066 \
    WINNOW_DATA_DIR=/var/lib/winnow \
    WINNOW_LOG_LEVEL=INFO
EXPOSE 6066

# GET /healthz: 200 while the process is alive and the broker is reachable.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('WINNOW_WEB_PORT', '6066'), timeout=4)"]

ENTRYPOINT ["winnow"]
CMD ["worker", "--stage", "all"]
