import { domainRecheckJob, domainVerifyJob } from '../operations/domains/domain-checks.ts';
import { scheduledPublish } from '../operations/pages/scheduled-publish.ts';
import type { JobKind } from './job-kind.ts';

/** Every kind of job Mosaic runs. Add one here (see "Extending Mosaic" in the README). */
export const JOB_KINDS: readonly JobKind[] = [scheduledPublish, domainVerifyJob, domainRecheckJob] as unknown as JobKind[];
