package dev.millions.bench.history;

/** What a write created, by kind and id: {@code post 42}, {@code user bench_7}, {@code follow a->b}. */
public record WriteKey(String kind, String id) {

    @Override
    public String toString() {
        return kind + ' ' + id;
    }
}
