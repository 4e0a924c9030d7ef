/**
 * The config loader's error type and its secret-file reader, shared by `load.ts` and the section
 * resolvers (`notifyResolve.ts`) so neither imports the other.
 */
import { readFileSync } from 'node:fs';

/**
 * A configuration problem found at start-up. The message names the offending key path (or the
 * environment variable), one line per problem, each starting with `config: `, and never contains a
 * secret's value.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a secret from `file` for config key `key`: the trailing line break (files written with `echo`
 * end in one) is not part of the secret; an unreadable or empty file is a ConfigError naming the key.
 */
export function readSecretFile(file: string, key: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: ${key}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const value = text.replace(/[\r\n]+$/, '');
  if (value === '') {
    throw new ConfigError(`config: ${key}: ${file} is empty`);
  }
  return value;
}
