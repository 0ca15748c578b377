/**
 * Control characters at a boundary: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F) have no place in a
 * name, a label or a code — they end up in CSV journals, PDFs and mail headers where they break columns, hide text
 * or inject escapes. Tab, CR and LF are accepted only in fields meant to hold several lines (an address).
 * The first offending character is reported with the field that holds it, in French.
 */
import type { Issue } from "../core/issue.ts";

/** Fields whose text may span several lines (tab, CR, LF allowed there). */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(["address"]);

const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);
const isLineSpace = (c: number) => c === 0x09 || c === 0x0a || c === 0x0d;

/** The first forbidden control character of `text` as "U+0007", or undefined. */
export function controlCharacterIn(text: string, multiline = false): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isControl(c) && !(multiline && isLineSpace(c))) return `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return undefined;
}

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * The first control character anywhere in a parsed JSON value (strings and field names), located as
 * `label[3].lastName`. Iterative: the value may be as deep as the boundary allowed.
 */
export function controlCharacterIssue(value: unknown, label = "", multiline: ReadonlySet<string> = MULTILINE_FIELDS): Issue | undefined {
  const stack: { value: unknown; path: string; key: string | undefined }[] = [{ value, path: label, key: undefined }];
  while (stack.length > 0) {
    const { value: v, path, key } = stack.pop()!;
    if (typeof v === "string") {
      const found = controlCharacterIn(v, key !== undefined && multiline.has(key));
      if (found) return issue(path, `caractère de contrôle ${found} interdit`);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: join(path, i), key: undefined });
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (const [k] of entries) {
        const found = controlCharacterIn(k);
        if (found)
          return issue(path, `nom de champ avec caractère de contrôle ${found} interdit (« ${k.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?").slice(0, 40)} »)`);
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: join(path, entries[i]![0]), key: entries[i]![0] });
    }
  }
  return undefined;
}

function issue(path: string, what: string): Issue {
  const where = path || "(racine)";
  return { code: "CONTROL_CHARACTER", path: where, message: `${where} : ${what}.` };
}
