package dev.tidemark.internal.fleet;

import java.nio.charset.StandardCharsets;

/**
 * Which shard of {@code n} takes a target: rendezvous (highest-random-weight) hashing of the target's name. Stable
 * across processes and versions (a fixed 64-bit hash, not {@code String.hashCode}); adding or removing targets moves
 * no other target, and going from {@code n} to {@code n + 1} shards moves only about {@code 1/(n + 1)} of them, all to
 * the new shard.
 */
public final class Sharding {

    private Sharding() {
    }

    /** The shard, 0 to {@code shards - 1}, of the target named {@code name}. */
    public static int shardOf(String name, int shards) {
        int best = 0;
        long bestWeight = Long.MIN_VALUE;
        for (int shard = 0; shard < shards; shard++) {
            long weight = hash(name + '\u0000' + shard);
            if (weight > bestWeight) {
                bestWeight = weight;
                best = shard;
            }
        }
        return best;
    }

    /** FNV-1a over the UTF-8 bytes, then SplitMix64's finaliser to spread the bits. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
