/**
 * Which bucket (and partition) a row goes to, exactly as the official Java client decides:
 * Fluss's Murmur3 variant over the encoded bucket key, the Paimon / Iceberg bucketing of
 * lake-enabled tables, the sticky and round-robin assigners of tables without bucket keys,
 * and partition names. See docs/bucketing.md.
 */
export { FLUSS_HASH_SEED, fmix32, hashBytes, murmur3Fixed32, murmurInt } from "./murmur-hash.js";
export {
  bucketingFunctionOf,
  flussBucketing,
  icebergBucketing,
  paimonBucketing,
  parseDataLakeFormat,
  type BucketingFunction,
  type DataLakeFormat,
} from "./bucketing-function.js";
export {
  createBucketAssigner,
  HashBucketAssigner,
  KeyBucketer,
  RoundRobinBucketAssigner,
  StickyBucketAssigner,
  type BucketAssigner,
  type NoKeyAssigner,
  type RandomSource,
} from "./bucket-assigner.js";
export {
  bucketKeyEncoderOf,
  dataLakeFormatOf,
  DATALAKE_FORMAT_KEY,
  KV_FORMAT_VERSION_KEY,
  primaryKeyEncoderOf,
} from "./table-keys.js";
export {
  dayToString,
  milliToString,
  PARTITION_SPEC_SEPARATOR,
  partitionNameOf,
  PartitionNameGetter,
  partitionValueConverter,
  partitionValueToString,
  timestampToString,
  type JavaFloatFormat,
  type PartitionValueConverter,
} from "./partition-name.js";
export { javaDoubleToString, javaFloatToString } from "./java-number-format.js";
export { javaLegacyDoubleToString, javaLegacyFloatToString } from "./java-legacy-number-format.js";
