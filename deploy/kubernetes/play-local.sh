#!/usr/bin/env bash
# Runs the local overlay with podman 4.3 (Debian bookworm): `deploy/kubernetes/play-local.sh up|down`
# (deploy/smoke.sh runs it end to end). `down` keeps the volumes (runway-storage, runway-postgres); remove them with
# `podman volume rm` for a fresh start.
# The images come first (deploy/build-images.sh); podman's settings for these machines (CONTAINERS_CONF,
# CONTAINERS_STORAGE_CONF, TMPDIR) are taken from the environment, ../shared/CONTAINERS.md.
# What podman 4.3 needs beyond the rendered YAML, each found by running it:
#  - Secret objects in the YAML are stored as YAML, but secretKeyRef reads a podman secret as JSON (key: base64
#    value) and fails. So the Secrets are created here in that form and left out of the YAML podman plays.
#  - Services are ignored and a Deployment's pod is named <name>-pod-0: the PostgreSQL pod gets the alias `db` on the
#    network, the host name of QUARKUS_DATASOURCE_JDBC_URL.
set -euo pipefail
cd "$(dirname "$0")/../.."

NETWORK=${RUNWAY_PODMAN_NETWORK:-runway}
WORK=${RUNWAY_PODMAN_WORK:-target/kube-local}
mkdir -p "$WORK"
RENDERED=$WORK/local-rendered.yaml
PLAYED=$WORK/local.yaml

# kubectl renders the overlay where it is installed; elsewhere (CI: no Debian package carries kubectl or a kustomize
# new enough) the committed rendering is played, which ManifestsTest keeps equal to kubectl's.
if command -v kubectl > /dev/null; then
  kubectl kustomize deploy/kubernetes/overlays/local > "$RENDERED"
  cmp -s "$RENDERED" deploy/kubernetes/rendered/local.yaml || echo "play-local.sh: deploy/kubernetes/rendered/local.yaml" \
    "is out of date (kubectl kustomize deploy/kubernetes/overlays/local > deploy/kubernetes/rendered/local.yaml)" >&2
else
  cp deploy/kubernetes/rendered/local.yaml "$RENDERED"
fi
# Split at document separators: Secrets to podman secrets, everything else to the played YAML.
awk -v played="$PLAYED" -v secrets="$WORK/secrets" '
  function flush() {
    if (doc == "") return
    if (insecret && json != "") json = json "}"
    if (kind == "Secret") { printf "%s\n%s\n", name, json > secrets } else { printf "---\n%s", doc > played }
    doc = ""; kind = ""; name = ""; json = ""; insecret = 0
  }
  BEGIN { printf "" > played; printf "" > secrets }
  /^---$/ { flush(); next }
  {
    doc = doc $0 "\n"
    if ($0 ~ /^kind: /) kind = $2
    if ($0 ~ /^  name: / && name == "") name = $2
    if ($0 ~ /^stringData:/) { insecret = 1; next }
    if (insecret && $0 ~ /^  [A-Za-z0-9_.-]+: /) {
      key = $1; sub(/:$/, "", key); value = substr($0, index($0, ": ") + 2)
      cmd = "printf %s \"" value "\" | base64 -w0"; cmd | getline encoded; close(cmd)
      json = json (json == "" ? "{" : ",") "\"" key "\":\"" encoded "\""
      next
    }
    if (insecret && $0 !~ /^  /) { insecret = 0; if (json != "") json = json "}" }
  }
  END { flush() }
' "$RENDERED"

down() {
  podman play kube --down "$PLAYED" >/dev/null 2>&1 || true
  while read -r name && read -r _; do podman secret rm "$name" >/dev/null 2>&1 || true; done < "$WORK/secrets"
}

case "${1:-up}" in
  up)
    down
    while read -r name && read -r json; do
      printf '%s' "$json" | podman secret create "$name" - >/dev/null
    done < "$WORK/secrets"
    podman network exists "$NETWORK" || podman network create "$NETWORK" >/dev/null
    podman play kube --replace --network "$NETWORK" "$PLAYED"
    # Re-attach the database pod (its infra container holds the network) under the Service's name.
    infra=$(podman pod inspect db-pod-0 --format '{{.InfraContainerID}}')
    podman network disconnect "$NETWORK" "$infra"
    podman network connect --alias db "$NETWORK" "$infra"
    ;;
  down)
    down
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
