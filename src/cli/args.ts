// Shared argument parsers for CLI commands.
import { InvalidArgumentError } from 'commander';

export function intArg(name: string, min: number) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    return x;
  };
}
