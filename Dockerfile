# Signpost container image: docs/deploy.md explains how to run it.
#
#   docker build --build-arg VERSION="$(git describe --always --dirty)" -t signpost .
#   docker run -d --name signpost -p 127.0.0.1:8080:8080 -v signpost-data:/data signpost
#
# The build context has no .git (see .dockerignore), so the version comes
# from the VERSION build argument; without it the binary reports "dev".

# ---- build ------------------------------------------------------------------
FROM debian:bookworm-slim AS build

# The Makefile's DEB_BUILD list, minus the sqlite3 shell (not needed to
# build) plus libc6-dev (gcc only recommends it, and recommends are off).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc libc6-dev make pkg-config \
        libmicrohttpd-dev libjansson-dev libsqlite3-dev zlib1g-dev libcmark-dev libsodium-dev libqrencode-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .

ARG VERSION=dev
# `make` alone builds build/signpost only (it never calls apt-get). The
# migrations, seed, OpenAPI document, templates and static files are
# compiled into the binary, so the binary is all the next stage needs.
RUN make -j"$(nproc)" VERSION="$VERSION" \
 && install -D -m 0755 -s build/signpost /out/signpost \
 && /out/signpost version

# ---- run --------------------------------------------------------------------
FROM debian:bookworm-slim

# Runtime libraries only: what `ldd build/signpost` names (libgnutls30 and
# the rest come in as dependencies of libmicrohttpd12).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libmicrohttpd12 libjansson4 libsqlite3-0 zlib1g libcmark0.30.2 libsodium23 libqrencode4 \
 && rm -rf /var/lib/apt/lists/*

# A fixed, unprivileged uid/gid, so a bind-mounted /data can be chowned to
# 10001:10001 on the host ahead of time.
RUN groupadd --system --gid 10001 signpost \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin signpost \
 && install -d -m 0700 -o 10001 -g 10001 /data

COPY --from=build /out/signpost /usr/local/bin/signpost

# A database that does not exist yet is created, migrated and seeded on the
# first start; an existing one is migrated forward and never reseeded.
ENV SIGNPOST_DB=/data/signpost.db \
    SIGNPOST_BIND=0.0.0.0 \
    SIGNPOST_PORT=8080
VOLUME ["/data"]
WORKDIR /data
USER 10001:10001
EXPOSE 8080

# SIGTERM finishes requests in flight (up to 10 s), checkpoints and exits;
# give it that long: `docker stop -t 20`.
STOPSIGNAL SIGTERM

# There is no curl or wget in the slim image: bash's /dev/tcp sends
# GET /healthz and the check passes on a 200 status line. It follows
# SIGNPOST_PORT: change the port with that variable, not with --port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SIGNPOST_PORT:-8080} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && IFS= read -r -t 4 status <&3 && [[ $status == 'HTTP/1.'?' 200 '* ]]"]

ENTRYPOINT ["/usr/local/bin/signpost"]
CMD ["serve"]
