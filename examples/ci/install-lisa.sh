#!/usr/bin/env bash
# Builds lisa's Debian package from this checkout and installs it with apt-get, on Debian 12 as
# root (a CI container): the build dependencies from scripts/setup, a Release build, `cpack -G
# DEB`, then `apt-get install ./lisa_*.deb`, which pulls the runtime libraries from Debian.
# Afterwards `lisa` is /usr/bin/lisa with its rule pack in /usr/share/lisa/rules.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
scripts/setup
cmake --preset release
cmake --build --preset release
(cd build/release && cpack -G DEB)
apt-get install -y --no-install-recommends ./build/release/lisa_*.deb
lisa --version
