/**
 * Go's fmt.Sprint, Sprintln and Sprintf over typed values (fmt/print.go and format.go): verbs,
 * flags, width, precision, argument indexes, and the `%!d(string=x)` family of complaints.
 * Not supported: %p, %b/%x on floats (hex and binary float forms).
 */
import { canBackquote, decodeRune, encodeRune, isPrint, MAX_RUNE, quoteRune, quoteWith, RUNE_ERROR, runeCount } from './gostr.js';
import { formatFloat } from './numbers.js';
import { GoMap, isFloatKind, isIntKind, isUintKind, sortedEntries, type Val, type Value } from './value.js';

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

class Printer {
  buf = '';
  plus = false;
  minus = false;
  sharp = false;
  space = false;
  zero = false;
  plusV = false;
  sharpV = false;
  wid = 0;
  widPresent = false;
  prec = 0;
  precPresent = false;
  erroring = false;
  arg: Val = null;
  reordered = false;
  goodArgNum = true;

  clearflags(): void {
    this.plus = this.minus = this.sharp = this.space = this.zero = this.plusV = this.sharpV = false;
    this.wid = this.prec = 0;
    this.widPresent = this.precPresent = false;
  }

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.zero && !this.minus ? '0' : ' ').repeat(n);
  }
  pad(b: string): void {
    if (!this.widPresent || this.wid === 0) {
      this.buf += b;
      return;
    }
    const width = this.wid - runeCount(b);
    if (!this.minus) {
      this.writePadding(width);
      this.buf += b;
    } else {
      this.buf += b;
      this.writePadding(width);
    }
  }
  truncateString(s: string): string {
    if (this.precPresent) {
      let n = this.prec;
      for (let i = 0; i < s.length;) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += decodeRune(s, i)[1];
      }
    }
    return s;
  }
  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }
  fmtBoolean(b: boolean): void {
    this.pad(b ? 'true' : 'false');
  }
  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.sharp && canBackquote(s)) {
      this.pad('`' + s + '`');
      return;
    }
    this.pad(quoteWith(s, '"', this.plus));
  }
  fmtSbx(s: string, digits: string): void {
    let length = s.length;
    if (this.precPresent && this.prec < length) length = this.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.space) {
        if (this.sharp) width *= 2;
        width += length - 1;
      } else if (this.sharp) width += 2;
    } else {
      if (this.widPresent) this.writePadding(this.wid);
      return;
    }
    if (this.widPresent && this.wid > width && !this.minus) this.writePadding(this.wid - width);
    let out = '';
    if (this.sharp) out += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.space && i > 0) {
        out += ' ';
        if (this.sharp) out += '0' + digits[16];
      }
      const c = s.charCodeAt(i);
      out += digits[c >> 4]! + digits[c & 15]!;
    }
    this.buf += out;
    if (this.widPresent && this.wid > width && this.minus) this.writePadding(this.wid - width);
  }
  fmtInteger(u0: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    let u = BigInt.asUintN(64, u0);
    const negative = isSigned && BigInt.asIntN(64, u) < 0n;
    if (negative) u = BigInt.asUintN(64, -u);
    let prec = 0;
    if (this.precPresent) {
      prec = this.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.zero;
        this.zero = false;
        this.writePadding(this.wid);
        this.zero = oldZero;
        return;
      }
    } else if (this.zero && !this.minus && this.widPresent) {
      prec = this.wid;
      if (negative || this.plus || this.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    if (this.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8) {
        if (s[0] !== '0') s = '0' + s;
      } else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (this.plus) s = '+' + s;
    else if (this.space) s = ' ' + s;
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }
  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.precPresent && this.prec > 4) prec = this.prec;
    let s = BigInt.asUintN(64, u).toString(16).toUpperCase();
    if (s.length < prec) s = '0'.repeat(prec - s.length) + s;
    s = 'U+' + s;
    if (this.sharp && u <= BigInt(MAX_RUNE) && isPrint(Number(u))) s += " '" + encodeRune(Number(u)) + "'";
    const oldZero = this.zero;
    this.zero = false;
    this.pad(s);
    this.zero = oldZero;
  }
  fmtC(c: bigint): void {
    const r = c > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(c);
    this.pad(encodeRune(r));
  }
  fmtQc(c: bigint): void {
    const r = c > BigInt(MAX_RUNE) ? RUNE_ERROR : Number(c);
    this.pad(quoteRune(r, this.plus));
  }
  fmtFloatNum(v: number, size: number, verb: string, prec: number): void {
    if (this.precPresent) prec = this.prec;
    let num = formatFloat(v, verb, prec, size);
    if (num[0] === '-' || num[0] === '+') {
      /* keep */
    } else num = '+' + num;
    if (this.space && num[0] === '+' && !this.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.zero;
      this.zero = false;
      if (num[1] === 'N' && !this.space && !this.plus) num = num.slice(1);
      this.pad(num);
      this.zero = oldZero;
      return;
    }
    if (this.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      let body = num;
      for (let i = 1; i < body.length; i++) {
        const c = body[i]!;
        if (c === '.') hasDecimalPoint = true;
        else if (c === 'e' || c === 'E') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (this.plus || num[0] !== '+') {
      if (this.zero && !this.minus && this.widPresent && this.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- print.go ----

  badVerb(verb: string): void {
    this.erroring = true;
    this.buf += '%!' + verb + '(';
    if (this.arg !== null) {
      this.buf += this.arg.t.str + '=';
      this.printArg(this.arg, 'v');
    } else this.buf += '<nil>';
    this.buf += ')';
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }
  fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.sharp;
    this.sharp = leading0x;
    this.fmtInteger(v, 16, false, 'v', LDIGITS);
    this.sharp = sharp;
  }
  fmtIntegerVerb(v: bigint, isSigned: boolean, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV && !isSigned) this.fmt0x64(v, true);
        else this.fmtInteger(v, 10, isSigned, verb, LDIGITS);
        return;
      case 'd':
        return this.fmtInteger(v, 10, isSigned, verb, LDIGITS);
      case 'b':
        return this.fmtInteger(v, 2, isSigned, verb, LDIGITS);
      case 'o':
      case 'O':
        return this.fmtInteger(v, 8, isSigned, verb, LDIGITS);
      case 'x':
        return this.fmtInteger(v, 16, isSigned, verb, LDIGITS);
      case 'X':
        return this.fmtInteger(v, 16, isSigned, verb, UDIGITS);
      case 'c':
        return this.fmtC(v);
      case 'q':
        return this.fmtQc(v);
      case 'U':
        return this.fmtUnicode(v);
    }
    this.badVerb(verb);
  }
  fmtFloat(v: number, size: number, verb: string): void {
    switch (verb) {
      case 'v':
        return this.fmtFloatNum(v, size, 'g', -1);
      case 'g':
      case 'G':
        return this.fmtFloatNum(v, size, verb, -1);
      case 'f':
      case 'e':
      case 'E':
      case 'F':
        return this.fmtFloatNum(v, size, verb, 6);
    }
    this.badVerb(verb);
  }
  fmtComplex(v: [number, number], size: number, verb: string): void {
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
      case 'f':
      case 'F':
      case 'e':
      case 'E': {
        const oldPlus = this.plus;
        this.buf += '(';
        this.fmtFloat(v[0], size / 2, verb);
        this.plus = true;
        this.fmtFloat(v[1], size / 2, verb);
        this.buf += 'i)';
        this.plus = oldPlus;
        return;
      }
    }
    this.badVerb(verb);
  }
  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's':
        return this.fmtS(v);
      case 'x':
        return this.fmtSbx(v, LDIGITS);
      case 'X':
        return this.fmtSbx(v, UDIGITS);
      case 'q':
        return this.fmtQ(v);
    }
    this.badVerb(verb);
  }

  /** Stringer and error values for %v %s %x %X %q, as handleMethods does. */
  handleMethods(v: Value, verb: string): boolean {
    if (this.erroring) return false;
    if (this.sharpV) return false;
    if (v.t.stringer && 'vsxXq'.includes(verb)) {
      this.fmtString(v.t.stringer(v), verb);
      return true;
    }
    return false;
  }

  printArg(arg: Val, verb: string): void {
    this.arg = arg;
    if (arg === null) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb);
      return;
    }
    if (verb === 'T') {
      this.fmtS(arg.t.str);
      return;
    }
    if (arg.t.named && this.handleMethods(arg, verb)) return;
    this.printValue(arg, verb, 0);
  }

  printValue(value: Value, verb: string, depth: number): void {
    if (depth > 0 && value.t.named && this.handleMethods(value, verb)) return;
    this.arg = value;
    const t = value.t;
    const k = t.kind;
    if (k === 'bool') return this.fmtBool(value.v as boolean, verb);
    if (isIntKind(k)) return this.fmtIntegerVerb(value.v as bigint, true, verb);
    if (isUintKind(k)) return this.fmtIntegerVerb(value.v as bigint, false, verb);
    if (isFloatKind(k)) return this.fmtFloat(value.v as number, k === 'float32' ? 32 : 64, verb);
    if (k === 'complex64' || k === 'complex128') return this.fmtComplex(value.v as [number, number], k === 'complex64' ? 64 : 128, verb);
    if (k === 'string') return this.fmtString(value.v as string, verb);
    if (k === 'map') {
      const m = value.v as GoMap | null;
      if (this.sharpV) {
        this.buf += t.str;
        if (m === null) {
          this.buf += '(nil)';
          return;
        }
        this.buf += '{';
      } else this.buf += 'map[';
      const entries = m ? sortedEntries(m) : [];
      entries.forEach((e, i) => {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        this.printValue(e.k, verb, depth + 1);
        this.buf += ':';
        this.printElem(e.v, verb, depth + 1, t.elem!);
      });
      this.buf += this.sharpV ? '}' : ']';
      return;
    }
    if (k === 'struct') {
      if (this.sharpV) this.buf += t.str;
      this.buf += '{';
      const fields = value.v as Val[];
      t.fields!.forEach((f, i) => {
        if (i > 0) this.buf += this.sharpV ? ', ' : ' ';
        if (this.plusV || this.sharpV) this.buf += f.name + ':';
        this.printElem(fields[i]!, verb, depth + 1, f.type);
      });
      this.buf += '}';
      return;
    }
    if (k === 'interface') {
      const inner = value.v as Val;
      if (inner === null) {
        if (this.sharpV) this.buf += t.str + '(nil)';
        else this.buf += '<nil>';
      } else this.printValue(inner, verb, depth + 1);
      return;
    }
    if (k === 'slice') {
      const items = value.v as Val[] | null;
      if ('sqxX'.includes(verb) && t.elem!.kind === 'uint8') {
        const bytes = (items ?? []).map((b) => String.fromCharCode(Number((b as Value).v))).join('');
        if (verb === 's') return this.fmtS(bytes);
        if (verb === 'q') return this.fmtQ(bytes);
        return this.fmtSbx(bytes, verb === 'x' ? LDIGITS : UDIGITS);
      }
      if (this.sharpV) {
        this.buf += t.str;
        if (items === null) {
          this.buf += '(nil)';
          return;
        }
        this.buf += '{';
        (items ?? []).forEach((e, i) => {
          if (i > 0) this.buf += ', ';
          this.printElem(e, verb, depth + 1, t.elem!);
        });
        this.buf += '}';
      } else {
        this.buf += '[';
        (items ?? []).forEach((e, i) => {
          if (i > 0) this.buf += ' ';
          this.printElem(e, verb, depth + 1, t.elem!);
        });
        this.buf += ']';
      }
      return;
    }
    if (k === 'func') {
      // A func prints as its address in Go; there is no stable equivalent.
      this.buf += '0x0';
      return;
    }
    this.buf += `?${t.str}?`;
  }

  /** An element slot: a nil interface element prints <nil>. */
  printElem(v: Val, verb: string, depth: number, _slot: unknown): void {
    if (v === null) {
      if (verb === 'v') this.buf += '<nil>';
      else this.badVerb(verb);
      return;
    }
    this.printValue(v, verb, depth);
  }

  doPrint(a: Val[]): void {
    let prevString = false;
    a.forEach((arg, argNum) => {
      const isString = arg !== null && arg.t.kind === 'string';
      if (argNum > 0 && !isString && !prevString) this.buf += ' ';
      this.printArg(arg, 'v');
      prevString = isString;
    });
  }
  doPrintln(a: Val[]): void {
    a.forEach((arg, argNum) => {
      if (argNum > 0) this.buf += ' ';
      this.printArg(arg, 'v');
    });
    this.buf += '\n';
  }

  argNumber(argNum: number, format: string, i: number, numArgs: number): [number, number, boolean] {
    if (format.length <= i || format[i] !== '[') return [argNum, i, false];
    this.reordered = true;
    const [index, wid, ok] = parseArgNumber(format.slice(i));
    if (ok && 0 <= index && index < numArgs) return [index, i + wid, true];
    this.goodArgNum = false;
    return [argNum, i + wid, ok];
  }

  doPrintf(format: string, a: Val[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex: boolean;
    this.reordered = false;
    formatLoop: for (let i = 0; i < end;) {
      this.goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.clearflags();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            this.sharp = true;
            break;
          case '0':
            this.zero = true;
            break;
          case '+':
            this.plus = true;
            break;
          case '-':
            this.minus = true;
            break;
          case ' ':
            this.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v' || c === 'w') {
                this.sharpV = this.sharp;
                this.sharp = false;
                this.plusV = this.plus;
                this.plus = false;
              }
              if (c === 'w') this.badVerbW(a[argNum]!);
              else this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
      if (i < end && format[i] === '*') {
        i++;
        [this.wid, this.widPresent, argNum] = intFromArg(a, argNum);
        if (!this.widPresent) this.buf += '%!(BADWIDTH)';
        if (this.wid < 0) {
          this.wid = -this.wid;
          this.minus = true;
          this.zero = false;
        }
        afterIndex = false;
      } else {
        [this.wid, this.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.widPresent) this.goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) this.goodArgNum = false;
        [argNum, i, afterIndex] = this.argNumber(argNum, format, i, a.length);
        if (i < end && format[i] === '*') {
          i++;
          [this.prec, this.precPresent, argNum] = intFromArg(a, argNum);
          if (this.prec < 0) {
            this.prec = 0;
            this.precPresent = false;
          }
          if (!this.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.prec, this.precPresent, i] = parsenum(format, i, end);
          if (!this.precPresent) {
            this.prec = 0;
            this.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i] = this.argNumber(argNum, format, i, a.length);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      const [r, size] = decodeRune(format, i);
      const verb = encodeRune(r);
      i += size;
      if (verb === '%') this.buf += '%';
      else if (!this.goodArgNum) this.buf += '%!' + verb + '(BADINDEX)';
      else if (argNum >= a.length) this.buf += '%!' + verb + '(MISSING)';
      else {
        if (verb === 'v' || verb === 'w') {
          this.sharpV = this.sharp;
          this.sharp = false;
          this.plusV = this.plus;
          this.plus = false;
        }
        if (verb === 'w') this.badVerbW(a[argNum]!);
        else this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }
    if (!this.reordered && argNum < a.length) {
      this.clearflags();
      this.buf += '%!(EXTRA ';
      a.slice(argNum).forEach((arg, i) => {
        if (i > 0) this.buf += ', ';
        if (arg === null) this.buf += '<nil>';
        else {
          this.buf += arg.t.str + '=';
          this.printArg(arg, 'v');
        }
      });
      this.buf += ')';
    }
  }

  /** %w outside fmt.Errorf is a bad verb. */
  badVerbW(arg: Val): void {
    this.arg = arg;
    this.badVerb('w');
  }
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= '0' && s[i]! <= '9'; i++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + Number(s[i]);
    isnum = true;
  }
  return [num, isnum, i];
}

function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

function intFromArg(a: Val[], argNum: number): [number, boolean, number] {
  let num = 0;
  let isInt = false;
  let newArgNum = argNum;
  if (argNum < a.length) {
    const v = a[argNum]!;
    if (v !== null && isIntKind(v.t.kind)) {
      num = Number(v.v);
      isInt = true;
    } else if (v !== null && isUintKind(v.t.kind)) {
      const n = v.v as bigint;
      if (n < 1n << 63n) {
        num = Number(n);
        isInt = true;
      }
    }
    newArgNum = argNum + 1;
    if (tooLarge(num)) {
      num = 0;
      isInt = false;
    }
  }
  return [num, isInt, newArgNum];
}

/** Arguments are what Go passes as `...any`: concrete values, null for nil. */
function concrete(a: Val[]): Val[] {
  return a.map((v) => {
    while (v !== null && v.t.kind === 'interface') v = v.v as Val;
    return v;
  });
}

export function sprint(a: Val[]): string {
  const p = new Printer();
  p.doPrint(concrete(a));
  return p.buf;
}
export function sprintln(a: Val[]): string {
  const p = new Printer();
  p.doPrintln(concrete(a));
  return p.buf;
}
export function sprintf(format: string, a: Val[]): string {
  const p = new Printer();
  p.doPrintf(format, concrete(a));
  return p.buf;
}
/** fmt.Sprint of one value (the text of `{{.}}`). */
export function formatValue(v: Val): string {
  return sprint([v]);
}
