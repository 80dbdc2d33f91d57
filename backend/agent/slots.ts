/**
 * The agent slots: at most `max` runs at once. Only an agent whose run holds
 * a slot counts (running, paused, or waiting for the user); the refusal names
 * them, in the words the console uses too (protocol/slots.ts).
 */
import { ProtocolError } from '../protocol/envelope.ts';
import { slotsTakenMessage, type SlotHolder } from '../protocol/slots.ts';

/** @throws {ProtocolError} `limit_reached`, naming the holders, when no slot is free. */
export function requireFreeSlot(
  max: number,
  holders: readonly SlotHolder[],
  starting: number,
): void {
  if (holders.length + starting < max) return;
  throw new ProtocolError('limit_reached', slotsTakenMessage(max, holders));
}
