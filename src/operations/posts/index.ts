// Every post operation, for the callers that expose them.
export { createPost } from './create-post.ts';
export { deletePost } from './delete-post.ts';
export { listPosts } from './list-posts.ts';
export { readPost } from './read-post.ts';
export { schedulePost } from './schedule-post.ts';
export { updatePost } from './update-post.ts';
