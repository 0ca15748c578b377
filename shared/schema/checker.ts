/**
 * Schema checkers that work everywhere: TypeBox's compiler generates code with `new Function` (fast, used in Node),
 * which the task pane's Content-Security-Policy forbids; there the same checks run interpreted (`Value`).
 */
import type { TSchema, Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { ValueError } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";

export interface Checker<T extends TSchema> {
  Check(value: unknown): value is Static<T>;
  Errors(value: unknown): Iterable<ValueError>;
}

export function interpretedChecker<T extends TSchema>(schema: T): Checker<T> {
  return {
    Check: (value: unknown): value is Static<T> => Value.Check(schema, value),
    Errors: (value: unknown) => Value.Errors(schema, value),
  };
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
