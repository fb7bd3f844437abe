#!/usr/bin/env bash
# Makes the certificates tests and the demo use, in the folder given (created if missing):
#   ca.pem, ca.key                      the test CA that halyard and the harness are told to trust
#   server.pem, server.key              a server certificate for localhost and 127.0.0.1, from that CA
#   untrusted-ca.pem, untrusted-ca.key  a second CA that nothing is told to trust
#   untrusted-server.pem/.key           a server certificate from the untrusted CA
# Keys are throwaway: they protect loopback traffic in tests and nothing else.
set -euo pipefail

out=${1:?usage: make-test-certs.sh OUTPUT_FOLDER}
mkdir -p "$out"
cd "$out"

make_ca() { # name subject
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
        -keyout "$1.key" -out "$1.pem" -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_server() { # name ca
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$1.key" -out "$1.csr" \
        -subj "/CN=localhost" 2>/dev/null
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
        -days 3650 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

make_ca ca "halyard test CA"
make_server server ca
make_ca untrusted-ca "halyard untrusted test CA"
make_server untrusted-server untrusted-ca
chmod 600 ./*.key
echo "test certificates written to $out"
