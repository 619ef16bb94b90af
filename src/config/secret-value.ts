import { inspect } from 'node:util';

/**
 * A secret read from the environment. It prints as `[secret]` in logs, JSON and `console.log`, so
 * passing the configuration to a logger never leaks it; only `reveal()` gives the value.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[secret]';
  }

  toString(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}
