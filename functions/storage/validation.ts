/** French rendering of TypeBox validation errors, each naming the property path. */
import { type ValueError, type ValueErrorIterator, ValueErrorType } from "@sinclair/typebox/errors";

function french(error: ValueError): string {
  const s = error.schema as Record<string, unknown>;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return "propriété obligatoire absente";
    case ValueErrorType.ObjectAdditionalProperties:
      return "propriété inconnue";
    case ValueErrorType.String:
      return "texte attendu";
    case ValueErrorType.Number:
      return "nombre attendu";
    case ValueErrorType.Integer:
      return "nombre entier attendu";
    case ValueErrorType.Boolean:
      return "vrai/faux attendu";
    case ValueErrorType.Array:
      return "liste attendue";
    case ValueErrorType.Object:
      return "objet attendu";
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `doit être ≥ ${String(s.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `doit être ≤ ${String(s.maximum)}`;
    case ValueErrorType.StringMinLength:
      return `au moins ${String(s.minLength)} caractère(s)`;
    case ValueErrorType.StringMaxLength:
      return `au plus ${String(s.maxLength)} caractères`;
    case ValueErrorType.StringPattern:
      return `format invalide (motif ${String(s.pattern)})`;
    case ValueErrorType.Literal:
      return `valeur attendue ${JSON.stringify(s.const)}`;
    case ValueErrorType.Union:
      return "aucune des valeurs permises";
    case ValueErrorType.ArrayMaxItems:
      return `au plus ${String(s.maxItems)} éléments`;
    default:
      return error.message;
  }
}

export function describeErrors(errors: ValueErrorIterator, max = 3): string {
  const parts: string[] = [];
  for (const error of errors) {
    const value = error.value === undefined ? "absent" : JSON.stringify(error.value);
    const shown = value !== undefined && value.length > 60 ? `${value.slice(0, 60)}…` : value;
    parts.push(`« ${error.path || "/"} » : ${french(error)} (trouvé ${shown})`);
    if (parts.length >= max) break;
  }
  return parts.length > 0 ? `${parts.join(" ; ")}.` : "valeur invalide.";
}
