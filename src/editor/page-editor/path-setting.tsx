import { useState } from 'react';
import { seg, type ApiClient } from '../api-client.ts';
import { useSubmit } from '../use-submit.ts';
import { Button } from '../ui/button.tsx';
import { ErrorNotice, useAnnounce } from '../ui/feedback.tsx';
import { TextField } from '../ui/fields.tsx';

/**
 * The page's path, changed on its own (`PUT …/path`): it moves the page, published or not, at once.
 * Pending draft changes are saved first (`save`), since the editor reopens the page afterwards.
 */
export function PathSetting({ api, tenant, pageId, path, save, onChanged }: { api: ApiClient; tenant: string; pageId: string; path: string; save: () => Promise<unknown>; onChanged: () => void }) {
  const announce = useAnnounce();
  const [value, setValue] = useState(path);
  const form = useSubmit(async () => {
    await save();
    await api.put(`/tenants/${seg(tenant)}/pages/${seg(pageId)}/path`, { body: { path: value } });
    announce(`The page's path is now ${value}.`);
    onChanged();
  });
  return (
    <form className="path-setting" onSubmit={form.onSubmit}>
      <TextField label="Path" value={value} onChange={setValue} required error={form.error?.at('path')} hint="Lower-case, like /about or /menus/spring. A published page moves at once." />
      <Button type="submit" busy={form.busy} disabled={value === path}>
        Change path
      </Button>
      {form.error && !form.error.at('path') && <ErrorNotice error={form.error} />}
    </form>
  );
}
