export interface SubmissionView {
  id: string;
  form: string;
  page: string;
  data: Record<string, string>;
  createdAt: string;
}

export const submissionColumns = ['id', 'form', 'page_path', 'data', 'created_at'] as const;

export function toSubmissionView(row: { id: string; form: string; page_path: string; data: Record<string, string>; created_at: Date }): SubmissionView {
  return { id: row.id, form: row.form, page: row.page_path, data: row.data, createdAt: new Date(row.created_at).toISOString() };
}
