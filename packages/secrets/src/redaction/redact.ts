import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

const print = () => REDACTED;
const hidden = (value: unknown): PropertyDescriptor => ({
  value,
  enumerable: false,
  writable: false,
  configurable: false,
});
const PRINTERS: PropertyDescriptorMap = {
  toJSON: hidden(print),
  toString: hidden(print),
  [Symbol.toPrimitive]: hidden(print),
  [inspect.custom]: hidden(print),
};

/**
 * A deep, frozen copy of `value` whose objects print as `[redacted]` through util.inspect,
 * console.log, JSON.stringify, String() and template strings, while fields read normally.
 * The printers are non-enumerable own properties, not a Proxy, so a field read is a plain
 * property lookup. Strings themselves cannot be redacted: `get('database').password` is the
 * password, and the logger scrubs it. A spread copy (`{...value}`) loses the printers.
 */
export function redact<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (isRedacted(value)) return value;
  if (value instanceof Uint8Array) {
    const copy = Buffer.from(value);
    Object.defineProperties(copy, PRINTERS);
    return copy as T; // typed arrays with elements cannot be frozen
  }
  if (Array.isArray(value)) {
    return Object.freeze(Object.defineProperties(value.map(redact), PRINTERS)) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) copy[key] = redact(field);
  return Object.freeze(Object.defineProperties(copy, PRINTERS)) as T;
}

export function isRedacted(value: object): boolean {
  return Object.getOwnPropertyDescriptor(value, inspect.custom)?.value === print;
}
