import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { writeXlsx } from "../../functions/documents/xlsx.ts";
import type { ContributionLine, PayslipResult } from "../../shared/core/result.ts";
import { buildStatement, renderStatementPdf, type Statement, statementSheets } from "../../shared/documents/statement.ts";
import type { EmployeeInfo } from "../../shared/documents/types.ts";
import { readXlsx } from "../support/xlsx.ts";
import { company, employees } from "./fixtures/identities.ts";
import { bs202105a, bs202508a, bs202508c } from "./fixtures/payslips.ts";
import { may2025Statement } from "./fixtures/statements.ts";
import { loadFonts } from "./fonts.ts";
import { keepArtifact, pdfText, squeeze } from "./helpers.ts";

/** FINDINGS.md §I1: the rules every Cegid statement satisfies, checked on ours. */
function assertStatementRules(s: Statement, results: PayslipResult[]): void {
  for (const o of s.organisms) {
    for (const l of o.lines) {
      assert.equal(l.globalAmount, (l.employeeAmount ?? 0) + (l.employerAmount ?? 0), `${l.code} global amount`);
      assert.equal(l.globalRate, (l.employeeRate ?? 0) + (l.employerRate ?? 0), `${l.code} global rate`);
      assert.ok(l.headCount >= 1 && l.headCount <= results.length);
    }
    assert.equal(
      o.employeeAmount,
      o.lines.reduce((t, l) => t + (l.employeeAmount ?? 0), 0),
      `${o.label} employee total`,
    );
    assert.equal(
      o.employerAmount,
      o.lines.reduce((t, l) => t + (l.employerAmount ?? 0), 0),
      `${o.label} employer total`,
    );
    assert.equal(o.globalAmount, o.employeeAmount + o.employerAmount);
  }
  assert.equal(
    s.employeeAmount,
    s.organisms.reduce((t, o) => t + o.employeeAmount, 0),
  );
  assert.equal(
    s.employerAmount,
    s.organisms.reduce((t, o) => t + o.employerAmount, 0),
  );
  assert.equal(s.globalAmount, s.employeeAmount + s.employerAmount);
  // Sums of the employees' rounded amounts: the statement total is the payslips' totals.
  assert.equal(
    s.employeeAmount,
    results.reduce((t, r) => t + r.employeeTotal, 0),
  );
  assert.equal(
    s.employerAmount,
    results.reduce((t, r) => t + r.employerTotal, 0),
  );
  const ccss = s.organisms.find((o) => o.code === "101");
  if (ccss) {
    const heads = ccss.lines.filter((l) => l.code === "9301" || l.code === "9311").reduce((t, l) => t + l.headCount, 0);
    assert.equal(ccss.men + ccss.women + ccss.unknownSex, heads, "CCSS men + women = 9301 + 9311 head counts");
  }
}

test("August 2025 statement: organisms, lines and totals from the two reference payslips", () => {
  const results = [bs202508a, bs202508c];
  const s = buildStatement(results, { company, period: "2025-08", employees });
  assert.deepEqual(
    s.organisms.map((o) => `${o.code} ${o.label}`),
    ["002 FRANCE TRAVAIL", "005 PRÉVOYANCE", "101 CCSS", "103 CAR", "105 CMRC"],
  );
  const line = (code: string) => s.organisms.flatMap((o) => o.lines).find((l) => l.code === code);
  assert.deepEqual(
    { ...line("1901") },
    {
      code: "1901",
      label: "CAR",
      recall: false,
      headCount: 2,
      base: 396657 + 602800,
      employeeRate: 68500,
      employerRate: 83100,
      globalRate: 151600,
      employeeAmount: 27171 + 41292,
      employerAmount: 32962 + 50093,
      globalAmount: 27171 + 41292 + 32962 + 50093,
    },
  );
  assert.equal(line("1911")?.headCount, 2);
  assert.equal(line("1911")?.base, 2 * 394700);
  assert.equal(line("9311")?.base, 960000);
  assert.equal(line("9311")?.headCount, 1);
  assert.equal(line("9301")?.employeeAmount, undefined);
  assert.equal(line("7001")?.headCount, 1, "the director has no unemployment line");
  const ccss = s.organisms.find((o) => o.code === "101");
  assert.deepEqual([ccss?.men, ccss?.women], [1, 1]);
  assert.equal(s.globalAmount, 154415 + 457851);
  assertStatementRules(s, results);
});

test("property: the §I1 rules hold for any set of results", () => {
  const organisms: [string, string][] = [
    ["CAR", "CAR"],
    ["CCSS", "CCSS"],
    ["CMRC", "CMRC"],
    ["FRANCE TRAVAIL", "AC"],
    ["ALLIANZ", "CONTRACT"],
    ["AGIRC-ARRCO", "RC"],
  ];
  const codes: Record<string, string[]> = {
    CAR: ["1901"],
    CCSS: ["9301", "9311"],
    CMRC: ["1911", "1913"],
    "FRANCE TRAVAIL": ["7001", "7121"],
    ALLIANZ: ["8517", "8525"],
    "AGIRC-ARRCO": ["74N0"],
  };
  const contributionArb = fc.record({
    org: fc.constantFrom(...organisms),
    pick: fc.nat(),
    base: fc.integer({ min: -500000, max: 2000000 }),
    employeeRate: fc.option(fc.integer({ min: 0, max: 150000 }), { nil: undefined }),
    employerRate: fc.option(fc.integer({ min: 0, max: 150000 }), { nil: undefined }),
    regularisation: fc.boolean(),
  });
  fc.assert(
    fc.property(
      fc.array(fc.array(contributionArb, { maxLength: 8 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.constantFrom<"M" | "F" | undefined>("M", "F", undefined), { minLength: 6, maxLength: 6 }),
      (people, sexes) => {
        const results: PayslipResult[] = people.map((cs, i) => {
          // One CCSS line per employee at most, as on a payslip (CCSS or CCSS administrateurs).
          const firstCcss = cs.findIndex((c) => c.org[0] === "CCSS");
          const kept = cs.filter((c, k) => c.org[0] !== "CCSS" || k === firstCcss);
          const contributions: ContributionLine[] = kept.map((c) => {
            const list = codes[c.org[0]] ?? ["0000"];
            const code = list[c.pick % list.length] ?? "0000";
            return {
              code,
              label: `L${code}`,
              organism: c.org[0],
              family: c.org[1],
              base: c.base,
              ...(c.employeeRate !== undefined ? { employeeRate: c.employeeRate, employeeAmount: Math.round((c.base * c.employeeRate) / 1e6) } : {}),
              ...(c.employerRate !== undefined ? { employerRate: c.employerRate, employerAmount: Math.round((c.base * c.employerRate) / 1e6) } : {}),
              ...(c.regularisation ? { regularisation: true } : {}),
              explanation: "",
            };
          });
          return {
            ...bs202508a,
            employeeId: `E${i}`,
            contributions,
            employeeTotal: contributions.reduce((t, c) => t + (c.employeeAmount ?? 0), 0),
            employerTotal: contributions.reduce((t, c) => t + (c.employerAmount ?? 0), 0),
          };
        });
        const staff: EmployeeInfo[] = results.map((r, i) => ({
          id: r.employeeId,
          lastName: "X",
          firstName: "Y",
          hireDate: "2020-01-01",
          ...(sexes[i] ? { sex: sexes[i] } : {}),
        }));
        const s = buildStatement(results, { company, period: "2025-08", employees: staff });
        assertStatementRules(s, results);
        for (const o of s.organisms) {
          const distinct = new Set(
            results
              .filter((r) =>
                r.contributions.some(
                  (c) => buildStatement([{ ...r, contributions: [c] }], { company, period: "2025-08", employees: staff }).organisms[0]?.code === o.code,
                ),
              )
              .map((r) => r.employeeId),
          );
          assert.equal(o.men + o.women + o.unknownSex, distinct.size);
        }
      },
    ),
    { numRuns: 150 },
  );
});

test("statement PDF and XLSX show the lines, recalls, men/women counts and totals", async () => {
  const regul: PayslipResult = {
    ...bs202508a,
    employeeId: "BS-2025-08-C",
    contributions: [
      {
        code: "8527",
        label: "Rappel Forfait mutuelle Enfant",
        organism: "PREVOYANCE",
        family: "CONTRACT",
        base: -392500,
        employerRate: 12800,
        employerAmount: -5024,
        regularisation: true,
        explanation: "",
      },
    ],
    employeeTotal: 0,
    employerTotal: -5024,
  };
  const s = buildStatement([bs202508a, regul], { company, period: "2025-08", employees });
  assertStatementRules(s, [bs202508a, regul]);
  const pdf = await renderStatementPdf(s, loadFonts());
  keepArtifact("statement-2025-08", pdf);
  const text = squeeze(pdfText(pdf));
  assert.match(text, /État des charges sociales/);
  assert.match(text, /N° employeur CCSS 99999/);
  assert.match(text, /Période du 01\/08\/2025 au 31\/08\/2025 \(août 2025\)/);
  assert.match(text, /002 FRANCE TRAVAIL/);
  assert.match(text, /7001 Assurance Chômage tranche A 1 3 925,00 2,40 4,00 6,40 94,20 157,00 251,20/);
  assert.match(text, /8527 Rappel Forfait mutuelle Enfant \*R 1 -3 925,00 1,28 1,28 -50,24 -50,24/);
  assert.match(text, /TOTAL PRÉVOYANCE 50,91 50,91/);
  assert.match(text, /Hommes : 1 Femmes : 1/);
  assert.match(text, /TOTAL GLOBAL 527,08 1 312,75 1 839,83/);

  const bytes = await writeXlsx(statementSheets(s));
  const [sheet] = await readXlsx(bytes);
  assert.equal(sheet?.name, "Charges sociales");
  assert.equal(sheet.rows.get(2)?.[0], "Période : août 2025");
  const cells = [...sheet.cells.values()];
  assert.ok(
    cells.some((c) => c.value === -3925 && c.numFmt === "#,##0.00"),
    "the recall base, negative, in euros",
  );
  assert.ok(cells.some((c) => c.value === "*R"));
  const last = sheet.rows.get(Math.max(...sheet.rows.keys())) ?? [];
  assert.deepEqual(last.slice(-3), [527.08, 1312.75, 1839.83]);
  assert.deepEqual(await writeXlsx(statementSheets(buildStatement([bs202508a, regul], { company, period: "2025-08", employees }))), bytes);
  assert.deepEqual(await renderStatementPdf(buildStatement([bs202508a, regul], { company, period: "2025-08", employees }), loadFonts()), pdf);
});

test("before 2024 the complementary pension lines form an AGIRC-ARRCO organism", () => {
  const s = buildStatement([bs202105a], { company, period: "2021-05", employees });
  assert.deepEqual(
    s.organisms.map((o) => o.code),
    ["002", "004", "101", "103"],
  );
  const rc = s.organisms.find((o) => o.code === "004");
  assert.equal(rc?.label, "AGIRC-ARRCO");
  assert.deepEqual(
    rc?.lines.map((l) => l.code),
    ["7422", "74A0", "74A2", "74N0", "74N6"],
  );
  assert.equal(rc?.employeeAmount, 753 + 2948 + 2105 + 10798 + 16843);
  assertStatementRules(s, [bs202105a]);
});

test("May 2025: the Cegid statement lines are rebuilt from per-employee rounded amounts (FINDINGS §I2)", () => {
  const m = may2025Statement;
  const amount = (base: number, rate: number) => Math.floor((base * rate + 500_000) / 1_000_000);
  const cl = (code: string, label: string, organism: string, family: string, base: number, rates: [number | undefined, number]): ContributionLine => ({
    code,
    label,
    organism,
    family,
    base,
    ...(rates[0] !== undefined ? { employeeRate: rates[0], employeeAmount: amount(base, rates[0]) } : {}),
    employerRate: rates[1],
    employerAmount: amount(base, rates[1]),
    explanation: "",
  });
  const results: PayslipResult[] = m.people.map((p) => {
    const contributions: ContributionLine[] = [cl("1901", "CAR", "CAR", "CAR", Math.min(p.gross, m.ceilings.car), m.rates.car as [number, number])];
    if (!p.director) {
      const ta = Math.min(p.gross, m.ceilings.pmss);
      contributions.push(cl("7001", "Assurance Chômage tranche A", "FRANCE TRAVAIL", "AC", ta, m.rates.ac as [number, number]));
      if (p.gross > ta)
        contributions.push(
          cl("7121", "Assurance Chômage tranche B", "FRANCE TRAVAIL", "AC", Math.min(p.gross, 4 * m.ceilings.pmss) - ta, m.rates.ac as [number, number]),
        );
      contributions.push(cl("9301", "C.C.S.S.", "CCSS", "CCSS", Math.min(p.gross, m.ceilings.ccss), [undefined, m.rates.ccss]));
    } else {
      contributions.push(cl("9311", "C.C.S.S. (Administrateurs)", "CCSS", "CCSS", m.ceilings.ccss, [undefined, m.rates.ccss]));
    }
    return {
      ...bs202508a,
      period: "2025-05",
      employeeId: p.id,
      director: p.director,
      gross: p.gross,
      contributions,
      employeeTotal: contributions.reduce((t, c) => t + (c.employeeAmount ?? 0), 0),
      employerTotal: contributions.reduce((t, c) => t + (c.employerAmount ?? 0), 0),
    };
  });
  const staff: EmployeeInfo[] = m.people.map((p) => ({ id: p.id, lastName: p.id, firstName: "X", hireDate: "2020-01-01", sex: p.sex }));
  const s = buildStatement(results, { company, period: "2025-05", employees: staff });
  const lines = new Map(s.organisms.flatMap((o) => o.lines).map((l) => [l.code, l]));
  for (const [code, want] of Object.entries(m.expected.lines)) {
    const got = lines.get(code);
    assert.ok(got, code);
    assert.deepEqual(
      { headCount: got.headCount, base: got.base, employeeAmount: got.employeeAmount, employerAmount: got.employerAmount, globalAmount: got.globalAmount },
      { employeeAmount: undefined, ...want },
      code,
    );
  }
  // Rounding the summed base instead would be off by a cent: the statement must add rounded amounts.
  assert.notEqual(amount(3220954, 68500), m.expected.lines["1901"]?.employeeAmount);
  for (const [code, want] of Object.entries(m.expected.organisms)) {
    const o = s.organisms.find((x) => x.code === code);
    assert.ok(o, code);
    assert.equal(o.men, want.men, `${code} men`);
    assert.equal(o.women, want.women, `${code} women`);
    if (want.employeeAmount !== undefined) assert.equal(o.employeeAmount, want.employeeAmount);
    assert.equal(o.employerAmount, want.employerAmount);
  }
  assertStatementRules(s, results);
});
