import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** Client id of the hand-made items (any id the document does not use yet). */
export const CRAFTED_CLIENT = 0x3fff_fff0;

/**
 * A hand-made one-item update, as a malicious client could send it: an item inserting `text` into
 * `doc`'s Y.Text `name`, with the given origin and right origin whatever they are (at least one:
 * an item without origins names its parent instead, which this does not write). Made from a
 * legitimate update (decoded, origins changed) and encoded again the way yjs writes the structs
 * of one client: #clients, #structs, client, clock, the item, then an empty delete set.
 */
export function craftItemUpdate(
  doc: Y.Doc,
  origins: { origin: Y.ID | null; rightOrigin: Y.ID | null },
  opts: { name?: string; text?: string; client?: number } = {},
): Uint8Array {
  const replica = new Y.Doc();
  replica.clientID = opts.client ?? CRAFTED_CLIENT;
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  let legit: Uint8Array | null = null;
  replica.on("update", (update: Uint8Array) => (legit = update));
  replica.getText(opts.name ?? "t").insert(0, opts.text ?? "✗");
  replica.destroy();
  if (!legit) throw new Error("no update");
  if (!origins.origin && !origins.rightOrigin) throw new Error("give an origin or a right origin");
  const item = Y.decodeUpdate(legit).structs[0];
  if (!(item instanceof Y.Item)) throw new Error("expected an item");
  item.origin = origins.origin;
  item.rightOrigin = origins.rightOrigin;
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(item.id.client);
  encoding.writeVarUint(encoder.restEncoder, item.id.clock);
  item.write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/**
 * Crossed origins inside `ytext`'s first run of three or more characters typed at once (one item,
 * clocks k..k+2): origin k+2, right origin k+1, i.e. the left origin to the right of the right one.
 * Clients that have the run integrate such an item after the run's first character (resolving the
 * right origin splits the run under the left origin); a joiner loading the stored state, where the
 * run is already split, puts it after the run: the document diverges.
 */
export function crossedOriginsIn(ytext: Y.Text): { origin: Y.ID; rightOrigin: Y.ID } {
  for (let item = ytext._start; item; item = item.right) {
    if (!item.deleted && item.length >= 3) {
      const { client, clock } = item.id;
      return { origin: Y.createID(client, clock + 2), rightOrigin: Y.createID(client, clock + 1) };
    }
  }
  throw new Error("no run of three characters");
}

/** A crafted update whose item crosses its origins inside `doc`'s text `name` (see crossedOriginsIn). */
export function craftCrossedUpdate(doc: Y.Doc, opts: { name?: string; text?: string; client?: number } = {}) {
  return craftItemUpdate(doc, crossedOriginsIn(doc.getText(opts.name ?? "t")), opts);
}
