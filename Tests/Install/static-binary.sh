#!/usr/bin/env bash
# Builds the one-binary install (README "Install") and proves it runs without the Swift
# toolchain: the toolchain's folder is hidden in a private mount namespace (root needed),
# then the binary runs the tour and prints its version, bash completes `conflictql --format
# <Tab>` from the script the binary writes, and the man page made by the README's command
# opens with `man`. It lists what the binary still loads from the system (readline, zlib,
# libstdc++, RE2). Not part of `swift test`: a release build takes minutes.
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
swift package --allow-writing-to-package-directory generate-manual > /tmp/conflictql-manual.log 2>&1 \
  || { tail -30 /tmp/conflictql-manual.log; exit 1; }
MAN="$ROOT/.build/plugins/GenerateManual/outputs/conflictql/conflictql.1"
EMPTY=$(mktemp -d)
trap 'rmdir "$EMPTY"' EXIT
# What a user's shell does on Tab after `conflictql --format `: the completion function fills COMPREPLY.
COMPLETE='source <("$0" --generate-completion-script bash); COMP_WORDS=(conflictql --format ""); COMP_CWORD=2
  COMP_LINE="conflictql --format "; COMP_POINT=${#COMP_LINE}; _conflictql conflictql "" --format; echo "${COMPREPLY[*]}"'
unshare -m bash -c "mount --bind '$EMPTY' '$TOOLCHAIN' && test -z \"\$(ls '$TOOLCHAIN')\" \
  && '$BIN' --version && SOURCE_DATE_EPOCH=1795946400 '$BIN' Samples/tour.cq > /tmp/conflictql-static-tour.txt \
  && bash -O extglob -c '$COMPLETE' '$BIN' > /tmp/conflictql-static-completion.txt \
  && MANWIDTH=80 man -l '$MAN' 2>&1 | col -b > /tmp/conflictql-static-man.txt"
echo "bash completes 'conflictql --format <Tab>' with: $(cat /tmp/conflictql-static-completion.txt)"
grep -qw csv /tmp/conflictql-static-completion.txt && grep -qw json /tmp/conflictql-static-completion.txt \
  || { echo "FAIL: no formats completed"; exit 1; }
echo "man: $(head -3 /tmp/conflictql-static-man.txt | tr -s ' \n' ' ')"
grep -q -- "--format" /tmp/conflictql-static-man.txt || { echo "FAIL: the man page does not open"; exit 1; }
diff <(cat /tmp/conflictql-static-tour.txt) Samples/tour.out > /dev/null \
  && echo "PASS: the tour ran with $TOOLCHAIN hidden and printed Samples/tour.out" \
  || { echo "FAIL: the tour's output differs from Samples/tour.out"; exit 1; }
