#!/usr/bin/env bash
# Scale-out mode on one machine (ADR 012): PostgreSQL, Redis, N identical app processes and nginx as
# a WebSocket-capable load balancer, all on loopback.
#
#   scripts/scale-out.sh start        build, start everything, migrate (and seed an empty database)
#   scripts/scale-out.sh stop         stop everything this script started
#   scripts/scale-out.sh status       /healthz of every process, through nginx and directly
#   scripts/scale-out.sh kill-app N   SIGKILL app process N (failure drills)
#   scripts/scale-out.sh start-app N  start app process N again
#   scripts/scale-out.sh restart-redis
#
# Settings (environment): LB_PORT (3200) · APP_PORTS ("3201 3202") · REDIS_PORT (6390) ·
# PG_PORT (54329) · PG_DB (consult_scale) · SCALE_DIR (data/scale-out) · FRESH_DB=1 drops the
# database first · SKIP_BUILD=1 uses the existing build/ · APP_ENV: extra "K=V …" for the apps.
set -euo pipefail
cd "$(dirname "$0")/.."
LB_PORT="${LB_PORT:-3200}"
APP_PORTS="${APP_PORTS:-3201 3202}"
REDIS_PORT="${REDIS_PORT:-6390}"
export PG_PORT="${PG_PORT:-54329}"
PG_DB="${PG_DB:-consult_scale}"
SCALE_DIR="$(realpath -m "${SCALE_DIR:-data/scale-out}")"
mkdir -p "$SCALE_DIR"

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "-- installing $2 (Debian)" >&2
    bash scripts/apt-install.sh "$2"
  else
    echo "$1 is missing: apt-get install $2" >&2; exit 1
  fi
}
nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

db_url() {
  local base
  base=$(scripts/postgres.sh url)
  echo "${base%/consult}/$PG_DB"
}

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "no answer from $1" >&2; return 1
}

start_redis() {
  need redis-server redis-server
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --dir "$SCALE_DIR" --pidfile "$SCALE_DIR/redis.pid" --logfile "$SCALE_DIR/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not start" >&2; return 1
}

stop_redis() {
  [ -f "$SCALE_DIR/redis.pid" ] || return 0
  local pid
  pid=$(cat "$SCALE_DIR/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$SCALE_DIR/redis.pid"
}

app_port() { echo "$APP_PORTS" | tr ' ' '\n' | sed -n "${1}p"; }

start_app() {
  local n=$1 port
  port=$(app_port "$n")
  [ -n "$port" ] || { echo "no app $n" >&2; exit 2; }
  # shellcheck disable=SC2086
  env NODE_ENV=production PORT="$port" HOST=127.0.0.1 DATABASE_URL="$(db_url)" PUBLIC_URL="http://127.0.0.1:$LB_PORT" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" INSTANCE_NAME="app$n" TRUST_PROXY=true ${APP_ENV:-} \
    nohup node --enable-source-maps build/server/index.js >>"$SCALE_DIR/app$n.log" 2>&1 &
  echo $! >"$SCALE_DIR/app$n.pid"
  [ "${2:-wait}" = nowait ] || wait_http "http://127.0.0.1:$port/healthz" 60
}

stop_app() { # n, signal
  local f="$SCALE_DIR/app$1.pid"
  [ -f "$f" ] || return 0
  local pid
  pid=$(cat "$f")
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

write_nginx_conf() {
  mkdir -p "$SCALE_DIR/nginx/tmp"
  chmod 1777 "$SCALE_DIR/nginx/tmp"
  local servers=""
  for port in $APP_PORTS; do servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'; done
  cat >"$SCALE_DIR/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $SCALE_DIR/nginx/nginx.pid;
error_log $SCALE_DIR/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $SCALE_DIR/nginx/tmp/body;
  proxy_temp_path $SCALE_DIR/nginx/tmp/proxy;
  fastcgi_temp_path $SCALE_DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $SCALE_DIR/nginx/tmp/uwsgi;
  scgi_temp_path $SCALE_DIR/nginx/tmp/scgi;
  client_max_body_size 12m;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  upstream consult {
$servers  }
  server {
    listen 127.0.0.1:$LB_PORT;
    location / {
      proxy_pass http://consult;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A process that died: the next request (or WebSocket reconnect) goes to another one.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_buffering off;
    }
  }
}
EOF
}

case "${1:-}" in
  start)
    need nginx nginx-light
    need psql postgresql
    scripts/postgres.sh start >/dev/null
    base=$(scripts/postgres.sh url)
    if [ "${FRESH_DB:-0}" = 1 ]; then psql "$base" -qtAc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null; fi
    psql "$base" -qtAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1 || psql "$base" -qtAc "CREATE DATABASE $PG_DB" >/dev/null
    DATABASE_URL="$(db_url)" npx prisma migrate deploy >/dev/null
    if [ "$(psql "$(db_url)" -qtAc 'select count(*) from "User"')" = 0 ]; then
      echo "-- seeding demo data into $PG_DB"
      DATABASE_URL="$(db_url)" node --import tsx prisma/seed.ts >/dev/null
    fi
    [ "${SKIP_BUILD:-0}" = 1 ] && [ -f build/index.js ] && [ -f build/server/index.js ] || npm run -s build >/dev/null
    start_redis
    n=0
    for _ in $APP_PORTS; do n=$((n + 1)); start_app "$n" nowait; done
    for port in $APP_PORTS; do wait_http "http://127.0.0.1:$port/healthz" 60; done
    write_nginx_conf
    "$(nginx_bin)" -p "$SCALE_DIR/nginx" -c "$SCALE_DIR/nginx/nginx.conf" -e "$SCALE_DIR/nginx/error.log"
    wait_http "http://127.0.0.1:$LB_PORT/healthz" 10
    echo "会商协同 scale-out: http://127.0.0.1:$LB_PORT (nginx) → app processes on $APP_PORTS; PostgreSQL $(db_url); Redis 127.0.0.1:$REDIS_PORT"
    ;;
  stop)
    if [ -f "$SCALE_DIR/nginx/nginx.pid" ]; then
      "$(nginx_bin)" -p "$SCALE_DIR/nginx" -c "$SCALE_DIR/nginx/nginx.conf" -e "$SCALE_DIR/nginx/error.log" -s stop 2>/dev/null || true
    fi
    n=0
    for _ in $APP_PORTS; do n=$((n + 1)); stop_app "$n" TERM; done
    stop_redis
    [ "${KEEP_PG:-0}" = 1 ] || scripts/postgres.sh stop
    ;;
  status)
    echo "nginx  :$LB_PORT  $(curl -s "http://127.0.0.1:$LB_PORT/healthz" || echo down)"
    n=0
    for port in $APP_PORTS; do n=$((n + 1)); echo "app$n   :$port  $(curl -s "http://127.0.0.1:$port/healthz" || echo down)"; done
    echo "redis  :$REDIS_PORT  $(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || echo down)"
    ;;
  kill-app) stop_app "${2:?app number}" KILL ;;
  start-app) start_app "${2:?app number}" ;;
  restart-redis) stop_redis; start_redis ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
