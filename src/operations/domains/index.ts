// Every domain operation and job, for the callers that expose them (the admin API, the CLI).
export { addDomain } from './add-domain.ts';
export { domainRecheckJob, domainVerifyJob } from './domain-checks.ts';
export type { DnsRecord, DomainView } from './domain-schemas.ts';
export { listDomains } from './list-domains.ts';
export { makePrimaryDomain } from './make-primary-domain.ts';
export { removeDomain } from './remove-domain.ts';
export { verifyDomain } from './verify-domain.ts';
