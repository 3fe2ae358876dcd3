import { describe } from '../api/messages.ts';

/** Error text with the code's hint; SVG gets the reason it is refused for now. */
export function errorText(err: unknown): string {
  const d = describe(err);
  const title = d.title.replace(/\.$/, '');
  if (d.code === 'svg-refused') return `${title}. Sanitised SVG logos arrive in a later version of Lockup.`;
  return d.hint ? `${title}. ${d.hint}` : `${title}.`;
}
