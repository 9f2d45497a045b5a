package dev.ratchet.conformance;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

import java.util.OptionalInt;

/**
 * How many tries the suite's properties run: by default {@link TrackerContract#TRIES} (the
 * model-based property half as many), enough to find bugs and small enough for CI. A deeper run
 * (nightly, or after a change to a tracker's SQL) sets the system property
 * {@value #PROPERTY} or the environment variable {@value #VARIABLE} to N: every property then
 * runs N tries, the model-based one N / 2 (at least 1). The system property wins.
 */
public final class ConformanceTries implements AroundPropertyHook {
    /** The system property naming the tries per property. */
    public static final String PROPERTY = "ratchet.conformance.tries";
    /** The environment variable naming the tries per property. */
    public static final String VARIABLE = "RATCHET_CONFORMANCE_TRIES";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        OptionalInt configured = configured();
        if (configured.isPresent()) {
            int declared = context.attributes().tries().orElse(TrackerContract.TRIES);
            int scaled = (int) Math.max(1, (long) configured.getAsInt() * declared / TrackerContract.TRIES);
            context.attributes().setTries(scaled);
        }
        return property.execute();
    }

    /** Outermost, so that the tries are set before jqwik starts the property. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    /**
     * The tries that {@value #PROPERTY} or {@value #VARIABLE} ask for; empty when neither is set.
     *
     * @throws IllegalArgumentException when the value is not a whole number of at least 1
     */
    static OptionalInt configured() {
        String source = PROPERTY;
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            source = VARIABLE;
            value = System.getenv(VARIABLE);
        }
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int tries = Integer.parseInt(value.strip());
            if (tries >= 1) {
                return OptionalInt.of(tries);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a whole number of tries of at least 1, not '" + value + "'");
    }
}
