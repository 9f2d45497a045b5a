package dev.ratchet.conformance;

import dev.ratchet.spi.Capability;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property that only applies to trackers claiming every capability of {@link #value()};
 * for others it is reported as <em>skipped</em> (never as passed) by {@link CapabilityHook}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(CapabilityHook.class)
public @interface RequiresCapability {
    /** The capabilities the property tests (one, mostly). */
    Capability[] value();
}
