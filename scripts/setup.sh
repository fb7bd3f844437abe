#!/usr/bin/env bash
# Installs the Debian packages halyard needs (only those missing) and builds it.
#   scripts/setup.sh              build into build/
#   scripts/setup.sh --sanitize   build into build-sanitize/ with AddressSanitizer and
#                                 UndefinedBehaviorSanitizer
# Works as root on a fresh Debian 12 machine; as another user it uses sudo when present.
set -euo pipefail

cd "$(dirname "$0")/.."

build_dir=build
cmake_options=()
for argument in "$@"; do
    case "$argument" in
    --sanitize)
        build_dir=build-sanitize
        cmake_options+=(-DHALYARD_SANITIZE=ON)
        ;;
    *)
        echo "setup.sh: unknown option '$argument'; the only option is --sanitize" >&2
        exit 2
        ;;
    esac
done

# Why each package is here:
#   build tools: gcc, make, cmake, pkg-config
#   Lua 5.4 and lua-cjson: the script host and its JSON codec (lua5.4 also runs data scripts)
#   libcurl: halyard's HTTP client; libevent: event loop, HTTP server, the simulator's TLS
#   SQLite: storage; libsodium: secrets sealed at rest; OpenSSL: TLS and test certificates
#   cmocka: C unit tests; curl: the demo and the intake test talk HTTP with it
packages=(
    gcc make cmake pkg-config ca-certificates curl
    liblua5.4-dev lua5.4 lua-cjson-dev lua-cjson
    libcurl4-openssl-dev libevent-dev libsqlite3-dev libsodium-dev libssl-dev openssl
    libcmocka-dev
)

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [ "$status" != "install ok installed" ]; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing missing packages: ${missing[*]}"
    sudo_command=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            sudo_command=(sudo)
        else
            echo "setup: not root and sudo is missing; as root run:" >&2
            echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
    "${sudo_command[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_command[@]}" apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"
else
    echo "setup: all required packages are installed"
fi

echo "setup: building into $build_dir/"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cmake_options[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
