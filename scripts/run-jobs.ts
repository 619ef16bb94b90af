// Usage: npm run jobs — runs every job that is due now (scheduled publishes), then exits. Every
// server already runs them every JOB_POLL_MS; this is for installations that run none, or to run
// them at once. Safe alongside running servers: a job is claimed by one runner only.
// Exit codes: 0 done (even if some jobs failed; they are retried later), 1 the database failed, 2 usage.
import { createAppContext } from '../src/app/create-app-context.ts';
import { loadConfigForCommand, parseCommandLine } from '../src/cli/command-line.ts';
import { JOB_KINDS } from '../src/jobs/job-kinds.ts';
import { createJobRunner } from '../src/jobs/job-runner.ts';
import { runLifecycleSweep } from '../src/jobs/lifecycle-sweep.ts';
import { catalog } from '../registry/catalog.ts';
import { createLogger } from '../src/log/logger.ts';

parseCommandLine('Usage: npm run jobs   (runs the jobs due now; configured by the environment)', { options: {}, positionals: { min: 0, max: 0 } });
const config = loadConfigForCommand();
const logger = createLogger('warn', 'jobs');
const app = await createAppContext(config, logger, { serving: false });
try {
  const runner = createJobRunner({
    db: app.db,
    kinds: JOB_KINDS,
    context: { clock: () => new Date(), notify: app.notify, registry: catalog, logger, platformDomain: config.platformDomain },
    logger,
    worker: `cli-${process.pid}`,
  });
  const report = await runner.runDue();
  console.log(`Jobs: ${report.done} done, ${report.retrying} to retry, ${report.failed} failed, ${report.skipped} skipped.`);
  const sweep = await runLifecycleSweep(
    { db: app.db, clock: () => new Date(), notify: app.notify, registry: catalog, logger, platformDomain: config.platformDomain },
    { retentionDays: config.deletedRetentionDays },
  );
  console.log(`Sites: ${sweep.suspended.length} trials ended (suspended), ${sweep.purged.length} deleted sites purged.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await app.close();
}
