/**
 * An in-memory workbook and a fake of the part of the Excel object model the add-in uses. Proxy objects are built
 * by a factory: office-addin-mock's OfficeMockObject in Node tests (so unloaded properties read as its sentinel
 * strings and sync() is counted), plain objects in the browser fake host. Writes are applied when context.sync()
 * runs, method calls in the order they were queued, then assigned properties — like a real batch.
 * No Node imports: this file is bundled into the browser test page.
 */
export type Cell = string | number | boolean;

export interface FakeSheet {
  name: string;
  cells: Cell[][];
  numberFormat: Map<string, string>;
  fill: Map<string, string>;
  bold: Set<string>;
  validation: { address: string; source: string }[];
  tables: { name: string; address: string }[];
  frozenRows: number;
  visibility: string;
}

export interface FakeComment {
  id: number;
  sheet: string;
  address: string;
  content: string;
}

export function colLetter(i: number): string {
  let n = i + 1,
    s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
export function a1(row: number, col: number): string {
  return `${colLetter(col)}${row + 1}`;
}
export function parseA1(address: string): { row: number; col: number; rows: number; cols: number } {
  const one = (s: string) => {
    const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(s.trim().toUpperCase());
    if (!m) throw new Error(`InvalidArgument: adresse ${s}`);
    let col = 0;
    for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
    return { row: Number(m[2]) - 1, col: col - 1 };
  };
  const [a, b] = address.split(":");
  const s = one(a!),
    e = b ? one(b) : s;
  return { row: s.row, col: s.col, rows: e.row - s.row + 1, cols: e.col - s.col + 1 };
}

export class FakeWorkbook {
  sheets: FakeSheet[] = [];
  comments: FakeComment[] = [];
  selection: { sheet: string; address: string } | null = null;
  active = "";
  private nextComment = 1;

  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name === name);
  }
  addSheet(name: string, rows: Cell[][] = []): FakeSheet {
    if (this.sheet(name)) throw new Error(`ItemAlreadyExists: ${name}`);
    if (name.length > 31 || /[\\/?*[\]:]/.test(name)) throw new Error(`InvalidArgument: nom de feuille ${name}`);
    const s: FakeSheet = {
      name,
      cells: rows.map((r) => [...r]),
      numberFormat: new Map(),
      fill: new Map(),
      bold: new Set(),
      validation: [],
      tables: [],
      frozenRows: 0,
      visibility: "Visible",
    };
    this.sheets.push(s);
    return s;
  }
  deleteSheet(name: string) {
    this.sheets = this.sheets.filter((s) => s.name !== name);
    this.comments = this.comments.filter((c) => c.sheet !== name);
  }
  read(name: string, row: number, col: number, rows: number, cols: number): Cell[][] {
    const s = this.sheet(name)!;
    return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => s.cells[row + r]?.[col + c] ?? ""));
  }
  write(name: string, row: number, col: number, values: Cell[][]) {
    const s = this.sheet(name)!;
    values.forEach((line, r) => {
      const target = (s.cells[row + r] ??= []);
      line.forEach((v, c) => {
        for (let k = target.length; k < col + c; k++) target[k] = "";
        // Excel stores a leading apostrophe as a text prefix, not as content.
        target[col + c] = typeof v === "string" && v.startsWith("'") ? v.slice(1) : v;
      });
    });
  }
  /** Bounding box of non-empty cells, like getUsedRange(true). */
  used(name: string): { row: number; col: number; rows: number; cols: number } | null {
    const s = this.sheet(name)!;
    let r0 = Infinity,
      c0 = Infinity,
      r1 = -1,
      c1 = -1;
    for (const [r, line] of s.cells.entries())
      for (const [c, v] of (line ?? []).entries()) {
        if (v === "" || v === undefined) continue;
        r0 = Math.min(r0, r);
        c0 = Math.min(c0, c);
        r1 = Math.max(r1, r);
        c1 = Math.max(c1, c);
      }
    return r1 < 0 ? null : { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  }
  addComment(sheet: string, address: string, content: string) {
    if (this.comments.some((c) => c.sheet === sheet && c.address === address))
      throw new Error(`InvalidArgument: la cellule ${sheet}!${address} a déjà un commentaire`);
    this.comments.push({ id: this.nextComment++, sheet, address, content });
  }
  /** Values of a sheet as a table of header → value objects (for assertions). */
  records(name: string): Record<string, Cell>[] {
    const s = this.sheet(name);
    if (!s) return [];
    const [head = [], ...rows] = s.cells;
    return rows.filter((r) => r?.some((v) => v !== "")).map((r) => Object.fromEntries(head.map((h, i) => [String(h), r[i] ?? ""])));
  }
}

/** Builds a proxy object from a data tree whose functions become methods. */
export type ProxyFactory = (data: Record<string, unknown>) => Record<string, unknown>;

/** Plain objects: every nested object gets a no-op load(); values are readable immediately. */
export const plainFactory: ProxyFactory = (data) => {
  const wrap = (node: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      load() {
        return out;
      },
    };
    for (const [k, v] of Object.entries(node)) {
      out[k] = v && typeof v === "object" && !Array.isArray(v) ? wrap(v as Record<string, unknown>) : v;
    }
    for (const [k, v] of Object.entries(out)) if (typeof v === "function") out[k] = (v as (...a: unknown[]) => unknown).bind(out);
    return out;
  };
  return wrap(data);
};

interface RangeMeta {
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  initial: unknown;
  proxy: Record<string, unknown>;
}
interface SheetMeta {
  name: string;
  proxy: Record<string, unknown>;
}

export interface FakeContext {
  context: Record<string, unknown>;
  /** Number of context.sync() calls made so far. */
  syncs: () => number;
}

/**
 * A request context over the workbook. `onSync` lets the office-addin-mock backend propagate its load state to
 * objects created after construction (it only syncs its own property tree).
 */
export function fakeContext(wb: FakeWorkbook, make: ProxyFactory, onSync: (created: Record<string, unknown>[]) => Promise<void> = async () => {}): FakeContext {
  let syncs = 0;
  let ops: (() => void)[] = [];
  let ranges: RangeMeta[] = [];
  let sheets: SheetMeta[] = [];
  let tables: { proxy: Record<string, unknown>; sheet: string; address: string }[] = [];
  let created: Record<string, unknown>[] = [];
  const track = <T extends Record<string, unknown>>(p: T) => {
    created.push(p);
    return p;
  };

  const nullRange = () => {
    const p = track(make({ values: [], rowIndex: 0, columnIndex: 0, address: "" }));
    p.isNullObject = true;
    return p;
  };
  const range = (sheet: string, row: number, col: number, rows: number, cols: number): Record<string, unknown> => {
    const exists = !!wb.sheet(sheet);
    const values = exists ? wb.read(sheet, row, col, rows, cols) : [];
    const address = `'${sheet.replace(/'/g, "''")}'!${a1(row, col)}${rows * cols > 1 ? `:${a1(row + rows - 1, col + cols - 1)}` : ""}`;
    const cellsOf = () => {
      const out: string[] = [];
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push(a1(row + r, col + c));
      return out;
    };
    const p = track(
      make({
        values,
        rowIndex: row,
        columnIndex: col,
        address,
        rowCount: rows,
        columnCount: cols,
        format: {
          fill: {
            clear() {
              ops.push(() => {
                const s = wb.sheet(sheet);
                if (s) for (const a of cellsOf()) s.fill.delete(a);
              });
            },
          },
          font: {},
          autofitColumns() {
            ops.push(() => {});
          },
        },
        dataValidation: {
          clear() {
            ops.push(() => {
              const s = wb.sheet(sheet);
              if (s) s.validation = s.validation.filter((v) => v.address !== a1(row, col));
            });
          },
        },
        select() {
          ops.push(() => {
            if (!wb.sheet(sheet)) throw new Error(`ItemNotFound: ${sheet}`);
            wb.selection = { sheet, address: a1(row, col) + (rows * cols > 1 ? `:${a1(row + rows - 1, col + cols - 1)}` : "") };
          });
        },
      }),
    );
    p.isNullObject = false;
    ranges.push({ sheet, row, col, rows, cols, initial: p.values, proxy: p });
    return p;
  };
  const sheetProxy = (name: string, isNull: boolean): Record<string, unknown> => {
    const p = track(
      make({
        name,
        visibility: "Visible",
        getUsedRangeOrNullObject() {
          const u = wb.sheet(name) && wb.used(name);
          return u ? range(name, u.row, u.col, u.rows, u.cols) : nullRange();
        },
        getRange(address: string) {
          const a = parseA1(address);
          return range(name, a.row, a.col, a.rows, a.cols);
        },
        getRangeByIndexes(r: number, c: number, rows: number, cols: number) {
          return range(name, r, c, rows, cols);
        },
        delete() {
          ops.push(() => wb.deleteSheet(name));
        },
        activate() {
          ops.push(() => {
            wb.active = name;
          });
        },
        freezePanes: {
          freezeRows(n: number) {
            ops.push(() => {
              wb.sheet(name)!.frozenRows = n;
            });
          },
        },
        tables: {
          add(target: Record<string, unknown>) {
            const meta = ranges.find((r) => r.proxy === target)!;
            const t = track(make({ name: "" }));
            const address = `${a1(meta.row, meta.col)}:${a1(meta.row + meta.rows - 1, meta.col + meta.cols - 1)}`;
            tables.push({ proxy: t, sheet: name, address });
            return t;
          },
        },
      }),
    );
    p.isNullObject = isNull;
    sheets.push({ name, proxy: p });
    return p;
  };
  const worksheets = {
    getItemOrNullObject(name: string) {
      return sheetProxy(name, !wb.sheet(name));
    },
    getItem(name: string) {
      if (!wb.sheet(name)) throw new Error(`ItemNotFound: ${name}`);
      return sheetProxy(name, false);
    },
    add(name: string) {
      ops.push(() => {
        wb.addSheet(name);
      });
      return sheetProxy(name, false);
    },
  };
  const comments = {
    items: wb.comments.map((c) => ({
      content: c.content,
      getLocation() {
        return range(c.sheet, parseA1(c.address).row, parseA1(c.address).col, 1, 1);
      },
      delete() {
        ops.push(() => {
          wb.comments = wb.comments.filter((x) => x.id !== c.id);
        });
      },
    })),
    add(target: Record<string, unknown>, content: string) {
      const meta = ranges.find((r) => r.proxy === target);
      if (!meta) throw new Error("InvalidArgument: comments.add attend une plage");
      ops.push(() => wb.addComment(meta.sheet, a1(meta.row, meta.col), content));
    },
  };
  const root = make({
    workbook: { worksheets, comments },
    application: { suspendApiCalculationUntilNextSync() {}, suspendScreenUpdatingUntilNextSync() {} },
  });
  const originalSync = (root.sync as (() => Promise<void>) | undefined)?.bind(root);
  root.sync = async () => {
    syncs++;
    if (originalSync) await originalSync();
    await onSync(created);
    const pending = ops;
    ops = [];
    for (const op of pending) op();
    for (const r of ranges) {
      const p = r.proxy;
      if (Array.isArray(p.values) && p.values !== r.initial) {
        const v = p.values as Cell[][];
        if (v.length !== r.rows || v.some((line) => line.length !== r.cols))
          throw new Error(`InvalidArgument: dimensions ${v.length}×${v[0]?.length} pour ${r.rows}×${r.cols}`);
        wb.write(r.sheet, r.row, r.col, v);
      }
      const s = wb.sheet(r.sheet);
      if (!s) continue;
      if (Array.isArray(p.numberFormat))
        for (const [i, line] of (p.numberFormat as string[][]).entries()) for (const [j, f] of line.entries()) s.numberFormat.set(a1(r.row + i, r.col + j), f);
      const fmt = p.format as { fill: { color?: unknown }; font: { bold?: unknown } };
      if (typeof fmt.fill.color === "string")
        for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) s.fill.set(a1(r.row + i, r.col + j), fmt.fill.color);
      if (fmt.font.bold === true) for (let j = 0; j < r.cols; j++) s.bold.add(a1(r.row, r.col + j));
      const rule = (p.dataValidation as { rule?: { list?: { source: string } } }).rule;
      if (rule && typeof rule === "object" && rule.list) s.validation.push({ address: a1(r.row, r.col), source: rule.list.source });
    }
    for (const sh of sheets) {
      const s = wb.sheet(sh.name);
      if (s && (sh.proxy.visibility === "Hidden" || sh.proxy.visibility === "VeryHidden")) s.visibility = sh.proxy.visibility as string;
    }
    for (const t of tables) {
      const s = wb.sheet(t.sheet);
      if (s) s.tables.push({ name: String(t.proxy.name), address: t.address });
    }
    // Proxies are per batch: the adapters queue every write on objects created in that batch.
    ranges = [];
    sheets = [];
    tables = [];
    created = [];
  };
  return { context: root, syncs: () => syncs };
}
