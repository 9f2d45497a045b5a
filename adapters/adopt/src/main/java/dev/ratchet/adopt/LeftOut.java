package dev.ratchet.adopt;

/**
 * An entry of the other tool's history that adoption does not carry into Ratchet's tracker, and why.
 *
 * @param namespace the namespace being adopted
 * @param identity  the other tool's identity of the entry
 * @param reason    why it is left out
 */
public record LeftOut(String namespace, String identity, String reason) {
}
