/** Plain-text rendering of policy reports for `npm run policy` (scripts/policy.ts). */
import { formatViolation, type StackReport } from './engine';

const HEADERS = ['rule', 'checked', 'pass', 'fail', 'suppressed'] as const;

function table(rows: readonly (readonly string[])[]): readonly string[] {
  const widths = HEADERS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** Table of the rules that checked something, then violations, suppressions (with reasons) and unused suppressions. */
export function formatStackReport(report: StackReport): string {
  const active = report.rows.filter((row) => row.checked > 0);
  const idle = report.rows.length - active.length;
  const lines = [
    `Stack ${report.stack} (environment ${report.environment}, pack ${report.pack}, ${report.elements} elements)`,
    ...table([
      [...HEADERS],
      ...active.map((row) => [row.rule, String(row.checked), String(row.pass), String(row.fail), String(row.suppressed)]),
    ]).map((line) => `  ${line}`),
  ];
  if (idle > 0) {
    lines.push(`  (${idle} other rule(s) found nothing to check in this stack)`);
  }
  const violations = report.findings.filter((finding) => finding.status === 'fail');
  if (violations.length > 0) {
    lines.push('  Violations:', ...violations.map((finding) => `    ${formatViolation(finding)}`));
  }
  const suppressed = report.findings.filter((finding) => finding.status === 'suppressed');
  if (suppressed.length > 0) {
    lines.push(
      '  Suppressions:',
      ...suppressed.map(
        (finding) => `    [${finding.ruleId}] ${finding.address}: ${finding.reason ?? ''} (finding: ${finding.details.join('; ')})`,
      ),
    );
  }
  if (report.unusedSuppressions.length > 0) {
    lines.push(
      '  Unused suppressions (nothing to suppress any more; remove them):',
      ...report.unusedSuppressions.map((unused) => `    [${unused.ruleId}] ${unused.address}: ${unused.reason}`),
    );
  }
  return lines.join('\n');
}

export function violationCount(reports: readonly StackReport[]): number {
  return reports.reduce((sum, report) => sum + report.findings.filter((finding) => finding.status === 'fail').length, 0);
}
