# Sourced by deploy/build-images.sh, deploy/smoke.sh (and usable by hand: `. deploy/podman-env.sh`): podman's state in
# one folder (PODMAN_ROOT, default target/podman of the repository) with the settings small VMs need
# (deploy/containers/), unless CONTAINERS_CONF, CONTAINERS_STORAGE_CONF or TMPDIR are set already.
_runway_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PODMAN_ROOT=${PODMAN_ROOT:-$_runway_root/target/podman}
mkdir -p "$PODMAN_ROOT/tmp"
if [[ -z ${CONTAINERS_CONF:-} ]]; then
  _nofile=$(ulimit -Hn)
  [[ $_nofile == unlimited ]] && _nofile=1048576
  sed "s/@NOFILE@/$_nofile/g" "$_runway_root/deploy/containers/containers.conf" > "$PODMAN_ROOT/containers.conf"
  export CONTAINERS_CONF=$PODMAN_ROOT/containers.conf
fi
if [[ -z ${CONTAINERS_STORAGE_CONF:-} ]]; then
  sed "s|@ROOT@|$PODMAN_ROOT|g" "$_runway_root/deploy/containers/storage.conf" > "$PODMAN_ROOT/storage.conf"
  export CONTAINERS_STORAGE_CONF=$PODMAN_ROOT/storage.conf
fi
export TMPDIR=${TMPDIR:-$PODMAN_ROOT/tmp}
export PODMAN_ROOT
unset _runway_root _nofile
