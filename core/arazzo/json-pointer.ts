/** RFC 6901 JSON Pointer: parse and resolve. Resolution of a missing location yields `undefined`. */

export class JsonPointerSyntaxError extends Error {
  override name = 'JsonPointerSyntaxError';
}

/** Splits `/a/b~1c` into ['a', 'b/c']. The empty pointer '' is the whole document. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPointerSyntaxError(`JSON pointer "${pointer}" must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new JsonPointerSyntaxError(`JSON pointer "${pointer}" has an invalid escape in "${token}"`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Walks `tokens` into `value`; undefined when any step is missing. Arrays take decimal indexes only. */
export function resolveTokens(value: unknown, tokens: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const key = String(token);
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      current = current[Number(key)];
    } else if (current !== null && typeof current === 'object') {
      const key = String(token);
      if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

export function resolveJsonPointer(value: unknown, pointer: string): unknown {
  return resolveTokens(value, parseJsonPointer(pointer));
}
