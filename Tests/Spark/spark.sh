#!/usr/bin/env bash
# A throwaway Spark Connect server in local mode, for the remote Spark tests (SparkRemoteTests):
#   eval "$(Tests/Spark/spark.sh start)"   # prints export CONFLICTQL_SPARK=sc://localhost:PORT
#   Tests/Spark/spark.sh stop
# Uses the Spark that PySpark's pip package carries (pip install 'pyspark==4.0.*', installed
# when missing) and Java 17; the driver, which is all of local mode, gets CONFLICTQL_SPARK_MEMORY
# (1g unless set). The server listens on 127.0.0.1 only; its logs, warehouse and pid file live
# in CONFLICTQL_SPARK_DIR, so helpers on one machine can each run their own (with
# CONFLICTQL_SPARK_PORT).
set -euo pipefail
DIR=${CONFLICTQL_SPARK_DIR:-/tmp/conflictql-spark}
PORT=${CONFLICTQL_SPARK_PORT:-15002}
PYTHON=${CONFLICTQL_SPARK_PYTHON:-python3}
CLASS=org.apache.spark.sql.connect.service.SparkConnectServer
home() { "$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))' 2>/dev/null; }
case ${1:-} in
  start)
    SPARK_HOME=$(home || true)
    if [ -z "$SPARK_HOME" ]; then
      "$PYTHON" -m pip install -q 'pyspark==4.0.*' >&2
      SPARK_HOME=$(home)
    fi
    export SPARK_HOME SPARK_PID_DIR="$DIR" SPARK_LOG_DIR="$DIR/logs" SPARK_IDENT_STRING=conflictql
    # A server left running here (an earlier start) is stopped first.
    "$SPARK_HOME/sbin/spark-daemon.sh" stop "$CLASS" 1 >/dev/null 2>&1 || true
    rm -rf "$DIR"; mkdir -p "$DIR/logs"
    started=$(date +%s)
    # What Spark's sbin/start-connect-server.sh does (the pip package leaves that script out).
    "$SPARK_HOME/sbin/spark-daemon.sh" submit "$CLASS" 1 --name "Spark Connect server" --master 'local[2]' \
      --conf spark.connect.grpc.binding.address=127.0.0.1 \
      --conf spark.connect.grpc.binding.port="$PORT" \
      --conf spark.sql.warehouse.dir="$DIR/warehouse" \
      --conf spark.driver.extraJavaOptions="-Dderby.system.home=$DIR" \
      --conf spark.ui.enabled=false \
      --driver-memory "${CONFLICTQL_SPARK_MEMORY:-1g}" \
      --conf spark.sql.shuffle.partitions=2 >&2
    # Ready when the port answers (the JVM takes a while: 20 s on an idle machine, two minutes
    # on a busy one), at most five minutes.
    for _ in $(seq 1 600); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "spark.sh: Spark Connect on port $PORT after $(( $(date +%s) - started )) s" >&2
        echo "export CONFLICTQL_SPARK='sc://127.0.0.1:$PORT'"
        exit 0
      fi
      sleep 0.5
    done
    echo "spark.sh: the server did not answer on port $PORT; its log:" >&2
    tail -20 "$DIR"/logs/*.out >&2 || true
    exit 1
    ;;
  stop)
    SPARK_HOME=$(home || true)
    [ -n "$SPARK_HOME" ] || exit 0
    export SPARK_HOME SPARK_PID_DIR="$DIR" SPARK_LOG_DIR="$DIR/logs" SPARK_IDENT_STRING=conflictql
    "$SPARK_HOME/sbin/spark-daemon.sh" stop "$CLASS" 1 >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
