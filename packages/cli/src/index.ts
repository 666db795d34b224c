export type { CliIo, Command } from './io.js';
export { EXIT, UsageError } from './io.js';
export { main } from './main.js';
