#!/usr/bin/env bash
# Builds Runway's container images without any registry: a Debian bookworm base made from Debian packages
# (mmdebstrap), a JRE 17 image on it, PostgreSQL 15 from Debian's package (deploy/Containerfile.postgres, for the
# local overlay) and the application image (deploy/Containerfile). Idempotent: an image that exists is kept
# (REBUILD=1 rebuilds the JRE, PostgreSQL and app images; remove localhost/debian:bookworm to remake the base).
#
#   deploy/build-images.sh
#
# Environment (all optional):
#   PODMAN_ROOT              where podman keeps its state (default: target/podman in the repository)
#   CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, TMPDIR
#                            your own podman settings; default: rendered from deploy/containers/ into PODMAN_ROOT
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR
#                            default: the first URIs of /etc/apt/sources.list.d/debian.sources, else deb.debian.org
#   APP_IMAGE                default: localhost/runway:latest
#   SKIP_PACKAGE=1           use target/quarkus-app as it is (no Maven)
#   MVN                      how to run Maven (default: ./mvnw -B, under flock /tmp/runway-mvn.lock when flock exists)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE_IMAGE=localhost/debian:bookworm
JRE_IMAGE=localhost/runway-jre:17
POSTGRES_IMAGE=localhost/runway-postgres:15
APP_IMAGE=${APP_IMAGE:-localhost/runway:latest}

missing=()
for tool in podman mmdebstrap; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "Missing: ${missing[*]}. Install (as root, Debian/Ubuntu):" >&2
  echo "  apt-get update && apt-get install -y podman buildah runc iptables mmdebstrap" >&2
  exit 1
fi

# podman's state in one folder of ours, with the settings small VMs need (deploy/containers/).
. deploy/podman-env.sh

seconds() { date +%s; }
start=$(seconds)
step() { echo "== $* ($(($(seconds) - start)) s)"; }

sources_uri() { # the first URIs line of the deb822 stanza whose Suites mention $1
  local file=/etc/apt/sources.list.d/debian.sources
  [[ -r $file ]] || return 0
  awk -v want="$1" '/^URIs:/ {uri=$2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == want) {print uri; exit}}' "$file"
}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-$(sources_uri bookworm)}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-$(sources_uri bookworm-security)}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

exists() { [[ ${REBUILD:-0} != 1 ]] && podman image exists "$1"; }

if podman image exists "$BASE_IMAGE"; then
  step "$BASE_IMAGE exists"
else
  step "$BASE_IMAGE from $DEBIAN_MIRROR with mmdebstrap"
  # pipefail: a failed mmdebstrap must not import an empty image.
  mmdebstrap --quiet --variant=minbase --aptopt='APT::Install-Recommends "false"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin; : > "$1"/etc/resolv.conf' \
    bookworm - "deb $DEBIAN_MIRROR bookworm main" "deb $DEBIAN_MIRROR bookworm-updates main" \
    "deb $DEBIAN_SECURITY_MIRROR bookworm-security main" \
    | podman import --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE"
fi

if exists "$JRE_IMAGE"; then
  step "$JRE_IMAGE exists"
else
  step "$JRE_IMAGE"
  podman build --quiet -f deploy/Containerfile.jre -t "$JRE_IMAGE" deploy
fi

# Rebuilt when its entrypoint or the roles script changed since the image was made (ONLY_BASE_IMAGES=1 stops here).
postgres_sources=$(cat deploy/Containerfile.postgres deploy/postgres-entrypoint.sh deploy/postgres-roles.sql | sha256sum | cut -c1-16)
if exists "$POSTGRES_IMAGE" \
    && [[ $(podman image inspect --format '{{index .Labels "dev.runway.sources"}}' "$POSTGRES_IMAGE") == "$postgres_sources" ]]; then
  step "$POSTGRES_IMAGE exists"
else
  step "$POSTGRES_IMAGE"
  podman build --quiet -f deploy/Containerfile.postgres --label "dev.runway.sources=$postgres_sources" \
    -t "$POSTGRES_IMAGE" deploy
fi
[[ ${ONLY_BASE_IMAGES:-0} == 1 ]] && { step "done (ONLY_BASE_IMAGES=1)"; exit 0; }

jar=target/quarkus-app/quarkus-run.jar
if [[ ${SKIP_PACKAGE:-0} == 1 ]]; then
  [[ -f $jar ]] || { echo "SKIP_PACKAGE=1 but $jar is missing" >&2; exit 1; }
  step "packaging skipped (SKIP_PACKAGE=1)"
elif [[ -f $jar && -z $(find src frontend samples cli/src db pom.xml -newer "$jar" -type f -print -quit 2> /dev/null) ]]; then
  step "$jar is newer than the sources"
else
  step "./mvnw package -Pproduction -DskipTests"
  if [[ -n ${MVN:-} ]]; then
    $MVN package -Pproduction -DskipTests
  elif command -v flock > /dev/null; then
    flock /tmp/runway-mvn.lock ./mvnw -B package -Pproduction -DskipTests
  else
    ./mvnw -B package -Pproduction -DskipTests
  fi
fi
[[ -f $jar ]] || { echo "No $jar after packaging" >&2; exit 1; }

# The app image is cheap to rebuild (layers are cached): always build it, so it matches target/quarkus-app.
step "$APP_IMAGE"
# Context: the packaged app only (never the repository, whose target/podman holds the image store itself).
podman build --quiet -f deploy/Containerfile --build-arg JRE_IMAGE="$JRE_IMAGE" -t "$APP_IMAGE" target/quarkus-app

step "done"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' \
  | grep -E "^($BASE_IMAGE|$JRE_IMAGE|$POSTGRES_IMAGE|$APP_IMAGE) " || true
