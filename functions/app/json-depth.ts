/**
 * Nesting depth of a JSON text, measured on the raw characters before anything parses it: JSON.parse, the schema
 * checkers, JSON.stringify and the encryption walkers all recurse, and a body of 5 000 nested brackets overflows one
 * of them (a RangeError, i.e. a 500) long after the bytes were accepted. Brackets inside strings are text: the scan
 * follows string literals and their backslash escapes, so `"\"["` opens nothing.
 */

/** Deepest nesting a legitimate body needs is about 6 (submission → inputs → input → variables → lines → line). */
export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays/objects inside one another; stops at the first level too deep. */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */)
        i++; // the escaped character, whatever it is, cannot end the string
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
