/**
 * Primitive schemas shared by every boundary: money, quantities, rates, dates, periods.
 * Values cross boundaries as JSON numbers in euros / hours / percent (what a person types);
 * the engine converts them once to integers (cents, hundredths, 1e-4 units) and never uses floats on money.
 */
import { Kind, type SchemaOptions, type StringOptions, type TSchema, Type, TypeRegistry } from "@sinclair/typebox";
import type { Euros } from "./fixed.ts";
import { ISO_DATE_PATTERN, PERIOD_PATTERN } from "./period.ts";

/** Largest amount accepted anywhere (10 million euros): keeps every integer product below 2^53. */
export const MAX_EUROS = 10_000_000;

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

function decimalsAtMost(value: number, places: number): boolean {
  const scaled = value * (POWERS_OF_TEN[places] ?? 10 ** places);
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

export interface TDecimal<T extends number = number> extends TSchema {
  [Kind]: "Decimal";
  static: T;
  places: number;
  minimum: number;
  maximum: number;
  unitLabel: string;
}

TypeRegistry.Set<TDecimal>(
  "Decimal",
  (schema, value) =>
    typeof value === "number" && Number.isFinite(value) && value >= schema.minimum && value <= schema.maximum && decimalsAtMost(value, schema.places),
);

function decimal<T extends number = number>(places: number, minimum: number, maximum: number, unitLabel: string, options: SchemaOptions = {}): TDecimal<T> {
  return { ...options, [Kind]: "Decimal", places, minimum, maximum, unitLabel } as TDecimal<T>;
}

/** An amount in euros with at most 2 decimals, possibly negative. */
export const Money = (options: SchemaOptions & { minimum?: number } = {}) =>
  decimal<Euros>(2, options.minimum ?? -MAX_EUROS, MAX_EUROS, "un montant en euros (2 décimales au plus)", options);
/** A non-negative amount in euros. */
export const PositiveMoney = (options: SchemaOptions = {}) => Money({ ...options, minimum: 0 });
/** Hours, days or counts with at most 2 decimals, non-negative. */
export const Quantity = (options: SchemaOptions & { maximum?: number } = {}) =>
  decimal(2, 0, options.maximum ?? 100_000, "une quantité positive (2 décimales au plus)", options);
/** A percentage (e.g. 6.85 for 6.85 %) with at most 4 decimals. */
export const Percent = (options: SchemaOptions = {}) => decimal(4, 0, 1000, "un taux en % (4 décimales au plus)", options);
/** A unit price with at most 4 decimals (hourly rates, per-meal values). */
export const UnitPrice = (options: SchemaOptions = {}) => decimal(4, 0, MAX_EUROS, "un prix unitaire (4 décimales au plus)", options);

/** An ISO date "YYYY-MM-DD". */
export const IsoDate = (description: string, options: StringOptions = {}) => Type.String({ ...options, pattern: ISO_DATE_PATTERN, description });
/** A pay period "YYYY-MM" (shared/core/period.ts). */
export const PeriodString = (options: StringOptions = {}) => Type.String({ ...options, pattern: PERIOD_PATTERN });
