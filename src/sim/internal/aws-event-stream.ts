/**
 * AWS event-stream binary framing (`application/vnd.amazon.eventstream`), as Bedrock's
 * `InvokeModelWithResponseStream` sends it and `@smithy/eventstream-serde-node` decodes it:
 *
 *   [total length u32][headers length u32][prelude CRC32 u32][headers][payload][message CRC32 u32]
 *
 * Each header is [name length u8][name][type u8 = 7 (string)][value length u16][value]. A `chunk`
 * event's payload is JSON `{"bytes": "<base64 of one Messages API stream event>"}`.
 */
import { crc32 } from 'node:zlib';

const STRING_HEADER = 7;
const PRELUDE_BYTES = 12;
const CRC_BYTES = 4;

function encodeHeaders(headers: Readonly<Record<string, string>>): Buffer {
  const parts = Object.entries(headers).map(([name, value]) => {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const part = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    part.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(part, 1);
    part.writeUInt8(STRING_HEADER, 1 + nameBytes.length);
    part.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(part, 4 + nameBytes.length);
    return part;
  });
  return Buffer.concat(parts);
}

/** One framed event-stream message. */
export function encodeEventStreamMessage(headers: Readonly<Record<string, string>>, payload: Buffer): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = PRELUDE_BYTES + headerBytes.length + payload.length + CRC_BYTES;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, PRELUDE_BYTES);
  payload.copy(message, PRELUDE_BYTES + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - CRC_BYTES)), total - CRC_BYTES);
  return message;
}

/** A Bedrock `chunk` event carrying one Anthropic stream event. */
export function encodeChunkEvent(event: unknown): Buffer {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  return encodeEventStreamMessage(
    { ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify({ bytes }), 'utf8'),
  );
}

/** Decodes framed messages (used by tests to look at what the simulator sent). */
export function decodeEventStream(data: Buffer): Array<{ headers: Record<string, string>; payload: Buffer }> {
  const messages: Array<{ headers: Record<string, string>; payload: Buffer }> = [];
  let offset = 0;
  while (offset + PRELUDE_BYTES <= data.length) {
    const total = data.readUInt32BE(offset);
    const headersLength = data.readUInt32BE(offset + 4);
    const headers: Record<string, string> = {};
    let at = offset + PRELUDE_BYTES;
    const headersEnd = at + headersLength;
    while (at < headersEnd) {
      const nameLength = data.readUInt8(at);
      const name = data.toString('utf8', at + 1, at + 1 + nameLength);
      const valueLength = data.readUInt16BE(at + 2 + nameLength);
      const valueStart = at + 4 + nameLength;
      headers[name] = data.toString('utf8', valueStart, valueStart + valueLength);
      at = valueStart + valueLength;
    }
    messages.push({ headers, payload: data.subarray(headersEnd, offset + total - CRC_BYTES) });
    offset += total;
  }
  return messages;
}
