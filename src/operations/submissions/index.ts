// Every form-message operation, for the callers that expose them.
export { deleteSubmissions } from './delete-submission.ts';
export { exportSubmissions } from './export-submissions.ts';
export { listSubmissions } from './list-submissions.ts';
export { readSubmission } from './read-submission.ts';
