import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { ApiKey, type ClientApiKey } from "./api-keys.js";
import { API_MESSAGES, type RequestInit } from "./api-messages.js";
import type { RequestBody } from "./frame.js";

/**
 * Encodes a request body for api key `key`. ProduceLog, whose `records`
 * carry every written batch, is encoded as pieces around the records
 * bytes, which stay where the writer put them: the frame is the only copy
 * (protobuf-es copies a `bytes` field three times on the way to one
 * buffer). Everything else goes through protobuf-es. Throws when a
 * required field is missing.
 */
export function encodeRequestBody<K extends ClientApiKey>(key: K, init: RequestInit<K>): RequestBody {
  if (key === ApiKey.PRODUCE_LOG) return encodeProduceLogRequest(init as RequestInit<typeof ApiKey.PRODUCE_LOG>);
  const schema = API_MESSAGES[key].request as DescMessage;
  return toBinary(schema, create(schema, init as never));
}

/**
 * ProduceLogRequest { 1 acks int32, 2 table_id int64, 3 timeout_ms int32,
 * 4 buckets_req repeated { 1 partition_id int64?, 2 bucket_id int32,
 * 3 records bytes } }, fields in number order as protobuf-es writes them,
 * so the bytes equal `toBinary` of the same message.
 */
export function encodeProduceLogRequest(init: RequestInit<typeof ApiKey.PRODUCE_LOG>): Uint8Array[] {
  const { acks, tableId, timeoutMs } = init;
  if (acks === undefined || tableId === undefined || timeoutMs === undefined) {
    throw new Error("ProduceLogRequest: required field acks, table_id or timeout_ms is not set");
  }
  const pieces: Uint8Array[] = [];
  const head = new BinaryWriter().tag(1, WireType.Varint).int32(acks).tag(2, WireType.Varint).int64(tableId).tag(3, WireType.Varint).int32(timeoutMs);
  for (const bucket of init.bucketsReq ?? []) {
    const { bucketId, records } = bucket;
    if (bucketId === undefined || records === undefined) throw new Error("PbProduceLogReqForBucket: required field bucket_id or records is not set");
    const fields = new BinaryWriter();
    if (bucket.partitionId !== undefined) fields.tag(1, WireType.Varint).int64(bucket.partitionId);
    fields.tag(2, WireType.Varint).int32(bucketId).tag(3, WireType.LengthDelimited).uint32(records.length);
    const small = fields.finish();
    // This bucket's header goes with the previous piece; the records follow as they are.
    head.tag(4, WireType.LengthDelimited).uint32(small.length + records.length).raw(small);
    pieces.push(head.finish(), records);
  }
  pieces.push(head.finish());
  return pieces.filter((piece) => piece.length > 0);
}
