# BigQuery is not reachable from here, so its SQL is checked as far as a parser can: every
# statement that `conflictql --to-sql bigquery` writes for the samples must parse with
# sqlglot's BigQuery dialect (pip install sqlglot). Syntax only: nothing is run. Usage, from
# the repository after `swift build`: python3 Tests/SQL/bigquery_parse.py
import subprocess, sys, glob, sqlglot
from sqlglot.errors import ParseError
ok = bad = 0
for script in sorted(glob.glob("Samples/*.cq")):
    out = subprocess.run([".build/debug/conflictql", "--to-sql", "bigquery", script], capture_output=True, text=True)
    sql = out.stdout
    for stmt in [s for s in sql.split(";\n") if s.strip() and not s.strip().startswith("--")]:
        body = "\n".join(l for l in stmt.splitlines() if not l.startswith("--"))
        if not body.strip(): continue
        try:
            sqlglot.parse_one(body, read="bigquery"); ok += 1
        except ParseError as e:
            bad += 1; print("PARSE ERROR in", script, str(e)[:300]); print(body[:500])
print("bigquery statements parsed:", ok, "failed:", bad)
sys.exit(1 if bad else 0)
