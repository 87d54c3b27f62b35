/**
 * The name GitHub stores for an uploaded release asset.
 *
 * GitHub documents only that it "renames asset filenames that have special characters,
 * non-alphanumeric characters, and leading or trailing periods" (upload a release asset). The rule
 * here is what uploads have been observed to do:
 *   - letters with accents become their ASCII letter (`żółw` → `zolw`, `æ` → `ae`);
 *   - every run of characters outside `A-Z a-z 0-9 . _ - +` becomes one period
 *     (`hello 1.0.0~x (copy).txt` → `hello.1.0.0.x.copy.txt`, `appName(x64)_1.msi` → `appName.x64._1.msi`);
 *   - runs of periods collapse, and periods at either end of the part before the extension go;
 *   - when nothing is left of that part, it becomes `default` (`.config` → `default.config`, an
 *     emoji-only `😀.pdf` → `default.pdf`, as uploads showed in 2026).
 * The test kit exports it only so tests can compare; semver-release needs its own rule in core.
 */

// Letters NFKD does not decompose into an ASCII letter plus marks.
const LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ł: 'l',
  Ł: 'L',
  þ: 'th',
  Þ: 'TH',
  ŋ: 'ng',
  Ŋ: 'NG',
  ı: 'i',
};

function clean(part: string): string {
  return part
    .replace(/[^A-Za-z0-9._+-]+/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+|\.+$/g, '');
}

export function githubAssetName(name: string): string {
  const ascii = [...name]
    .map((ch) => LETTERS[ch] ?? ch)
    .join('')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  const dot = ascii.lastIndexOf('.');
  const base = clean(dot >= 0 ? ascii.slice(0, dot) : ascii) || 'default';
  const ext = dot >= 0 ? clean(ascii.slice(dot + 1)) : '';
  return ext ? `${base}.${ext}` : base;
}
