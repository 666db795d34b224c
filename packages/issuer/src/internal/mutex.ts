/**
 * Serialises async critical sections in one process. A SQLite transaction spanning an
 * `await` (signing inside BEGIN…COMMIT) must not interleave with another on the same connection.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
