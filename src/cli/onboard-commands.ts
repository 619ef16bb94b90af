import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isMosaicError, type ErrorDetail } from '../errors/catalog.ts';
import { execute } from '../operations/execute.ts';
import { onboardTenant, type OnboardResult, type OnboardRow } from '../operations/tenants/onboard-tenant.ts';
import { runEitherWay } from './cli-session.ts';
import { EXIT } from './exit-codes.ts';
import { CsvFileError, ONBOARD_COLUMNS, readOnboardCsv, type CsvRow } from './onboard-csv.ts';
import { isBad, reportFile, reportText, totals, type RowReport } from './onboard-report.ts';
import { createProgress, mapBounded } from './progress.ts';

type Finish = (code: number) => void;
type OnboardOne = (input: OnboardRow & { dryRun: boolean }) => Promise<OnboardResult>;

/** A refused row keeps every problem the platform named; anything else is a failure of that row alone. */
function refusal(row: CsvRow, error: unknown): RowReport {
  if (!isMosaicError(error)) return { line: row.line, slug: row.slug, outcome: 'failed', site: null, errors: [{ path: 'row', message: error instanceof Error ? error.message : String(error) }] };
  const errors: ErrorDetail[] = error.details.length ? [...error.details] : [{ path: 'row', message: error.message.split('\n')[0]! }];
  const outcome = error.code === 'Conflict' ? 'conflict' : error.status !== null && error.status < 500 ? 'invalid' : 'failed';
  return { line: row.line, slug: row.slug, outcome, site: null, errors };
}

/** Every row through the operation, `concurrency` at a time; rows already known to be bad are reported, not sent. */
async function onboardRows(rows: readonly CsvRow[], options: { dryRun: boolean; concurrency: number }, one: OnboardOne): Promise<RowReport[]> {
  const progress = createProgress(rows.length, options.dryRun ? 'Checking' : 'Onboarding');
  const reports = await mapBounded(rows, options.concurrency, async (row): Promise<RowReport> => {
    try {
      if (!row.input) return { line: row.line, slug: row.slug, outcome: 'invalid', site: null, errors: row.errors };
      const site = await one({ ...row.input, dryRun: options.dryRun });
      return { line: row.line, slug: row.slug, outcome: site.outcome, site, errors: [] };
    } catch (error) {
      return refusal(row, error);
    } finally {
      progress.tick();
    }
  });
  progress.done();
  return reports;
}

export function registerOnboardCommands(program: Command, finish: Finish): void {
  program
    .command('onboard <file>')
    .description(
      `create a site for every row of a CSV file (columns: ${ONBOARD_COLUMNS.join(', ')}): each row whole or not at all, ` +
        'rows already done reported as existing; exits 3 when any row is refused',
    )
    .option('--dry-run', 'check every row against the platform and report every problem by line; change nothing')
    .option('--concurrency <n>', 'rows in flight at once (1–32)', '8')
    .option('--report <file>', 'also write what was done to a file: JSON when it ends in .json, else CSV (one line per DNS record to create)')
    .action(async (file: string, options: { dryRun?: boolean; concurrency: string; report?: string }, command: Command) => {
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) command.error(`error: --concurrency must be a whole number from 1 to 32`, { exitCode: EXIT.usage });
      let rows: CsvRow[];
      try {
        rows = readOnboardCsv(await readFile(file, 'utf8'));
      } catch (error) {
        const known = error instanceof CsvFileError || (error as NodeJS.ErrnoException).code === 'ENOENT';
        if (!known) throw error;
        console.error(`Error: ${error instanceof CsvFileError ? error.message : `cannot read ${file}`}`);
        return finish(EXIT.usage);
      }
      const { json, api } = program.opts<{ json?: boolean; api?: string }>();
      const run = { dryRun: options.dryRun === true, concurrency };
      let refused = false;
      const present = async (reports: RowReport[]) => {
        refused = reports.some(isBad);
        if (options.report) await writeFile(options.report, reportFile(reports, options.report));
        return { json: { dryRun: run.dryRun, rows: reports, totals: totals(reports) }, text: reportText(reports, run.dryRun) };
      };
      const code = await runEitherWay({ json: json === true, api, connections: concurrency }, 'onboard', {
        local: async ({ context, config }) => present(await onboardRows(rows, run, (input) => execute({ ...context, platformDomain: config.platformDomain }, onboardTenant, { input }))),
        remote: async (remote) => present(await onboardRows(rows, run, (input) => remote.call<OnboardResult>('POST', '/platform/onboard', input))),
      });
      finish(code === EXIT.ok && refused ? EXIT.refused : code);
    });
}
