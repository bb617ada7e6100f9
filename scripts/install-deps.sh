#!/usr/bin/env bash
# Installs everything Finn needs to build and test on Debian bookworm (run as root, or with sudo
# available). Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build git pkg-config ca-certificates
  # libraries Finn links against
  libprotobuf-dev protobuf-compiler libonnx-dev nlohmann-json3-dev libyaml-cpp-dev
  # tests: GoogleTest, and Python's onnx/numpy as independent oracles
  libgtest-dev python3 python3-onnx python3-numpy
  # hardware: Verilator (rtlsim; make for its --build, zlib for its FST traces) and Yosys
  # (synthesis smoke tests); Finn builds without them and skips those tests
  verilator make zlib1g-dev yosys
  # ccache: step_hw_ipgen compiles through it when present (an unchanged Verilated model or the
  # shared rtlsim runtime of another build folder then costs nothing)
  ccache
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (or install sudo) to apt-get: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
