/** A publishable package of the workspace. */
export interface PublishablePackage {
  name: string;
  version: string;
  dir: string;
}

/** A packed package. */
export interface PackedPackage {
  name: string;
  version: string;
  tarball: string;
}

/** The publishable packages (packages/* whose package.json is not private). */
export function publishablePackages(): PublishablePackage[];

/** Build, then pack every publishable package into `outDir` with pnpm. */
export function packAll(outDir: string): PackedPackage[];
