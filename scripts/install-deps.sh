#!/usr/bin/env bash
# Installs everything SakaiBot needs to build, test and run on Debian 12 (the supported system;
# see README.md).
# Idempotent and non-interactive: packages already present are not touched, and the pinned TDLib
# is installed from npm only when node_modules does not already hold that exact version.
set -euo pipefail
cd "$(dirname "$0")/.."

TDLIB_PACKAGE="@prebuilt-tdlib/linux-x64-glibc"
TDLIB_VERSION="0.1008065.0"

# libcurl, FFmpeg, flite, espeak-ng and pocketsphinx are not linked into sakaibot: it dlopen()s
# them (libcurl.so.4, libavcodec.so.59, libflite.so.1, ...) when first needed. Their -dev
# packages stay here for the headers the build compiles against, and they pull in the runtime
# libraries (libcurl4, libavcodec59, libflite1, libespeak-ng1, libpocketsphinx3, ...) that
# sakaibot opens; `ldd sakaibot` does not list those.
# Images (src/ai/image) are decoded and checked with libpng, libjpeg-turbo (libjpeg-dev is
# libjpeg62-turbo-dev on Debian, libjpeg-turbo8-dev on Ubuntu) and libwebp, linked. ImageMagick's
# convert and identify make and read back the test images (tests/support/image_fixtures.h).
PACKAGES=(
  build-essential cmake pkg-config ccache git
  libsqlite3-dev libfmt-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libmd4c-dev libsimdjson-dev libqrencode-dev libcurl4-openssl-dev libcpp-httplib-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  libopus-dev libopusfile-dev libopusenc-dev libsoxr-dev flite1-dev libespeak-ng-dev libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us opus-tools
  libavformat-dev libavcodec-dev libavutil-dev ffmpeg
  libpng-dev libjpeg-dev libwebp-dev imagemagick
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: run as root or install sudo" >&2; exit 1
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm only delivers TDLib. Machines that already have Node and npm keep theirs.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: Debian packages present"
fi

installed_version=""
if [ -f "node_modules/$TDLIB_PACKAGE/package.json" ]; then
  installed_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "node_modules/$TDLIB_PACKAGE/package.json" | head -n1)
fi
if [ "$installed_version" != "$TDLIB_VERSION" ] || [ ! -f "node_modules/$TDLIB_PACKAGE/libtdjson.so" ]; then
  echo "install-deps: installing TDLib $TDLIB_VERSION from npm (lock file pinned)"
  # From the local npm cache when it has the package, else from the registry.
  npm ci --offline --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
    npm ci --no-audit --no-fund --loglevel=error
else
  echo "install-deps: TDLib $TDLIB_VERSION present"
fi
