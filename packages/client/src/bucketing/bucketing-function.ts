import { FlussError } from "../errors/index.js";
import { hashBytes, murmur3Fixed32, murmurInt } from "./murmur-hash.js";

/**
 * Maps encoded bucket-key bytes to a bucket id in `[0, numBuckets)`, as Java's
 * `org.apache.fluss.bucketing.BucketingFunction`.
 */
export interface BucketingFunction {
  /** The bucket of `bucketKey` among `numBuckets` buckets. */
  bucketing(bucketKey: Uint8Array, numBuckets: number): number;
}

/** The `table.datalake.format` values Fluss 0.9 knows. */
export type DataLakeFormat = "paimon" | "iceberg" | "lance";

function checkNumBuckets(numBuckets: number): void {
  if (!Number.isInteger(numBuckets) || numBuckets <= 0 || numBuckets > 0x7fffffff) {
    throw FlussError.client(`The number of buckets must be a positive int32, got ${String(numBuckets)}.`);
  }
}

function checkKey(bucketKey: Uint8Array): void {
  if (!(bucketKey instanceof Uint8Array)) throw FlussError.client("The bucket key must be a Uint8Array.");
  if (bucketKey.length === 0) throw FlussError.client("Assigned key must not be empty!");
}

/**
 * Fluss's default (`FlussBucketingFunction`, also used for `lance`):
 * `murmurInt(hashBytes(key, seed 42)) % numBuckets`.
 */
export const flussBucketing: BucketingFunction = Object.freeze({
  bucketing(bucketKey: Uint8Array, numBuckets: number): number {
    checkKey(bucketKey);
    checkNumBuckets(numBuckets);
    return murmurInt(hashBytes(bucketKey)) % numBuckets;
  },
});

/**
 * Paimon's (`PaimonBucketingFunction`): `abs(hashBytes(key, seed 42) % numBuckets)`, the
 * remainder taken with the sign of the hash as in Java.
 */
export const paimonBucketing: BucketingFunction = Object.freeze({
  bucketing(bucketKey: Uint8Array, numBuckets: number): number {
    if (!(bucketKey instanceof Uint8Array)) throw FlussError.client("The bucket key must be a Uint8Array.");
    checkNumBuckets(numBuckets);
    return Math.abs(hashBytes(bucketKey) % numBuckets);
  },
});

/**
 * Iceberg's (`IcebergBucketingFunction`): `(murmur3_32_fixed(key) & 0x7fffffff) % numBuckets`
 * with Guava's standard Murmur3, seed 0.
 */
export const icebergBucketing: BucketingFunction = Object.freeze({
  bucketing(bucketKey: Uint8Array, numBuckets: number): number {
    if (!(bucketKey instanceof Uint8Array) || bucketKey.length === 0) {
      throw FlussError.client("bucketKey must not be null or empty");
    }
    checkNumBuckets(numBuckets);
    return (murmur3Fixed32(bucketKey) & 0x7fffffff) % numBuckets;
  },
});

/**
 * Parses a `table.datalake.format` property value (case-insensitive, as Fluss's enum
 * option); undefined or empty means no lake format.
 */
export function parseDataLakeFormat(value: string | undefined): DataLakeFormat | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "paimon" || v === "iceberg" || v === "lance") return v;
  throw FlussError.client(`Unsupported lake format: ${value} (expected paimon, iceberg or lance).`);
}

/**
 * The bucketing function the Java client uses for a table (`BucketingFunction.of`):
 * Fluss's for no lake format and for `lance`, Paimon's for `paimon`, Iceberg's for `iceberg`.
 */
export function bucketingFunctionOf(lakeFormat: DataLakeFormat | string | undefined): BucketingFunction {
  switch (parseDataLakeFormat(lakeFormat)) {
    case undefined:
    case "lance":
      return flussBucketing;
    case "paimon":
      return paimonBucketing;
    case "iceberg":
      return icebergBucketing;
  }
}
