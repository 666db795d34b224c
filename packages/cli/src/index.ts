export type { CliIo, Command, UsageErrorOptions } from './io.js';
export { EXIT, UsageError } from './io.js';
export { main } from './main.js';
