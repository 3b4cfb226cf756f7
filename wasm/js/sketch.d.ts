// SPDX-License-Identifier: MIT
// Types of sketch.mjs: the duration sketch of the cxm WebAssembly build (re-exported by
// cxm.d.ts; the classes are members of the API object loadCxm() returns).
import type { SketchRejectionReason } from './constants.mjs';

export type { SketchRejectionReason };

/** A time for OTLP export: Unix nanoseconds as a bigint or a decimal string, or a Date. */
export type OtlpTime = bigint | string | Date;

export interface DurationSketchOptions {
  /** -10..20, default 6 (relative error 0.54%); lowered automatically to fit maxBuckets. */
  scale?: number;
  /** The bucket budget, 8..1048576, default 1600 (4 bytes each). */
  maxBuckets?: number;
  /** Values at or below it go to the zero bucket (finite, >= 0; default 0). */
  zeroThreshold?: number;
}

export interface OtlpExportOptions {
  /** The metric name, e.g. "journey.step.duration". */
  name: string;
  /** The unit (UCUM), default "ms". */
  unit?: string;
  /** Data point attributes (step, channel, segment...): integers become intValue, other numbers doubleValue. */
  attributes?: Record<string, string | number | boolean>;
  startTime: OtlpTime;
  time: OtlpTime;
}

export interface SketchBuckets {
  /** Index of counts[0]; bucket i holds values in (b^i, b^(i+1)], b = 2^(2^-scale). */
  offset: number;
  counts: number[];
}

/**
 * A mergeable base-2 exponential histogram of durations (OpenTelemetry's bucket layout) with
 * exact count/sum/min/max and quantiles within relativeError(). Throws CxmError on bad input.
 */
export declare class DurationSketch {
  constructor(options?: DurationSketchOptions);
  /** Records value (count times); rejected values (NaN, ±Infinity, negative) are counted, then thrown. */
  record(value: number, count?: number): void;
  /** record() returning the errc code (0 = recorded) instead of throwing. */
  tryRecord(value: number, count?: number): number;
  /**
   * Copies the values through wasm memory in chunks (a Float64Array on wasm memory is recorded
   * in place); returns the number accepted. An array is read element by element first: a
   * non-number throws wrong_type and records nothing.
   */
  recordBulk(values: Float64Array | number[]): number;
  /** Records values already in wasm memory without copying. */
  recordBulkInPlace(buffer: DurationBuffer | Float64Array): number;
  quantile(q: number): number;
  /** Adds other's values (exact across scales). Throws incompatible for other zero thresholds. */
  merge(other: DurationSketch): void;
  count(): number;
  sum(): number;
  min(): number;
  max(): number;
  mean(): number;
  zeroCount(): number;
  zeroThreshold(): number;
  scale(): number;
  relativeError(): number;
  maxBuckets(): number;
  memoryBytes(): number;
  rejected(reason: SketchRejectionReason): number;
  rejectedCounts(): Record<SketchRejectionReason, number>;
  buckets(): SketchBuckets;
  clear(): void;
  equals(other: DurationSketch): boolean;
  /** Versioned JSON (cxm.duration_sketch v1). */
  toJson(): string;
  toJSON(): unknown;
  /** Compact binary form (v1). */
  encode(): Uint8Array;
  /** An OTLP/JSON ExportMetricsServiceRequest with one ExponentialHistogram point. */
  toOtlpJson(options: OtlpExportOptions): string;
  static fromJson(text: string | Uint8Array): DurationSketch;
  static decode(bytes: Uint8Array): DurationSketch;
  /** The exact OpenTelemetry bucket index of each positive finite value at scale -10..20. */
  static bucketIndices(values: Float64Array, scale: number): Int32Array;
  static bucketIndex(value: number, scale: number): number;
  dispose(): void;
  readonly disposed: boolean;
}

/** Float64 values in wasm memory (malloc'ed); free() when done. */
export declare class DurationBuffer {
  readonly ptr: number;
  readonly length: number;
  /** A fresh view: re-read after any wasm allocation. */
  readonly view: Float64Array;
  free(): void;
}

declare module './cxm.mjs' {
  interface CxmApi {
    DurationSketch: typeof DurationSketch;
    DurationBuffer: typeof DurationBuffer;
    allocDurations(length: number): DurationBuffer;
  }
}
