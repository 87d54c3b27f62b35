/**
 * time.Time for templates: GoReleaser's `.Now` is a time.Time and `{{ .Now.Format "2006-01-02" }}`
 * is common. Implements Go's reference-layout formatting (time/format.go) and the methods a
 * template can call. Times carry a fixed zone offset; GoReleaser's are UTC.
 */
import { GoError, Types, Value, named, structOf, type GoMethod, type GoTime, type GoType, type Val } from './value.js';

const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  yday: number;
  wday: number;
}

export function civil(t: GoTime): Civil {
  const local = Number(t.sec) + t.offset;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const [year, month, day] = civilFromDays(days);
  const yday = days - daysFromCivil(year, 1, 1) + 1;
  const wday = (((days + 4) % 7) + 7) % 7;
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    min: Math.floor((secOfDay % 3600) / 60),
    sec: secOfDay % 60,
    nsec: t.nsec,
    yday,
    wday,
  };
}

function appendInt(x: number, width: number): string {
  const neg = x < 0;
  let s = String(Math.abs(x));
  if (s.length < width) s = '0'.repeat(width - s.length) + s;
  return neg ? '-' + s : s;
}

type Std = { k: 'lit' } | { k: 'std'; code: string } | { k: 'frac'; trim: boolean; n: number; sep: string };

const startsWithLower = (s: string): boolean => s.length > 0 && s[0]! >= 'a' && s[0]! <= 'z';
const isDigitAt = (s: string, i: number): boolean => i < s.length && s[i]! >= '0' && s[i]! <= '9';

/** nextStdChunk: [prefix, std, suffix]. */
function nextStdChunk(layout: string): [string, Std, string] {
  const L = layout;
  for (let i = 0; i < L.length; i++) {
    const c = L[i]!;
    const at = (s: string): boolean => L.startsWith(s, i);
    const std = (code: string, len: number, prefixEnd = i): [string, Std, string] => [
      L.slice(0, prefixEnd),
      { k: 'std', code },
      L.slice(i + len),
    ];
    switch (c) {
      case 'J':
        if (at('Jan')) {
          if (at('January')) return std('January', 7);
          if (!startsWithLower(L.slice(i + 3))) return std('Jan', 3);
        }
        break;
      case 'M':
        if (at('Mon')) {
          if (at('Monday')) return std('Monday', 6);
          if (!startsWithLower(L.slice(i + 3))) return std('Mon', 3);
        }
        if (at('MST')) return std('MST', 3);
        break;
      case '0':
        if (i + 1 < L.length && L[i + 1]! >= '1' && L[i + 1]! <= '6') return std('0' + L[i + 1], 2);
        if (at('002')) return std('002', 3);
        break;
      case '1':
        if (at('15')) return std('15', 2);
        return std('1', 1);
      case '2':
        if (at('2006')) return std('2006', 4);
        return std('2', 1);
      case '_':
        if (at('_2')) {
          if (at('_2006')) return [L.slice(0, i + 1), { k: 'std', code: '2006' }, L.slice(i + 5)];
          return std('_2', 2);
        }
        if (at('__2')) return std('__2', 3);
        break;
      case '3':
      case '4':
      case '5':
        return std(c, 1);
      case 'P':
        if (at('PM')) return std('PM', 2);
        break;
      case 'p':
        if (at('pm')) return std('pm', 2);
        break;
      case '-':
        for (const z of ['-070000', '-07:00:00', '-0700', '-07:00', '-07']) if (at(z)) return std(z, z.length);
        break;
      case 'Z':
        for (const z of ['Z070000', 'Z07:00:00', 'Z0700', 'Z07:00', 'Z07']) if (at(z)) return std(z, z.length);
        break;
      case '.':
      case ',':
        if (i + 1 < L.length && (L[i + 1] === '0' || L[i + 1] === '9')) {
          const ch = L[i + 1];
          let j = i + 1;
          while (j < L.length && L[j] === ch) j++;
          if (!isDigitAt(L, j)) return [L.slice(0, i), { k: 'frac', trim: ch === '9', n: j - (i + 1), sep: c }, L.slice(j)];
        }
        break;
    }
  }
  return [L, { k: 'lit' }, ''];
}

/** time.Time.Format(layout) over plain (ASCII-safe) layout text. */
export function formatTime(t: GoTime, layout: string): string {
  const c = civil(t);
  let out = '';
  while (layout !== '') {
    const [prefix, std, suffix] = nextStdChunk(layout);
    out += prefix;
    if (std.k === 'lit') break;
    layout = suffix;
    if (std.k === 'frac') {
      if (std.trim && (std.n === 0 || c.nsec === 0)) continue;
      let s = std.sep + appendInt(c.nsec, 9);
      if (std.n < 9) s = s.slice(0, s.length - 9 + std.n);
      if (std.trim) {
        s = s.replace(/0+$/, '');
        if (s === std.sep) s = '';
      }
      out += s;
      continue;
    }
    const off = t.offset;
    switch (std.code) {
      case '06':
        out += appendInt(((c.year % 100) + 100) % 100, 2);
        break;
      case '2006':
        out += appendInt(c.year, 4);
        break;
      case 'Jan':
        out += LONG_MONTHS[c.month - 1]!.slice(0, 3);
        break;
      case 'January':
        out += LONG_MONTHS[c.month - 1];
        break;
      case '1':
        out += String(c.month);
        break;
      case '01':
        out += appendInt(c.month, 2);
        break;
      case 'Mon':
        out += LONG_DAYS[c.wday]!.slice(0, 3);
        break;
      case 'Monday':
        out += LONG_DAYS[c.wday];
        break;
      case '2':
        out += String(c.day);
        break;
      case '_2':
        out += (c.day < 10 ? ' ' : '') + String(c.day);
        break;
      case '02':
        out += appendInt(c.day, 2);
        break;
      case '__2':
        out += (c.yday < 100 ? ' ' : '') + (c.yday < 10 ? ' ' : '') + String(c.yday);
        break;
      case '002':
        out += appendInt(c.yday, 3);
        break;
      case '15':
        out += appendInt(c.hour, 2);
        break;
      case '3':
        out += String(c.hour % 12 === 0 ? 12 : c.hour % 12);
        break;
      case '03':
        out += appendInt(c.hour % 12 === 0 ? 12 : c.hour % 12, 2);
        break;
      case '4':
        out += String(c.min);
        break;
      case '04':
        out += appendInt(c.min, 2);
        break;
      case '5':
        out += String(c.sec);
        break;
      case '05':
        out += appendInt(c.sec, 2);
        break;
      case 'PM':
        out += c.hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += c.hour >= 12 ? 'pm' : 'am';
        break;
      case 'MST': {
        if (t.zone !== '') {
          out += t.zone;
          break;
        }
        let zone = Math.trunc(off / 60);
        if (zone < 0) {
          out += '-';
          zone = -zone;
        } else out += '+';
        out += appendInt(Math.trunc(zone / 60), 2) + appendInt(zone % 60, 2);
        break;
      }
      default: {
        const code = std.code;
        const iso = code[0] === 'Z';
        if (off === 0 && iso) {
          out += 'Z';
          break;
        }
        let zone = Math.trunc(off / 60);
        let abs = off;
        if (zone < 0) {
          out += '-';
          zone = -zone;
          abs = -abs;
        } else out += '+';
        out += appendInt(Math.trunc(zone / 60), 2);
        const body = code.slice(1);
        if (body.startsWith('07:')) out += ':';
        if (body !== '07') out += appendInt(zone % 60, 2);
        if (body === '070000' || body === '07:00:00') {
          if (body === '07:00:00') out += ':';
          out += appendInt(abs % 60, 2);
        }
      }
    }
  }
  return out;
}

export function timeString(t: GoTime): string {
  return formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST');
}

// ---- the types ----

const monthType: GoType = named('time.Month', Types.int, {
  stringer: (v) => {
    const m = Number(v.v);
    return m >= 1 && m <= 12 ? LONG_MONTHS[m - 1]! : `%!Month(${m})`;
  },
});
const weekdayType: GoType = named('time.Weekday', Types.int, {
  stringer: (v) => {
    const d = Number(v.v);
    return d >= 0 && d <= 6 ? LONG_DAYS[d]! : `%!Weekday(${d})`;
  },
});
export const durationType: GoType = named('time.Duration', Types.int64);

const methods = new Map<string, GoMethod>();
const timeBase = structOf('time.Time', [
  { name: 'wall', type: Types.uint64 },
  { name: 'ext', type: Types.int64 },
]);
export const timeType: GoType = named('time.Time', timeBase, { methods, stringer: (v) => timeString(v.v as GoTime) });

export function timeValue(t: GoTime): Value {
  return new Value(timeType, t);
}

/** A time.Time from a JS Date (UTC, millisecond precision) or from Unix nanoseconds. */
export function timeFromDate(d: Date): GoTime {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  const sec = Math.floor(ms / 1000);
  return { sec: BigInt(sec), nsec: (ms - sec * 1000) * 1e6, offset: 0, zone: 'UTC' };
}

const int = (n: number | bigint): Value => new Value(Types.int, BigInt(n));
const i64 = (n: bigint): Value => new Value(Types.int64, BigInt.asIntN(64, n));
const sig = (ins: GoType[], outs: GoType[]) => ({ in: ins, out: outs, variadic: false });
const T = (v: Value): GoTime => v.v as GoTime;
function method(name: string, ins: GoType[], outs: GoType[], f: (t: GoTime, args: Val[]) => Value): void {
  methods.set(name, { sig: sig(ins, outs), call: (recv, args) => f(T(recv), args) });
}

function fromCivil(y: number, mo: number, d: number, h: number, mi: number, s: number, nsec: number, offset: number, zone: string): GoTime {
  const yy = y + Math.floor((mo - 1) / 12);
  const mm = (((mo - 1) % 12) + 12) % 12;
  const days = daysFromCivil(yy, mm + 1, 1) + (d - 1);
  const sec = BigInt(days) * 86400n + BigInt(h * 3600 + mi * 60 + s) - BigInt(offset);
  return { sec, nsec, offset, zone };
}

method('Format', [Types.string], [Types.string], (t, a) => new Value(Types.string, formatTime(t, (a[0] as Value).v as string)));
method('String', [], [Types.string], (t) => new Value(Types.string, timeString(t)));
method('Year', [], [Types.int], (t) => int(civil(t).year));
method('Month', [], [monthType], (t) => new Value(monthType, BigInt(civil(t).month)));
method('Day', [], [Types.int], (t) => int(civil(t).day));
method('Hour', [], [Types.int], (t) => int(civil(t).hour));
method('Minute', [], [Types.int], (t) => int(civil(t).min));
method('Second', [], [Types.int], (t) => int(civil(t).sec));
method('Nanosecond', [], [Types.int], (t) => int(t.nsec));
method('YearDay', [], [Types.int], (t) => int(civil(t).yday));
method('Weekday', [], [weekdayType], (t) => new Value(weekdayType, BigInt(civil(t).wday)));
method('Unix', [], [Types.int64], (t) => i64(t.sec));
method('UnixMilli', [], [Types.int64], (t) => i64(t.sec * 1000n + BigInt(Math.floor(t.nsec / 1e6))));
method('UnixMicro', [], [Types.int64], (t) => i64(t.sec * 1000000n + BigInt(Math.floor(t.nsec / 1e3))));
method('UnixNano', [], [Types.int64], (t) => i64(t.sec * 1000000000n + BigInt(t.nsec)));
method('UTC', [], [timeType], (t) => timeValue({ ...t, offset: 0, zone: 'UTC' }));
method('IsZero', [], [Types.bool], (t) => new Value(Types.bool, t.sec === -62135596800n && t.nsec === 0));
method('AddDate', [Types.int, Types.int, Types.int], [timeType], (t, a) => {
  const [y, m, d] = a.map((x) => Number((x as Value).v as bigint)) as [number, number, number];
  const c = civil(t);
  return timeValue(fromCivil(c.year + y, c.month + m, c.day + d, c.hour, c.min, c.sec, c.nsec, t.offset, t.zone));
});
method('Add', [durationType], [timeType], (t, a) => {
  const ns = BigInt(t.nsec) + ((a[0] as Value).v as bigint);
  const sec = t.sec + (ns >= 0n ? ns / 1000000000n : -((-ns + 999999999n) / 1000000000n));
  const nsec = Number(ns - (sec - t.sec) * 1000000000n);
  return timeValue({ ...t, sec, nsec });
});
const cmp = (a: GoTime, b: GoTime): number => (a.sec !== b.sec ? (a.sec < b.sec ? -1 : 1) : a.nsec - b.nsec);
method('Before', [timeType], [Types.bool], (t, a) => new Value(Types.bool, cmp(t, T(a[0] as Value)) < 0));
method('After', [timeType], [Types.bool], (t, a) => new Value(Types.bool, cmp(t, T(a[0] as Value)) > 0));
method('Equal', [timeType], [Types.bool], (t, a) => new Value(Types.bool, cmp(t, T(a[0] as Value)) === 0));

/** Parses an RFC 3339 timestamp into a GoTime keeping its offset (zone name "" unless Z). */
export function parseRFC3339(s: string): GoTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) throw new GoError(`not an RFC 3339 time: ${s}`);
  const offset =
    m[8] === 'Z' || m[8] === 'z' ? 0 : (m[8]![0] === '-' ? -1 : 1) * (Number(m[8]!.slice(1, 3)) * 3600 + Number(m[8]!.slice(4, 6)) * 60);
  const zone = offset === 0 ? 'UTC' : '';
  const nsec = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return fromCivil(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), nsec, offset, zone);
}
