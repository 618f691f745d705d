package dev.millions.edge.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** The backends of a pool, changed at run time by the admin API while requests are being balanced. */
public final class BackendSet {

    private final List<Backend> all = new CopyOnWriteArrayList<>();

    public void add(Backend backend) {
        if (find(backend.id()).isPresent()) {
            throw new IllegalArgumentException("backend '" + backend.id() + "' exists already");
        }
        all.add(backend);
    }

    public boolean remove(Backend backend) {
        return all.remove(backend);
    }

    public Optional<Backend> find(String id) {
        return all.stream().filter(b -> b.id().equals(id)).findFirst();
    }

    public List<Backend> all() {
        return List.copyOf(all);
    }

    /** Those that may take a new request now. */
    public List<Backend> available(long nowNanos) {
        List<Backend> available = new ArrayList<>(all.size());
        for (Backend backend : all) {
            if (backend.available(nowNanos)) {
                available.add(backend);
            }
        }
        return available;
    }
}
