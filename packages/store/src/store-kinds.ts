/**
 * The kinds of SQLite store skillpass writes. Each has its own `PRAGMA application_id` (bytes
 * 68–71 of the file header), so a file is identified before anything is written to it: a wallet
 * is never opened as an issuer store, nor a foreign database as either.
 */
export type StoreKind = 'wallet' | 'issuer' | 'verifier';

/** A kind's identity and the shapes its files had before they carried the id. */
interface StoreKindSpec {
  /** The `application_id` of every file of this kind written since identification. */
  applicationId: number;
  /** What the kind is called in messages. */
  label: string;
  /** Components (rows of `store_migrations`) every file of this kind had. */
  required: readonly string[];
  /** Components a file of this kind may also have. */
  optional: readonly string[];
}

/**
 * `application_id` of each kind: ASCII `SPWL`, `SPIS`, `SPVF` (skillpass wallet, issuer store,
 * verifier), so `file(1)` and a hex dump show what a file is.
 */
export const STORE_APPLICATION_IDS: Readonly<Record<StoreKind, number>> = {
  wallet: 0x5350574c,
  issuer: 0x53504953,
  verifier: 0x53505646,
};

const ISSUER_TABLES = ['issuer_profile', 'issued_credentials', 'status_lists', 'status_entries', 'audit_log'];

/**
 * The tables each component had at each version written before files carried an application
 * id: entry `v - 1` is the full table set of version `v`. Frozen: later versions identify their
 * files by the id, and later migrations run after identification, so a file without an id that
 * records a version past the end of its component's list (issuer 4 added the Token Status List
 * tables after the id) was never written by skillpass. An earlier file is recognised only when
 * every recorded version is in its component's list and its tables are exactly the union of the
 * tables those versions imply.
 */
const EARLIER_COMPONENT_TABLES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  store: [['store_meta', 'store_encrypted_columns']],
  'veramo:veramo_': [['veramo_keys', 'veramo_private_keys', 'veramo_dids']],
  wallet: [['wallet_credentials']],
  // 2 rebuilt issuer_profile (nullable status_base_url), 3 added its role column: same tables.
  issuer: [ISSUER_TABLES, ISSUER_TABLES, ISSUER_TABLES],
  oid4vci: [['oid4vci_offers', 'oid4vci_tokens', 'oid4vci_nonces', 'oid4vci_settings']],
  'skillpass-verifier-service': [['verifier_identity', 'verifier_requests']],
};

/**
 * The tables `version` of `component` implies for a file written before application ids, or
 * undefined when no such file had that version (an unknown component, or a version not in its
 * frozen list).
 */
function earlierComponentTables(component: string, version: number): readonly string[] | undefined {
  if (!Object.hasOwn(EARLIER_COMPONENT_TABLES, component) || !Number.isInteger(version) || version < 1) {
    return undefined;
  }
  return EARLIER_COMPONENT_TABLES[component]![version - 1];
}

const SPECS: Readonly<Record<StoreKind, StoreKindSpec>> = {
  wallet: {
    applicationId: STORE_APPLICATION_IDS.wallet,
    label: 'skillpass wallet',
    required: ['store', 'veramo:veramo_', 'wallet'],
    optional: [],
  },
  issuer: {
    applicationId: STORE_APPLICATION_IDS.issuer,
    label: 'skillpass issuer store',
    required: ['store', 'veramo:veramo_', 'issuer'],
    optional: ['oid4vci'],
  },
  verifier: {
    applicationId: STORE_APPLICATION_IDS.verifier,
    label: 'skillpass verifier store',
    required: ['skillpass-verifier-service'],
    optional: [],
  },
};

/** The label of a kind, for messages. */
export function storeKindLabel(kind: StoreKind): string {
  return SPECS[kind].label;
}

/** The kind whose application id this is, if any. */
export function storeKindOfApplicationId(id: number): StoreKind | undefined {
  for (const kind of Object.keys(SPECS) as StoreKind[]) if (SPECS[kind].applicationId === id) return kind;
  return undefined;
}

/** What {@link isEarlierStore} looks at: the file's tables, migration rows and user_version. */
export interface StoreShape {
  /** Table names, `sqlite_*` internal tables left out. */
  tables: readonly string[];
  /** Rows of `store_migrations`, or undefined when the table is absent. */
  components: readonly { component: string; version: number }[] | undefined;
  userVersion: number;
}

/**
 * True when `shape` is a file of `kind` written before files carried an application id: every
 * required component recorded, no component outside the kind's, each recorded version one that
 * such files had (a higher one is refused, never guessed),
 * `user_version` equal to the sum of the recorded versions (as `migrate` keeps it), and the
 * tables exactly those the recorded versions imply.
 */
export function isEarlierStore(kind: StoreKind, shape: StoreShape): boolean {
  const spec = SPECS[kind];
  const rows = shape.components;
  if (rows === undefined) return false;
  const names = new Set<string>();
  const expected = new Set(['store_migrations']);
  let sum = 0;
  for (const row of rows) {
    if (typeof row.component !== 'string' || typeof row.version !== 'number') return false;
    if (!spec.required.includes(row.component) && !spec.optional.includes(row.component)) return false;
    const tables = earlierComponentTables(row.component, row.version);
    if (tables === undefined) return false;
    for (const table of tables) expected.add(table);
    names.add(row.component);
    sum += row.version;
  }
  if (names.size !== rows.length || !spec.required.every((c) => names.has(c))) return false;
  if (shape.userVersion !== sum) return false;
  return shape.tables.length === expected.size && shape.tables.every((t) => expected.has(t));
}
