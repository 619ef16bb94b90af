// Every page operation, for the callers that expose them (the admin API, the editor).
export { cancelSchedule } from './cancel-schedule.ts';
export { changePath } from './change-path.ts';
export { createPage } from './create-page.ts';
export { deletePage } from './delete-page.ts';
export { diffVersions } from './diff-versions.ts';
export { listPages } from './list-pages.ts';
export { listSchedules } from './list-schedules.ts';
export { listVersions } from './list-versions.ts';
export { publishComposition } from './publish-composition.ts';
export { publishPage } from './publish-page.ts';
export { readPage } from './read-page.ts';
export { readVersion } from './read-version.ts';
export { restorePage } from './restore-page.ts';
export { rollbackPage } from './rollback-page.ts';
export { saveDraft } from './save-draft.ts';
export { schedulePublish } from './schedule-publish.ts';
export { unpublishPage } from './unpublish-page.ts';
