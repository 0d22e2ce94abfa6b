#!/usr/bin/env python3
"""The regular-expression differential fuzzer: random patterns of RE2's syntax and random
Unicode strings, `matches` and `extract` in ConflictQL against the SQL it emits for DuckDB
(`regexp_matches`, `regexp_extract`), run in DuckDB (python3 -m pip install duckdb).

    Tests/Fuzz/regex_fuzz.py [--seconds N] [--batches N] [--seed S] [--binary PATH] [--findings FILE]
    Tests/Fuzz/regex_fuzz.py --engine postgres --dsn "$CONFLICTQL_POSTGRES" ...

With --engine postgres the SQL is PostgreSQL's, where patterns are written again for its
engine (PatternSQL.swift); what it refuses to write is counted, not a finding.

Each batch loads 60 random strings as a JSON table `tPID` and asks one query per pattern through
the real executable (`--format csv`), then the same queries' SQL (`--to-sql duckdb`) in
DuckDB over the same rows. A finding is a pattern DuckDB accepts where the answers differ on
some string, or one that ConflictQL refuses or fails on although DuckDB accepts it (the
pattern limits aside). Findings are printed and appended to --findings as JSON lines; the
exit status is 1 when there were any. The tests run a few batches on every build
(RegexFuzzTests); the long run is this script with --seconds.
"""
import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time

# Characters that make the differences: case pairs with a third member (k K K, s S ſ, σ Σ ς,
# ω Ω Ω), accented letters in both forms, digits of other scripts, wide and astral characters,
# line breaks, quotes and the characters SQL and the language escape.
ALPHABET = list("abkseEAZz09 _-.'\"\\[](){}|*+?^$") + [
    "é", "É", "e\u0301", "ß", "ẞ", "σ", "Σ", "ς", "K", "\u212a", "ſ", "ω", "Ω", "\u2126",
    "٣", "İ", "ı", "i", "I", "ǅ", "ǆ", "Ǆ", "東", "😀", "’", "\n", "\r", "\t", "\u00a0", "\u2028",
]
LITERALS = [c for c in ALPHABET if c not in "\n\r"] + ["\\n", "\\t", "\\x{212A}", "\\x41", "\\0"]
# The strings leave out characters canonically equivalent to others (the Kelvin and Ohm
# signs, e with a combining accent): the JSON loader interns strings as Swift compares them,
# so "\u212a" and "K" in one column become one string (a finding of this fuzzer's first run,
# outside regular expressions). The patterns keep them.
TEXT_ALPHABET = [c for c in ALPHABET if c not in ("\u212a", "\u2126", "e\u0301")] + ["\u0301"]
SPECIAL = set(".+*?()|[]{}^$\\")
CLASS_ITEMS = ["a", "z", "a-z", "A-Z", "0-9", "é", "à-ÿ", "α-ω", "Σ", "\\d", "\\w", "\\s", "\\D", "\\W",
               "[:alpha:]", "[:digit:]", "[:upper:]", "[:space:]", "[:punct:]", "[:word:]", "\\pL",
               "\\p{Greek}", "_", "\\-", "\\]", "\\\\", ".", "'", "\"", "\u212a", "ſ", "東", "😀", "\\n"]
ESCAPES = ["\\d", "\\w", "\\s", "\\D", "\\W", "\\S", "\\b", "\\B", "\\pL", "\\pN", "\\p{Lu}", "\\p{Greek}",
           "\\PL", "\\A", "\\z", "\\Qa.b\\E", "\\x{E9}"]


def literal(rng):
    c = rng.choice(LITERALS)
    return "\\" + c if c in SPECIAL and len(c) == 1 else c


def char_class(rng):
    items = "".join(rng.choice(CLASS_ITEMS) for _ in range(rng.randint(1, 3)))
    return "[" + ("^" if rng.random() < 0.3 else "") + items + "]"


def atom(rng, depth):
    r = rng.random()
    if r < 0.40 or depth > 3:
        return literal(rng)
    if r < 0.50:
        return "."
    if r < 0.62:
        return char_class(rng)
    if r < 0.72:
        return rng.choice(ESCAPES)
    if r < 0.77:
        return rng.choice(["^", "$"])
    opener = rng.choice(["(", "(", "(?:", "(?i:", "(?s:", "(?P<g>" if depth == 0 else "("])
    if opener in ("(", "(?P<g>"):
        GROUPS[0] += 1
    return opener + alternation(rng, depth + 1) + ")"


def quantified(rng, depth):
    a = atom(rng, depth)
    if a in ("^", "$", "\\b", "\\B", "\\A", "\\z") or rng.random() < 0.7:
        return a
    q = rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"])
    return a + q + ("?" if rng.random() < 0.2 else "")


def alternation(rng, depth):
    branches = ["".join(quantified(rng, depth) for _ in range(rng.randint(1, 4)))
                for _ in range(1 if rng.random() < 0.7 else rng.randint(2, 3))]
    return "|".join(branches)


GROUPS = [0]  # capturing groups of the pattern being made
# The table's name is this process's own: two runs against one PostgreSQL must not read each
# other's rows (the first PostgreSQL runs overlapped for a minute and reported 58 false findings).
TABLE = "t%d" % os.getpid()


def pattern(rng):
    """A random pattern and how many capturing groups it has."""
    GROUPS[0] = 0
    flags = rng.choice(["", "", "", "(?i)", "(?s)", "(?m)", "(?is)", "(?U)"])
    return flags + alternation(rng, 0), GROUPS[0]


def text(rng):
    return "".join(rng.choice(TEXT_ALPHABET) for _ in range(rng.randint(0, 12)))


def language_string(s):
    """A ConflictQL string literal holding `s` exactly."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\0":
            out.append("\\0")
        elif ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0:
            out.append("\\u{%x}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def queries(p, groups):
    lit = language_string(p)
    qs = [f"{TABLE} | extend m = s matches {lit} | select id, m",
          f"{TABLE} | extend m = extract(s, {lit}, 0) | select id, m"]
    if groups:
        qs.append(f"{TABLE} | extend m = extract(s, {lit}, 1) | select id, m")
    return qs


def run_ours(binary, data, qs):
    """The answers per query: {id: value} or an error string."""
    out = []
    for q in qs:
        r = subprocess.run([binary, "--no-sources", "--load", data + "=" + TABLE, "--format", "csv", "-c", q],
                           capture_output=True, timeout=60)
        if r.returncode != 0:
            err = r.stderr.decode("utf-8", "replace").strip()
            out.append("error: " + err.splitlines()[0] if err else f"exit {r.returncode}")
            continue
        # Bytes, not text mode: text mode would turn a "\r" in a value into "\n".
        rows = list(csv.reader(io.StringIO(r.stdout.decode("utf-8"), newline="")))
        out.append({row[0]: row[1] for row in rows[1:] if row})
    return out


def run_sql(binary, data, q, engine):
    r = subprocess.run([binary, "--load", data + "=" + TABLE, "--to-sql", engine, "-c", q],
                       capture_output=True, text=True, timeout=60)
    if r.returncode == 0:
        return r.stdout, None
    return None, r.stderr.strip().splitlines()[0] if r.stderr.strip() else f"exit {r.returncode}"


# Refusals by design: the SQL would give another answer (PatternSQL.swift, TextFunctions).
EXPECTED_REFUSALS = ["may take no part in the match and may match ''"]


def as_csv_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class Engine:
    """DuckDB, or PostgreSQL through psycopg, holding the table `t`."""
    def __init__(self, name, dsn):
        self.name = name
        if name == "postgres":
            import psycopg
            self.connection = psycopg.connect(dsn, autocommit=True)
        else:
            self.connection = duckdb.connect()

    def load(self, strings):
        cur = self.connection.cursor()
        cur.execute("DROP TABLE IF EXISTS " + TABLE)
        cur.execute("CREATE TABLE %s (id BIGINT, s %s, _cq_row BIGINT)" % (TABLE, "TEXT" if self.name == "postgres" else "VARCHAR"))
        cur.executemany(("INSERT INTO %s VALUES (%%s, %%s, %%s)" if self.name == "postgres" else "INSERT INTO %s VALUES (?, ?, ?)") % TABLE,
                        [(i, s, i) for i, s in enumerate(strings)])

    def rows(self, sql):
        cur = self.connection.cursor()
        cur.execute(sql)
        return cur.fetchall()


def one_batch(rng, binary, con, engine, workdir, patterns_per_batch):
    strings = [text(rng) for _ in range(60)]
    data = os.path.join(workdir, "t.json")
    with open(data, "w", encoding="utf-8") as f:
        json.dump([{"id": i, "s": s} for i, s in enumerate(strings)], f, ensure_ascii=False)
    engine.load(strings)
    cases, findings, refused = 0, [], 0
    for _ in range(patterns_per_batch):
        p, groups = pattern(rng)
        try:
            con.execute("SELECT regexp_matches('', ?)", [p])
        except duckdb.Error:
            continue  # DuckDB refuses the pattern too: not a case
        qs = queries(p, groups > 0)
        ours = run_ours(binary, data, qs)
        for q, mine in zip(qs, ours):
            cases += 1
            if isinstance(mine, str):
                if "more than the limit" in mine or "too large" in mine:
                    continue
                findings.append({"pattern": p, "query": q, "ours": mine, "duckdb": "accepted"})
                continue
            sql, refusal = run_sql(binary, data, q, engine.name)
            if sql is None:
                refused += 1
                if not any(reason in refusal for reason in EXPECTED_REFUSALS) and not (
                        engine.name == "postgres" and "cannot be expressed in postgres SQL" in refusal):
                    findings.append({"pattern": p, "query": q, "ours": "SQL refused: " + refusal, "duckdb": "accepted"})
                continue
            try:
                theirs = {str(r[0]): as_csv_value(r[1]) for r in engine.rows(sql)}
            except Exception as e:
                findings.append({"pattern": p, "query": q, "ours": "ran", "duckdb": "error: " + str(e).splitlines()[0], "sql": sql})
                continue
            for i, s in enumerate(strings):
                if mine.get(str(i)) != theirs.get(str(i)):
                    findings.append({"pattern": p, "query": q, "text": s, "ours": mine.get(str(i)), "duckdb": theirs.get(str(i)), "sql": sql})
                    break
    return cases, findings, refused


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=0)
    parser.add_argument("--batches", type=int, default=1)
    parser.add_argument("--patterns", type=int, default=20, help="patterns per batch")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--binary", default=".build/debug/conflictql")
    parser.add_argument("--findings", default=None)
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "postgres"])
    parser.add_argument("--dsn", default=os.environ.get("CONFLICTQL_POSTGRES", ""))
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    con = duckdb.connect()  # RE2's verdict on each pattern
    engine = Engine(args.engine, args.dsn)
    total_refused = 0
    start = time.time()
    total_cases, total_findings, batches = 0, 0, 0
    with tempfile.TemporaryDirectory() as workdir:
        while True:
            cases, findings, refused = one_batch(rng, args.binary, con, engine, workdir, args.patterns)
            total_refused += refused
            batches += 1
            total_cases += cases
            total_findings += len(findings)
            for f in findings:
                line = json.dumps(f, ensure_ascii=False)
                print("FINDING", line, flush=True)
                if args.findings:
                    with open(args.findings, "a", encoding="utf-8") as out:
                        out.write(line + "\n")
            elapsed = time.time() - start
            if args.seconds and batches % 10 == 0:
                print(f"{elapsed:.0f} s: {batches} batches, {total_cases} cases, {total_findings} findings", flush=True)
            if (args.seconds and elapsed >= args.seconds) or (not args.seconds and batches >= args.batches):
                break
    engine.connection.cursor().execute("DROP TABLE IF EXISTS " + TABLE)
    print(f"seed {seed}, {args.engine}: {batches} batches, {total_cases} cases (query x 60 strings), "
          f"{total_refused} refused as not expressible, {total_findings} findings, {time.time() - start:.0f} s")
    return 1 if total_findings else 0


if __name__ == "__main__":
    import duckdb
    sys.exit(main())
