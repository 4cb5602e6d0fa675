#!/usr/bin/env bash
# The Debian package, end to end: cpack builds it from the build directory, its contents and
# control fields are checked, it is unpacked into a scratch root (dpkg-deb -x, no root needed) and
# the unpacked binary runs `--version`, `validate` and a headless run from there.
# Usage: tst_package.sh BUILD_DIR SOURCE_DIR   (ctest passes both; label "package")
set -euo pipefail

build=$(cd "${1:?usage: tst_package.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: tst_package.sh BUILD_DIR SOURCE_DIR}" && pwd)
app_id=io.github.flowbench.Flowbench

failures=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/install-deps)" >&2; exit 1; }
done
[ -x "$build/app/flowbench" ] || { echo "FAIL: $build/app/flowbench is not built" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/flowbench-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. Build the package; its staging tree goes to the scratch folder, not the build directory.
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB" >&2
  exit 1
fi
shopt -s nullglob
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] || { echo "FAIL: expected one .deb, got ${#debs[@]}" >&2; exit 1; }
deb=${debs[0]}
pass "cpack built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# 2. Contents.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
for path in \
  /usr/bin/flowbench \
  /usr/share/applications/$app_id.desktop \
  /usr/share/metainfo/$app_id.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/flowbench.svg \
  /usr/share/icons/hicolor/256x256/apps/flowbench.png \
  /usr/share/mime/packages/$app_id.xml \
  /usr/share/doc/flowbench/copyright; do
  check "contains $path" grep -qx "$path" "$work/contents"
done
if grep -v '^/usr/' "$work/contents" | grep -qv '^/$'; then
  fail "every file lies under /usr: $(grep -v '^/usr/' "$work/contents" | grep -v '^/$' | head -3)"
else
  pass "every file lies under /usr"
fi

# 3. Control fields: dpkg-shlibdeps found the Qt libraries; the run-time helpers are declared.
field() { dpkg-deb -f "$deb" "$1"; }
depends=$(field Depends)
echo "Depends: $depends"
for dep in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6svg6 libqt6sql6-sqlite \
  python3 python3-jinja2; do
  check "Depends lists $dep" grep -Eq "(^|, )$dep( |,|$)" <<<"$depends"
done
check "Package is flowbench" test "$(field Package)" = flowbench
check "Section is devel" test "$(field Section)" = devel
check "Architecture is $(dpkg --print-architecture)" \
  test "$(field Architecture)" = "$(dpkg --print-architecture)"
check "Maintainer is set" grep -q '@' <<<"$(field Maintainer)"
check "Description has a synopsis and a long text" test "$(field Description | wc -l)" -ge 3
version=$(field Version)

# 4. Unpack into a scratch root and run the binary from there.
root="$work/root"
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin/flowbench"
check "the binary is executable" test -x "$bin"
if readelf -d "$bin" | grep -Eq 'R(UN)?PATH'; then
  fail "the binary has no RPATH/RUNPATH into the build tree: $(readelf -d "$bin" | grep -E 'R(UN)?PATH')"
else
  pass "the binary has no RPATH/RUNPATH"
fi
export QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES='qt.qpa.*=false'
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime" FLOWBENCH_RUN_STORE=none
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

out=$("$bin" --version 2>&1) || true
check "flowbench --version says $version (got '$out')" test "$out" = "flowbench $version"
for example in "$src"/resources/examples/*.yml; do
  name=$(basename "$example")
  if out=$("$bin" validate "$example" 2>&1); then
    pass "flowbench validate $name: $out"
  else
    fail "flowbench validate $name: $out"
  fi
done
if out=$(cd "$work" && "$bin" run "$src/resources/examples/hello_branching.yml" \
  --inputs '{"query": "hello from the package"}' 2>&1) \
  && grep -q '"status":"succeeded"' <<<"$out"; then
  pass "flowbench run hello_branching.yml"
else
  fail "flowbench run hello_branching.yml: $out"
fi

# 5. The desktop entry, the metainfo, the MIME type and the icons are well formed.
desktop="$root/usr/share/applications/$app_id.desktop"
for key in 'Exec=flowbench %f' 'Icon=flowbench' 'MimeType=application/x-flowbench-workflow;' \
  'Categories=Development;' 'Name\[zh_CN\]=' 'Comment\[zh_CN\]='; do
  check "desktop entry has $key" grep -q "^$key" "$desktop"
done
if command -v desktop-file-validate >/dev/null; then
  check "desktop-file-validate" desktop-file-validate "$desktop"
else
  echo "SKIP: desktop-file-validate (install desktop-file-utils)"
fi
metainfo="$root/usr/share/metainfo/$app_id.metainfo.xml"
check "metainfo names release $version" grep -q "<release version=\"$version\"" "$metainfo"
if command -v appstreamcli >/dev/null; then
  check "appstreamcli validate --no-net" appstreamcli validate --no-net "$metainfo"
else
  echo "SKIP: appstreamcli validate (install appstream)"
fi
if command -v update-mime-database >/dev/null; then
  mime="$work/mime"
  mkdir -p "$mime/packages"
  cp "$root/usr/share/mime/packages/$app_id.xml" "$mime/packages/"
  check "update-mime-database accepts the MIME type" eval "update-mime-database \"$mime\" >/dev/null"
  check "*.flowbench.json maps to application/x-flowbench-workflow" \
    grep -q 'application/x-flowbench-workflow:\*\.flowbench\.json' "$mime/globs2"
else
  echo "SKIP: update-mime-database (install shared-mime-info)"
fi
png="$root/usr/share/icons/hicolor/256x256/apps/flowbench.png"
check "the PNG icon is a 256x256 PNG" python3 - "$png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read(24)
ok = data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (256, 256)
sys.exit(0 if ok else 1)
PY
check "the SVG icon is SVG" grep -q '<svg' "$root/usr/share/icons/hicolor/scalable/apps/flowbench.svg"

if [ "$failures" -gt 0 ]; then
  echo "tst_package: $failures check(s) failed" >&2
  exit 1
fi
echo "tst_package: all checks passed"
