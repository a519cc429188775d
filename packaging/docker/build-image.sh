#!/usr/bin/env bash
# Builds the RNS node image (rns:<version>) from dist/target/rns-<version>.tar.gz, pulling nothing by default.
#   packaging/docker/build-image.sh [--base IMAGE] [--tag TAG]
# --base  the base image (default rns-base:skeleton, built here from nothing; with registry access use
#         eclipse-temurin:17-jre, which has its own JDK and bash)
# --tag   the image tag (default rns:<version>)
# Needs docker (apt-get install docker.io) and the tarball (./mvnw -DskipTests package).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BASE="rns-base:skeleton"
TAG=""
while (($#)); do
  case "$1" in
    --base) BASE="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
command -v docker >/dev/null 2>&1 || { echo "build-image.sh: needs docker: apt-get install docker.io" >&2; exit 1; }
shopt -s nullglob
tarballs=("$ROOT"/dist/target/rns-*.tar.gz)
((${#tarballs[@]} == 1)) || { echo "build-image.sh: need exactly one dist/target/rns-*.tar.gz (build: ./mvnw -DskipTests package), found ${#tarballs[@]}" >&2; exit 1; }
version="$(basename "${tarballs[0]}" .tar.gz)"
version="${version#rns-}"
TAG="${TAG:-rns:$version}"

ctx="$(mktemp -d /tmp/rns-image.XXXXXX)"
trap 'rm -rf "$ctx"' EXIT

if [[ "$BASE" == rns-base:skeleton ]] && ! docker image inspect "$BASE" >/dev/null 2>&1; then
  # the base: what `docker import` of these directories gives, through the build API (FROM scratch pulls nothing)
  mkdir -p "$ctx/base/rootfs"
  (cd "$ctx/base/rootfs" && mkdir -p etc/alternatives etc/java-17-openjdk proc sys dev run var/tmp var/log var/lib \
    opt root usr sbin home tmp && chmod 1777 tmp var/tmp && ln -s usr/bin bin && ln -s usr/lib lib && \
    ln -s usr/lib64 lib64 && printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > etc/passwd && \
    printf 'root:x:0:\nnogroup:x:65534:\n' > etc/group)
  printf 'FROM scratch\nCOPY rootfs/ /\n' > "$ctx/base/Dockerfile"
  docker build -q --label io.rns.image=base -t "$BASE" "$ctx/base" >/dev/null
  echo "build-image.sh: built $BASE (from scratch)"
fi

mkdir -p "$ctx/image"
tar xzf "${tarballs[0]}" -C "$ctx/image"
mv "$ctx/image/rns-$version" "$ctx/image/rns"
cp "$HERE/Dockerfile" "$ctx/image/Dockerfile"
docker build -q --label io.rns.image=node --build-arg "BASE=$BASE" -t "$TAG" "$ctx/image" >/dev/null
echo "build-image.sh: built $TAG on $BASE"
