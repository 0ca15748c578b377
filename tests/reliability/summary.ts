/**
 * The one `reliability:` line printed at the end of the reliability tests, summed over every test file.
 *
 * node --test runs each file in its own process, so each file appends its counts to a tally file named after the
 * test runner's pid (the parent of every file's process); the file that completes the set of files the runner was
 * given prints the total and removes the tally. Run alone (or under another runner), a file prints its own line.
 */
import { appendFileSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";

export interface Tally {
  inputsFuzzed: number;
  faultsInjected: number;
  duplicatesFound: number;
  dataLost: number;
}

const counts: Tally = { inputsFuzzed: 0, faultsInjected: 0, duplicatesFound: 0, dataLost: 0 };

export const tally = {
  fuzzed(n = 1) {
    counts.inputsFuzzed += n;
  },
  fault(n = 1) {
    counts.faultsInjected += n;
  },
  duplicates(n: number) {
    counts.duplicatesFound += n;
  },
  lost(n: number) {
    counts.dataLost += n;
  },
  get current(): Readonly<Tally> {
    return counts;
  },
};

export function line(t: Tally): string {
  return `reliability: inputs fuzzed ${t.inputsFuzzed}, faults injected ${t.faultsInjected}, duplicates found ${t.duplicatesFound}, data lost ${t.dataLost}`;
}

/** The reliability test files the runner (our parent process) was given, from its command line (Linux). */
function siblingFiles(): string[] | undefined {
  try {
    const argv = readFileSync(`/proc/${process.ppid}/cmdline`, "utf8").split("\0");
    if (!argv.includes("--test")) return undefined;
    const files = argv.filter((a) => /reliability[\\/][^\\/]+\.test\.ts$/.test(a)).map((a) => path.basename(a));
    return files.length ? [...new Set(files)] : undefined;
  } catch {
    return undefined;
  }
}

/** Call once at the top of each reliability test file. */
export function reportAtEnd(file: string): void {
  const me = path.basename(file);
  after(() => {
    const expected = siblingFiles();
    if (!expected?.includes(me)) {
      console.log(line(counts));
      return;
    }
    const tallyFile = path.join(tmpdir(), `paie-reliability-${process.ppid}.jsonl`);
    appendFileSync(tallyFile, `${JSON.stringify({ file: me, ...counts })}\n`);
    const read = (f: string) =>
      readFileSync(f, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Tally & { file: string });
    let reported: (Tally & { file: string })[];
    try {
      reported = read(tallyFile);
    } catch {
      return; // another file already claimed the complete tally
    }
    if (!expected.every((f) => reported.some((e) => e.file === f))) return;
    // Two files finishing at once could both see the full set: an atomic rename elects the one that prints.
    const claimed = `${tallyFile}.${process.pid}`;
    try {
      renameSync(tallyFile, claimed);
    } catch {
      return;
    }
    const total: Tally = { inputsFuzzed: 0, faultsInjected: 0, duplicatesFound: 0, dataLost: 0 };
    for (const e of read(claimed)) {
      total.inputsFuzzed += e.inputsFuzzed;
      total.faultsInjected += e.faultsInjected;
      total.duplicatesFound += e.duplicatesFound;
      total.dataLost += e.dataLost;
    }
    rmSync(claimed, { force: true });
    console.log(line(total));
  });
}
