/** Formats an issue path the way editors read it: `sections[2].props.title`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** An issue's message the way editors read it: a missing value is `required`, whatever its type. */
export function issueMessage(issue: { code: string; message: string }): string {
  return issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'required' : issue.message;
}
