/** The challenge the pool's passports carry. */
export declare const POOL_CHALLENGE: string;

/** What {@link startStaffSites} returns. */
export interface StaffSites {
  /** The staff access code of both sites. */
  adminSecret: string;
  centre: { url: string; did: string };
  employer: { url: string; clientId: string; poolDir: string; poolSize: number };
  poolChallenge: string;
  close(): Promise<void>;
}

/** Start the centre's and the employer's sites on 127.0.0.1 with demo data under `outDir`. */
export declare function startStaffSites(options: {
  outDir: string;
  adminSecret?: string;
  centrePassphrase?: string;
  poolSize?: number;
}): Promise<StaffSites>;
