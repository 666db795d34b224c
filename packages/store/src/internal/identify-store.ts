import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { SkillpassError } from '@skillpass/core';
import Database from 'better-sqlite3';
import {
  isEarlierStore,
  STORE_APPLICATION_IDS,
  type StoreKind,
  type StoreShape,
  storeKindLabel,
  storeKindOfApplicationId,
} from '../store-kinds.js';

/** What a file is, for the kind a caller expects. Anything else is refused by throwing. */
export type StoreIdentity =
  /** No file: a new store may be created. */
  | 'missing'
  /** A file with no tables and no application id (an empty or just-created SQLite file). */
  | 'empty'
  /** A file carrying the kind's application id. */
  | 'ours'
  /** A file of the kind written before files carried the id (identified by its tables). */
  | 'earlier';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** Offsets in the SQLite file header (https://sqlite.org/fileformat.html#the_database_header). */
const WRITE_VERSION = 18;
const READ_VERSION = 19;
const APPLICATION_ID = 68;

/**
 * Largest WAL-mode file without an id that is identified from a copy in memory. A read-only
 * SQLite connection to a WAL-mode file creates `-wal` and `-shm` files next to it and leaves them;
 * the copy avoids that. A larger file (never one skillpass wrote) is read on disk instead.
 */
const MAX_COPY_BYTES = 256 * 1024 * 1024;

/**
 * Identify `path` as a store of `kind` without writing anything: the header is read directly
 * (non-blocking, after checking it is a regular file, so a FIFO never hangs), and the schema, when
 * needed, through a read-only connection or an in-memory copy.
 *
 * @throws SkillpassError ERR_NOT_FOUND when `path` cannot be opened or is not a regular file;
 *   ERR_STORE_CORRUPT when it is not a SQLite database, or a SQLite database that is not a store
 *   of `kind` (a foreign database, or a skillpass store of another kind).
 */
export function identifyStore(path: string, kind: StoreKind): StoreIdentity {
  const head = readHeader(path);
  if (head === undefined) return 'missing';
  if (head.length === 0) return 'empty';
  if (head.length < HEADER_BYTES || !head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new SkillpassError('ERR_STORE_CORRUPT', `${path} is not a SQLite database`);
  }
  const wal = existsSync(`${path}-wal`);
  // Without a -wal file every committed transaction is in the main file, so its header is current.
  if (!wal) {
    const id = head.readInt32BE(APPLICATION_ID);
    if (id === STORE_APPLICATION_IDS[kind]) return 'ours';
    if (id !== 0) throw notOurs(path, kind, id, undefined);
  }
  const { id, shape } = readShape(path, head, wal);
  if (id === STORE_APPLICATION_IDS[kind]) return 'ours';
  if (id === 0 && shape.tables.length === 0 && shape.userVersion === 0) return 'empty';
  if (id === 0 && isEarlierStore(kind, shape)) return 'earlier';
  throw notOurs(path, kind, id, shape);
}

/**
 * Inside a write transaction on a freshly opened connection: check again that the file is
 * still what {@link identifyStore} found (another process may have changed it in between) and
 * give it the kind's application id.
 */
export function stampStore(db: Database.Database, path: string, kind: StoreKind): void {
  const ours = STORE_APPLICATION_IDS[kind];
  const id = db.pragma('application_id', { simple: true }) as number;
  if (id === ours) return;
  const shape = shapeOf(db);
  const empty = shape.tables.length === 0 && shape.userVersion === 0;
  if (id !== 0 || !(empty || isEarlierStore(kind, shape))) throw notOurs(path, kind, id, shape);
  db.pragma(`application_id = ${ours}`);
}

/** The first 100 bytes (fewer for a short file), or undefined when there is no file. */
function readHeader(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SkillpassError('ERR_NOT_FOUND', `cannot open database ${path}`, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SkillpassError('ERR_NOT_FOUND', `${path} is not a regular file`);
    const head = Buffer.alloc(HEADER_BYTES);
    let got = 0;
    while (got < HEADER_BYTES) {
      const n = readSync(fd, head, got, HEADER_BYTES - got, got);
      if (n === 0) break;
      got += n;
    }
    return head.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The application id and shape, read without leaving anything behind. */
function readShape(path: string, head: Buffer, wal: boolean): { id: number; shape: StoreShape } {
  let db: Database.Database;
  try {
    const walMode = head[WRITE_VERSION] === 2 || head[READ_VERSION] === 2;
    if (walMode && !wal) {
      const bytes = readSmallFile(path);
      if (bytes === undefined) {
        db = new Database(path, { readonly: true, fileMustExist: true });
      } else {
        // An in-memory database cannot be in WAL mode: mark the copy as a rollback-journal file.
        bytes[WRITE_VERSION] = 1;
        bytes[READ_VERSION] = 1;
        db = new Database(bytes, { readonly: true });
      }
    } else {
      db = new Database(path, { readonly: true, fileMustExist: true });
    }
  } catch (err) {
    throw new SkillpassError('ERR_STORE_CORRUPT', `cannot read database ${path}`, { cause: err });
  }
  try {
    return { id: db.pragma('application_id', { simple: true }) as number, shape: shapeOf(db) };
  } catch (err) {
    throw new SkillpassError('ERR_STORE_CORRUPT', `${path} is not a usable SQLite database`, { cause: err });
  } finally {
    db.close();
  }
}

function readSmallFile(path: string): Buffer | undefined {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (fstatSync(fd).size > MAX_COPY_BYTES) return undefined;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function shapeOf(db: Database.Database): StoreShape {
  const tables = (
    db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .all() as {
      name: string;
    }[]
  ).map((row) => row.name);
  let components: StoreShape['components'];
  if (tables.includes('store_migrations')) {
    try {
      components = db.prepare('SELECT component, version FROM store_migrations').all() as {
        component: string;
        version: number;
      }[];
    } catch {
      components = undefined;
    }
  }
  return { tables, components, userVersion: db.pragma('user_version', { simple: true }) as number };
}

function notOurs(path: string, kind: StoreKind, id: number, shape: StoreShape | undefined): SkillpassError {
  let other = storeKindOfApplicationId(id);
  if (other === undefined && id === 0 && shape !== undefined) {
    other = (['wallet', 'issuer', 'verifier'] as const).find((k) => k !== kind && isEarlierStore(k, shape));
  }
  const what = other === undefined ? 'a database skillpass did not write' : `a ${storeKindLabel(other)}`;
  return new SkillpassError(
    'ERR_STORE_CORRUPT',
    `${path} is ${what}, not a ${storeKindLabel(kind)}: refused, the file is unchanged`,
  );
}
