import { Type, type EntityProperty, type Platform } from '@mikro-orm/core';

/**
 * A pgvector `vector(n)` column mapped to `number[]`.
 * pgvector's text form is `[1,2,3]`, which is also valid JSON, so both directions are plain JSON.
 */
export class VectorType extends Type<number[] | null, string | null> {
  constructor(private readonly dimensions: number) {
    super();
  }

  override convertToDatabaseValue(value: number[] | null): string | null {
    if (value == null) return null;
    if (value.length !== this.dimensions) {
      throw new TypeError(`vector must have ${this.dimensions} dimensions, got ${value.length}`);
    }
    return `[${value.join(',')}]`;
  }

  override convertToJSValue(value: string | number[] | null): number[] | null {
    if (value == null) return null;
    return typeof value === 'string' ? (JSON.parse(value) as number[]) : value;
  }

  override getColumnType(_prop: EntityProperty, _platform: Platform): string {
    return `vector(${this.dimensions})`;
  }

  override compareAsType(): string {
    return 'string';
  }
}
