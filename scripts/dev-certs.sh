#!/usr/bin/env bash
# Makes a development CA and TLS certificates for a local cluster (openssl; PEM files, keys PKCS#8, EC P-256).
#
#   scripts/dev-certs.sh DIR [NODE_ID...]      # default node ids: n1 n2 n3
#
# Writes into DIR (created; existing files are kept, so running it again changes nothing):
#   ca.pem, ca.key            the CA (10 years); give ca.pem to clients (--tls-ca / RNS_TLS_CA) and to nodes (tls.trust-file)
#   <id>.pem, <id>.key        one certificate per node, for the node's client and RocketMQ ports and for its own
#                             connections to other nodes (serverAuth + clientAuth), naming localhost and 127.0.0.1
#   client.pem, client.key    a client certificate for the CLI (--tls-cert / --tls-key) when nodes set tls.client-auth
# For development only: the CA key sits next to the certificates and nothing is encrypted. In production, use your
# own CA and certificates that name each node's host (the client checks the name, as HTTPS does).
set -euo pipefail
die() { echo "dev-certs.sh: $*" >&2; exit 2; }
[[ $# -ge 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,13p' "$0"; exit 0; }
command -v openssl >/dev/null || die "needs openssl (Debian/Ubuntu: apt-get install openssl)"
DIR="$1"; shift
IDS=("$@"); ((${#IDS[@]})) || IDS=(n1 n2 n3)
mkdir -p "$DIR"
cd "$DIR"
umask 077

key() { [[ -f "$1" ]] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [[ ! -f ca.pem ]]; then
  key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=RNS dev CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
fi

# cert NAME CN EXTENDED_KEY_USAGE SUBJECT_ALT_NAMES
cert() {
  [[ -f "$1.pem" ]] && return 0
  key "$1.key"
  local ext
  ext="$(mktemp)"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n%s\n' "$3" "$4" > "$ext"
  openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 825 -extfile "$ext" \
    -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$ext"
}
for id in "${IDS[@]}"; do
  [[ "$id" =~ ^[A-Za-z0-9._-]+$ ]] || die "node id '$id': letters, digits, . _ - only"
  cert "$id" "$id" serverAuth,clientAuth "subjectAltName=DNS:localhost,DNS:$id,IP:127.0.0.1,IP:::1"
done
cert client rns-client clientAuth ""
chmod 644 ./*.pem
echo "dev-certs.sh: CA and certificates for ${IDS[*]} and client in $(pwd)"
