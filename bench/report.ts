// Where a scenario's report goes: bench/results/<scenario>-<time>.md (git ignores the folder), and stdout.
import fs from 'node:fs';
import path from 'node:path';

const RESULTS = path.resolve(import.meta.dirname, 'results');

export function writeReport(scenario: string, report: string): void {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  fs.writeFileSync(file, report);
  process.stdout.write(`\n${report}\nwritten to ${file}\n`);
}
