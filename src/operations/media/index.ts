// Every media operation, for the callers that expose them.
export { deleteMedia } from './delete-media.ts';
export { listMedia } from './list-media.ts';
export { readMedia, readMediaFile } from './read-media.ts';
export { updateMedia, updateMediaInput } from './update-media.ts';
export { uploadMedia, uploadMediaInput } from './upload-media.ts';
export type { MediaView } from './media-view.ts';
