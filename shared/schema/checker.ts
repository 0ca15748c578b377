/**
 * Schema checkers that work everywhere: TypeBox's compiler generates code with `new Function` (fast, used in Node),
 * which the task pane's Content-Security-Policy forbids; there the same checks run interpreted (`Value`).
 */
import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { ValueError } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";

export interface Checker<T extends TSchema> {
  Check(value: unknown): value is Static<T>;
  Errors(value: unknown): Iterable<ValueError>;
}

/** The same checks, interpreted: Check and Errors are the method names of TypeBox's compiled TypeCheck. */
class InterpretedChecker<T extends TSchema> implements Checker<T> {
  constructor(private readonly schema: T) {}

  Check(value: unknown): value is Static<T> {
    return Value.Check(this.schema, value);
  }

  Errors(value: unknown): Iterable<ValueError> {
    return Value.Errors(this.schema, value);
  }
}

export function interpretedChecker<T extends TSchema>(schema: T): Checker<T> {
  return new InterpretedChecker(schema);
}

export function compileChecker<T extends TSchema>(schema: T): Checker<T> {
  try {
    return TypeCompiler.Compile(schema);
  } catch (error) {
    // EvalError under a CSP without 'unsafe-eval': fall back to the interpreter, same answers, slower.
    if (!(error instanceof EvalError) && !/unsafe-eval|Content Security Policy/i.test(String(error))) throw error;
    return interpretedChecker(schema);
  }
}
