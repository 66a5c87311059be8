#!/usr/bin/env bash
# The two set-up commands of README.md. Each installs what is missing (Debian packages), builds,
# then either runs the main job on the sample history (demo) or the whole test suite (test).
#
#   bash scripts/dev.sh demo              squash schema/migrations into schema/consolidated, prove it,
#                                         then list what archive would move
#   bash scripts/dev.sh test [--sanitize] build (optionally with ASan+UBSan) and run every test
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

mode="${1:-}"
sanitize=0
for arg in "${@:2}"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    *) echo "dev.sh: unknown option '$arg' (usage: bash scripts/dev.sh demo|test [--sanitize])" >&2; exit 2 ;;
  esac
done
case "$mode" in
  demo|test) ;;
  *) echo "usage: bash scripts/dev.sh demo|test [--sanitize]" >&2; exit 2 ;;
esac

# Everything the build, the tests and the demo need, by Debian package name.
packages=(
  cmake g++ make pkg-config git
  libpqxx-dev libpq-dev libboost-program-options-dev libboost-filesystem-dev libdtl-dev libfmt-dev
  libgtest-dev libpg-query-dev libprotobuf-c-dev nlohmann-json3-dev libtomlplusplus-dev libssl-dev
  postgresql-15 postgresql-client-15
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  install_line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    echo "dev.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "dev.sh: missing Debian packages. Run this as root, then run this command again:" >&2
    echo "  sudo apt-get update && sudo $install_line" >&2
    exit 2
  fi
fi

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if ((sanitize)); then
  build_dir=build-sanitize
  cmake_args+=(-DSCHEMAKIT_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"

if [ "$mode" = demo ]; then
  "$build_dir/bin/squash" schema/migrations --output schema/consolidated
  "$build_dir/bin/archive" list --migrations schema/migrations --covered-by schema/consolidated/squash.json
else
  cd "$build_dir"
  ctest --output-on-failure -j "$jobs" --timeout 900
fi
