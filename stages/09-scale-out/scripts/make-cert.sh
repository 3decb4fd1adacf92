#!/bin/sh
# A self-signed certificate for nginx.conf's HTTPS server, valid for 127.0.0.1 and localhost:
# npm run cert (from stages/09-scale-out) writes .data/tls/cert.pem and .data/tls/key.pem.
# A browser warns about it, since no authority it knows signed it; a program trusts it when told to:
#   curl --cacert .data/tls/cert.pem https://127.0.0.1:8443/index
# An optional argument names another folder.
set -eu
dir="${1:-.data/tls}"
if ! command -v openssl >/dev/null 2>&1; then
  echo "openssl is not installed (apt-get install openssl)" >&2
  exit 1
fi
mkdir -p "$dir"
# the private key is readable by its owner only, from the moment it exists
umask 077
# quiet when it works (openssl prints its progress); its own words when it does not (-addext needs
# OpenSSL 1.1.1 or LibreSSL 3.2.1)
if ! said=$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>&1); then
  echo "openssl could not make the certificate ($(openssl version)):" >&2
  echo "$said" >&2
  exit 1
fi
chmod 644 "$dir/cert.pem"
echo "wrote $dir/cert.pem and $dir/key.pem (self-signed for 127.0.0.1 and localhost, valid 30 days)"
