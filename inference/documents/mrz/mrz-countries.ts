import { states } from 'mrz';

/**
 * Three-letter codes ICAO 9303 part 3 §5 allows in the issuing-state and nationality fields: the
 * `mrz` package's list (ISO 3166-1 alpha-3, `D` for Germany, the `XX?` and UN codes) plus `UTO`,
 * the fictional state of ICAO's own specimens, which that package rejects.
 */
export const ICAO_CODES: ReadonlySet<string> = new Set([...Object.keys(states), 'UTO']);

/** Country name of a code, `Utopia` for the ICAO specimen state. */
export function countryName(code: string): string | undefined {
  if (code === 'UTO') return 'Utopia';
  return (states as Record<string, string>)[code];
}

/** Whether a 3-character field (fillers included, e.g. `D<<`) holds a known code. */
export function isIcaoCode(field: string): boolean {
  return ICAO_CODES.has(field.replace(/<+$/, ''));
}
