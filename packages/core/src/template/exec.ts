/**
 * The executor of Go's text/template (text/template/exec.go), over the value model of value.ts.
 * Evaluation order, variable scoping, truthiness, argument conversion and error texts follow Go.
 */
import { formatValue } from './fmt.js';
import { quote } from './gostr.js';
import {
  nodeString,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type Tree,
  type VariableNode,
} from './parse.js';
import {
  GoError,
  Types,
  Value,
  assignable,
  indirect,
  indirectInterface,
  isComplexKind,
  isFloatKind,
  isIntKind,
  isNilValue,
  isUintKind,
  lenOf,
  sortedEntries,
  zeroOf,
  type GoFunc,
  type GoMap,
  type GoType,
  type Val,
} from './value.js';

export type MissingKey = 'error' | 'default' | 'zero';

/** A function as the executor sees it; builtins are special-cased by name like Go does. */
export interface FuncEntry {
  fn: GoFunc;
  builtin: boolean;
}

export interface TemplateSet {
  trees: Map<string, Tree>;
  funcs: Map<string, FuncEntry>;
  missingKey: MissingKey;
}

/** An execution failure, shaped as Go's ExecError. */
export class ExecFailure extends Error {
  constructor(
    message: string,
    readonly reason: string,
    readonly line: number,
    readonly col: number,
    readonly context: string,
  ) {
    super(message);
  }
}

const missingType: GoType = { kind: 'struct', str: 'template.missingValType', underlying: 'struct {}', named: true, fields: [] };
const MISSING = new Value(missingType, []);
const isMissing = (v: Val): boolean => v === MISSING;

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_EXEC_DEPTH = 100000;

/** An element read from a slot of type t (slice element, map value, struct field): interfaces stay wrapped. */
export function slot(t: GoType, v: Val): Val {
  if (t.kind === 'interface') return v !== null && v.t.kind === 'interface' ? v : new Value(t, v);
  return v;
}

export function isTrue(val: Val): [boolean, boolean] {
  if (val === null) return [false, true];
  const k = val.t.kind;
  switch (k) {
    case 'slice':
    case 'map':
    case 'string':
      return [lenOf(val) > 0, true];
    case 'bool':
      return [val.v as boolean, true];
    case 'func':
    case 'interface':
      return [val.v !== null, true];
    case 'struct':
      return [true, true];
  }
  if (isComplexKind(k)) {
    const c = val.v as [number, number];
    return [c[0] !== 0 || c[1] !== 0, true];
  }
  if (isIntKind(k) || isUintKind(k)) return [(val.v as bigint) !== 0n, true];
  if (isFloatKind(k)) return [(val.v as number) !== 0, true];
  return [false, false];
}

export function truth(v: Val): boolean {
  return isTrue(indirectInterface(v))[0];
}

function canBeNil(t: GoType): boolean {
  switch (t.kind) {
    case 'func':
    case 'interface':
    case 'map':
    case 'slice':
    case 'reflect':
      return true;
  }
  return false;
}

function locate(tree: Tree, pos: number): [number, number] {
  const text = tree.text.slice(0, pos);
  const nl = text.lastIndexOf('\n');
  const col = nl === -1 ? pos : pos - (nl + 1);
  let line = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return [line, col];
}

interface Variable {
  name: string;
  value: Val;
}

class State {
  node: Node | null = null;
  vars: Variable[];
  out: string[] = [];
  constructor(
    readonly set: TemplateSet,
    public name: string,
    dot: Val,
    public depth = 0,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  at(n: Node): void {
    this.node = n;
  }

  errorf(reason: string): never {
    if (this.node === null) throw new ExecFailure(`template: ${this.name}: ${reason}`, reason, 0, 0, '');
    const tree = this.node.tree;
    const [line, col] = locate(tree, this.node.pos);
    const context = nodeString(this.node);
    const msg = `template: ${tree.parseName}:${line}:${col}: executing ${quote(this.name)} at <${context}>: ${reason}`;
    throw new ExecFailure(msg, reason, line, col, context);
  }

  mark(): number {
    return this.vars.length;
  }
  pop(mark: number): void {
    this.vars.length = mark;
  }
  push(name: string, value: Val): void {
    this.vars.push({ name, value });
  }
  setVar(name: string, value: Val): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: Val): void {
    this.vars[this.vars.length - n]!.value = value;
  }
  varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walk ----

  walk(dot: Val, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        // {{break}} and {{continue}} unwind to the enclosing range as Go's executor does (by panic).
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw BREAK;
      case 'comment':
        return;
      case 'continue':
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw CONTINUE;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node, dot);
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  walkIfOrWith(node: BranchNode, dot: Val): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const [t, ok] = isTrue(indirectInterface(val));
      if (!ok) this.errorf(`if/with can't use ${formatValue(val)}`);
      if (t) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  walkRange(dot: Val, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const [val] = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Val, elem: Val): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            if (decl.length > 1) this.setVar(decl[0]!.ident[0]!, index);
            else this.setVar(decl[0]!.ident[0]!, elem);
          } else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      if (val !== null) {
        const k = val.t.kind;
        if (isIntKind(k) || isUintKind(k)) {
          if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
          const n = val.v as bigint;
          for (let i = 0n; i < n; i++) {
            ran = true;
            oneIteration(null, new Value(val.t, i));
          }
        } else if (k === 'slice') {
          const items = (val.v as Val[] | null) ?? [];
          for (let i = 0; i < items.length; i++) {
            ran = true;
            oneIteration(new Value(Types.int, BigInt(i)), slot(val.t.elem!, items[i]!));
          }
        } else if (k === 'map') {
          const m = val.v as GoMap | null;
          if (m) {
            for (const e of sortedEntries(m)) {
              ran = true;
              oneIteration(e.k, slot(val.t.elem!, e.v));
            }
          }
        } else {
          this.errorf(`range can't iterate over ${formatValue(val)}`);
        }
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  walkTemplate(dot: Val, t: TemplateNode): void {
    this.at(t);
    const tree = this.set.trees.get(t.name);
    if (!tree || !tree.root) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    dot = this.evalPipeline(dot, t.pipe);
    const ns = new State(this.set, t.name, dot, this.depth + 1);
    ns.out = this.out;
    ns.walk(dot, tree.root);
  }

  // ---- eval ----

  evalPipeline(dot: Val, pipe: PipeNode | null): Val {
    if (pipe === null) return null;
    this.at(pipe);
    let value: Val = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value !== null && value.t.kind === 'interface' && value.t.str === 'interface {}') value = value.v as Val;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.push(v.ident[0]!, value);
    }
    return value;
  }

  notAFunction(args: Node[], final: Val): void {
    if (args.length > 1 || !isMissing(final)) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  evalCommand(dot: Val, cmd: CommandNode, final: Val): Val {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return new Value(Types.bool, first.true);
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      // falls through (errorf never returns)
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return new Value(Types.string, first.text);
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  idealConstant(c: NumberNode): Val {
    this.at(c);
    const isHexInt = c.text.length > 2 && c.text[0] === '0' && (c.text[1] === 'x' || c.text[1] === 'X') && !/[pP]/.test(c.text);
    const isRuneInt = c.text[0] === "'";
    if (c.isComplex) return new Value(Types.complex128, c.complex);
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return new Value(Types.float64, c.float64);
    if (c.isInt) return new Value(Types.int, c.int64);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return null;
  }

  evalFieldNode(dot: Val, field: FieldNode, args: Node[] | null, final: Val): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(dot: Val, chain: ChainNode, args: Node[] | null, final: Val): Val {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(dot: Val, v: VariableNode, args: Node[] | null, final: Val): Val {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  evalFieldChain(dot: Val, receiver: Val, node: Node, ident: string[], args: Node[] | null, final: Val): Val {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Val): Val {
    this.at(node);
    const name = node.ident;
    const f = this.set.funcs.get(name);
    if (!f) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, f.fn, f.builtin, cmd, name, args, final);
  }

  evalField(dot: Val, fieldName: string, node: Node, args: Node[] | null, final: Val, receiver0: Val): Val {
    if (receiver0 === null) {
      if (this.set.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return null;
    }
    const typ = receiver0.t;
    const [receiver, isNil] = indirect(receiver0);
    if (receiver !== null && receiver.t.kind === 'interface' && isNil) this.errorf(`nil pointer evaluating ${typ.str}.${fieldName}`);
    const r = receiver!;
    const method = r.t.methods?.get(fieldName);
    if (method) {
      const bound: GoFunc = { sig: method.sig, call: (a) => method.call(r, a) };
      return this.evalCall(dot, bound, false, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || !isMissing(final);
    if (r.t.kind === 'struct') {
      const idx = r.t.fields!.findIndex((f) => f.name === fieldName);
      if (idx >= 0) {
        const exported = /^\p{Lu}/u.test(fieldName);
        if (!exported) this.errorf(`${fieldName} is an unexported field of struct type ${typ.str}`);
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return slot(r.t.fields![idx]!.type, (r.v as Val[])[idx]!);
      }
    } else if (r.t.kind === 'map') {
      const keyT = r.t.key!;
      if (assignable(Types.string, keyT)) {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        const m = r.v as GoMap | null;
        const got = m?.get(new Value(Types.string, fieldName));
        if (got === undefined) {
          switch (this.set.missingKey) {
            case 'default':
              return null;
            case 'zero':
              return zeroOf(r.t.elem!);
            case 'error':
              this.errorf(`map has no entry for key ${quote(fieldName)}`);
          }
        }
        return slot(r.t.elem!, got);
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ.str}`);
  }

  evalCall(dot: Val, fun: GoFunc, isBuiltin: boolean, node: Node, name: string, args0: Node[] | null, final: Val): Val {
    const args = args0 ? args0.slice(1) : [];
    const sig = fun.sig;
    let numIn = args.length;
    if (!isMissing(final)) numIn++;
    let numFixed = args.length;
    if (sig.variadic) {
      numFixed = sig.in.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${sig.in.length - 1} got ${args.length}`);
    } else if (numIn !== sig.in.length) this.errorf(`wrong number of args for ${name}: want ${sig.in.length} got ${numIn}`);
    const bad = goodFunc(name, sig.out);
    if (bad) this.errorf(bad);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      const argType = sig.in[0]!;
      let v: Val = null;
      for (const arg of args) {
        v = this.evalArg(dot, argType, arg);
        if (truth(v) === (name === 'or')) return v;
      }
      if (!isMissing(final)) v = this.validateType(final, argType);
      return v;
    }

    const argv: Val[] = new Array<Val>(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, sig.in[i]!, args[i]!);
    if (sig.variadic) {
      const argType = sig.in[sig.in.length - 1]!.elem!;
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, argType, args[i]!);
    }
    if (!isMissing(final)) {
      let t = sig.in[sig.in.length - 1]!;
      if (sig.variadic) {
        if (numIn - 1 < numFixed) t = sig.in[numIn - 1]!;
        else t = t.elem!;
      }
      argv[i] = this.validateType(final, t);
    }
    let call = fun;
    if (isBuiltin && name === 'call') {
      const callee = args.length === 0 ? formatValue(final) : nodeString(args[0]!);
      call = { sig: fun.sig, call: (a) => callBuiltin(callee, a) };
    }
    try {
      return call.call(argv);
    } catch (e) {
      if (e instanceof ExecFailure || e === BREAK || e === CONTINUE) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  validateType(value: Val, typ: GoType | null): Val {
    if (value === null) {
      if (typ === null) return null;
      if (typ.kind === 'reflect') return null;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ.str}`);
    }
    if (typ === null || typ.kind === 'reflect') return value;
    if (!assignable(value.t, typ)) {
      if (value.t.kind === 'interface' && !isNilValue(value)) {
        value = value.v as Value;
        if (assignable(value.t, typ)) return value;
      }
      this.errorf(`wrong type for value; expected ${typ.str}; got ${value.t.str}`);
    }
    return value;
  }

  evalArg(dot: Val, typ: GoType | null, n: Node): Val {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ !== null && canBeNil(typ)) return typ.kind === 'reflect' ? null : zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ?.str ?? '<nil>'}`);
      // falls through (errorf never returns)
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === null) this.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
    const k = typ.kind;
    if (k === 'bool') {
      if (n.type === 'bool') return new Value(typ, n.true);
      this.errorf(`expected bool; found ${nodeString(n)}`);
    }
    if (isComplexKind(k)) {
      if (n.type === 'number' && n.isComplex) return new Value(typ, n.complex);
      this.errorf(`expected complex; found ${nodeString(n)}`);
    }
    if (isFloatKind(k)) {
      this.at(n);
      if (n.type === 'number' && n.isFloat) return new Value(typ, k === 'float32' ? Math.fround(n.float64) : n.float64);
      this.errorf(`expected float; found ${nodeString(n)}`);
    }
    if (isIntKind(k)) {
      if (n.type === 'number' && n.isInt) return new Value(typ, BigInt.asIntN(widthOf(k), n.int64));
      this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    if (k === 'interface' && typ.str === 'interface {}') return this.evalEmptyInterface(dot, n);
    if (k === 'reflect') return this.evalEmptyInterface(dot, n);
    if (k === 'string') {
      if (n.type === 'string') return new Value(typ, n.text);
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    if (isUintKind(k)) {
      if (n.type === 'number' && n.isUint) return new Value(typ, BigInt.asUintN(widthOf(k), n.uint64));
      this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ.str}`);
  }

  evalEmptyInterface(dot: Val, n: Node): Val {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return new Value(Types.bool, n.true);
      case 'dot':
        return dot;
      case 'field':
        return this.evalFieldNode(dot, n, null, MISSING);
      case 'identifier':
        return this.evalFunction(dot, n, n, null, MISSING);
      case 'nil':
        this.errorf("evalEmptyInterface: nil (can't happen)");
      // falls through (errorf never returns)
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return new Value(Types.string, n.text);
      case 'variable':
        return this.evalVariableNode(dot, n, null, MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(n: Node, v: Val): void {
    this.at(n);
    if (v !== null && v.t.kind === 'func') this.errorf(`can't print ${nodeString(n)} of type ${v.t.str}`);
    this.out.push(v === null ? '<no value>' : formatValue(v));
  }
}

function widthOf(k: string): number {
  const m = /(\d+)$/.exec(k);
  return m ? Number(m[1]) : 64;
}

function goodFunc(name: string, out: GoType[]): string | null {
  if (out.length === 1) return null;
  if (out.length === 2 && out[1]!.str === 'error') return null;
  if (out.length === 2) return `invalid function signature for ${name}: second return value should be error; is ${out[1]!.str}`;
  return `function ${name} has ${out.length} return values; should be 1 or 2`;
}

/** The `call` builtin: its first argument is the function value. */
function callBuiltin(name: string, argv: Val[]): Val {
  const fn0 = indirectInterface(argv[0] ?? null);
  const args = argv.slice(1);
  if (fn0 === null) throw new GoError('call of nil');
  if (fn0.t.kind !== 'func') throw new GoError(`non-function ${name} of type ${fn0.t.str}`);
  const fn = fn0.v as GoFunc | null;
  if (fn === null) throw new GoError('call of nil');
  const bad = goodFunc(name, fn.sig.out);
  if (bad) throw new GoError(bad);
  const numIn = fn.sig.in.length;
  if (fn.sig.variadic) {
    if (args.length < numIn - 1) throw new GoError(`wrong number of args for ${name}: got ${args.length} want at least ${numIn - 1}`);
  } else if (args.length !== numIn) throw new GoError(`wrong number of args for ${name}: got ${args.length} want ${numIn}`);
  const prepared = args.map((a, i) => {
    const argType = !fn.sig.variadic || i < numIn - 1 ? fn.sig.in[i]! : fn.sig.in[numIn - 1]!.elem!;
    try {
      return prepareArg(indirectInterface(a), argType);
    } catch (e) {
      throw new GoError(`arg ${i}: ${(e as Error).message}`);
    }
  });
  return fn.call(prepared);
}

/** prepareArg of funcs.go: nil to a nilable type, assignable, or an integer conversion. */
export function prepareArg(value: Val, argType: GoType): Val {
  if (argType.kind === 'reflect') return value;
  if (value === null) {
    if (!canBeNil(argType)) throw new GoError(`value is nil; should be of type ${argType.str}`);
    return zeroOf(argType);
  }
  if (assignable(value.t, argType)) return value;
  const ik = (k: string): boolean => isIntKind(k as never) || isUintKind(k as never);
  if (ik(value.t.kind) && ik(argType.kind)) {
    const n = value.v as bigint;
    return new Value(
      argType,
      isUintKind(argType.kind) ? BigInt.asUintN(widthOf(argType.kind), n) : BigInt.asIntN(widthOf(argType.kind), n),
    );
  }
  throw new GoError(`value has type ${value.t.str}; should be ${argType.str}`);
}

/** Executes the template `name` of the set on `data`; returns the output as a byte string. */
export function execute(set: TemplateSet, name: string, data: Val): string {
  const tree = set.trees.get(name);
  const st = new State(set, name, data);
  if (!tree || !tree.root) st.errorf(`${quote(name)} is an incomplete or empty template`);
  st.walk(data, tree!.root as ListNode);
  return st.out.join('');
}
