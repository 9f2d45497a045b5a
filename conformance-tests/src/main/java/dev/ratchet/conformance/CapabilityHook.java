package dev.ratchet.conformance;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.util.Optional;

/**
 * Skips a property marked {@link RequiresCapability} when the tracker under test does not
 * claim that capability. A claimed capability is always tested.
 */
public final class CapabilityHook implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<RequiresCapability> required = context.findAnnotation(RequiresCapability.class);
        boolean needsDeleter = context.findAnnotation(RequiresRowDeleter.class).isPresent();
        Optional<Class<?>> container = context.optionalContainerClass();
        if ((required.isEmpty() && !needsDeleter) || container.isEmpty()
                || !TrackerContract.class.isAssignableFrom(container.get())) {
            return SkipResult.doNotSkip();
        }
        TrackerContract contract = (TrackerContract) context.newInstance(container.get());
        if (needsDeleter && contract.rowDeleter().isEmpty()) {
            return SkipResult.skip("no rowDeleter(): rows deleted from the tracker table by hand are not tested");
        }
        if (required.isEmpty() || contract.tracker().capabilities().contains(required.get().value())) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip("the " + contract.tracker().id() + " tracker does not claim " + required.get().value());
    }
}
