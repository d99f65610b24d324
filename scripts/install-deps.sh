#!/bin/sh
# Install the Debian 12 packages ecgfit needs to build, run and test.
# Run as root.  --runtime-only skips the test-only packages; --bench adds
# the peers the benchmarks compare against (PyTorch).
set -e
build="build-essential autoconf automake autoconf-archive pkg-config
  libncurses-dev libcsv-dev libhdf5-dev libgsl-dev libxml2-dev libjansson-dev
  libopenblas-dev libxgboost-dev zlib1g-dev"
runtime="gnuplot-nox"
tests="python3 python3-numpy python3-pandas python3-sklearn python3-xgboost python3-h5py
  hdf5-tools libxml2-utils tmux valgrind locales slurm-wlm munge"
pkgs="$build $runtime"
[ "${1:-}" = "--runtime-only" ] || pkgs="$pkgs $tests"
[ "${1:-}" = "--bench" ] && pkgs="$pkgs python3-torch"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
# The tests also run under a German locale (decimal comma): numbers in
# files and output must not follow it.
if [ "${1:-}" != "--runtime-only" ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi
echo "install-deps: installed $(echo $pkgs | wc -w) packages"
