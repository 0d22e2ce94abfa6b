#!/usr/bin/env bash
# The memory cases of issue 9, each run through the release binary under `ulimit -v 2000000`
# (2 GB of address space): a case over a documented limit must end in its message and exit
# status 1, never in "failed to allocate" (SIGABRT); a case within the limits must give its
# result. Usage: Tests/Reliability/memory-cases.sh [BINARY]   (default .build/release/conflictql)
set -u
cd "$(dirname "$0")/../.."
binary=${1:-.build/release/conflictql}
[ -x "$binary" ] || { echo "no $binary: run 'swift build -c release' first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# run NAME STATUS EXPECTED [ARGUMENTS...] (standard input from $stdin): EXPECTED must occur
# in the standard error (status 1) or standard output (status 0).
stdin=/dev/null
run() {
    local name=$1 status=$2 expected=$3
    shift 3
    local started=$SECONDS
    (ulimit -v 2000000; exec timeout 300 "$binary" "$@" <"$stdin" >"$work/out" 2>"$work/err")
    local got=$?
    local text
    if [ "$status" = 0 ]; then text=$(cat "$work/out"); else text=$(cat "$work/err"); fi
    if [ "$got" = "$status" ] && [[ "$text" == *"$expected"* ]]; then
        echo "ok    $name: exit $got in $((SECONDS - started)) s: $(grep -m1 -E 'error|[0-9]' <<<"$text" | cut -c1-110)"
    else
        echo "FAIL  $name: exit $got (want $status), wanted '$expected' in:"
        head -c 600 "$work/err"; head -c 300 "$work/out"
        failures=$((failures + 1))
    fi
    stdin=/dev/null
}

# Tables of 144 and 114 rows joined with themselves on one key: 20,736 and 12,996 rows.
table() { echo "let a = groups | take 1 | extend x = [$(seq -s, 0 $(($1 - 1)))] | expand x | extend k = 1 | select x, k"; }

{ table 150; echo 'let b = a | join (a) on k | select k'; echo 'b | join (b) on k | count'; } >"$work/self-join.cq"
run "self-join of 506 million rows (over the row guard)" 1 "this join would make 506250000 rows, more than 200000000" "$work/self-join.cq"

{ table 114; echo 'let b = a | join (a) on k | select k, y = 1.5, z = "text"'; echo 'b | join (b) on k | count'; } >"$work/join.cq"
run "join of 169 million rows (under the row guard, over the memory)" 1 "this join would make 168896016 rows, about" "$work/join.cq"

{ table 144; echo 'let b = a | join (a) on k | select k'; echo "b | extend l = [$(seq -s, 0 9999)] | expand l | count"; } >"$work/expand.cq"
run "expand of 10,000-element lists over 20,736 rows" 1 "this list of 10000 values on each of 20736 rows would store more than 200000000 values" "$work/expand.cq"

{ table 2000; echo "a | extend l = [$(seq -s, 0 19999)], $(seq -f 'c%g = x' -s, 1 20) | expand l | summarize s = sum($(seq -f 'c%g' -s+ 1 20))"; } >"$work/expand-wide.cq"
run "expand of 40 million rows of 23 columns, all read" 1 "'expand' would make 40000000 rows, about" "$work/expand-wide.cq"

{ table 2000; echo "a | extend l = [$(seq -s, 0 19999)], $(seq -f 'c%g = x' -s, 1 20) | expand l | count"; } >"$work/expand-count.cq"
run "expand of 40 million rows, only counted (unread columns are not stored)" 0 "40000000" "$work/expand-count.cq"

{ echo -n groups; for i in $(seq 0 7999); do echo " | extend c$i = $i"; done; echo ' | select c7999 | take 1'; } >"$work/extends.cq"
run "8,000 extends of a new column each (150 KB)" 0 "7999" "$work/extends.cq"

{ echo -n groups; for i in $(seq 1 200000); do echo -n " | extend a = $i"; done; echo ' | select a | take 1'; } >"$work/replacing.cq"
run "200,000 extends of one column (4 MB)" 0 "200000" "$work/replacing.cq"

{ echo -n groups; for i in $(seq 0 7999); do echo " | extend c$i = $i | where true"; done; echo ' | count'; } >"$work/interleaved.cq"
run "8,000 extends each followed by a where (280 KB)" 1 "the script's stages would describe more than 4000000 columns in all" "$work/interleaved.cq"

{ echo -n "groups | extend $(seq -f 'c%g = 0' -s, 1 16000)"; for i in $(seq 1 100000); do echo -n " | where true"; done; echo ' | count'; } >"$work/wide-wheres.cq"
run "100,000 wheres over 16,000 columns (1.4 MB)" 0 "9" "$work/wide-wheres.cq"

{ seq -f 'c%g' -s, 1 300000; seq -f '%g' -s, 1 300000; } >"$work/wide.csv"
run "a CSV of 300,000 columns and one row" 1 "the file has more than 32767 columns, the most a table can have" -c "load \"$work/wide.csv\" as wide"

{ echo '['; for i in $(seq 0 199999); do echo "{\"k$((i % 16000))\":1},"; done; echo '{"k0":1}]'; } >"$work/keys.json"
run "a JSON file of 200,000 records over 16,000 keys" 1 "16000 columns of 200001 records would need more memory than there is" -c "load \"$work/keys.json\" as keys"

# Bombs: 3 GB of the same line, deflated to under 8 MB, as a .gz and as a zip member (the
# directory states the true size, so the zip is refused before inflating; the .gz, whose
# size is known only by inflating, stops when the next doubling of its memory is refused).
python3 - "$work" <<'PY'
import sys, zlib, zipfile
line = b"MLI1,2020-01-01,Mopti,0\n" * 43690
with open(sys.argv[1] + "/bomb.csv.gz", "wb") as out:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out.write(b"".join(packer.compress(line) for _ in range(3000)) + packer.flush())
with zipfile.ZipFile(sys.argv[1] + "/bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("events.csv", "w", force_zip64=True) as member:
        for _ in range(3000): member.write(line)
PY
run "a .gz of 3 GB of text (8 MB compressed)" 1 "the decompressed text passes 1024 MB, and there is not enough memory for it" -c "load \"$work/bomb.csv.gz\" as bomb"
run "a zip member of 3 GB of text (8 MB compressed)" 1 "member 'events.csv' is 2999 MB decompressed, and there is not enough memory for it" -c "load \"$work/bomb.zip\" as bomb"

yes '1+1' | head -c 50000000 >"$work/ones.cq"
run "50 MB script of 1+1 lines" 1 "the script is over the limit of 4194304 bytes (4 MiB)" "$work/ones.cq"

run "conflictql /dev/zero" 1 "the script is over the limit of 4194304 bytes (4 MiB)" /dev/zero

stdin=/dev/urandom
run "conflictql < /dev/urandom" 1 "invalid UTF-8 in script"

stdin=/dev/zero
run "conflictql < /dev/zero" 1 "the script is over the limit of 4194304 bytes (4 MiB)"

echo "$failures failed"
[ "$failures" = 0 ]
