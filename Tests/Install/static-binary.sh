#!/usr/bin/env bash
# Proves the one-binary install of README "Install" on a machine without Swift: builds the
# binary with the Swift runtime inside, makes the man page and the completion scripts as the
# README says, installs them into a Debian bookworm chroot made by debootstrap (no Swift
# toolchain, only the runtime packages the binary needs, man-db, zsh and fish), and there:
# prints the version, runs the tour and compares it with Samples/tour.out, opens the man page
# with `man conflictql`, and completes command lines in bash, zsh and fish (--format and
# --to-sql values, --load paths, --engine schemes, script files). It prints the figures the
# install article records: the binary's size, the libraries it loads (ldd) and the Debian
# packages they come from. Needs root (chroot) and, the first time, the Debian mirror
# (debootstrap); not part of `swift test` or CI: a release build takes minutes.
#
#   Tests/Install/static-binary.sh            (chroot in $CONFLICTQL_CHROOT, default
#                                              /var/tmp/conflictql-bookworm, made once, reused)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHROOT=${CONFLICTQL_CHROOT:-/var/tmp/conflictql-bookworm}
TOOLCHAIN=$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$ROOT"

# The binary, as README "Install" builds it.
swift build -c release --static-swift-stdlib --product conflictql --scratch-path .build-static > "$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; fail "the release build"; }
# A copy: generate-manual below builds every product again in this scratch path, with the
# Swift runtime linked dynamically, over this binary.
cp "$ROOT/.build-static/release/conflictql" "$WORK/conflictql"
BIN="$WORK/conflictql"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo ' (with changes)')"
echo "binary: $(stat -c %s "$BIN") bytes ($(du -h "$BIN" | cut -f1))"
echo "loads (ldd):"; ldd "$BIN" | sed 's/^/  /'
ldd "$BIN" | grep -q "$TOOLCHAIN" && fail "it loads libraries of the toolchain ($TOOLCHAIN)"
# The Debian packages those libraries come from (this machine is bookworm, as the chroot).
# dpkg knows some by their /lib path (merged /usr), the rest by /usr/lib.
PACKAGES=$(for library in $(ldd "$BIN" | awk '/=> \// { print $3 }' | xargs -n1 readlink -f); do
  dpkg -S "$library" 2>/dev/null || dpkg -S "${library#/usr}" 2>/dev/null || echo "none: $library"
done | cut -d: -f1 | sort -u | tr '\n' ' ')
grep -q none <<< "$PACKAGES" && fail "a library that no Debian package holds: $PACKAGES"
echo "Debian packages: $PACKAGES"

# The man page and the completions, as README "Install" makes them.
# The plugin builds every product in release again, without --static-swift-stdlib, so in this
# scratch path the modules are compiled again (and the next static build compiles them back).
swift package --scratch-path .build-static --allow-writing-to-package-directory generate-manual > "$WORK/manual.log" 2>&1 \
  || { tail -30 "$WORK/manual.log"; fail "generate-manual"; }
"$BIN" --man-page .build-static/plugins/GenerateManual/outputs/conflictql/conflictql.1 > "$WORK/conflictql.1"
LINT=$(mandoc -T lint -W warning "$WORK/conflictql.1" 2>&1 || true)
[ -z "$LINT" ] || { echo "$LINT"; fail "mandoc -T lint warns on the man page"; }
echo "man page: $(wc -l < "$WORK/conflictql.1") lines of mdoc, mandoc -T lint clean"
"$BIN" --generate-completion-script bash > "$WORK/conflictql.bash"
"$BIN" --generate-completion-script zsh > "$WORK/_conflictql"
"$BIN" --generate-completion-script fish > "$WORK/conflictql.fish"

# A Debian machine without Swift: minbase, the runtime packages, man-db and the three shells.
if [ ! -x "$CHROOT/usr/bin/man" ] || [ ! -x "$CHROOT/usr/bin/fish" ]; then
  INCLUDE=$(echo "$PACKAGES man-db zsh fish" | tr -s ' ' ',' | sed 's/^,//; s/,$//')
  debootstrap --variant=minbase --include="$INCLUDE" bookworm "$CHROOT" http://deb.debian.org/debian > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
fi
for package in $PACKAGES; do
  chroot "$CHROOT" dpkg -s "$package" > /dev/null 2>&1 || fail "the chroot lacks $package (rm -rf $CHROOT to make it again)"
done
[ -z "$(find "$CHROOT" -xdev -name 'libswiftCore*' -print -quit)" ] && [ ! -e "$CHROOT/usr/bin/swift" ] \
  || fail "the chroot has a Swift runtime or toolchain"
# The install step of the README, with the chroot as the root.
install -s -m 755 "$BIN" "$CHROOT/usr/local/bin/conflictql"
INSTALLED=$(stat -c %s "$CHROOT/usr/local/bin/conflictql")
echo "installed (install -s, stripped): $INSTALLED bytes ($(du -h "$CHROOT/usr/local/bin/conflictql" | cut -f1))"
install -D -m 644 "$WORK/conflictql.1" "$CHROOT/usr/local/share/man/man1/conflictql.1"
install -D -m 644 "$WORK/conflictql.bash" "$CHROOT/usr/share/bash-completion/completions/conflictql"
install -D -m 644 "$WORK/_conflictql" "$CHROOT/usr/local/share/zsh/site-functions/_conflictql"
install -D -m 644 "$WORK/conflictql.fish" "$CHROOT/usr/share/fish/vendor_completions.d/conflictql.fish"
rm -rf "$CHROOT/root/cq" && mkdir -p "$CHROOT/root/cq" && cp -r Samples "$CHROOT/root/cq/"
install -m 755 Tests/Install/zsh-complete.zsh "$CHROOT/root/zsh-complete.zsh"
# A command in the chroot, with /proc and /dev (bash's completion reads /dev/fd) mounted in a
# mount namespace of its own, so that nothing stays mounted after it.
inside() { unshare -m /bin/sh -c 'mount -t proc proc "$1/proc" && mount --rbind /dev "$1/dev" && shift && exec chroot "$@"' \
  sh "$CHROOT" "$CHROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TERM=dumb \
  /bin/bash -c "cd /root/cq && $1"; }

echo "in the chroot ($(cat "$CHROOT/etc/debian_version")):"
echo "  ldd: $(inside 'ldd /usr/local/bin/conflictql' | awk '{ print $1 }' | tr '\n' ' ')"
inside 'ldd /usr/local/bin/conflictql' | grep -q "not found" && fail "a library is missing in the chroot"
VERSION=$(inside 'conflictql --version') || fail "--version"
echo "  --version: $VERSION"
inside 'SOURCE_DATE_EPOCH=1795946400 conflictql Samples/tour.cq' > "$WORK/tour.txt" || fail "the tour exits with $?"
diff "$WORK/tour.txt" Samples/tour.out > /dev/null \
  || { diff "$WORK/tour.txt" Samples/tour.out | head -20; fail "the tour's output differs from Samples/tour.out"; }
echo "  the tour printed Samples/tour.out ($(wc -l < Samples/tour.out) lines)"
# `man conflictql`: found on man-db's path, rendered by groff; overstriking taken out.
inside 'MANWIDTH=80 man conflictql 2>&1' | sed 's/.\x08//g' > "$WORK/man.txt"
for heading in NAME SYNOPSIS DESCRIPTION LANGUAGE "EXIT STATUS"; do
  grep -q "^$heading" "$WORK/man.txt" || fail "man conflictql has no $heading"
done
grep -q -- "--format" "$WORK/man.txt" && grep -q "summarize" "$WORK/man.txt" && grep -q "\.connect URL" "$WORK/man.txt" \
  || fail "man conflictql lacks the options or the language"
grep -qi "subcommand" "$WORK/man.txt" && fail "man conflictql speaks of a subcommand"
echo "  man conflictql: $(wc -l < "$WORK/man.txt") lines: $(grep -c '^[A-Z]' "$WORK/man.txt") sections"

# Completion: each shell's function on a command line, what it offers compared.
expect() {  # expect SHELL 'LINE' 'CANDIDATE...' (every one offered, in any order)
  local offered
  case "$1" in
  bash) offered=$(inside "source /usr/share/bash-completion/completions/conflictql
      read -r -a COMP_WORDS <<< '$2'; [[ '$2' == *' ' ]] && COMP_WORDS+=('')
      COMP_CWORD=\$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE='$2'; COMP_POINT=\${#COMP_LINE}
      _conflictql conflictql \"\${COMP_WORDS[COMP_CWORD]}\" \"\${COMP_WORDS[COMP_CWORD-1]}\"
      printf '%s\n' \"\${COMPREPLY[@]}\"") ;;
  zsh) offered=$(inside "zsh /root/zsh-complete.zsh /usr/local/share/zsh/site-functions '$2'") ;;
  fish) offered=$(inside "fish -c 'complete -C \"$2\"'" | cut -f1) ;;
  esac
  for candidate in $3; do
    grep -qxF -- "$candidate" <<< "$offered" || fail "$1 offers for '$2': $(echo $offered) (not $candidate)"
  done
  echo "  $1 completes '$2' with: $(echo $offered)"
}
for shell in bash zsh fish; do
  expect $shell 'conflictql --format ' 'table csv json ndjson markdown svg parquet'
  expect $shell 'conflictql --to-sql ' 'duckdb postgres spark bigquery'
  expect $shell 'conflictql --load Samples/data/we' 'Samples/data/weekly-events.csv'
  expect $shell 'conflictql --engine ' 'postgres:// postgresql://'
  expect $shell 'conflictql Samples/to' 'Samples/tour.cq'
done
# Scripts are .cq files: bash and fish leave out the tour's expected output.
inside "source /usr/share/bash-completion/completions/conflictql; COMP_WORDS=(conflictql Samples/to); COMP_CWORD=1
  _conflictql conflictql Samples/to conflictql; printf '%s\n' \"\${COMPREPLY[@]}\"" | grep -q 'tour.out' \
  && fail "bash offers Samples/tour.out as a script"
inside "fish -c 'complete -C \"conflictql Samples/to\"'" | grep -q 'tour.out' && fail "fish offers Samples/tour.out as a script"
# No shell offers a `help` word (argument-parser's subcommand, which would run as a script).
inside "fish -c 'complete -C \"conflictql \"'" | cut -f1 | grep -qx help && fail "fish offers help"
inside "zsh /root/zsh-complete.zsh /usr/local/share/zsh/site-functions 'conflictql '" | grep -qx help && fail "zsh offers help"
# The figures into the Installing article, between its markers.
ARTICLE=Sources/ConflictQL/ConflictQL.docc/Installing.md
LIBRARIES=$(ldd "$BIN" | awk '{ print $1 }' | grep -v -e '^linux-vdso' -e '^/lib64/ld-linux' | sed 's/.*/`&`/' \
  | paste -sd, - | sed 's/,/, /g')
{
  echo "| | |"
  echo "|---|---|"
  echo "| run | $(date -u +%Y-%m-%d), commit \`$(git rev-parse --short HEAD)\`, \`$VERSION\`," \
    "Debian $(cat "$CHROOT/etc/debian_version") chroot (debootstrap minbase) |"
  echo "| binary | $(stat -c %s "$BIN") bytes ($(du -h "$BIN" | cut -f1)) as built, $INSTALLED bytes" \
    "($(du -h "$CHROOT/usr/local/bin/conflictql" | cut -f1)) installed with \`install -s\`," \
    "\`swift build -c release --static-swift-stdlib\` with $(swift --version 2>&1 | head -1 | sed 's/ (.*//') |"
  echo "| loads (\`ldd\`) | $LIBRARIES, and the C library |"
  echo "| Debian packages | $(echo $PACKAGES | sed 's/[^ ]*/`&`/g; s/ /, /g') |"
  echo "| checked there | \`--version\`; the tour equal to \`Samples/tour.out\`; \`man conflictql\` (NAME to EXIT STATUS," \
    "LANGUAGE included); bash, zsh and fish complete \`--format\`, \`--to-sql\`, \`--load\` paths, \`--engine\` schemes" \
    "and \`.cq\` scripts |"
} > "$WORK/figures.md"
awk -v figures="$WORK/figures.md" '
  /<!-- static-binary: begin -->/ { print; while ((getline line < figures) > 0) print line; skipping = 1; next }
  /<!-- static-binary: end -->/ { skipping = 0 }
  !skipping' "$ARTICLE" > "$WORK/article.md" && cp "$WORK/article.md" "$ARTICLE"
echo "recorded in $ARTICLE"
echo "PASS: on Debian $(cat "$CHROOT/etc/debian_version") without Swift, the installed binary ran the tour, man opened its page," \
  "and bash, zsh and fish completed its options"
