#!/usr/bin/env bash
# Builds the one-binary install (README "Install") and proves it runs without the Swift
# toolchain: the toolchain's folder is hidden in a private mount namespace (root needed),
# then the binary runs the tour and prints its version. It lists what the binary still
# loads from the system (readline, zlib, libstdc++). Not part of `swift test`: a release
# build takes minutes.
#
#   Tests/Install/static-binary.sh [SWIFT_TOOLCHAIN_DIR]   (default: the one `swift` is in)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TOOLCHAIN=${1:-$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)}
cd "$ROOT"
swift build -c release --static-swift-stdlib --product conflictql --scratch-path .build-static > /tmp/conflictql-static-build.log 2>&1 \
  || { tail -30 /tmp/conflictql-static-build.log; exit 1; }
BIN="$ROOT/.build-static/release/conflictql"
echo "binary: $BIN ($(du -h "$BIN" | cut -f1))"
echo "loads:"; ldd "$BIN" | sed 's/^/  /'
if ldd "$BIN" | grep -q "$TOOLCHAIN"; then echo "FAIL: it loads libraries of the toolchain"; exit 1; fi
EMPTY=$(mktemp -d)
trap 'rmdir "$EMPTY"' EXIT
unshare -m bash -c "mount --bind '$EMPTY' '$TOOLCHAIN' && test -z \"\$(ls '$TOOLCHAIN')\" \
  && '$BIN' --version && SOURCE_DATE_EPOCH=1795946400 '$BIN' Samples/tour.cq > /tmp/conflictql-static-tour.txt"
diff <(cat /tmp/conflictql-static-tour.txt) Samples/tour.out > /dev/null \
  && echo "PASS: the tour ran with $TOOLCHAIN hidden and printed Samples/tour.out" \
  || { echo "FAIL: the tour's output differs from Samples/tour.out"; exit 1; }
