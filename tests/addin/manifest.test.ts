/**
 * Structural checks of manifest.xml (the official validator needs the network; run
 * `npx office-addin-manifest validate dist/addin/manifest.xml` before publishing): element order, GUID, shared
 * runtime, resource ids, and every URL/icon resolving to a file the build emits with the declared size.
 */

import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { CUSTOM_FUNCTIONS } from "../../addin/custom-functions/custom-functions.ts";
import { ensureAddinBuild, ROOT } from "../support/browser.ts";

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/** Minimal XML reader for a trusted file: elements, attributes, text; throws on unbalanced tags. */
function parseXml(xml: string): Node {
  const body = xml.replace(/<\?xml[^>]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "");
  const root: Node = { name: "#root", attrs: {}, children: [], text: "" };
  const stack = [root];
  const re = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (const m of body.matchAll(re)) {
    const top = stack.at(-1)!;
    if (m[5] !== undefined) {
      top.text += m[5].trim();
      continue;
    }
    if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs = Object.fromEntries([...m[3]!.matchAll(/([\w:.-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const node: Node = { name: m[2]!, attrs, children: [], text: "" };
    top.children.push(node);
    if (!m[4]) stack.push(node);
  }
  assert.equal(stack.length, 1, "unclosed element");
  return root.children[0]!;
}
const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
const child = (n: Node, name: string) => n.children.find((c) => c.name === name);

const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const doc = parseXml(xml);
let dist = "";
before(async () => {
  dist = await ensureAddinBuild();
});

test("OfficeApp: task pane, elements in schema order, stable GUID", () => {
  assert.equal(doc.name, "OfficeApp");
  assert.equal(doc.attrs["xsi:type"], "TaskPaneApp");
  assert.deepEqual(
    doc.children.map((c) => c.name),
    [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ],
  );
  assert.equal(child(doc, "Id")!.text, "5f0c2a8e-3b7d-4c61-9e2f-8a41d7c9b305");
  assert.match(child(doc, "Id")!.text, /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(child(doc, "Version")!.text, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(child(doc, "Permissions")!.text, "ReadWriteDocument");
  assert.equal(child(child(doc, "Hosts")!, "Host")!.attrs.Name, "Workbook");
});

test("VersionOverrides: shared runtime, custom functions, ribbon group with three buttons", () => {
  const vo = child(doc, "VersionOverrides")!;
  assert.deepEqual(
    vo.children.map((c) => c.name),
    ["Hosts", "Resources"],
  );
  const host = child(child(vo, "Hosts")!, "Host")!;
  assert.deepEqual(
    host.children.map((c) => c.name),
    ["Runtimes", "AllFormFactors", "DesktopFormFactor"],
  );
  const runtime = child(child(host, "Runtimes")!, "Runtime")!;
  assert.equal(runtime.attrs.lifetime, "long");
  assert.ok(all(child(doc, "Requirements")!).some((n) => n.name === "Set" && n.attrs.Name === "SharedRuntime"));
  const desktop = child(host, "DesktopFormFactor")!;
  assert.equal(child(desktop, "FunctionFile")!.attrs.resid, runtime.attrs.resid, "commands run in the shared runtime");
  const cf = all(host).find((n) => n.name === "ExtensionPoint" && n.attrs["xsi:type"] === "CustomFunctions")!;
  assert.equal(all(cf).find((n) => n.name === "Page")!.children[0]!.attrs.resid, runtime.attrs.resid);
  const group = all(desktop).find((n) => n.name === "Group")!;
  const controls = group.children.filter((c) => c.name === "Control");
  assert.deepEqual(
    controls.map((c) => all(c).find((n) => n.name === "Action")!.attrs["xsi:type"]),
    ["ShowTaskpane", "ExecuteFunction", "ExecuteFunction"],
  );
  const functionNames = all(group)
    .filter((n) => n.name === "FunctionName")
    .map((n) => n.text);
  const commandsSource = readFileSync(join(ROOT, "addin/commands/commands.ts"), "utf8");
  for (const f of functionNames) assert.ok(commandsSource.includes(`Office.actions.associate("${f}"`), `${f} is associated`);
  const ids = all(doc)
    .filter((n) => n.attrs.id)
    .map((n) => n.attrs.id!);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("every resid is defined, every resource is used, ids and strings within Office's limits", () => {
  const resources = child(child(doc, "VersionOverrides")!, "Resources")!;
  const defined = new Map<string, Node>();
  for (const group of resources.children) for (const r of group.children) defined.set(r.attrs.id!, r);
  const used = new Set(
    all(doc)
      .filter((n) => n.attrs.resid)
      .map((n) => n.attrs.resid!),
  );
  for (const id of used) assert.ok(defined.has(id), `resid ${id} is defined`);
  for (const id of defined.keys()) assert.ok(used.has(id), `resource ${id} is used`);
  for (const id of defined.keys()) assert.ok(id.length <= 32, `${id} ≤ 32 characters`);
  for (const s of child(resources, "bt:ShortStrings")!.children) assert.ok(s.attrs.DefaultValue!.length <= 125);
  for (const s of child(resources, "bt:LongStrings")!.children) assert.ok(s.attrs.DefaultValue!.length <= 250);
  assert.equal(defined.get("CustomFunctions.Namespace")!.attrs.DefaultValue, "PAIE");
});

test("every URL is on the dev origin and resolves to a file of the build; icons have their declared size", () => {
  const urls = [...xml.matchAll(/(?:DefaultValue="|<AppDomain>)(https:\/\/[^"<]+)/g)].map((m) => m[1]!).filter((u) => !u.includes("microsoftonline"));
  assert.ok(urls.length >= 8);
  for (const url of urls) {
    assert.ok(url.startsWith("https://localhost:3000/"), url);
    const file = join(dist, url.slice("https://localhost:3000/".length));
    assert.ok(existsSync(file), `${url} is emitted`);
  }
  for (const img of all(doc).filter((n) => n.name === "bt:Image" && n.attrs.DefaultValue)) {
    const size = Number(/icon-(\d+)\.png$/.exec(img.attrs.DefaultValue!)![1]);
    assert.equal(img.attrs.id, `Icon.${size}x${size}`);
    const png = readFileSync(join(dist, "assets", `icon-${size}.png`));
    assert.equal(png.readUInt32BE(16), size);
    assert.equal(png.readUInt32BE(20), size);
  }
  assert.equal(readFileSync(join(dist, "manifest.xml"), "utf8"), xml, "the dev build copies the manifest unchanged");
});

test("custom-functions.json is generated from the source and matches the associated functions", () => {
  const meta = JSON.parse(readFileSync(join(dist, "custom-functions.json"), "utf8")) as {
    functions: { id: string; parameters: { name: string; type: string }[] }[];
  };
  assert.deepEqual(meta.functions.map((f) => f.id).sort(), Object.keys(CUSTOM_FUNCTIONS).sort());
  const byId = Object.fromEntries(meta.functions.map((f) => [f.id, f.parameters.map((p) => `${p.name}:${p.type}`)]));
  assert.deepEqual(byId.NET, ["brut:number", "periode:string", "categorie:string"]);
  assert.deepEqual(byId.COTISATION, ["code:string", "brut:number", "periode:string", "categorie:string"]);
});

test("custom functions compute through the shared engine", () => {
  const net = CUSTOM_FUNCTIONS.NET(3000, "2025-03", "non-cadre");
  const cost = CUSTOM_FUNCTIONS.COUT(3000, "2025-03", "non-cadre");
  assert.ok(net > 0 && net < 3000, String(net));
  assert.ok(cost > 3000, String(cost));
  assert.ok(CUSTOM_FUNCTIONS.COTISATION("1901", 3000, "2025-03", "non-cadre") > 0);
  assert.throws(() => CUSTOM_FUNCTIONS.NET(3000, "2025-03", "patron"), /Catégorie/);
});

/**
 * The ExcelApi requirement set the pane's code needs, from the Office.js members it calls. Each row: a pattern of the
 * source and the set that introduced that member (Microsoft's "Excel JavaScript API requirement sets" pages).
 */
const EXCEL_API_SETS: [RegExp, string, string][] = [
  [/\.comments\b/, "1.10", "Workbook.comments"],
  [/\.conditionalFormats\b/, "1.6", "Range.conditionalFormats"],
  [/\.dataValidation\b/, "1.8", "Range.dataValidation"],
  [/getItemOrNullObject|getUsedRangeOrNullObject/, "1.4", "…OrNullObject"],
  [/\.autofitColumns\(/, "1.2", "RangeFormat.autofitColumns"],
  [/getRangeByIndexes/, "1.1", "Worksheet.getRangeByIndexes"],
];
const version = (v: string) => v.split(".").map(Number) as [number, number];
const newer = (a: string, b: string) => {
  const [am, an] = version(a);
  const [bm, bn] = version(b);
  return am !== bm ? am > bm : an > bn;
};

test("Requirements: ExcelApi is the highest set the pane's Office.js calls need, beside SharedRuntime 1.1", async () => {
  const { readdirSync } = await import("node:fs");
  const sources = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [readFileSync(join(ROOT, dir, e.name), "utf8")] : [],
    );
  const code = sources("addin").join("\n");
  let needed = "1.1";
  const used: string[] = [];
  for (const [pattern, set, member] of EXCEL_API_SETS)
    if (pattern.test(code)) {
      used.push(`${member} (${set})`);
      if (newer(set, needed)) needed = set;
    }
  const sets = all(child(doc, "Requirements")!).filter((n) => n.name === "Set");
  const declared = Object.fromEntries(sets.map((s) => [s.attrs.Name, s.attrs.MinVersion]));
  assert.equal(declared.ExcelApi, needed, `the code uses ${used.join(", ")}`);
  assert.equal(declared.SharedRuntime, "1.1");
});

test("a production build without ADDIN_URL is refused in French; --env local and ADDIN_URL are accepted", async () => {
  const saved = process.env.ADDIN_URL;
  delete process.env.ADDIN_URL;
  try {
    const configUrl = new URL("../../webpack.config.js", import.meta.url).href;
    const config = (await import(configUrl)).default as (env: object, argv: object) => { output: { path: string } };
    assert.throws(() => config({}, { mode: "production" }), /Build de production refusé : le manifeste pointerait sur https:\/\/localhost:3000\//);
    assert.throws(() => config({ ADDIN_URL: "https://127.0.0.1:8443/" }, { mode: "production" }), /Build de production refusé/);
    assert.ok(config({ local: true }, { mode: "production" }).output.path);
    assert.ok(config({ ADDIN_URL: "https://paie.example.mc/" }, { mode: "production" }).output.path);
    assert.ok(config({}, { mode: "development" }).output.path, "the dev server keeps localhost");
  } finally {
    if (saved !== undefined) process.env.ADDIN_URL = saved;
  }
});
