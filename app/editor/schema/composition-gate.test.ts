import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createCompositionGate } from "./composition-gate";

describe("composition gate", () => {
  it("passes local edits out at once and holds remote ones while composing", () => {
    const network = new Y.Doc();
    const remote = new Y.Doc();
    network.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(remote, u, "local"));
    remote.on("update", (u: Uint8Array, origin: unknown) => origin !== "local" && Y.applyUpdate(network, u, "remote"));
    const gate = createCompositionGate(network);
    const view = gate.viewDoc.getText("t");

    view.insert(0, "会商");
    expect(remote.getText("t").toString()).toBe("会商");

    gate.setComposing(true);
    remote.getText("t").insert(0, "【远端】");
    expect(view.toString()).toBe("会商");
    expect(gate.held()).toBe(1);
    view.insert(2, "纪要"); // the composed characters, committed while remote text waits
    expect(remote.getText("t").toString()).toBe("【远端】会商纪要");

    gate.setComposing(false);
    expect(gate.held()).toBe(0);
    expect(view.toString()).toBe("【远端】会商纪要");
    expect(network.getText("t").toString()).toBe("【远端】会商纪要");
    gate.destroy();
  });

  it("edits under the network doc's client id without Yjs reassigning it", () => {
    const network = new Y.Doc();
    const before = network.clientID;
    const gate = createCompositionGate(network);
    gate.viewDoc.getText("t").insert(0, "甲");
    gate.viewDoc.getText("t").insert(1, "乙");
    expect(gate.viewDoc.clientID).toBe(before);
    expect(network.clientID).toBe(before);
    expect(network.getText("t").toString()).toBe("甲乙");
    gate.destroy();
  });
});
