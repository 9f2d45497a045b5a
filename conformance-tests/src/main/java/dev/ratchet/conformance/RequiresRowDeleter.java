package dev.ratchet.conformance;

import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a property that needs {@link TrackerContract#rowDeleter()}; skipped without one. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(CapabilityHook.class)
public @interface RequiresRowDeleter {
}
