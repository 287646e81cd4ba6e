import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { backend } from "../helpers/database.js";

// Issue 15, part 5: on SQLite (WAL) a transaction that reads and then
// writes cannot wait for the write lock once another connection (the import
// worker's) has committed in between: SQLite answers SQLITE_BUSY at once,
// and an upload got a 503. Every transaction begins as a writer instead, so
// the other connection waits for it (and it for the other).

describe.runIf(backend === "sqlite")("SQLite write transactions", () => {
  let dir: string;
  let database: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "assetport-writers-"));
    database = await openDatabase(join(dir, "a.db"));
    await sql`create table probe (writer text)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("take the write lock at BEGIN: a read, another connection's commit, then a write all succeed", async () => {
    let other: Worker | undefined;
    await database.db.transaction().execute(async (trx) => {
      await trx.selectFrom("tenants").select("id").execute();
      // Another connection writes meanwhile, as the import worker's thread does.
      other = new Worker(
        `const db = require("better-sqlite3")(${JSON.stringify(join(dir, "a.db"))});
         db.pragma("busy_timeout = 5000");
         db.prepare("insert into probe values ('other')").run();
         require("node:worker_threads").parentPort.postMessage("committed");`,
        { eval: true },
      );
      // Given time to commit: it cannot, while this transaction holds the lock.
      const committed = once(other, "message").then(() => true);
      expect(await Promise.race([committed, new Promise((resolve) => setTimeout(() => resolve(false), 300))])).toBe(false);
      await sql`insert into probe values ('this')`.execute(trx);
    });
    await once(other!, "message");
    await other!.terminate();
    expect((await sql<{ writer: string }>`select writer from probe`.execute(database.db)).rows.map((r) => r.writer)).toEqual(["this", "other"]);
  });
});
