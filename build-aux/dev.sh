#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sets up everything Rapport needs, builds it, and runs it or its tests.
#
#   build-aux/dev.sh run [ARG…]       build and start Rapport (development profile)
#   build-aux/dev.sh test [--sanitize] [MESON-TEST-ARG…]
#                                      build and run the whole suite; the last
#                                      line is "N passed, N failed"
#   build-aux/dev.sh bench [RAPPORT-CLI-BENCH-ARG…]
#                                      a release build: the toolkit's figures
#                                      (meson benchmarks), then rapport-cli bench
#
# On Debian and Ubuntu it installs what is missing with apt-get. Elsewhere it
# says what to install.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$top"

build_dir="$top/_build"
install_dir="$top/_install"

# Debian package names of every build and test dependency.
debian_packages=(
  meson ninja-build pkg-config gcc libc6-dev git
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsecret-1-dev libjson-glib-dev libssl-dev
  gettext itstool yelp-tools libxml2-utils appstream desktop-file-utils
  python3 xvfb xauth x11-utils openbox dbus dbus-x11 gnome-keyring libsecret-tools
  adwaita-icon-theme fonts-cantarell at-spi2-core
)

sqlcipher_npm="@journeyapps/sqlcipher@6.0.0"
sqlcipher_sha256="ad3ee0e551de315b230db78e2294d41868b5c166d44c0c87da35fb6b87bde54c"
sqlcipher_dir="$top/subprojects/sqlcipher"

say() { printf '%s\n' "dev.sh: $*" >&2; }
die() { say "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root to run: $* (install sudo or run as root)"
  fi
}

install_debian_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

check_other_system() {
  # pkg-config modules and programs the build and the tests need.
  local missing=()
  local mod prog
  for mod in "gtk4 >= 4.8" "libadwaita-1 >= 1.2" "glib-2.0 >= 2.74" "libsecret-1" \
             "json-glib-1.0" "libcrypto"; do
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$mod" || missing+=("pkg-config module '$mod'")
  done
  for prog in meson ninja msgfmt xgettext itstool xvfb-run dbus-run-session \
              gnome-keyring-daemon desktop-file-validate appstreamcli glib-compile-schemas python3; do
    command -v "$prog" >/dev/null 2>&1 || missing+=("program '$prog'")
  done
  if ! pkg-config --atleast-version=4.0 sqlcipher 2>/dev/null && ! command -v npm >/dev/null 2>&1; then
    missing+=("SQLCipher >= 4.0 (pkg-config 'sqlcipher'), or npm to fetch its amalgamation")
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    say "this is not a Debian-based system, so nothing was installed. Missing:"
    printf '  - %s\n' "${missing[@]}" >&2
    say "on Fedora: dnf install meson ninja-build gcc pkgconf gtk4-devel libadwaita-devel libsecret-devel json-glib-devel openssl-devel sqlcipher-devel gettext itstool yelp-tools appstream desktop-file-utils xorg-x11-server-Xvfb dbus-daemon gnome-keyring"
    say "on Arch: pacman -S meson gcc pkgconf gtk4 libadwaita libsecret json-glib openssl sqlcipher gettext itstool yelp-tools appstream desktop-file-utils xorg-server-xvfb dbus gnome-keyring"
    exit 1
  fi
}

ensure_dependencies() {
  if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    install_debian_packages "${debian_packages[@]}"
    if ! pkg-config --atleast-version=4.0 sqlcipher 2>/dev/null && [ ! -f "$sqlcipher_dir/sqlite3.c" ] \
       && ! command -v npm >/dev/null 2>&1; then
      install_debian_packages npm
    fi
  else
    check_other_system
  fi
}

# SQLCipher 4: a system one when pkg-config has it, else the amalgamation
# from the pinned npm package, checked against its sha256.
ensure_sqlcipher() {
  if pkg-config --atleast-version=4.0 sqlcipher 2>/dev/null; then
    return 0
  fi
  if [ ! -f "$sqlcipher_dir/sqlite3.c" ]; then
    local tmp tarball
    tmp="$(mktemp -d)"
    say "fetching the SQLCipher amalgamation ($sqlcipher_npm)"
    (cd "$tmp" && npm pack --silent "$sqlcipher_npm" >/dev/null) \
      || die "npm pack $sqlcipher_npm failed; install a system SQLCipher >= 4.0 instead"
    tarball="$(ls "$tmp"/*.tgz)"
    if ! echo "$sqlcipher_sha256  $tarball" | sha256sum --check --status; then
      rm -rf "$tmp"
      die "$sqlcipher_npm: sha256 mismatch, expected $sqlcipher_sha256; not using it"
    fi
    tar -xzf "$tarball" -C "$tmp" package/deps/sqlcipher-amalgamation
    mkdir -p "$sqlcipher_dir"
    cp "$tmp"/package/deps/sqlcipher-amalgamation/{sqlite3.c,sqlite3.h,sqlite3ext.h,VERSION.txt} \
       "$sqlcipher_dir/"
    rm -rf "$tmp"
  fi
  cp "$top/subprojects/packagefiles/sqlcipher/meson.build" "$sqlcipher_dir/meson.build"
}

# configure_build DIR [MESON-SETUP-ARG…]
configure_build() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" -Dprofile=development --prefix="$install_dir" "$@"
  fi
  ninja -C "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; die "the build failed (log above, and in $dir.log)"; }
}

# Counts meson's test results into the closing line.
summarize() {
  local log="$1/meson-logs/testlog.json"
  python3 - "$log" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
except OSError:
    lines = []
for line in lines:
    if not line.strip():
        continue
    result = json.loads(line).get("result")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
        print("failed:", json.loads(line).get("name"), file=sys.stderr)
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or passed == 0 else 0)
PY
}

# in_test_session CMD [ARG…]: runs CMD in a private X server, D-Bus session
# and keyring, thrown away afterwards.
in_test_session() {
  local keyring_home status
  keyring_home="$(mktemp -d)"
  mkdir -p -m 0700 "$keyring_home/runtime"
  set +e
  HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/data" \
  XDG_CONFIG_HOME="$keyring_home/config" XDG_CACHE_HOME="$keyring_home/cache" \
  XDG_RUNTIME_DIR="$keyring_home/runtime" \
    xvfb-run -a -s "-screen 0 1366x768x24" \
    dbus-run-session -- bash -c '
      eval "$(printf "\n" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
      export GNOME_KEYRING_CONTROL
      # A window manager, so that maximizing a window means something.
      openbox >/dev/null 2>&1 &
      for _ in $(seq 50); do
        xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id" && break
        sleep 0.1
      done
      export RAPPORT_TEST_WINDOW_MANAGER=1
      "$@"
    ' in_test_session "$@"
  status=$?
  set -e
  # A document portal started by the session may leave its FUSE mount.
  if [ -d "$keyring_home/runtime/doc" ]; then
    fusermount3 -uz "$keyring_home/runtime/doc" 2>/dev/null \
      || fusermount -uz "$keyring_home/runtime/doc" 2>/dev/null \
      || umount -l "$keyring_home/runtime/doc" 2>/dev/null || true
  fi
  # The session's services may still be on their way out: try again briefly.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$keyring_home" 2>/dev/null && break
    sleep 0.3
  done
  [ ! -e "$keyring_home" ] || say "left $keyring_home behind"
  return $status
}

run_tests() {
  local dir="$1"
  shift
  in_test_session meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || true
  summarize "$dir"
}

command="${1:-}"
[ $# -gt 0 ] && shift

case "$command" in
  run)
    ensure_dependencies
    ensure_sqlcipher
    configure_build "$build_dir"
    meson install -C "$build_dir" --quiet >/dev/null
    export XDG_DATA_DIRS="$install_dir/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
    export GSETTINGS_SCHEMA_DIR="$install_dir/share/glib-2.0/schemas"
    exec "$install_dir/bin/rapport" "$@"
    ;;
  test)
    sanitize=false
    if [ "${1:-}" = "--sanitize" ]; then
      sanitize=true
      shift
    fi
    ensure_dependencies
    ensure_sqlcipher
    if $sanitize; then
      dir="$top/_build-sanitize"
      configure_build "$dir" -Db_sanitize=address,undefined -Db_lundef=false
      export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0"
      export LSAN_OPTIONS="suppressions=$top/build-aux/lsan.supp:print_suppressions=0"
      export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
      run_tests "$dir" --timeout-multiplier 4 "$@"
    else
      configure_build "$build_dir"
      run_tests "$build_dir" "$@"
    fi
    ;;
  bench)
    ensure_dependencies
    ensure_sqlcipher
    dir="$top/_build-release"
    configure_build "$dir" -Dbuildtype=release
    # Figures only the toolkit can measure (the board), then the store's.
    in_test_session meson test -C "$dir" --benchmark --num-processes 1 || true
    "$dir/src/cli/rapport-cli" bench "$@"
    ;;
  *)
    sed -n '4,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 1
    ;;
esac
