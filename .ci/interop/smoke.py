"""Interop smoke test: the DataStax Python driver and cqlsh against `cassmodel serve`.

Clients we did not write check the embedded server: protocol version negotiation (the
driver starts above v4 and steps down), schema metadata parsing, prepared statements,
paging, LWT, batches, tracing, client warnings, and cqlsh's DESCRIBE, SELECT and TRACING.

    python smoke.py HOST PORT
Exit status 0 when every check passed; prints one line per check and a closing
'N passed, N failed' line.
"""

import os
import subprocess
import sys
import uuid

from cassandra.cluster import Cluster
from cassandra.query import BatchStatement, SimpleStatement

HOST, PORT = sys.argv[1], int(sys.argv[2])
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else f": {detail}"), flush=True)


def main():
    cluster = Cluster([HOST], port=PORT, connect_timeout=10)
    session = cluster.connect()
    check("negotiated protocol v4", cluster.protocol_version == 4, cluster.protocol_version)

    ks = "interop_" + uuid.uuid4().hex[:8]
    session.execute(
        f"CREATE KEYSPACE {ks} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
    )
    session.execute(
        f"CREATE TABLE {ks}.events (user text, day int, at timeuuid, body text, tags set<text>, "
        f"owner text static, PRIMARY KEY ((user, day), at)) WITH CLUSTERING ORDER BY (at DESC)"
    )
    cluster.refresh_schema_metadata()
    table = cluster.metadata.keyspaces[ks].tables["events"]
    check("metadata: partition key", [c.name for c in table.partition_key] == ["user", "day"],
          [c.name for c in table.partition_key])
    check("metadata: clustering key", [c.name for c in table.clustering_key] == ["at"],
          [c.name for c in table.clustering_key])
    check("metadata: static column", table.columns["owner"].is_static, table.columns["owner"])
    check("metadata: clustering order", table.clustering_key[0].is_reversed, "at should be DESC")

    insert = session.prepare(
        f"INSERT INTO {ks}.events (user, day, at, body, tags) VALUES (?, ?, now(), ?, ?)"
    )
    for i in range(250):
        session.execute(insert, ("ünïcode", 1, f"body {i}", {"a", f"t{i % 3}"}))
    rows = list(session.execute(SimpleStatement(
        f"SELECT body FROM {ks}.events WHERE user = %s AND day = %s", fetch_size=40),
        ("ünïcode", 1)))
    check("paging returns every row", len(rows) == 250, len(rows))
    check("clustering order DESC", rows[0].body == "body 249", rows[0].body)

    lwt = session.execute(
        f"INSERT INTO {ks}.events (user, day, at, body) VALUES ('x', 2, "
        f"50554d6e-29bb-11e5-b345-feff819cdc9f, 'first') IF NOT EXISTS")
    check("LWT applied", lwt.one()[0] is True, lwt.one())
    lwt = session.execute(
        f"INSERT INTO {ks}.events (user, day, at, body) VALUES ('x', 2, "
        f"50554d6e-29bb-11e5-b345-feff819cdc9f, 'second') IF NOT EXISTS")
    row = lwt.one()
    check("LWT not applied returns existing row", row[0] is False and row.body == "first", row)

    batch = BatchStatement()
    batch.add(SimpleStatement(f"UPDATE {ks}.events SET owner = 'o' WHERE user = 'b' AND day = 3"))
    batch.add(SimpleStatement(
        f"INSERT INTO {ks}.events (user, day, at, body) VALUES ('b', 3, now(), 'in batch')"))
    session.execute(batch)
    row = session.execute(f"SELECT owner, body FROM {ks}.events WHERE user = 'b' AND day = 3").one()
    check("batch applied", row is not None and row.owner == "o" and row.body == "in batch", row)

    traced = session.execute(f"SELECT body FROM {ks}.events WHERE user = 'x' AND day = 2", trace=True)
    trace = traced.get_query_trace(max_wait_sec=5)
    check("tracing session with events", trace.duration is not None and len(trace.events) > 0
          and trace.request_type == "Execute CQL3 query", (trace.duration, trace.events))
    counted = session.execute(f"SELECT count(*) FROM {ks}.events")
    check("client warning on an unrestricted aggregate",
          counted.response_future.warnings == ["Aggregation query used without partition key"],
          counted.response_future.warnings)

    try:
        session.execute(f"SELECT * FROM {ks}.events WHERE body = 'x'")
        check("ALLOW FILTERING required", False, "query was accepted")
    except Exception as e:  # InvalidRequest
        check("ALLOW FILTERING required", "ALLOW FILTERING" in str(e), e)
    cluster.shutdown()

    cqlsh = [os.path.join(os.path.dirname(sys.executable), "cqlsh"), HOST, str(PORT), "-e"]
    out = subprocess.run(cqlsh + ["DESCRIBE KEYSPACES"], capture_output=True, text=True, timeout=60)
    check("cqlsh DESCRIBE KEYSPACES", out.returncode == 0 and ks in out.stdout, out.stdout + out.stderr)
    out = subprocess.run(cqlsh + [f"SELECT user, day, body FROM {ks}.events WHERE user = 'x' AND day = 2"],
                         capture_output=True, text=True, timeout=60)
    check("cqlsh SELECT", out.returncode == 0 and "first" in out.stdout, out.stdout + out.stderr)
    out = subprocess.run(cqlsh + [f"TRACING ON; SELECT body FROM {ks}.events WHERE user = 'x' AND day = 2"],
                         capture_output=True, text=True, timeout=60)
    check("cqlsh TRACING ON", out.returncode == 0 and "Tracing session:" in out.stdout
          and "Request complete" in out.stdout, out.stdout + out.stderr)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash is a failed check, not a traceback-only exit
        check("smoke test ran to the end", False, repr(e))
    passed = sum(results)
    failed = len(results) - passed
    print(f"interop: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)
