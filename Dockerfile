# drillbot: build stage, then a slim runtime that runs as a non-root user.
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential pkg-config libcurl4-openssl-dev libjansson-dev libwebsockets-dev \
        libsqlite3-dev libuv1-dev libcmark-dev libinih-dev libstemmer-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY bot ./bot
COPY content ./content
COPY config ./config
RUN make -j"$(nproc)" && make install PREFIX=/usr DESTDIR=/out

FROM debian:bookworm-slim
# libwebsockets-evlib-uv: Debian loads libwebsockets' libuv support as a plugin.
RUN apt-get update && apt-get install -y --no-install-recommends \
        ca-certificates tzdata libcurl4 libjansson4 libwebsockets17 libwebsockets-evlib-uv \
        libsqlite3-0 libuv1 libcmark0.30.2 libinih1 libstemmer0d \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/drillbot --shell /usr/sbin/nologin drillbot \
    && install -d -o drillbot -g drillbot -m 0750 /var/lib/drillbot /etc/drillbot
COPY --from=build /out/ /
ENV DRILLBOT_DATABASE=/var/lib/drillbot/drillbot.db \
    DRILLBOT_CONTENT_DIR=/usr/share/drillbot/content \
    DRILLBOT_CONFIG=/etc/drillbot/drillbot.ini
VOLUME ["/var/lib/drillbot"]
USER drillbot
WORKDIR /var/lib/drillbot
EXPOSE 8080
# Tokens: mount files (e.g. /run/secrets/discord_token) and name them in the config
# (discord_token_file = /run/secrets/discord_token), or pass DRILLBOT_*_TOKEN variables.
ENTRYPOINT ["/usr/bin/drillbot"]
CMD ["run"]
