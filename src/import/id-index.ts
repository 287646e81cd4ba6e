/**
 * The entry number that last imported each ID, for the duplicate-ID warning.
 * A million-row import holds a million IDs; as a Map of strings that is
 * about 150 MB, so the IDs live here instead, packed in typed arrays: an
 * open-addressing hash table over a byte arena, about 30 bytes per ID.
 * Valid IDs are ASCII (A-Z a-z 0-9 -, at most 63 characters), which is what
 * makes one byte per character exact.
 */
export class IdIndex {
  #slots = new Int32Array(1 << 16).fill(-1); // index into the entry arrays, or -1
  #hashes: Int32Array = new Int32Array(1 << 15);
  #offsets: Int32Array = new Int32Array(1 << 15);
  #lengths: Uint8Array = new Uint8Array(1 << 15);
  #entryNums: Int32Array = new Int32Array(1 << 15);
  #bytes: Uint8Array = new Uint8Array(1 << 19);
  #used = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: string): number | undefined {
    const slot = this.#find(id, hashOf(id));
    const entry = this.#slots[slot]!;
    return entry === -1 ? undefined : this.#entryNums[entry];
  }

  set(id: string, entryNum: number): void {
    if (id.length > 255) throw new RangeError("IDs are at most 63 characters");
    const hash = hashOf(id);
    const slot = this.#find(id, hash);
    const existing = this.#slots[slot]!;
    if (existing !== -1) {
      this.#entryNums[existing] = entryNum;
      return;
    }
    const entry = this.#size++;
    if (entry === this.#hashes.length) this.#growEntries();
    if (this.#used + id.length > this.#bytes.length) this.#bytes = grow(this.#bytes, Math.max(this.#bytes.length * 2, this.#used + id.length));
    for (let i = 0; i < id.length; i++) this.#bytes[this.#used + i] = id.charCodeAt(i);
    this.#hashes[entry] = hash;
    this.#offsets[entry] = this.#used;
    this.#lengths[entry] = id.length;
    this.#entryNums[entry] = entryNum;
    this.#used += id.length;
    this.#slots[slot] = entry;
    // Keep the table at most half full, so probe runs stay short.
    if (this.#size * 2 > this.#slots.length) this.#rehash();
  }

  #find(id: string, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot]!;
      if (entry === -1 || (this.#hashes[entry] === hash && this.#equals(entry, id))) return slot;
    }
  }

  #equals(entry: number, id: string): boolean {
    if (this.#lengths[entry] !== id.length) return false;
    const offset = this.#offsets[entry]!;
    for (let i = 0; i < id.length; i++) if (this.#bytes[offset + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  #growEntries(): void {
    const length = this.#hashes.length * 2;
    this.#hashes = grow(this.#hashes, length);
    this.#offsets = grow(this.#offsets, length);
    this.#lengths = grow(this.#lengths, length);
    this.#entryNums = grow(this.#entryNums, length);
  }

  #rehash(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.#size; entry++) {
      let slot = this.#hashes[entry]! & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over the ID's characters. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash;
}

function grow<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
