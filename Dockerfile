# cchc-site for GitLab CI and other hosts: docker build --build-arg VERSION=v0.1.0 -t cchc-site:v0.1.0 .
# git is needed for SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"; python:3.11-slim has none.
FROM python:3.11-slim
ARG VERSION
RUN apt-get update && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
COPY . /src/cchc-site
RUN pip install --no-cache-dir --disable-pip-version-check /src/cchc-site && rm -rf /src/cchc-site \
    && cchc-site --version
WORKDIR /site
CMD ["cchc-site", "--help"]
