package dev.ratchet.micronaut;

import dev.ratchet.conformance.DatabaseKind;
import dev.ratchet.conformance.TestDatabase;

import java.util.HashMap;
import java.util.Map;

/** Micronaut data source properties for a test database. */
final class MicronautDatabases {
    private MicronautDatabases() {
    }

    /** The first item of a publisher that emits synchronously (as a health indicator's does). */
    static <T> T first(org.reactivestreams.Publisher<T> publisher) {
        java.util.concurrent.atomic.AtomicReference<T> item = new java.util.concurrent.atomic.AtomicReference<>();
        publisher.subscribe(new org.reactivestreams.Subscriber<T>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(T t) {
                item.set(t);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
            }
        });
        if (item.get() == null) {
            throw new AssertionError("the publisher emitted nothing");
        }
        return item.get();
    }

    static Map<String, Object> properties(TestDatabase db, String locations) {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", db.url());
        p.put("datasources.default.driver-class-name",
                db.kind() == DatabaseKind.POSTGRESQL ? "org.postgresql.Driver" : "org.sqlite.JDBC");
        p.put("datasources.default.maximum-pool-size", 2);
        p.put("datasources.default.dialect", db.kind() == DatabaseKind.POSTGRESQL ? "POSTGRES" : "ANSI");
        p.put("ratchet.datasources.default.locations", locations);
        return p;
    }
}
