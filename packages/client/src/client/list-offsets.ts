import { isFieldSet } from "@bufbuild/protobuf";
import type { BucketLocations } from "./bucket-locations.js";
import type { ClusterClient } from "./cluster-client.js";
import { ErrorCode, FlussError, STALE_METADATA_CODES } from "../errors/index.js";
import { PbListOffsetsRespForBucketSchema } from "../gen/fluss/rpc_pb.js";
import type { OffsetSpec } from "../metadata/index.js";
import { ApiKey } from "../wire/api-keys.js";

const MAX_ATTEMPTS = 4;

/** Clients identify themselves with follower id −1 (servers use their own id when replicating). */
const CLIENT_FOLLOWER_ID = -1;

/**
 * Asks each bucket's leader for its offset, one request per leader. Buckets
 * that fail with stale-metadata errors are asked again after their locations
 * are refreshed; other per-bucket errors fail the call with the server's code.
 */
export async function listBucketOffsets(
  cluster: ClusterClient,
  initialLocations: BucketLocations,
  bucketIds: readonly number[],
  spec: OffsetSpec,
  refreshLocations: () => Promise<BucketLocations>,
): Promise<Map<number, number>> {
  const offsets = new Map<number, number>();
  let remaining = [...new Set(bucketIds)];
  let locations = initialLocations;
  for (let attempt = 1; remaining.length > 0; attempt++) {
    const stale: number[] = [];
    let lastStaleError: FlussError | undefined;
    const byLeader = new Map<number, number[]>();
    for (const bucketId of remaining) {
      if (!locations.leaders.has(bucketId)) {
        throw new FlussError(`bucket ${bucketId} does not exist (the table has ${locations.leaders.size})`, ErrorCode.UNKNOWN_TABLE_OR_BUCKET_EXCEPTION);
      }
      const leader = locations.leaders.get(bucketId);
      if (leader === undefined) {
        stale.push(bucketId);
        lastStaleError = new FlussError(`bucket ${bucketId} has no leader`, ErrorCode.LEADER_NOT_AVAILABLE_EXCEPTION);
        continue;
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), bucketId]);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, buckets]) => {
        try {
          const response = await cluster.callTabletServer(leader, ApiKey.LIST_OFFSETS, {
            followerServerId: CLIENT_FOLLOWER_ID,
            offsetType: spec.offsetType,
            tableId: locations.tableId,
            ...(locations.partitionId === undefined ? {} : { partitionId: locations.partitionId }),
            bucketId: buckets,
            ...(spec.timestamp === undefined ? {} : { startTimestamp: BigInt(spec.timestamp) }),
          });
          for (const bucket of response.bucketsResp) {
            const errorSet = isFieldSet(bucket, PbListOffsetsRespForBucketSchema.field.errorCode);
            if (errorSet && bucket.errorCode !== ErrorCode.NONE) {
              const error = new FlussError(bucket.errorMessage || `bucket ${bucket.bucketId} failed`, bucket.errorCode);
              if (!STALE_METADATA_CODES.has(bucket.errorCode)) throw error;
              stale.push(bucket.bucketId);
              lastStaleError = error;
            } else {
              offsets.set(bucket.bucketId, Number(bucket.offset));
            }
          }
        } catch (thrown) {
          const error = FlussError.from(thrown);
          if (!STALE_METADATA_CODES.has(error.errorCode)) throw error;
          stale.push(...buckets);
          lastStaleError = error;
        }
      }),
    );
    remaining = stale;
    if (remaining.length === 0) break;
    if (attempt >= MAX_ATTEMPTS) throw lastStaleError!;
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    await cluster.refreshCluster().catch(() => undefined);
    locations = await refreshLocations();
  }
  return offsets;
}
