import { SkillpassError } from '@skillpass/core';
import type { IIdentifier, IKey } from '@veramo/core-types';
import { AbstractDIDStore } from '@veramo/did-manager';
import { veramoTables } from './internal/veramo-tables.js';
import type { SqliteDatabase } from './open-sqlite.js';
import type { VeramoStoreOptions } from './sqlite-key-store.js';

interface DidRow {
  did: string;
  alias: string | null;
  provider: string;
  controller_key_id: string | null;
  keys: string;
  services: string;
}

/** Veramo's DID (identifier) store on SQLite. Keys are kept without private material. */
export class SqliteDIDStore extends AbstractDIDStore {
  readonly #db: SqliteDatabase;
  readonly #table: string;

  constructor(db: SqliteDatabase, options: VeramoStoreOptions = {}) {
    super();
    this.#db = db;
    this.#table = veramoTables(db, options.prefix ?? 'veramo_').dids;
  }

  /** Insert or update an identifier. An alias another DID already has is ERR_ALREADY_EXISTS. */
  override async importDID(args: IIdentifier): Promise<boolean> {
    if (!args.did || !args.provider)
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'an identifier needs did and provider');
    const keys = (args.keys ?? []).map(({ privateKeyHex: _secret, ...key }: IKey) => key);
    try {
      this.#db
        .prepare(
          `INSERT INTO "${this.#table}" (did, alias, provider, controller_key_id, keys, services) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(did) DO UPDATE SET alias = excluded.alias, provider = excluded.provider,
           controller_key_id = excluded.controller_key_id, keys = excluded.keys, services = excluded.services`,
        )
        .run(
          args.did,
          args.alias ?? null,
          args.provider,
          args.controllerKeyId ?? null,
          JSON.stringify(keys),
          JSON.stringify(args.services ?? []),
        );
    } catch (err) {
      // The only UNIQUE constraint the upsert can still hit is the alias of another DID.
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new SkillpassError('ERR_ALREADY_EXISTS', `another identifier has alias ${args.alias}`, {
          cause: err,
        });
      }
      throw err;
    }
    return true;
  }

  override async getDID(args: { did: string }): Promise<IIdentifier>;
  override async getDID(args: { alias: string }): Promise<IIdentifier>;
  override async getDID(args: { did?: string; alias?: string }): Promise<IIdentifier> {
    let row: DidRow | undefined;
    if (args.did !== undefined) {
      row = this.#db.prepare(`SELECT * FROM "${this.#table}" WHERE did = ?`).get(args.did) as
        | DidRow
        | undefined;
    } else if (args.alias !== undefined) {
      row = this.#db.prepare(`SELECT * FROM "${this.#table}" WHERE alias = ?`).get(args.alias) as
        | DidRow
        | undefined;
    } else {
      throw new SkillpassError('ERR_INVALID_OPTIONS', 'invalid_argument: getDID needs did or alias');
    }
    if (row === undefined) {
      throw new SkillpassError(
        'ERR_NOT_FOUND',
        `not_found: no identifier ${args.did ?? `with alias ${args.alias}`}`,
      );
    }
    return toIdentifier(row);
  }

  override async deleteDID({ did }: { did: string }): Promise<boolean> {
    const result = this.#db.prepare(`DELETE FROM "${this.#table}" WHERE did = ?`).run(did);
    if (result.changes === 0) throw new SkillpassError('ERR_NOT_FOUND', `not_found: no identifier ${did}`);
    return true;
  }

  override async listDIDs(args: { alias?: string; provider?: string } = {}): Promise<IIdentifier[]> {
    const rows = this.#db
      .prepare(
        `SELECT * FROM "${this.#table}" WHERE (@alias IS NULL OR alias = @alias) AND (@provider IS NULL OR provider = @provider) ORDER BY rowid`,
      )
      .all({ alias: args.alias ?? null, provider: args.provider ?? null }) as DidRow[];
    return rows.map(toIdentifier);
  }
}

function toIdentifier(row: DidRow): IIdentifier {
  const identifier: IIdentifier = {
    did: row.did,
    provider: row.provider,
    keys: JSON.parse(row.keys) as IKey[],
    services: JSON.parse(row.services) as IIdentifier['services'],
  };
  if (row.alias !== null) identifier.alias = row.alias;
  if (row.controller_key_id !== null) identifier.controllerKeyId = row.controller_key_id;
  return identifier;
}
