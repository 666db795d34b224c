// Copies the JSON Schemas from the repository's schemas/ (the source of truth) into
// packages/core/schemas/, the copy that ships in the npm package (npm pack skips symlinks).
// Run after editing a schema: node packages/core/scripts/sync-schemas.mjs
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

const source = new URL('../../../schemas/', import.meta.url);
const target = new URL('../schemas/', import.meta.url);
mkdirSync(target, { recursive: true });
const wanted = readdirSync(source).filter((f) => f.endsWith('.schema.json'));
for (const file of readdirSync(target)) if (!wanted.includes(file)) rmSync(new URL(file, target));
for (const file of wanted) copyFileSync(new URL(file, source), new URL(file, target));
console.log(`synced ${wanted.length} schemas into packages/core/schemas/`);
