/**
 * The name GitHub stores for an uploaded release asset.
 *
 * GitHub's upload endpoint documents that it "renames asset filenames that have special
 * characters, non-alphanumeric characters, and leading or trailing periods", and that the list
 * endpoint shows the renamed names. A publisher that compares by the local name therefore never
 * finds what it uploaded (a re-run uploads again and meets 422 already_exists). The rule below is
 * what uploads are observed to do, so semver-release can compute the stored name before it sends
 * a byte, warn about the change, and compare and skip by it:
 *   - accented letters lose their accents, and a few letters without a decomposition are spelled
 *     in ASCII (`ø` → `o`, `æ` → `ae`, `ß` → `ss`);
 *   - any run of characters other than ASCII letters, digits and `. _ - +` becomes one period;
 *   - the name and its extension (after the last period) each lose periods at either end, and
 *     runs of periods shrink to one;
 *   - a name with nothing left before the extension is called `default` (`.notes` → `default.notes`).
 */

/** Letters Unicode does not decompose into an ASCII letter and marks, as GitHub spells them. */
const ASCII_SPELLING = new Map<string, string>([
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['Æ', 'AE'],
  ['œ', 'oe'],
  ['Œ', 'OE'],
  ['ø', 'o'],
  ['Ø', 'O'],
  ['đ', 'd'],
  ['Đ', 'D'],
  ['ð', 'd'],
  ['Ð', 'D'],
  ['ł', 'l'],
  ['Ł', 'L'],
  ['þ', 'th'],
  ['Þ', 'TH'],
  ['ŋ', 'ng'],
  ['Ŋ', 'NG'],
  ['ı', 'i'],
]);

const KEPT = /[A-Za-z0-9._+-]/;

function toAscii(name: string): string {
  let out = '';
  for (const ch of name) out += ASCII_SPELLING.get(ch) ?? ch;
  return out.normalize('NFKD').replace(/\p{M}/gu, '');
}

/** One part (the name or the extension): other characters to periods, periods squeezed and trimmed. */
function tidy(part: string): string {
  let out = '';
  for (const ch of part) {
    const c = KEPT.test(ch) ? ch : '.';
    if (c === '.' && out.endsWith('.')) continue;
    out += c;
  }
  let start = 0;
  let end = out.length;
  while (start < end && out[start] === '.') start++;
  while (end > start && out[end - 1] === '.') end--;
  return out.slice(start, end);
}

/** The name GitHub will store for an asset uploaded as `name`. */
export function githubAssetName(name: string): string {
  const ascii = toAscii(name);
  const dot = ascii.lastIndexOf('.');
  const stem = tidy(dot === -1 ? ascii : ascii.slice(0, dot)) || 'default';
  const extension = dot === -1 ? '' : tidy(ascii.slice(dot + 1));
  return extension ? `${stem}.${extension}` : stem;
}

/** True when GitHub keeps `name` as it is. */
export function isStoredAsIs(name: string): boolean {
  return githubAssetName(name) === name;
}
